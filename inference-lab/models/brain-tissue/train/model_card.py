"""model.json (the manifest the runtime and the model registry read) and MODEL_CARD.md, from one run.

``python model_card.py ../1.0.0`` re-renders a version's MODEL_CARD.md from its model.json (no retraining).
"""
from __future__ import annotations

import json
import os
import sys

import data

LICENCE = "Model Apache-2.0; training data MNI ICBM152 2009a template, (c) 1993-2004 Louis Collins, MNI, McGill (permissive)"
DESCRIPTION = (
    "2D slice-wise U-Net that labels each pixel of an axial T1-weighted brain MRI slice as background, grey "
    "matter, white matter or CSF-or-other. Trained only on the MNI ICBM152 2009a symmetric template (one "
    "average, skull-stripped brain) with heavy augmentation. Research and demonstration only: not for clinical use."
)
# The MNI notice, as distributed with the ICBM 2009 templates (nilearn's own dataset page says "License:
# unknown"; the notice below is the one the MNI attaches to the template files).
MNI_NOTICE = (
    "Copyright (C) 1993-2004 Louis Collins, McConnell Brain Imaging Centre, Montreal Neurological Institute, "
    "McGill University. Permission to use, copy, modify, and distribute this software and its documentation "
    "for any purpose and without fee is hereby granted, provided that the above copyright notice appear in all "
    "copies. The authors and McGill University make no representations about the suitability of this software "
    "for any purpose. It is provided \"as is\" without express or implied warranty. The authors are not "
    "responsible for any data loss, equipment damage, property loss, or injury to subjects or patients "
    "resulting from the use or misuse of the software package."
)
SCORE_NAMES = ["tissue-fraction.grey-matter", "tissue-fraction.white-matter", "tissue-fraction.csf-or-other",
               "confidence.mean"]
PREPROCESS = {
    "algorithm": "letterbox-bilinear-minmax/v1",
    "size": 256,
    "grey": "channel-0-or-bt601-luma",
    "normalisation": {"mode": "min-max", "min": 0, "max": 1},
    "resize": {"fit": "letterbox", "kernel": "bilinear", "centres": "half-pixel", "antialias": False, "pad": 0},
}
POSTPROCESS = {
    "algorithm": "argmax-tissue-fractions/v1",
    "mask": "argmax over the class axis of the logits (NCHW), lowest class index wins an exact tie; uint8 row-major",
    "scores": SCORE_NAMES,
    "quantisation": "protocol v1: class map as uint8; scores e4 = roundHalfEven(x * 10000)",
}


def manifest(version, sha, size, opset, input_name, output_name, training, metrics) -> dict:
    assert len(LICENCE) <= 128 and len(DESCRIPTION) <= 1024
    return {
        "modelId": "brain-tissue",
        "version": version,
        "onnxSha256": sha,
        "input": {"width": 256, "height": 256, "channels": 1, "normalisation": {"mode": "min-max"}},
        "output": {"kind": "mask", "classes": list(data.CLASSES)},
        "licence": LICENCE,
        "description": DESCRIPTION,
        "onnx": {
            "file": "model.onnx",
            "sizeBytes": size,
            "opset": opset,
            "input": {"name": input_name, "shape": [1, 1, 256, 256], "type": "float32"},
            "output": {"name": output_name, "shape": [1, 4, 256, 256], "type": "float32"},
        },
        "preprocess": PREPROCESS,
        "postprocess": POSTPROCESS,
        "training": training,
        "evaluation": metrics,
    }


def _table(metrics: dict) -> str:
    rows = ["| class | Dice, clean (pooled) | mean per-slice Dice, clean | Dice, augmented (pooled) | mean per-slice Dice, augmented |",
            "|---|---|---|---|---|"]
    for name in data.CLASSES:
        c, a = metrics["clean"][name], metrics["augmented"][name]
        rows.append(f"| {name} | {c['dice']:.4f} | {c['meanSliceDice']:.4f} | {a['dice']:.4f} | {a['meanSliceDice']:.4f} |")
    return "\n".join(rows)


def _ranges(values: list) -> str:
    """[52, 53, 54, 60] -> '52-54, 60'."""
    out, start = [], None
    for i, v in enumerate(values):
        if start is None:
            start = v
        if i + 1 == len(values) or values[i + 1] != v + 1:
            out.append(f"{start}-{v}" if v != start else f"{v}")
            start = None
    return ", ".join(out)


