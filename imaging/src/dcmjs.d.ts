/**
 * The part of dcmjs (which ships no type declarations) that deidentify.ts uses. Shapes as dcmjs 0.51 builds
 * them: a data set is a record from 8 upper-case hex digits (`0010,0010` is `00100010`) to an element whose
 * `Value` holds strings, numbers, PN objects (`{ Alphabetic }`), ArrayBuffers (OB/OW) or item data sets (SQ).
 */
declare module 'dcmjs' {
  export interface DicomElement {
    vr: string;
    Value?: unknown[];
    /** The value as read, written back when `Value` still equals it after formatting. */
    _rawValue?: unknown;
  }

  export type DicomDataset = Record<string, DicomElement | undefined>;

  export interface DicomDictionaryEntry {
    readonly tag: string;
    readonly vr: string;
    readonly vm: string;
    readonly name: string;
    readonly version: string;
  }

  export class DicomDict {
    meta: DicomDataset;
    dict: DicomDataset;
    constructor(meta: DicomDataset);
    /** The Part 10 file: preamble, `DICM`, meta group (explicit VR LE), data set in the meta's syntax. */
    write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
  }

  export const data: {
    readonly DicomMessage: {
      readFile(
        buffer: ArrayBuffer,
        options?: {
          ignoreErrors?: boolean;
          untilTag?: string | null;
          includeUntilTagValue?: boolean;
          noCopy?: boolean;
          forceStoreRaw?: boolean;
        },
      ): DicomDict;
    };
    readonly DicomMetaDictionary: {
      /** Keyed `(GGGG,EEEE)`. */
      readonly dictionary: Readonly<Record<string, DicomDictionaryEntry | undefined>>;
      /** Keyed by keyword (`PatientName`). */
      readonly nameMap: Readonly<Record<string, DicomDictionaryEntry | undefined>>;
    };
  };

  export const anonymizer: {
    /**
     * Sets `Value = []` on each attribute of `dict` named (by keyword) in `customTagNamesToEmpty`, or on dcmjs's
     * own list when it is omitted; `tagNamesToReplace` (`{ "00100010": "ANON^PATIENT" }`, the default) puts a
     * value instead. Top level only.
     */
    cleanTags(
      dict: DicomDataset,
      tagNamesToReplace?: Readonly<Record<string, string>>,
      customTagNamesToEmpty?: readonly string[],
    ): void;
    getTagsNameToEmpty(): string[];
  };

  export interface Logger {
    setLevel(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'): void;
  }

  /** dcmjs's loglevel root logger; `validation.dcmjs` is a child created at load, with its own level. */
  export const log: Logger & { getLogger(name: string): Logger };
}
