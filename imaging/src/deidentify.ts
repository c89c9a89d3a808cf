/**
 * DICOM de-identification after DICOM PS3.15 Annex E, Basic Application Level Confidentiality Profile (no
 * retain or clean options), with dcmjs reading and writing the file.
 *
 * What is done, at every nesting level (sequence items included):
 * - every attribute of Table E.1-1 (basic-profile.ts) gets its Basic Profile action. Where the table lets the
 *   IOD decide, no per-IOD table is consulted: a code with X (`X/Z`, `X/D`, `X/Z/D`, `X/Z/U*`) removes the
 *   attribute, `Z/D` blanks it, `D` puts a dummy of the element's VR (a sequence or a binary value is emptied, a
 *   UID replaced). Blanking is dcmjs's `anonymizer.cleanTags`, given the keywords of the blanked attributes;
 *   removal, dummies and UID replacement are done here, because dcmjs's own anonymizer only blanks, only at the
 *   top level, and only a list of CTP-era names;
 * - every UID the table marks U (Study, Series, SOP Instance, Frame of Reference, Referenced SOP Instance, ...)
 *   becomes `2.25.<decimal of a random UUID>`, the same replacement for the same original within a call, and
 *   across calls through `options.uidMap`; MediaStorageSOPInstanceUID is set to the new SOPInstanceUID;
 * - private attributes (odd groups), curve groups (50xx) and overlay groups (60xx: the profile names Overlay Data
 *   and Overlay Comments; the rest of an overlay is dropped with them) are removed, as are retired group lengths
 *   (gggg,0000), which would no longer be true;
 * - the file meta keeps only its version, SOP class, SOP instance, transfer syntax and implementation
 *   attributes (the latter now naming this package): source/sending/receiving AE titles and addresses go;
 * - PatientIdentityRemoved (0012,0062) = YES, DeidentificationMethod (0012,0063) and its code sequence (0012,0064)
 *   naming the profile (DCM 113100), and LongitudinalTemporalInformationModified (0028,0303) = REMOVED are set.
 *
 * Kept: SOPClassUID, the transfer syntax, the image pixel module, geometry and acquisition parameters, and every
 * other attribute the table does not list. A file whose BurnedInAnnotation (0028,0301) is YES is refused:
 * the profile cannot remove text from pixels.
 *
 * Transfer syntax: the output is written in the input's syntax (implicit VR LE, explicit VR LE or explicit VR
 * BE), because dcmjs writes the data set in the syntax its meta header names and that is kept. dcmjs does not
 * byte-swap OW values in either direction, so PixelData keeps the raw bytes it was read with, which are right for
 * the same syntax; re-encoding into another syntax would need a swap dcmjs does not do, which is why this module
 * never changes the syntax. dcmjs re-encodes text as UTF-8 and sets SpecificCharacterSet to ISO_IR 192 when the
 * input names a character set, and writes sequences with undefined length. The output is checked before it is
 * returned: its pixel module and PixelData bytes must equal the input's, so `decodeScan` of either gives the same
 * canonical pixels, and no private attribute may remain.
 *
 * Not covered (see README): text burned into pixels whose BurnedInAnnotation is absent or NO; free text in
 * attributes the table keeps (e.g. code meanings, BodyPartExamined); recognisable features in the image itself.
 */
import { randomUUID } from 'node:crypto';
import { anonymizer, data, log, type DicomDataset, type DicomDict, type DicomElement } from 'dcmjs';
import { parseDicom, type DataSet } from 'dicom-parser';
import { BASIC_PROFILE, type BasicProfileAction } from './basic-profile.js';
import { ImagingError, ImagingErrorCode, causeName } from './errors.js';
import { inspectScan } from './inspect-scan.js';
import type { ScanLimits } from './limits.js';
import { ScanMediaType } from './media-type.js';

/** What {@link deidentifyDicom} may be told. */
export interface DeidentifyOptions {
  /**
   * Original UID -> replacement, read and extended by the call: pass the same map for every file of a series or
   * study so that their shared UIDs (study, series, frame of reference, references) stay shared.
   */
  readonly uidMap?: Map<string, string>;
  /** The UUID source of new UIDs (tests inject a fixed one); node:crypto's `randomUUID` by default. */
  readonly randomUUID?: () => string;
  /** Overrides of {@link DEFAULT_SCAN_LIMITS}, checked before the file is read. */
  readonly limits?: Partial<ScanLimits>;
}

/** One UID the call replaced. */
export interface UidReplacement {
  /** Where it was met, `(gggg,eeee)`; the first tag it was met under when it occurs under several. */
  readonly tag: string;
  readonly original: string;
  readonly replacement: string;
}

