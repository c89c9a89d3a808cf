"""The runtime's preprocessing, re-implemented in NumPy (float64) so that evaluation sees exactly what the
TypeScript runtime (inference-lab/src/runtime/preprocess.ts) feeds the model. The arithmetic is written in the
same order as the TypeScript code, so both produce the same float32 tensor bit for bit on IEEE 754 machines.

Algorithm ``letterbox-bilinear-minmax/v1``:
1. grey: channel 0 for 1 or 2 channels (alpha ignored); BT.601 luma 0.299 R + 0.587 G + 0.114 B for 3 or 4;
2. min-max: v = (g - min) / (max - min) over the whole image, 0 everywhere when max = min;
3. letterbox into 256 x 256: scale s = 256 / max(w, h), content size nw = max(1, round(w s)),
   nh = max(1, round(h s)) (round half away from zero), offset ox = floor((256 - nw) / 2), oy likewise;
   padding is 0;
4. bilinear resampling with half-pixel centres (as align_corners=False): for a content pixel (i, j),
   sx = (i + 0.5) w / nw - 0.5 clamped to [0, w - 1], sy likewise; no antialiasing;
5. rounded to float32.
"""
from __future__ import annotations

import math

import numpy as np

SIZE = 256


def grey(samples: np.ndarray) -> np.ndarray:
    """(H, W) or (H, W, C) samples -> float64 (H, W)."""
    a = samples.astype(np.float64)
    if a.ndim == 2:
        return a
    if a.shape[2] <= 2:
        return a[..., 0]
    return 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]


def round_half_away(x: float) -> int:
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def geometry(width: int, height: int) -> tuple:
    s = SIZE / max(width, height)
    nw = max(1, round_half_away(width * s))
    nh = max(1, round_half_away(height * s))
    return nw, nh, (SIZE - nw) // 2, (SIZE - nh) // 2


def axis_taps(n_src: int, n_dst: int) -> tuple:
    i = np.arange(n_dst, dtype=np.float64)
    s = (i + 0.5) * (n_src / n_dst) - 0.5
    s = np.clip(s, 0.0, n_src - 1)
    i0 = np.floor(s).astype(np.int64)
    i1 = np.minimum(i0 + 1, n_src - 1)
    f = s - i0
    return i0, i1, f


def preprocess(samples: np.ndarray) -> np.ndarray:
    """Samples (H, W[, C]) -> float32 (1, 1, 256, 256)."""
    g = grey(samples)
    height, width = g.shape
    lo, hi = g.min(), g.max()
    v = (g - lo) / (hi - lo) if hi > lo else np.zeros_like(g)
    nw, nh, ox, oy = geometry(width, height)
    x0, x1, fx = axis_taps(width, nw)
    y0, y1, fy = axis_taps(height, nh)
    top = v[y0][:, x0] * (1 - fx) + v[y0][:, x1] * fx
    bottom = v[y1][:, x0] * (1 - fx) + v[y1][:, x1] * fx
    content = top * (1 - fy)[:, None] + bottom * fy[:, None]
    out = np.zeros((SIZE, SIZE), dtype=np.float64)
    out[oy : oy + nh, ox : ox + nw] = content
    return out.astype(np.float32)[None, None]


def resample_soft(soft: np.ndarray) -> np.ndarray:
    """Class maps (K, H, W) through the same letterbox geometry (bilinear), background 1 in the padding.
    Used to put evaluation labels in the model's 256 x 256 frame."""
    k, height, width = soft.shape
    nw, nh, ox, oy = geometry(width, height)
    x0, x1, fx = axis_taps(width, nw)
    y0, y1, fy = axis_taps(height, nh)
    out = np.zeros((k, SIZE, SIZE), dtype=np.float64)
    out[0] = 1.0
    for c in range(k):
        v = soft[c].astype(np.float64)
        top = v[y0][:, x0] * (1 - fx) + v[y0][:, x1] * fx
        bottom = v[y1][:, x0] * (1 - fx) + v[y1][:, x1] * fx
        out[c, oy : oy + nh, ox : ox + nw] = top * (1 - fy)[:, None] + bottom * fy[:, None]
    return out
