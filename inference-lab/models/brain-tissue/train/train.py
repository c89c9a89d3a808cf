"""Builds one version of the brain-tissue model from scratch: data, training, ONNX export, evaluation on the
held-out slices, model.json and MODEL_CARD.md. One command per version:

    python train.py --version 1.0.0
    python train.py --version 1.1.0

writes inference-lab/models/brain-tissue/<version>/{model.onnx, model.json, MODEL_CARD.md}. Everything random
comes from the preset's seed; with the pinned requirements and the same thread count the run repeats bit for
bit on the same machine (checked with --steps 20 twice, see README.md). Checkpoints are not kept.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import os
import platform
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn.functional as F

import augment
import data
import model_card
import preprocess
from unet import UNet, fold_batch_norm, parameter_count

HERE = os.path.dirname(os.path.abspath(__file__))

# Each version is a preset, so that `--version` alone rebuilds it.
PRESETS = {
    "1.0.0": {"width": 8, "steps": 400, "batch": 16, "crop": 128, "lr": 3e-3, "seed": 1_000},
    "1.1.0": {"width": 12, "steps": 450, "batch": 16, "crop": 128, "lr": 3e-3, "seed": 1_100},
}
OPSET = 18
INPUT_NAME, OUTPUT_NAME = "image", "logits"
EVAL_AUGMENTED_COPIES = 8
EVAL_SEED = 424242


def log(msg: str) -> None:
    print(msg, flush=True)


def training_tensors(volumes: data.Volumes, zs: tuple) -> tuple:
    images = np.stack([data.axial_slice(volumes.t1, z) for z in zs])[:, None]
    softs = np.stack([np.stack([data.axial_slice(volumes.soft[c], z) for c in range(4)]) for z in zs])
    return torch.from_numpy(images.copy()), torch.from_numpy(softs.copy())


def dice_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    probs = torch.softmax(logits, dim=1)[:, 1:]
    onehot = F.one_hot(labels, 4).permute(0, 3, 1, 2).float()[:, 1:]
    inter = (probs * onehot).sum(dim=(0, 2, 3))
    total = probs.sum(dim=(0, 2, 3)) + onehot.sum(dim=(0, 2, 3))
    return 1 - ((2 * inter + 1) / (total + 1)).mean()


def train(preset: dict, steps: int, threads: int) -> tuple:
    torch.manual_seed(preset["seed"])
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(preset["seed"])
    volumes = data.load_volumes()
    split = data.split_slices(volumes.labels)
    images, softs = training_tensors(volumes, split.train)
    n, _, height, width = images.shape
    widths, heights = torch.full((preset["batch"],), width), torch.full((preset["batch"],), height)
    model = UNet(preset["width"])
    opt = torch.optim.AdamW(model.parameters(), lr=preset["lr"], weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=preset["lr"], total_steps=steps, pct_start=0.1)
    crop = preset["crop"]
    started = time.time()
    history = []
    model.train()
    for step in range(steps):
        idx = torch.randint(0, n, (preset["batch"],), generator=g)
        x, y = augment.augment_batch(g, images[idx], softs[idx], widths, heights)
        oy, ox = (int(v) for v in torch.randint(0, augment.SIZE - crop + 1, (2,), generator=g))
        x, y = x[:, :, oy : oy + crop, ox : ox + crop], y[:, oy : oy + crop, ox : ox + crop]
        logits = model(x)
        loss = F.cross_entropy(logits, y) + dice_loss(logits, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        history.append(float(loss.detach()))
        if step % 25 == 0 or step == steps - 1:
            recent = sum(history[-25:]) / len(history[-25:])
            log(f"step {step:4d}/{steps}  loss {recent:.4f}  {time.time() - started:6.1f}s")
    model.eval()
    return model, volumes, split, time.time() - started, history


def export_onnx(model: UNet, path: str) -> bytes:
    fold_batch_norm(model)
    example = torch.zeros(1, 1, augment.SIZE, augment.SIZE)
    buffer = io.BytesIO()
    torch.onnx.export(
        model, (example,), buffer, opset_version=OPSET, input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
        dynamo=False, do_constant_folding=True,
    )
    proto = onnx.load_from_string(buffer.getvalue())
    # Strip what would make the bytes depend on the machine or the exporter's call stack.
    proto.producer_name, proto.producer_version, proto.doc_string = "veriscan-brain-tissue-train", "1", ""
    proto.graph.doc_string = ""
    for node in proto.graph.node:
        node.doc_string = ""
    del proto.metadata_props[:]
    onnx.checker.check_model(proto, full_check=True)
    raw = proto.SerializeToString(deterministic=True)
    with open(path, "wb") as f:
        f.write(raw)
    return raw


def dice_counts(pred: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Per class (intersection, |pred|, |truth|)."""
    return np.array([[((pred == c) & (truth == c)).sum(), (pred == c).sum(), (truth == c).sum()] for c in range(4)])


