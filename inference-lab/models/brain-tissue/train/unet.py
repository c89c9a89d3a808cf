"""A small 2D U-Net: four levels (width w, 2w, 4w, 8w), two 3x3 conv + batch norm + ReLU per block, max-pool
down, 2x2 transposed conv up, 1x1 conv to the class logits. Batch norm is folded into the convolutions before
export, so the ONNX graph holds only Conv, Relu, MaxPool, ConvTranspose and Concat.
"""
from __future__ import annotations

import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, c_in: int, c_out: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(x)))


class UNet(nn.Module):
    def __init__(self, width: int, classes: int = 4) -> None:
        super().__init__()
        w = width
        self.enc = nn.ModuleList([Block(1, w), Block(w, 2 * w), Block(2 * w, 4 * w)])
        self.bottom = Block(4 * w, 8 * w)
        self.up = nn.ModuleList([nn.ConvTranspose2d(c, c // 2, 2, stride=2) for c in (8 * w, 4 * w, 2 * w)])
        self.dec = nn.ModuleList([Block(8 * w, 4 * w), Block(4 * w, 2 * w), Block(2 * w, w)])
        self.head = nn.Conv2d(w, classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips = []
        for block in self.enc:
            x = block(x)
            skips.append(x)
            x = torch.max_pool2d(x, 2)
        x = self.bottom(x)
        for up, block in zip(self.up, self.dec):
            x = block(torch.cat([skips.pop(), up(x)], dim=1))
        return self.head(x)


def fold_batch_norm(model: UNet) -> UNet:
    """Folds each BatchNorm into the conv before it (eval statistics), in place, and returns the model."""
    for module in model.modules():
        if isinstance(module, Block):
            for conv_name, bn_name in (("conv1", "bn1"), ("conv2", "bn2")):
                conv: nn.Conv2d = getattr(module, conv_name)
                bn: nn.BatchNorm2d = getattr(module, bn_name)
                scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
                fused = nn.Conv2d(conv.in_channels, conv.out_channels, 3, padding=1, bias=True)
                with torch.no_grad():
                    fused.weight.copy_(conv.weight * scale.view(-1, 1, 1, 1))
                    fused.bias.copy_(bn.bias - bn.running_mean * scale)
                setattr(module, conv_name, fused)
                setattr(module, bn_name, nn.Identity())
    return model


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
