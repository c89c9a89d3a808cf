"""Writes the sample scans under test/fixtures/scans/ from held-out slices of the MNI template:

    python make_fixtures.py            # from inference-lab/models/brain-tissue/train/

- ``brain-axial-z102-8bit.png``     8-bit grey PNG, 197 x 233
- ``brain-axial-z057-16bit.png``    16-bit grey PNG (values up to ~3000, as an MR series would store)
- ``brain-axial-z102-rgb.png``      8-bit RGB PNG (a screenshot-like export; exercises the luma path)
- ``brain-axial-z102.jpg``          baseline JPEG, grey, quality 90
- ``mr-axial-z057-explicit.dcm``    DICOM MR, explicit VR little endian, 16 bits allocated / 12 stored, unsigned
- ``mr-axial-z102-implicit-signed.dcm``  DICOM MR, implicit VR little endian, 16-bit signed samples

The DICOM files carry realistic but FAKE patient data (names, ids, birth dates, institution), so that the
gateway's de-identification has something to remove. No real person is described. ``fixtures.json`` lists,
for each file, its decoded shape, the protocol scan hash of its canonical samples and, for the lossless
formats, the SHA-256 tag-hash of the preprocessed tensor computed by preprocess.py: the TypeScript runtime's
tests check their own decoding and preprocessing against these numbers.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import struct

import numpy as np
import pydicom
from PIL import Image
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, MRImageStorage

import data
import preprocess

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "test", "fixtures", "scans"))


def tagged(tag: str, *parts: bytes) -> str:
    h = hashlib.sha256(tag.encode("ascii") + b"\x00")
    for p in parts:
        h.update(p)
    return h.hexdigest()


def pixels_hash(samples: np.ndarray, bit_depth: int) -> str:
    """protocol §3.1 over (H, W[, C]) unsigned samples."""
    h, w = samples.shape[:2]
    c = 1 if samples.ndim == 2 else samples.shape[2]
    raw = samples.astype(">u2" if bit_depth == 16 else "u1").tobytes()
    return tagged("veriscan/pixels/v1", struct.pack(">IIBB", w, h, c, bit_depth), raw)


def tensor_hash(tensor: np.ndarray) -> str:
    """protocol tensor digest: u8 rank, u32 dims, float32 big-endian values."""
    dims = b"".join(struct.pack(">I", d) for d in tensor.shape)
    return tagged("veriscan/tensor/v1", struct.pack(">B", tensor.ndim), dims, tensor.astype(">f4").tobytes())


def uid(name: str) -> str:
    """A stable UID under the 2.25 (UUID-derived) root, from a name: same files on every run."""
    return "2.25." + str(int.from_bytes(hashlib.sha256(name.encode()).digest()[:16], "big"))


FAKE_PATIENTS = {
    "mr-axial-z057-explicit.dcm": {
        "PatientName": "Testperson^Alice^Marie", "PatientID": "FAKE-0042-7781", "PatientBirthDate": "19720314",
        "PatientSex": "F", "OtherPatientIDs": "FAKE-MRN-559901", "PatientAddress": "12 Example Street, Testville",
        "AccessionNumber": "FAKEACC0001", "ReferringPhysicianName": "Fictional^Doctor^Bob",
        "InstitutionName": "Veriscan Test Hospital (fictional)", "StudyDate": "20250301", "StudyTime": "101500",
    },
    "mr-axial-z102-implicit-signed.dcm": {
        "PatientName": "Sample^Carlos", "PatientID": "FAKE-0099-1234", "PatientBirthDate": "19580930",
        "PatientSex": "M", "OtherPatientIDs": "FAKE-MRN-771203", "PatientAddress": "34 Placeholder Road, Mocktown",
        "AccessionNumber": "FAKEACC0002", "ReferringPhysicianName": "Imaginary^Doctor^Eve",
        "InstitutionName": "Veriscan Test Hospital (fictional)", "StudyDate": "20250302", "StudyTime": "143000",
    },
}


def write_dicom(path: str, pixels: np.ndarray, *, explicit: bool, signed: bool, bits_stored: int, z: int) -> None:
    name = os.path.basename(path)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = MRImageStorage
    meta.MediaStorageSOPInstanceUID = uid(name + "/sop")
    meta.TransferSyntaxUID = ExplicitVRLittleEndian if explicit else ImplicitVRLittleEndian
    meta.ImplementationClassUID = uid("veriscan/fixtures")
    ds = Dataset()
    ds.file_meta = meta
    ds.preamble = b"\x00" * 128
    for key, value in FAKE_PATIENTS[name].items():
        setattr(ds, key, value)
    ds.PatientComments = "FAKE PATIENT: Veriscan test fixture, no real person"
    ds.SOPClassUID = MRImageStorage
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = uid(name + "/study")
    ds.SeriesInstanceUID = uid(name + "/series")
    ds.FrameOfReferenceUID = uid(name + "/frame")
    ds.Modality = "MR"
    ds.Manufacturer = "Veriscan fixtures"
    ds.SeriesDescription = "T1 AX (synthetic, from the MNI ICBM152 2009a template)"
    ds.StudyDescription = "BRAIN MRI (fictional)"
    ds.SeriesNumber, ds.InstanceNumber = 3, z
    ds.ScanningSequence, ds.SequenceVariant, ds.MRAcquisitionType = "GR", "SP", "3D"
    ds.MagneticFieldStrength, ds.SliceThickness = 3, 1
    ds.PixelSpacing = [1, 1]
    ds.ImagePositionPatient = [-98, -134 + 232, -72 + z]
    ds.ImageOrientationPatient = [1, 0, 0, 0, -1, 0]
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = pixels.shape
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, bits_stored, bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    ds.RescaleIntercept, ds.RescaleSlope = 0, 1
    ds.PixelData = pixels.astype("<i2" if signed else "<u2").tobytes()
    ds.save_as(path, enforce_file_format=True, implicit_vr=not explicit, little_endian=True)


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    volumes = data.load_volumes()
    split = data.split_slices(volumes.labels)
    assert 57 in split.held_out and 102 in split.held_out, "fixtures must come from held-out slices"
    t1 = lambda z: data.axial_slice(volumes.t1, z)  # noqa: E731 - floats in [0, 1]
    entries = {}

    def record(name: str, media: str, canonical: np.ndarray, bit_depth: int, lossless: bool) -> None:
        h, w = canonical.shape[:2]
        entries[name] = {
            "mediaType": media, "width": w, "height": h, "channels": 1 if canonical.ndim == 2 else canonical.shape[2],
            "bitDepth": bit_depth, "pixelsHash": pixels_hash(canonical, bit_depth),
            "tensorHash": tensor_hash(preprocess.preprocess(canonical)) if lossless else None,
            "bytes": os.path.getsize(os.path.join(OUT, name)),
        }

    g8 = np.round(t1(102) * 255).astype(np.uint8)
    Image.fromarray(g8).save(os.path.join(OUT, "brain-axial-z102-8bit.png"), optimize=True)
    record("brain-axial-z102-8bit.png", "image/png", g8, 8, True)

    g16 = np.round(t1(57) * 3000).astype(np.uint16)
    Image.fromarray(g16).save(os.path.join(OUT, "brain-axial-z057-16bit.png"))
    check = np.asarray(Image.open(os.path.join(OUT, "brain-axial-z057-16bit.png")))
    assert check.dtype.itemsize == 2 or check.max() > 255, "PIL did not keep 16 bits"
    record("brain-axial-z057-16bit.png", "image/png", g16, 16, True)

    # RGB: a warm tint, as a viewer export might carry; channels differ so the luma path matters.
    rgb = np.stack([g8, np.round(g8 * 0.9).astype(np.uint8), np.round(g8 * 0.8).astype(np.uint8)], axis=2)
    Image.fromarray(rgb).save(os.path.join(OUT, "brain-axial-z102-rgb.png"), optimize=True)
    record("brain-axial-z102-rgb.png", "image/png", rgb, 8, True)

    Image.fromarray(g8).save(os.path.join(OUT, "brain-axial-z102.jpg"), quality=90)
    decoded = np.asarray(Image.open(os.path.join(OUT, "brain-axial-z102.jpg")))
    record("brain-axial-z102.jpg", "image/jpeg", decoded, 8, False)

    d12 = np.round(t1(57) * 4095).astype(np.uint16)
    write_dicom(os.path.join(OUT, "mr-axial-z057-explicit.dcm"), d12, explicit=True, signed=False, bits_stored=12, z=57)
    record("mr-axial-z057-explicit.dcm", "application/dicom", d12, 16, True)

    s16 = (np.round(t1(102) * 2000) - 1000).astype(np.int16)  # signed: -1000 .. 1000
    write_dicom(os.path.join(OUT, "mr-axial-z102-implicit-signed.dcm"), s16, explicit=False, signed=True,
                bits_stored=16, z=102)
    # Canonical: signed samples offset by 2^15 (order preserving), see decode-dicom.ts.
    record("mr-axial-z102-implicit-signed.dcm", "application/dicom", (s16.astype(np.int32) + 32768).astype(np.uint16),
           16, True)

    # Round-trip the DICOM files through pydicom: what was written is what a reader gets.
    for name, expect in (("mr-axial-z057-explicit.dcm", d12), ("mr-axial-z102-implicit-signed.dcm", s16)):
        ds = pydicom.dcmread(os.path.join(OUT, name))
        assert np.array_equal(ds.pixel_array, expect), name

    doc = {
        "about": "Sample scans made by inference-lab/models/brain-tissue/train/make_fixtures.py from held-out axial "
                 "slices of the MNI ICBM152 2009a template (see the model card for its licence). The DICOM patient "
                 "data is FAKE. pixelsHash: protocol scan hash of the canonical samples; tensorHash: protocol tensor "
                 "digest of preprocess.py's output (null for JPEG, whose decoded samples depend on the decoder).",
        "files": entries,
    }
    with open(os.path.join(OUT, "fixtures.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, indent=2) + "\n")
    for name, e in entries.items():
        print(f"{name:40s} {e['bytes']:7d} bytes  {e['width']}x{e['height']}x{e['channels']} {e['bitDepth']}-bit")


if __name__ == "__main__":
    main()