/** The de-identified file and the UID mapping, which re-identifies the file and must stay with its owner. */
export interface DeidentifiedDicom {
  readonly file: Uint8Array;
  readonly uidReplacements: readonly UidReplacement[];
}

/** The DeidentificationMethod (0012,0063) written (LO: at most 64 characters). */
export const DEIDENTIFICATION_METHOD = 'DICOM PS3.15 E.1 Basic Application Confidentiality Profile';

/** This package as the writer of the file (2.25 UUID-derived UID, fixed), and its version name (SH, 16). */
const IMPLEMENTATION_CLASS_UID = '2.25.227927231982319731909652880232226989471';
const IMPLEMENTATION_VERSION_NAME = 'VERISCAN_IMG_0.1';

const Tag = {
  mediaStorageSopInstanceUid: '00020003',
  transferSyntax: '00020010',
  implementationClassUid: '00020012',
  implementationVersionName: '00020013',
  sopInstanceUid: '00080018',
  patientIdentityRemoved: '00120062',
  deidentificationMethod: '00120063',
  deidentificationMethodCodeSequence: '00120064',
  burnedInAnnotation: '00280301',
  longitudinalTemporalInformationModified: '00280303',
} as const;

/** File meta attributes kept (0002,0000 is recomputed by dcmjs). */
const KEPT_META: ReadonlySet<string> = new Set([
  '00020001', // FileMetaInformationVersion
  '00020002', // MediaStorageSOPClassUID
  Tag.mediaStorageSopInstanceUid,
  Tag.transferSyntax,
  Tag.implementationClassUid,
  Tag.implementationVersionName,
]);

type Action = 'remove' | 'blank' | 'dummy' | 'uid';

/** Table E.1-1 code -> what is done without per-IOD attribute types (module comment). */
function resolveAction(code: BasicProfileAction): Action {
  if (code.includes('X')) return 'remove';
  if (code.includes('Z')) return 'blank';
  return code === 'D' ? 'dummy' : 'uid';
}

/** Non-zero-length dummies by VR; a VR without one (binary, SQ) is blanked instead. */
const DUMMY: Readonly<Record<string, string | number>> = {
  AE: 'ANONYMOUS',
  AS: '000Y',
  CS: 'ANONYMIZED',
  DA: '19000101',
  DS: 0,
  DT: '19000101000000',
  IS: 0,
  LO: 'ANONYMIZED',
  LT: 'ANONYMIZED',
  PN: 'ANONYMOUS',
  SH: 'ANONYMIZED',
  ST: 'ANONYMIZED',
  TM: '000000',
  UC: 'ANONYMIZED',
  UR: 'ANONYMIZED',
  UT: 'ANONYMIZED',
  FD: 0,
  FL: 0,
  SL: 0,
  SS: 0,
  UL: 0,
  US: 0,
};

let blankKeywords: readonly string[] | undefined;

/** The dcmjs keywords of the attributes the profile blanks, for `anonymizer.cleanTags`. */
function blankedKeywords(): readonly string[] {
  if (blankKeywords === undefined) {
    const names: string[] = [];
    for (const [tag, code] of BASIC_PROFILE) {
      if (resolveAction(code) !== 'blank') continue;
      const entry = data.DicomMetaDictionary.dictionary[`(${tag.slice(0, 4)},${tag.slice(4)})`];
      if (entry !== undefined) names.push(entry.name);
    }
    blankKeywords = names;
  }
  return blankKeywords;
}

function failed(message: string, cause?: unknown): never {
  throw new ImagingError(
    ImagingErrorCode.DEIDENTIFICATION_FAILED,
    message,
    cause === undefined ? undefined : { cause: causeName(cause) },
  );
}

function setValue(element: DicomElement, value: unknown[]): void {
  element.Value = value;
  delete element._rawValue;
}

function isItem(value: unknown): value is DicomDataset {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof ArrayBuffer) &&
    !ArrayBuffer.isView(value)
  );
}

function formatTag(tag: string): string {
  return `(${tag.slice(0, 4)},${tag.slice(4)})`;
}

/** `2.25.` and the UUID's 128 bits as a decimal integer (PS3.5 §B.2). */
function uidFromUuid(uuid: string): string {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError('randomUUID did not return a UUID');
  return `2.25.${BigInt(`0x${hex}`).toString()}`;
}

/** The call's UID bookkeeping. */
class UidReplacer {
  private readonly recorded = new Map<string, UidReplacement>();

  constructor(
    private readonly map: Map<string, string>,
    private readonly newUuid: () => string,
  ) {}

