"""Training data: the MNI ICBM152 2009a template that ships inside the nilearn wheel.

The wheel bundles three volumes of the symmetric 2009a template on a 1 mm grid (197 x 233 x 189 voxels,
stored as uint8 after nilearn's conversion):

- ``mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz``: the T1-weighted average, already skull-stripped
  (every voxel outside the brain is exactly 0);
- ``mni_icbm152_gm_tal_nlin_sym_09a_converted.nii.gz``: grey-matter probability x 255;
- ``mni_icbm152_wm_tal_nlin_sym_09a_converted.nii.gz``: white-matter probability x 255.

The wheel has no CSF map, so the fourth class is derived and named for what it is: inside the brain mask
(T1 > 0), ``other = 1 - p_gm - p_wm`` (clipped at 0), which is mostly CSF (ventricles, sulci) plus whatever
else the two maps leave out. Labels are the argmax of (gm, wm, other) inside the mask, background outside.

Slices are axial only. The held-out slices are two contiguous axial slabs, with a gap of untouched slices
on either side, so that no training slice is a near-copy of an evaluation slice (neighbouring 1 mm slices are
almost identical). Training on coronal or sagittal slices would leak the evaluation voxels into training
(every axial slice crosses every coronal slice), which is why the model is axial-only.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

import nibabel as nib
import nilearn
import numpy as np

CLASSES = ("background", "grey-matter", "white-matter", "csf-or-other")
TEMPLATE = "mni_icbm152_{kind}_tal_nlin_sym_09a_converted.nii.gz"

# Held-out slabs as fractions of the brain's axial extent, and the gap of unused slices around each.
HELD_OUT_SLABS = ((0.30, 0.38), (0.62, 0.70))
GAP_SLICES = 4
# Slices whose brain covers less than this fraction of the slice are not used (tips of the brain).
MIN_BRAIN_FRACTION = 0.03


def template_dir() -> str:
    return os.path.join(os.path.dirname(nilearn.__file__), "datasets", "data")


def template_path(kind: str) -> str:
    return os.path.join(template_dir(), TEMPLATE.format(kind=kind))


def sha256_file(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@dataclass(frozen=True)
class Volumes:
    """Arrays indexed [x, y, z] (RAS, 1 mm): T1 in [0, 1] and the four soft class maps summing to 1."""

    t1: np.ndarray  # float32 (X, Y, Z)
    soft: np.ndarray  # float32 (4, X, Y, Z): background, gm, wm, other
    labels: np.ndarray  # uint8 (X, Y, Z)
    sources: dict  # file name -> sha256


def load_volumes() -> Volumes:
    arrays = {}
    sources = {}
    for kind in ("t1", "gm", "wm"):
        path = template_path(kind)
        arrays[kind] = np.asanyarray(nib.load(path).dataobj).astype(np.float32) / 255.0
        sources[os.path.basename(path)] = sha256_file(path)
    t1, gm, wm = arrays["t1"], arrays["gm"], arrays["wm"]
    brain = (t1 > 0).astype(np.float32)
    other = np.clip(1.0 - gm - wm, 0.0, 1.0)
    soft = np.stack([1.0 - brain, gm * brain, wm * brain, other * brain]).astype(np.float32)
    # Hard labels: argmax of (gm, wm, other) inside the brain, ties to the lower index; background outside.
    inside = np.argmax(np.stack([gm, wm, other]), axis=0).astype(np.uint8) + 1
    labels = np.where(brain > 0, inside, 0).astype(np.uint8)
    return Volumes(t1=t1, soft=soft, labels=labels, sources=sources)


def axial_slice(volume: np.ndarray, z: int) -> np.ndarray:
    """An axial slice as an image: rows from anterior (top) to posterior, columns from the subject's right
    to left (radiological display), the way a viewer shows it."""
    return np.ascontiguousarray(np.rot90(volume[..., z]))


@dataclass(frozen=True)
class Split:
    train: tuple
    held_out: tuple
    gap: tuple


def split_slices(labels: np.ndarray) -> Split:
    """Axial indices for training, evaluation and the unused gaps between them."""
    z_count = labels.shape[2]
    fraction = np.array([(labels[..., z] > 0).mean() for z in range(z_count)])
    usable = [z for z in range(z_count) if fraction[z] >= MIN_BRAIN_FRACTION]
    lo, hi = usable[0], usable[-1]
    extent = hi - lo + 1
    held, gap = set(), set()
    for a, b in HELD_OUT_SLABS:
        z0, z1 = lo + int(round(a * extent)), lo + int(round(b * extent))
        held.update(range(z0, z1))
        gap.update(range(z0 - GAP_SLICES, z0))
        gap.update(range(z1, z1 + GAP_SLICES))
    train = tuple(z for z in usable if z not in held and z not in gap)
    return Split(train=train, held_out=tuple(sorted(held)), gap=tuple(sorted(gap)))
