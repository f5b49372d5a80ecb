"""The Discriminator has a Dropout(0.3) after each LeakyReLU (a GAN trick, not the DCGAN pattern): invisible in eval
mode, where every structure check runs it, but D trains with it."""
CAUGHT_BY = "test_discriminator_gives_one_logit_per_image"
MESSAGE_MENTIONS = "only in training mode"
MESSAGE_MENTIONS_KO = "학습 모드에서만"
from solutions.s5_3_gan_text_to_image import *  # noqa: E402,F401,F403 - the rest of the reference


class Discriminator(nn.Module):
    def __init__(self, ndf=NDF):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Dropout(0.3),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Dropout(0.3),
            nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),
        )

    def forward(self, x):
        return self.net(x).flatten()
