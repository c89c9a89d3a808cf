"""Heavy, batched augmentation on the CPU with torch: one random geometric warp per sample (letterbox into
the 256 x 256 frame like the runtime, then rotation, anisotropic scaling, translation, left-right flip and a
smooth elastic displacement), applied with one ``grid_sample`` to the T1 slice and its soft class maps, then
intensity changes (gamma, a smooth multiplicative bias field, blur, Rician noise, 8/12/16-bit quantisation)
and the runtime's min-max normalisation. Every draw comes from the ``torch.Generator`` passed in, so a run is
repeatable from its seed.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

SIZE = 256


def _uniform(g: torch.Generator, n: int, lo: float, hi: float) -> torch.Tensor:
    return lo + (hi - lo) * torch.rand(n, generator=g)


def _smooth_field(g: torch.Generator, n: int, channels: int, coarse: int, scale: torch.Tensor) -> torch.Tensor:
    """A smooth random field (n, channels, SIZE, SIZE): normal noise on a coarse grid, upsampled bicubically."""
    noise = torch.randn(n, channels, coarse, coarse, generator=g) * scale.view(n, 1, 1, 1)
    return F.interpolate(noise, size=(SIZE, SIZE), mode="bicubic", align_corners=False)


def sample_grid(g: torch.Generator, widths: torch.Tensor, heights: torch.Tensor, strength: float) -> torch.Tensor:
    """Sampling grids (n, SIZE, SIZE, 2) in grid_sample's normalised source coordinates."""
    n = widths.shape[0]
    side = torch.maximum(widths, heights).float()
    # Output pixel centres, in source pixels relative to the source centre, at the letterbox scale.
    c = (torch.arange(SIZE, dtype=torch.float32) + 0.5 - SIZE / 2) * 1.0
    qy, qx = torch.meshgrid(c, c, indexing="ij")
    q = torch.stack([qx, qy], dim=-1).unsqueeze(0) * (side / SIZE).view(n, 1, 1, 1)  # (n, S, S, 2)
    # Random similarity + anisotropy, applied as the inverse map output -> source.
    angle = _uniform(g, n, -20.0, 20.0) * strength * math.pi / 180
    zoom = torch.exp(_uniform(g, n, math.log(0.70), math.log(1.25)) * strength)
    aniso = torch.exp(_uniform(g, n, -0.10, 0.10) * strength)
    sx, sy = zoom * aniso, zoom / aniso
    flip = torch.where(torch.rand(n, generator=g) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(angle), torch.sin(angle)
    # source = R(-angle) diag(1/sx, 1/sy) q, x mirrored when flipped
    a11, a12 = cos / sx, sin / sy
    a21, a22 = -sin / sx, cos / sy
    x = q[..., 0] * a11.view(n, 1, 1) + q[..., 1] * a12.view(n, 1, 1)
    y = q[..., 0] * a21.view(n, 1, 1) + q[..., 1] * a22.view(n, 1, 1)
    x = x * flip.view(n, 1, 1)
    shift = (torch.rand(n, 2, generator=g) - 0.5) * 0.16 * side.view(n, 1) * strength
    x = x + shift[:, 0].view(n, 1, 1)
    y = y + shift[:, 1].view(n, 1, 1)
    # Elastic: a smooth displacement of a few source pixels, on 80% of the samples.
    amplitude = _uniform(g, n, 0.0, 3.5) * (torch.rand(n, generator=g) < 0.8).float() * strength
    disp = _smooth_field(g, n, 2, 6, amplitude)
    x = x + disp[:, 0]
    y = y + disp[:, 1]
    # Source pixel coordinates -> grid_sample normalised coordinates (align_corners=False).
    xn = 2 * (x + widths.view(n, 1, 1) / 2) / widths.view(n, 1, 1) - 1
    yn = 2 * (y + heights.view(n, 1, 1) / 2) / heights.view(n, 1, 1) - 1
    return torch.stack([xn, yn], dim=-1)


def warp(image: torch.Tensor, soft: torch.Tensor, grid: torch.Tensor) -> tuple:
    """image (n, 1, H, W), soft (n, 4, H, W) -> warped image and hard labels (n, SIZE, SIZE)."""
    img = F.grid_sample(image, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    tissue = F.grid_sample(soft[:, 1:], grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    background = (1 - tissue.sum(dim=1, keepdim=True)).clamp(min=0)
    labels = torch.cat([background, tissue], dim=1).argmax(dim=1)
    return img, labels


def intensity(g: torch.Generator, img: torch.Tensor, strength: float) -> torch.Tensor:
    n = img.shape[0]
    # Gamma (contrast), log-uniform in [0.6, 1.6].
    gamma = torch.exp(_uniform(g, n, math.log(0.6), math.log(1.6)) * strength).view(n, 1, 1, 1)
    out = img.clamp(min=0) ** gamma
    # Multiplicative bias field exp(f), f smooth with std up to 0.35.
    field = _smooth_field(g, n, 1, 4, _uniform(g, n, 0.0, 0.35) * strength)
    out = out * torch.exp(field)
    # Blur (partial-volume / lower resolution) on 30% of the samples.
    sigma = _uniform(g, n, 0.3, 1.2) * (torch.rand(n, generator=g) < 0.3).float() * strength
    if bool((sigma > 0).any()):
        radius = 3
        t = torch.arange(-radius, radius + 1, dtype=torch.float32)
        k = torch.exp(-(t.view(1, -1) ** 2) / (2 * sigma.clamp(min=1e-3).view(-1, 1) ** 2))
        k = torch.where(sigma.view(-1, 1) > 0, k, (t.view(1, -1) == 0).float())
        k = k / k.sum(dim=1, keepdim=True)
        out = F.conv2d(
            F.pad(out.transpose(0, 1), (radius, radius, 0, 0), mode="replicate"), k.view(n, 1, 1, -1), groups=n
        )
        out = F.conv2d(
            F.pad(out, (0, 0, radius, radius), mode="replicate"), k.view(n, 1, -1, 1), groups=n
        ).transpose(0, 1)
    # Rician noise (magnitude of complex Gaussian noise), sigma up to 6% of the brightest brain value.
    peak = out.amax(dim=(1, 2, 3), keepdim=True).clamp(min=1e-6)
    sigma_n = _uniform(g, n, 0.0, 0.06).view(n, 1, 1, 1) * peak * strength
    real = out + torch.randn(out.shape, generator=g) * sigma_n
    imag = torch.randn(out.shape, generator=g) * sigma_n
    out = torch.sqrt(real**2 + imag**2)
    # Quantise to 8, 12 or 16 bits, as stored files would.
    bits = torch.tensor([8.0, 12.0, 16.0])[torch.randint(0, 3, (n,), generator=g)].view(n, 1, 1, 1)
    levels = 2**bits - 1
    out = torch.round(out / out.amax(dim=(1, 2, 3), keepdim=True).clamp(min=1e-6) * levels) / levels
    return out


def min_max(img: torch.Tensor) -> torch.Tensor:
    """The runtime's normalisation over the whole frame (content and padding)."""
    lo = img.amin(dim=(1, 2, 3), keepdim=True)
    hi = img.amax(dim=(1, 2, 3), keepdim=True)
    return torch.where(hi > lo, (img - lo) / (hi - lo).clamp(min=1e-12), torch.zeros_like(img))


def augment_batch(
    g: torch.Generator, images: torch.Tensor, softs: torch.Tensor, widths: torch.Tensor, heights: torch.Tensor,
    strength: float = 1.0,
) -> tuple:
    """Source slices padded to a common (H, W) with their true sizes -> (inputs (n,1,S,S), labels (n,S,S))."""
    grid = sample_grid(g, widths, heights, strength)
    img, labels = warp(images, softs, grid)
    return min_max(intensity(g, img, strength)), labels
