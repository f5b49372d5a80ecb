"""3.2 RNN, LSTM, GRU and attention: what the student's process observes.

Beside the student's code it runs their models as the checks ask (under torch.no_grad(), one SGD step, the order
task's training from the start the judge gives), reads and loads state_dicts, runs run_packed_rnn on an nn.RNN it
builds from given weights, and records which torch functions a hand-written function called. It returns what it
saw; the expected answers are computed by the checks in graders/test_s3_2_rnn_attention.py.
"""
import torch
import torch.nn.functional as F
from torch import nn

from graders.support.calls import _TorchCalls
from ptgrade.protocol.observation import observation


@observation
def without_grad(impl, model, *args):
    """model(*args) under torch.no_grad() in the student's process, as inference runs (the judge's own no_grad
    does not reach that process)."""
    with torch.no_grad():
        return model(*args)


@observation
def model_state(impl, model) -> dict:
    """The model's state_dict, as tensors."""
    return {str(key): value.detach().clone() for key, value in model.state_dict().items()}


@observation
def load_state(impl, model, state: dict) -> None:
    """model.load_state_dict(state): the judge's parameters under the student's own names."""
    model.load_state_dict(state)


@observation
def sgd_step(impl, model, tokens, lengths, weights, lr) -> dict:
    """One step in train mode: logits = model(tokens, lengths), (logits * weights).sum().backward(), p -= lr * p.grad
    for every parameter with a gradient; the logits, and the state_dict after the step."""
    model.train()
    model.zero_grad()
    logits = model(tokens, lengths)
    if type(logits) is not torch.Tensor:
        return {"logits": logits}
    (logits * weights).sum().backward()
    with torch.no_grad():
        for parameter in model.parameters():
            if parameter.grad is not None:
                parameter -= lr * parameter.grad
    return {"logits": logits.detach(), "state": {str(k): v.detach().clone() for k, v in model.state_dict().items()}}


def _order_training(model, batches):
    """The order task's training loop: Adam (lr 1e-2) over `batches`, cross-entropy on the logits; the first thing
    the model's forward returned that is not a tensor, else None."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    model.train()
    for batch_tokens, batch_lengths, labels in batches:
        logits = model(batch_tokens, batch_lengths)
        if type(logits) is not torch.Tensor:
            return logits
        loss = F.cross_entropy(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    return None


@observation
def order_task_training(impl, model, batches):
    """Train the student's RNNClassifier (already holding the judge's starting parameters) with the order task's loop
    on `batches`; its state_dict after training (or what its forward returned that is not a tensor)."""
    odd = _order_training(model, batches)
    if odd is not None:
        return {"odd": odd}
    return {"state": {str(k): v.detach().clone() for k, v in model.state_dict().items()}}


@observation
def packed_rnn_result(impl, state, inputs, lengths):
    """What run_packed_rnn returns for an nn.RNN(batch_first=True, tanh, float64) on the device of `inputs`, holding
    the weights `state`."""
    layers = sum(name.startswith("weight_ih_l") for name in state)
    hidden, features = state["weight_ih_l0"].shape
    rnn = nn.RNN(features, hidden, num_layers=layers, batch_first=True, dtype=torch.float64, device=inputs.device)
    rnn.load_state_dict(state)
    with torch.no_grad():
        return impl.run_packed_rnn(rnn, inputs, lengths)


@observation
def calls_and_result(impl, name, *args) -> dict:
    """The torch functions the student's `name`(*args) called (names only, in first-call order) and what it returned."""
    with _TorchCalls() as calls:
        value = getattr(impl, name)(*args)
    return {"names": list(dict.fromkeys(calls.names)), "value": value}