  replace(tag: string, original: string): string {
    let replacement = this.map.get(original);
    if (replacement === undefined) {
      replacement = uidFromUuid(this.newUuid());
      this.map.set(original, replacement);
    }
    if (!this.recorded.has(original))
      this.recorded.set(original, { tag: formatTag(tag), original, replacement });
    return replacement;
  }

  get replacements(): readonly UidReplacement[] {
    return [...this.recorded.values()];
  }
}

/** UI values are strings, possibly padded with a NUL or spaces by the writer that made the file. */
function uidText(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\0/g, '').trim() : '';
}

function replaceUids(tag: string, element: DicomElement, uids: UidReplacer): void {
  if (element.vr !== 'UI') {
    setValue(element, []);
    return;
  }
  const values = (element.Value ?? []).map(uidText);
  setValue(
    element,
    values.map((value) => (value === '' ? value : uids.replace(tag, value))),
  );
}

function putDummy(tag: string, element: DicomElement, uids: UidReplacer): void {
  if (element.vr === 'UI') {
    replaceUids(tag, element, uids);
    return;
  }
  const dummy = DUMMY[element.vr];
  setValue(element, dummy === undefined ? [] : [dummy]);
}

/** Curve (50xx) and overlay (60xx) repeating groups: even groups 5000-50FF and 6000-60FF. */
function isRepeatingGroup(group: number): boolean {
  return (group & 0xff01) === 0x5000 || (group & 0xff01) === 0x6000;
}

/** Applies the profile to one data set (the top level or a sequence item), in place. */
function cleanDataset(dataset: DicomDataset, uids: UidReplacer): void {
  anonymizer.cleanTags(dataset, {}, blankedKeywords());
  for (const tag of Object.keys(dataset)) {
    const element = dataset[tag];
    if (element === undefined) continue;
    const group = Number.parseInt(tag.slice(0, 4), 16);
    const elementNumber = Number.parseInt(tag.slice(4), 16);
    if (group % 2 === 1 || elementNumber === 0 || isRepeatingGroup(group)) {
      // Private attributes, retired group lengths, curves and overlays.
      Reflect.deleteProperty(dataset, tag);
      continue;
    }
    const code = BASIC_PROFILE.get(tag);
    if (code === undefined) {
      // A kept sequence: its items hold attributes the profile acts on too (UIDs of referenced instances, ...).
      if (element.vr === 'SQ')
        for (const item of element.Value ?? []) if (isItem(item)) cleanDataset(item, uids);
      continue;
    }
    switch (resolveAction(code)) {
      case 'remove':
        Reflect.deleteProperty(dataset, tag);
        break;
      case 'blank':
        // cleanTags blanked it when dcmjs's dictionary knows its keyword; this covers the rest.
        setValue(element, []);
        break;
      case 'dummy':
        putDummy(tag, element, uids);
        break;
      case 'uid':
        replaceUids(tag, element, uids);
        break;
    }
  }
}

function firstString(element: DicomElement | undefined): string | undefined {
  const value = element?.Value?.[0];
  return typeof value === 'string' ? value : undefined;
}

function cleanMeta(file: DicomDict, uids: UidReplacer): void {
  for (const tag of Object.keys(file.meta)) if (!KEPT_META.has(tag)) Reflect.deleteProperty(file.meta, tag);
  const newSopInstance = uidText(firstString(file.dict[Tag.sopInstanceUid]));
  const metaSop = file.meta[Tag.mediaStorageSopInstanceUid];
  if (newSopInstance !== '') {
    file.meta[Tag.mediaStorageSopInstanceUid] = { vr: 'UI', Value: [newSopInstance] };
  } else if (metaSop !== undefined) {
    replaceUids(Tag.mediaStorageSopInstanceUid, metaSop, uids);
  }
  file.meta[Tag.implementationClassUid] = { vr: 'UI', Value: [IMPLEMENTATION_CLASS_UID] };
  file.meta[Tag.implementationVersionName] = { vr: 'SH', Value: [IMPLEMENTATION_VERSION_NAME] };
}

function markDeidentified(dataset: DicomDataset): void {
  dataset[Tag.patientIdentityRemoved] = { vr: 'CS', Value: ['YES'] };
  dataset[Tag.deidentificationMethod] = { vr: 'LO', Value: [DEIDENTIFICATION_METHOD] };
  dataset[Tag.deidentificationMethodCodeSequence] = {
    vr: 'SQ',
    Value: [
      {
        '00080100': { vr: 'SH', Value: ['113100'] }, // CodeValue
        '00080102': { vr: 'SH', Value: ['DCM'] }, // CodingSchemeDesignator
        '00080104': { vr: 'LO', Value: ['Basic Application Confidentiality Profile'] }, // CodeMeaning
      },
    ],
  };
  dataset[Tag.longitudinalTemporalInformationModified] = { vr: 'CS', Value: ['REMOVED'] };
}

