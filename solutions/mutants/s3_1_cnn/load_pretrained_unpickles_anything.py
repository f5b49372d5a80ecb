"""Loads the checkpoint with weights_only=False, which runs any code the pickle carries."""
CAUGHT_BY = "test_load_pretrained_never_runs_code_a_checkpoint_carries"
MESSAGE_MENTIONS = "weights_only=True"
MESSAGE_MENTIONS_KO = "weights_only=True"
from solutions.s3_1_cnn import *  # noqa: E402,F401,F403 - the rest of the reference


def load_pretrained(path, num_classes):
    state = torch.load(path, map_location="cpu", weights_only=False)
    state = {key.removeprefix("module."): value for key, value in state.items()}
    model = torchvision.models.resnet18(weights=None)
    model.load_state_dict(state)
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model.eval()