def summarise(counts: np.ndarray, per_slice: list) -> dict:
    out = {}
    for c, name in enumerate(data.CLASSES):
        inter, p, t = counts[c]
        slices = [s[c] for s in per_slice if not math.isnan(s[c])]
        out[name] = {
            "dice": round(float(2 * inter / (p + t)) if p + t else float("nan"), 4),
            "meanSliceDice": round(float(np.mean(slices)), 4) if slices else None,
        }
    return out


def slice_dice(counts: np.ndarray) -> list:
    return [float(2 * i / (p + t)) if p + t else float("nan") for i, p, t in counts]


def evaluate(onnx_bytes: bytes, volumes: data.Volumes, split: data.Split, threads: int) -> dict:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads, opts.inter_op_num_threads = threads, 1
    session = ort.InferenceSession(onnx_bytes, opts, providers=["CPUExecutionProvider"])

    def run(x: np.ndarray) -> np.ndarray:
        return session.run([OUTPUT_NAME], {INPUT_NAME: x})[0].argmax(axis=1)

    # Clean held-out slices, through the runtime's exact preprocessing (uint8 samples, as the PNG fixtures).
    clean_total, clean_slices = np.zeros((4, 3), dtype=np.int64), []
    for z in split.held_out:
        samples = np.round(data.axial_slice(volumes.t1, z) * 255).astype(np.uint8)
        truth = preprocess.resample_soft(np.stack([data.axial_slice(volumes.soft[c], z) for c in range(4)]))
        truth = truth.argmax(axis=0)
        pred = run(preprocess.preprocess(samples))[0]
        counts = dice_counts(pred, truth)
        clean_total += counts
        clean_slices.append(slice_dice(counts))
    # The same slices under random augmentation (geometry, bias field, noise...), fixed seed.
    g = torch.Generator().manual_seed(EVAL_SEED)
    images, softs = training_tensors(volumes, split.held_out)
    n, _, height, width = images.shape
    aug_total, aug_slices = np.zeros((4, 3), dtype=np.int64), []
    for _ in range(EVAL_AUGMENTED_COPIES):
        x, y = augment.augment_batch(g, images, softs, torch.full((n,), width), torch.full((n,), height))
        for i in range(n):
            pred = run(x[i : i + 1].numpy())[0]
            counts = dice_counts(pred, y[i].numpy())
            aug_total += counts
            aug_slices.append(slice_dice(counts))
    return {
        "heldOutSlices": len(split.held_out),
        "clean": summarise(clean_total, clean_slices),
        "augmented": {"copiesPerSlice": EVAL_AUGMENTED_COPIES, **summarise(aug_total, aug_slices)},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", required=True, choices=sorted(PRESETS))
    parser.add_argument("--steps", type=int, help="override the preset's step count (quick checks only)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", help="output folder (default: ../<version>)")
    args = parser.parse_args()
    preset = PRESETS[args.version]
    steps = args.steps or preset["steps"]
    out = args.out or os.path.join(HERE, "..", args.version)
    os.makedirs(out, exist_ok=True)
    log(f"brain-tissue {args.version}: width {preset['width']}, {steps} steps, seed {preset['seed']}, "
        f"torch {torch.__version__}, {args.threads} threads")
    model, volumes, split, seconds, history = train(preset, steps, args.threads)
    params = parameter_count(model)
    onnx_path = os.path.join(out, "model.onnx")
    raw = export_onnx(model, onnx_path)
    sha = hashlib.sha256(raw).hexdigest()
    log(f"exported {onnx_path}: {len(raw)} bytes, sha256 {sha}")
    metrics = evaluate(raw, volumes, split, args.threads)
    log(json.dumps(metrics, indent=2))
    training = {
        "seed": preset["seed"], "width": preset["width"], "parameters": params, "steps": steps,
        "batch": preset["batch"], "crop": preset["crop"], "maxLearningRate": preset["lr"],
        "finalLoss": round(sum(history[-25:]) / len(history[-25:]), 4), "seconds": round(seconds),
        "threads": args.threads, "torch": torch.__version__, "onnxruntime": ort.__version__,
        "python": platform.python_version(), "trainSlices": len(split.train),
        "heldOutAxialSlices": list(split.held_out), "gapSlices": list(split.gap), "data": volumes.sources,
    }
    manifest = model_card.manifest(args.version, sha, len(raw), OPSET, INPUT_NAME, OUTPUT_NAME, training, metrics)
    with open(os.path.join(out, "model.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(manifest, indent=2) + "\n")
    with open(os.path.join(out, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
        f.write(model_card.card(manifest))
    log(f"wrote {out}/model.json and MODEL_CARD.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