def card(m: dict) -> str:
    t, e = m["training"], m["evaluation"]
    held = t["heldOutAxialSlices"]
    return f"""# Model card: brain-tissue {m['version']}

**Not for clinical use.** A small demonstration model for Veriscan's verifiable-inference pipeline. It has
never been validated on patient scans and must not inform any diagnosis or treatment.

| | |
|---|---|
| id / version | `{m['modelId']}` / `{m['version']}` |
| file | `model.onnx`, {m['onnx']['sizeBytes']} bytes, opset {m['onnx']['opset']} |
| SHA-256 | `{m['onnxSha256']}` |
| architecture | 2D U-Net, 4 levels, base width {t['width']}, {t['parameters']} parameters, batch norm folded into the convolutions |
| input | `{m['onnx']['input']['name']}` float32 1x1x256x256: one axial slice, preprocessed as below |
| output | `{m['onnx']['output']['name']}` float32 1x4x256x256: logits for {', '.join(m['output']['classes'])} |
| training data licence | {m['licence']} |

## Intended use
Segmenting one axial, T1-weighted, skull-stripped brain MRI slice into four tissue classes, as the default
model of a Veriscan lab, so that the system has a real model whose runs can be traced, verified and benchmarked.

## Data
The MNI ICBM152 2009a nonlinear symmetric template as bundled in the nilearn wheel (`nilearn/datasets/data/`):
the T1 average and the grey- and white-matter probability maps, 1 mm isotropic, 197 x 233 x 189 voxels.
The wheel has no CSF map, so the fourth class is derived: inside the brain mask (T1 > 0; the template is
skull-stripped) `csf-or-other = 1 - p(gm) - p(wm)`, mostly ventricles and sulcal CSF, plus whatever else the
two maps leave out. Each pixel's label is the argmax of (gm, wm, csf-or-other) inside the mask, background
outside. This is one average brain: every "held-out" figure below comes from the same (average) subject.

Source files and their SHA-256:
{chr(10).join(f'- `{k}`: `{v}`' for k, v in t['data'].items())}

Licence of the template (nilearn's dataset page says "License: unknown"; this is the notice the MNI
distributes with the ICBM 2009 templates):

> {MNI_NOTICE}

## Training
Axial slices only, {t['trainSlices']} of them. Two contiguous axial slabs ({len(held)} slices: z = {_ranges(held)}) are
held out for evaluation, with {data.GAP_SLICES} unused slices on each side of each slab (z = {_ranges(t['gapSlices'])}), so that no
training slice is a 1 mm neighbour of an evaluation slice. Coronal and sagittal slices are not used, because
they cross every held-out axial slice.

Heavy augmentation, drawn per sample: letterbox into 256 x 256, rotation +-20 degrees, zoom 0.70-1.25,
anisotropy +-10 %, shift +-8 %, left-right flip, smooth elastic displacement (up to 3.5 px), gamma 0.6-1.6,
smooth multiplicative bias field, blur (sigma 0.3-1.2 px on 30 %), Rician noise up to 6 % of the peak, 8/12/16-bit
quantisation, then the runtime's min-max normalisation. Random 128 x 128 crops of the 256 x 256 frames,
batch {t['batch']}, {t['steps']} steps, AdamW with a one-cycle schedule (max LR {t['maxLearningRate']}), loss = cross-entropy + soft
Dice. Seed {t['seed']}, {t['threads']} CPU threads, torch {t['torch']}, {t['seconds']} s of training; final loss {t['finalLoss']}.

Rebuild: `python train.py --version {m['version']}` in `inference-lab/models/brain-tissue/train/` (see its README).

## Preprocessing (what the runtime does; algorithm `{m['preprocess']['algorithm']}`)
1. grey value: channel 0 for grey (or grey + alpha) images, BT.601 luma (0.299 R + 0.587 G + 0.114 B) for RGB(A);
2. min-max normalisation over the whole image to [0, 1] (all 0 when the image is constant);
3. letterbox: scale the longest side to 256, keep the aspect ratio, centre, pad with 0;
4. bilinear resampling with half-pixel centres, no antialiasing (downscaling by more than 2x aliases);
5. float32, NCHW 1x1x256x256.

## Output and quantisation
The class map is the argmax over the logits (lowest index wins a tie), uint8, 256 x 256, in the letterboxed
frame (not in the scan's own geometry). The scores are, in order: {', '.join(m['postprocess']['scores'])}: the share of each
tissue class among the non-background pixels, and the mean over all pixels of the winning class's softmax
probability. Both are quantised as protocol v1 says (`{m['postprocess']['quantisation']}`).

## Evaluation (measured by `train.py` on the exported ONNX file with onnxruntime {t['onnxruntime']} for Python)
Dice per class on the {e['heldOutSlices']} held-out axial slices, in the model's 256 x 256 frame. *Clean*: each slice as an 8-bit
image through the exact runtime preprocessing, labels resampled into the same frame. *Augmented*: the same
slices under {e['augmented']['copiesPerSlice']} random draws each of the training augmentation (fixed seed). *Pooled* Dice counts all
pixels of all slices together; the per-slice mean weights every slice equally (small brain sections pull it down).

{_table(e)}

## Limits
- One training subject (an average template): real scans have anatomy, pathology, noise, artefacts and
  contrast the template does not show. Expect much lower Dice on real data; nothing here measures it.
- Trained on skull-stripped T1-weighted axial slices only: skull, scalp, eyes, neck, T2/FLAIR contrast,
  coronal or sagittal slices are out of distribution; non-brain tissue (skull, scalp) has no class of its own
  and will be labelled as something else, most likely `csf-or-other` or grey matter.
- `csf-or-other` is derived, not a CSF map (see Data).
- The mask is in the 256 x 256 letterboxed frame; min-max normalisation is sensitive to single bright outliers.
- Not for clinical use.
"""


if __name__ == "__main__":
    folder = sys.argv[1]
    with open(os.path.join(folder, "model.json"), encoding="utf-8") as f:
        manifest_doc = json.load(f)
    with open(os.path.join(folder, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(card(manifest_doc))
    print(f"wrote {folder}/MODEL_CARD.md")