/** The attributes that decide the canonical pixels (decode-dicom.ts), compared between input and output. */
const PIXEL_MODULE: readonly (readonly [string, 'string' | 'uint16'])[] = [
  ['x00020010', 'string'], // TransferSyntaxUID
  ['x00280002', 'uint16'], // SamplesPerPixel
  ['x00280004', 'string'], // PhotometricInterpretation
  ['x00280006', 'uint16'], // PlanarConfiguration
  ['x00280008', 'string'], // NumberOfFrames
  ['x00280010', 'uint16'], // Rows
  ['x00280011', 'uint16'], // Columns
  ['x00280100', 'uint16'], // BitsAllocated
  ['x00280101', 'uint16'], // BitsStored
  ['x00280102', 'uint16'], // HighBit
  ['x00280103', 'uint16'], // PixelRepresentation
];

function pixelBytes(dataSet: DataSet): Uint8Array | undefined {
  const element = dataSet.elements.x7fe00010;
  if (element === undefined) return undefined;
  return dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

/** The written file must parse, carry the same pixel module and PixelData bytes, and hold no private attribute. */
function checkOutput(input: Uint8Array, output: Uint8Array): void {
  let before: DataSet;
  let after: DataSet;
  try {
    before = parseDicom(input);
    after = parseDicom(output);
  } catch (cause) {
    return failed('the de-identified file could not be parsed back', cause);
  }
  for (const [tag, kind] of PIXEL_MODULE) {
    const same =
      kind === 'uint16' ? before.uint16(tag) === after.uint16(tag) : before.string(tag) === after.string(tag);
    if (!same)
      failed(`the de-identified file changed pixel-module attribute (${tag.slice(1, 5)},${tag.slice(5)})`);
  }
  const pixelsBefore = pixelBytes(before);
  const pixelsAfter = pixelBytes(after);
  if (pixelsBefore === undefined || pixelsAfter === undefined || !sameBytes(pixelsBefore, pixelsAfter)) {
    failed('the de-identified file changed the PixelData bytes');
  }
  if (Object.keys(after.elements).some((tag) => Number.parseInt(tag.slice(1, 5), 16) % 2 === 1)) {
    failed('a private attribute survived de-identification');
  }
}

/**
 * De-identifies one DICOM Part 10 file (the module comment says what is removed, blanked, replaced and kept).
 * @throws ImagingError `INVALID_SCAN`, `UNSUPPORTED_TRANSFER_SYNTAX`, `SCAN_TOO_LARGE` (as {@link inspectScan}:
 * the file must be a DICOM scan the decoder accepts); `BURNED_IN_ANNOTATION` when (0028,0301) is YES;
 * `DEIDENTIFICATION_FAILED` when dcmjs cannot read or write it, or the output fails its check.
 */
export function deidentifyDicom(bytes: Uint8Array, options: DeidentifyOptions = {}): DeidentifiedDicom {
  const info = inspectScan(bytes, options.limits);
  if (info.mediaType !== ScanMediaType.dicom) {
    throw new ImagingError(
      ImagingErrorCode.INVALID_SCAN,
      `the bytes are ${info.mediaType}, not DICOM Part 10`,
    );
  }
  // dcmjs's messages can quote element values; nothing of a patient's may reach a log.
  log.setLevel('silent');
  log.getLogger('validation.dcmjs').setLevel('silent');
  let file: DicomDict;
  try {
    file = data.DicomMessage.readFile(new Uint8Array(bytes).buffer);
  } catch (cause) {
    return failed('dcmjs could not read the file', cause);
  }
  const burnedIn = firstString(file.dict[Tag.burnedInAnnotation]);
  if (burnedIn?.trim().toUpperCase() === 'YES') {
    throw new ImagingError(
      ImagingErrorCode.BURNED_IN_ANNOTATION,
      'BurnedInAnnotation (0028,0301) is YES: text in the pixels cannot be removed by de-identifying attributes',
    );
  }
  const uids = new UidReplacer(options.uidMap ?? new Map<string, string>(), options.randomUUID ?? randomUUID);
  cleanDataset(file.dict, uids);
  cleanMeta(file, uids);
  markDeidentified(file.dict);
  let output: Uint8Array;
  try {
    output = new Uint8Array(file.write());
  } catch (cause) {
    return failed('dcmjs could not write the de-identified file', cause);
  }
  checkOutput(bytes, output);
  return { file: output, uidReplacements: uids.replacements };
}
