#!/usr/bin/env python3
"""Independent check of the Veriscan protocol test vectors, written from docs/pixel-trace.md with nothing but
the Python standard library (hashlib, struct, json). It shares no code with the TypeScript package, so when
both agree with test/vectors/*.json the spec, the vectors and the code agree.

Usage: python3 test/vectors/crosscheck.py          check every vector; exit 1 on any mismatch
       python3 test/vectors/crosscheck.py --fill   recompute the "expect" fields of the Veriscan vector files
                                                   (never the RFC files, whose values come from the RFCs)
"""
import hashlib
import json
import math
import struct
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
VERSION = 2


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def tagged(tag: str, *parts: bytes) -> bytes:
    return sha256(tag.encode("ascii") + b"\x00" + b"".join(parts))


# ---------------------------------------------------------------- RFC 8785 (JCS)

def es_number(value: float) -> str:
    """ECMA-262 Number::toString, from Python's shortest round-trip digits (repr)."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError("JSON has no NaN or Infinity")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    trailing = len(digit_tuple) - len("".join(map(str, digit_tuple)).rstrip("0"))
    k = len(digits)
    n = exponent + trailing + k  # value = 0.digits * 10^n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
        text = mantissa + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + text


def es_string(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            raise ValueError("lone surrogate")
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\f\n\r\t":
            out.append({"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif code < 0x20:
            out.append("\\u%04x" % code)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def jcs(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value) if abs(value) < 2**53 else es_number(float(value))
    if isinstance(value, float):
        return es_number(value)
    if isinstance(value, str):
        return es_string(value)
    if isinstance(value, list):
        return "[" + ",".join(jcs(v) for v in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))  # UTF-16 code unit order
        return "{" + ",".join(es_string(k) + ":" + jcs(value[k]) for k in keys) + "}"
    raise TypeError(type(value))


def jcs_bytes(value) -> bytes:
    return jcs(value).encode("utf-8")


# ---------------------------------------------------------------- RFC 6962 Merkle trees (recursive, as written)

def split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves) -> bytes:
    n = len(leaves)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return sha256(b"\x00" + leaves[0])
    k = split(n)
    return sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def path(m: int, leaves):
    n = len(leaves)
    if n <= 1:
        return []
    k = split(n)
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m: int, leaves, complete: bool):
    n = len(leaves)
    if m == n:
        return [] if complete else [mth(leaves)]
    k = split(n)
    if m <= k:
        return subproof(m, leaves[:k], complete) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def consistency(m: int, leaves):
    return [] if m in (0, len(leaves)) else subproof(m, leaves, True)


# ---------------------------------------------------------------- Veriscan layouts (tags name the version that defined them)

def image_samples(image):
    count = image["width"] * image["height"] * image["channels"]
    if "samples" in image:
        samples = image["samples"]
    else:
        g = image["generator"]
        samples = [(i * g["multiplier"] + g["increment"]) % (1 << image["bitDepth"]) for i in range(count)]
    assert len(samples) == count
    return samples


def canonical_samples(image) -> bytes:
    samples = image_samples(image)
    fmt = "B" if image["bitDepth"] == 8 else "H"
    return struct.pack(">%d%s" % (len(samples), fmt), *samples)


def pixel_header(w, h, c, d) -> bytes:
    return struct.pack(">IIBB", w, h, c, d)


def hash_pixels(image) -> bytes:
    header = pixel_header(image["width"], image["height"], image["channels"], image["bitDepth"])
    return tagged("veriscan/pixels/v1", header, canonical_samples(image))


def tile_digests(image, tile_size):
    w, h, c, d = image["width"], image["height"], image["channels"], image["bitDepth"]
    data = canonical_samples(image)
    pixel_bytes = c * (d // 8)
    digests = []
    for ty in range(0, h, tile_size):
        for tx in range(0, w, tile_size):
            tw, th = min(tile_size, w - tx), min(tile_size, h - ty)
            rows = b"".join(
                data[((ty + r) * w + tx) * pixel_bytes:((ty + r) * w + tx + tw) * pixel_bytes] for r in range(th)
            )
            digests.append(tagged("veriscan/tile/v1", struct.pack(">II", tx, ty), pixel_header(tw, th, c, d), rows))
    return digests


def tile_root(image, tile_size) -> bytes:
    header = pixel_header(image["width"], image["height"], image["channels"], image["bitDepth"])
    return tagged("veriscan/tile-root/v1", header, struct.pack(">I", tile_size), mth(tile_digests(image, tile_size)))


def commit(tag, salt_hex, hash_hex) -> bytes:
    return tagged(tag, bytes.fromhex(salt_hex), bytes.fromhex(hash_hex))


def hash_tensor(tensor) -> bytes:
    shape = tensor["shape"]
    data = bytes.fromhex(tensor["dataHex"])
    assert len(data) == 4 * math.prod(shape)
    return tagged("veriscan/tensor/v1", struct.pack(">B", len(shape)), struct.pack(">%dI" % len(shape), *shape), data)


def hash_output(output) -> bytes:
    mask = output["mask"]
    parts = [struct.pack(">B", 0 if mask is None else 1)]
    if mask is not None:
        parts.append(struct.pack(">IIH", mask["width"], mask["height"], mask["classes"]) + bytes(mask["data"]))
    scores = output["scoresE4"]
    parts.append(struct.pack(">I", len(scores)) + struct.pack(">%di" % len(scores), *scores))
    return tagged("veriscan/output/v1", *parts)


def quantize(value: float) -> int:
    return round(value * 10000)  # Python rounds floats half to even, exactly


def score_input(case) -> float:
    if "float32Hex" in case:
        return struct.unpack(">f", bytes.fromhex(case["float32Hex"]))[0]
    return float(case["value"])


def argmax(case):
    classes, w, h, layout = case["classes"], case["width"], case["height"], case["layout"]
    logits = case["logits"]
    out = []
    for p in range(w * h):
        values = [logits[c * w * h + p] if layout == "chw" else logits[p * classes + c] for c in range(classes)]
        out.append(values.index(max(values)))  # index() returns the first, i.e. lowest, class on a tie
    return out


def build_trace(inp, images):
    image = images[inp["image"]]
    tile_size = inp["tileSize"]
    mask = inp["output"]["mask"]
    return {
        "version": VERSION,
        "pixels": {
            "width": image["width"],
            "height": image["height"],
            "channels": image["channels"],
            "bitDepth": image["bitDepth"],
            "tileSize": tile_size,
            "scanCommitment": commit("veriscan/commit/scan/v1", inp["salt"], hash_pixels(image).hex()).hex(),
            "tileRootCommitment": commit("veriscan/commit/tile-root/v1", inp["salt"], tile_root(image, tile_size).hex()).hex(),
        },
        "preprocess": {
            "params": inp["preprocess"]["params"],
            "tensorShape": inp["preprocess"]["tensor"]["shape"],
            "tensorCommitment": commit("veriscan/commit/tensor/v2", inp["salt"], hash_tensor(inp["preprocess"]["tensor"]).hex()).hex(),
        },
        "model": dict(inp["model"]),
        "output": {
            "mask": None if mask is None else {"width": mask["width"], "height": mask["height"], "classes": mask["classes"]},
            "scoreCount": len(inp["output"]["scoresE4"]),
            "outputCommitment": commit("veriscan/commit/output/v1", inp["salt"], hash_output(inp["output"]).hex()).hex(),
        },
        "profile": dict(inp["profile"]),
    }


def receipt_hash(receipt) -> bytes:
    return tagged("veriscan/receipt/v1", jcs_bytes(receipt))


def batch_leaf(lab, sequence, root_hex, count) -> bytes:
    core = {"version": VERSION, "lab": lab, "sequence": sequence, "root": root_hex, "count": count}
    return tagged("veriscan/batch/v1", jcs_bytes(core))


def hexes(items):
    return [x.hex() for x in items]


# ---------------------------------------------------------------- the checks

class Checker:
    def __init__(self, fill: bool):
        self.fill = fill
        self.failures = 0
        self.checked = 0

    def eq(self, where: str, expected, actual):
        self.checked += 1
        if expected != actual:
            self.failures += 1
            print("MISMATCH %s\n  vector: %r\n  python: %r" % (where, expected, actual))

    def put(self, holder: dict, key: str, actual, where: str):
        if self.fill:
            holder[key] = actual
        else:
            self.eq(where, holder.get(key), actual)


def load(name):
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def save(name, data):
    (HERE / name).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def check_rfc6962(c: Checker):
    v = load("rfc6962.json")
    leaves = [bytes.fromhex(x) for x in v["leaves"]]
    for size, expected in enumerate(v["roots"]):
        c.eq("rfc6962 root(%d)" % size, expected, mth(leaves[:size]).hex())
    for p in v["inclusion"]:
        c.eq("rfc6962 inclusion %d/%d" % (p["index"], p["size"]), p["path"], hexes(path(p["index"], leaves[: p["size"]])))
    for p in v["consistency"]:
        c.eq("rfc6962 consistency %d->%d" % (p["old"], p["new"]), p["proof"], hexes(consistency(p["old"], leaves[: p["new"]])))


def check_rfc8785(c: Checker):
    v = load("rfc8785.json")
    for case in v["documents"]:
        c.eq("rfc8785 " + case["name"], case["canonical"], jcs(json.loads(case["input"])))
        if "utf8Hex" in case:
            c.eq("rfc8785 bytes " + case["name"], case["utf8Hex"], jcs(json.loads(case["input"])).encode("utf-8").hex())
    for case in v["numbers"]:
        value = struct.unpack(">d", bytes.fromhex(case["bits"]))[0]
        if case["canonical"] is None:
            c.eq("rfc8785 number " + case["bits"], "error", "error" if not math.isfinite(value) else es_number(value))
        else:
            c.eq("rfc8785 number " + case["bits"], case["canonical"], es_number(value))


def check_pixels(c: Checker):
    v = load("pixels.json")
    for case in v["images"]:
        image, e = case["image"], case["expect"]
        c.put(e, "pixelsHash", hash_pixels(image).hex(), case["name"] + " pixelsHash")
        c.put(e, "tileRoot", tile_root(image, case["tileSize"]).hex(), case["name"] + " tileRoot")
        digests = tile_digests(image, case["tileSize"])
        c.put(e, "tileCount", len(digests), case["name"] + " tileCount")
        for proof in e["tileProofs"]:
            c.put(proof, "path", hexes(path(proof["index"], digests)), "%s tile %d" % (case["name"], proof["index"]))
    if c.fill:
        save("pixels.json", v)
    return {case["name"]: case["image"] for case in v["images"]}


def check_commitments(c: Checker):
    v = load("commitments.json")
    for i, case in enumerate(v["cases"]):
        e = case["expect"]
        c.put(e, "scan", commit("veriscan/commit/scan/v1", case["salt"], case["hash"]).hex(), "commitment %d scan" % i)
        c.put(e, "tileRoot", commit("veriscan/commit/tile-root/v1", case["salt"], case["hash"]).hex(), "commitment %d tileRoot" % i)
        c.put(e, "output", commit("veriscan/commit/output/v1", case["salt"], case["hash"]).hex(), "commitment %d output" % i)
        c.put(e, "tensor", commit("veriscan/commit/tensor/v2", case["salt"], case["hash"]).hex(), "commitment %d tensor" % i)
    if c.fill:
        save("commitments.json", v)


def check_quantisation(c: Checker):
    v = load("quantisation.json")
    for case in v["scores"]:
        c.put(case, "e4", quantize(score_input(case)), "score %r" % case)
    for case in v["argmax"]:
        c.put(case, "mask", argmax(case), "argmax " + case["name"])
    for case in v["tensors"]:
        c.put(case, "hash", hash_tensor(case).hex(), "tensor " + case["name"])
    for case in v["outputs"]:
        c.put(case, "hash", hash_output(case["output"]).hex(), "output " + case["name"])
    if c.fill:
        save("quantisation.json", v)


def check_trace(c: Checker, images):
    v = load("trace.json")
    for case in v["cases"]:
        trace = build_trace(case["input"], images)
        c.put(case["expect"], "canonical", jcs(trace), case["name"] + " canonical")
        c.put(case["expect"], "traceHash", tagged("veriscan/trace/v2", jcs_bytes(trace)).hex(), case["name"] + " traceHash")
    if c.fill:
        save("trace.json", v)


def check_receipts(c: Checker):
    v = load("receipts.json")
    receipts = v["receipts"]
    hashes = [receipt_hash(r) for r in receipts]
    c.put(v["expect"], "receiptHashes", hexes(hashes), "receipt hashes")
    log_leaves = []
    for b in v["batches"]:
        e = b["expect"]
        leaves = hashes[b["from"]: b["to"]]
        root = mth(leaves)
        c.put(e, "root", root.hex(), "batch %d root" % b["sequence"])
        c.put(e, "proofs", [hexes(path(i, leaves)) for i in range(len(leaves))], "batch %d proofs" % b["sequence"])
        leaf = batch_leaf(v["lab"], b["sequence"], root.hex(), len(leaves))
        c.put(e, "batchLeaf", leaf.hex(), "batch %d leaf" % b["sequence"])
        previous = len(log_leaves)
        log_leaves.append(leaf)
        c.put(e, "log", {"size": len(log_leaves), "root": mth(log_leaves).hex()}, "batch %d checkpoint" % b["sequence"])
        c.put(
            e,
            "logProof",
            {"consistency": hexes(consistency(previous, log_leaves)), "inclusion": hexes(path(previous, log_leaves))},
            "batch %d log proof" % b["sequence"],
        )
    for p in v["logConsistency"]:
        c.put(p, "proof", hexes(consistency(p["old"], log_leaves[: p["new"]])), "log consistency %d->%d" % (p["old"], p["new"]))
    if c.fill:
        save("receipts.json", v)


def main() -> int:
    c = Checker(fill="--fill" in sys.argv[1:])
    check_rfc6962(c)
    check_rfc8785(c)
    images = check_pixels(c)
    check_commitments(c)
    check_quantisation(c)
    check_trace(c, images)
    check_receipts(c)
    if c.fill:
        print("filled the expect fields")
        return 0
    print("%d values checked, %d mismatches" % (c.checked, c.failures))
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
