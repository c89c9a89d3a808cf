import { expect } from 'chai';
import {
  DEFAULT_SCAN_LIMITS,
  ImagingError,
  ImagingErrorCode,
  MAX_INPUT_PIXELS,
  ScanMediaType,
  decodeScan,
  inspectScan,
  transferSyntaxName,
} from '../../../imaging/src/index.js';
import { Syntax, scanBytes, withElement, withMetaTransferSyntax } from './support.js';

function inspectError(run: () => unknown): ImagingError {
  try {
    run();
  } catch (error) {
    if (error instanceof ImagingError) return error;
    throw error;
  }
  throw new Error('the scan was accepted');
}

async function decodeError(
  bytes: Uint8Array,
  limits?: Parameters<typeof decodeScan>[2],
): Promise<ImagingError> {
  try {
    await decodeScan(bytes, undefined, limits);
  } catch (error) {
    if (error instanceof ImagingError) return error;
    throw error;
  }
  throw new Error('decodeScan accepted the scan');
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG chunk with a correct CRC. */
function pngChunk(type: string, body: Uint8Array): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const chunk = Buffer.alloc(12 + body.length);
  chunk.writeUInt32BE(body.length, 0);
  typed.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typed), 8 + body.length);
  return chunk;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A valid-looking grey PNG header declaring `width` x `height`, a tiny IDAT and IEND: a few dozen bytes. */
function pixelBombPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // grey
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

describe('imaging: inspectScan', () => {
  it('reads the header facts of every container', () => {
    expect(inspectScan(scanBytes('brain-axial-z102-8bit.png'))).to.deep.equal({
      mediaType: ScanMediaType.png,
      width: 197,
      height: 233,
      frames: 1,
      bitsAllocated: 8,
    });
    expect(inspectScan(scanBytes('brain-axial-z057-16bit.png')).bitsAllocated).to.equal(16);
    expect(inspectScan(scanBytes('brain-axial-z102.jpg'))).to.deep.equal({
      mediaType: ScanMediaType.jpeg,
      width: 197,
      height: 233,
      frames: 1,
      bitsAllocated: 8,
    });
    expect(inspectScan(scanBytes('mr-axial-z057-explicit.dcm'))).to.deep.equal({
      mediaType: ScanMediaType.dicom,
      width: 197,
      height: 233,
      frames: 1,
      bitsAllocated: 16,
      transferSyntax: Syntax.explicitLittle,
    });
    expect(inspectScan(scanBytes('mr-axial-z102-implicit-signed.dcm')).transferSyntax).to.equal(
      Syntax.implicitLittle,
    );
    expect(inspectScan(scanBytes('mr-axial-z057-big-endian.dcm')).transferSyntax).to.equal(
      Syntax.explicitBig,
    );
  });

  it('defaults to 64 MiB, the historical pixel limit and one frame', () => {
    expect(DEFAULT_SCAN_LIMITS).to.deep.equal({
      maxBytes: 64 * 1024 * 1024,
      maxPixels: MAX_INPUT_PIXELS,
      maxFrames: 1,
    });
  });

  describe('limits, checked on the declared values before decoding', () => {
    it('refuses a tiny PNG declaring 100000 x 100000 pixels at once, before sharp sizes anything', async () => {
      const bomb = pixelBombPng(100000, 100000);
      expect(bomb.length).to.be.below(100);
      const started = process.hrtime.bigint();
      const error = await decodeError(bomb);
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      expect(error.code).to.equal(ImagingErrorCode.SCAN_TOO_LARGE);
      expect(error.message).to.contain('100000 x 100000').and.to.contain(`maxPixels ${MAX_INPUT_PIXELS}`);
      expect(elapsedMs).to.be.below(200);
    });

    it('refuses a JPEG whose frame header declares too many pixels', () => {
      const jpeg = Buffer.from(scanBytes('brain-axial-z102.jpg'));
      const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
      expect(sof).to.be.above(0);
      jpeg.writeUInt16BE(60000, sof + 5); // height
      jpeg.writeUInt16BE(60000, sof + 7); // width
      const error = inspectError(() => inspectScan(jpeg));
      expect(error.code).to.equal(ImagingErrorCode.SCAN_TOO_LARGE);
      expect(error.message).to.contain('60000 x 60000');
    });

    it('refuses a DICOM file whose Rows x Columns exceed maxPixels', () => {
      const tall = withElement(scanBytes('mr-axial-z057-explicit.dcm'), '00280010', {
        vr: 'US',
        Value: [60000],
      });
      const huge = withElement(tall, '00280011', { vr: 'US', Value: [60000] });
      expect(inspectError(() => inspectScan(huge)).message).to.contain('60000 x 60000');
      const error = inspectError(() =>
        inspectScan(scanBytes('mr-axial-z057-explicit.dcm'), { maxPixels: 1000 }),
      );
      expect(error.code).to.equal(ImagingErrorCode.SCAN_TOO_LARGE);
      expect(error.message).to.contain('197 x 233 = 45901 pixels, above maxPixels 1000');
    });

    it('refuses more bytes than maxBytes, naming the limit and the size', async () => {
      const png = scanBytes('brain-axial-z102-8bit.png');
      const error = await decodeError(png, { maxBytes: 1000 });
      expect(error.code).to.equal(ImagingErrorCode.SCAN_TOO_LARGE);
      expect(error.message).to.equal(`scan is ${png.length} bytes, above maxBytes 1000`);
    });

    it('refuses a multi-frame DICOM file above maxFrames, and decodes only single frames when allowed', async () => {
      const dicom = withElement(scanBytes('mr-axial-z057-explicit.dcm'), '00280008', {
        vr: 'IS',
        Value: [3],
      });
      const error = inspectError(() => inspectScan(dicom));
      expect(error.code).to.equal(ImagingErrorCode.SCAN_TOO_LARGE);
      expect(error.message).to.contain('declares 3 frames, above maxFrames 1');
      expect(inspectScan(dicom, { maxFrames: 3 }).frames).to.equal(3);
      const multi = await decodeError(dicom, { maxFrames: 3 });
      expect(multi.code).to.equal(ImagingErrorCode.INVALID_SCAN);
      expect(multi.message).to.contain('single-frame');
    });

    it('refuses an animated PNG declaring more frames than maxFrames', () => {
      const png = scanBytes('brain-axial-z102-8bit.png');
      const actl = Buffer.alloc(8);
      actl.writeUInt32BE(4, 0); // frames
      const animated = Buffer.concat([png.subarray(0, 33), pngChunk('acTL', actl), png.subarray(33)]);
      const error = inspectError(() => inspectScan(animated));
      expect(error.code).to.equal(ImagingErrorCode.SCAN_TOO_LARGE);
      expect(error.message).to.contain('PNG declares 4 frames');
    });

    it('rejects limits that are not positive integers', () => {
      expect(() => inspectScan(scanBytes('brain-axial-z102-8bit.png'), { maxPixels: 0 })).to.throw(
        RangeError,
      );
      expect(() => inspectScan(scanBytes('brain-axial-z102-8bit.png'), { maxBytes: 1.5 })).to.throw(
        RangeError,
      );
    });
  });

  describe('compressed DICOM transfer syntaxes', () => {
    const cases: readonly (readonly [string, string])[] = [
      ['1.2.840.10008.1.2.4.70', 'JPEG Lossless, Non-Hierarchical, First-Order Prediction'],
      ['1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)'],
      ['1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless Image Compression'],
      ['1.2.840.10008.1.2.4.90', 'JPEG 2000 Image Compression (Lossless Only)'],
      ['1.2.840.10008.1.2.4.91', 'JPEG 2000 Image Compression'],
      ['1.2.840.10008.1.2.5', 'RLE Lossless'],
      ['1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)'],
      ['1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian'],
      ['1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 Image Compression (Lossless Only)'],
    ];
    for (const [uid, name] of cases) {
      it(`refuses ${uid} naming it "${name}"`, async () => {
        const dicom = withMetaTransferSyntax(scanBytes('mr-axial-z057-explicit.dcm'), uid);
        const error = await decodeError(dicom);
        expect(error.code).to.equal(ImagingErrorCode.UNSUPPORTED_TRANSFER_SYNTAX);
        expect(error.message).to.contain(`${uid} (${name}`);
        expect(transferSyntaxName(uid)).to.contain(name);
      });
    }

    it('refuses an unknown syntax UID as unsupported, and a value that is no UID as invalid', () => {
      const unknown = withMetaTransferSyntax(scanBytes('mr-axial-z057-explicit.dcm'), '1.2.3.4.5');
      const error = inspectError(() => inspectScan(unknown));
      expect(error.code).to.equal(ImagingErrorCode.UNSUPPORTED_TRANSFER_SYNTAX);
      expect(error.message).to.contain('1.2.3.4.5 (not a transfer syntax listed in DICOM PS3.6)');
      const garbage = withMetaTransferSyntax(scanBytes('mr-axial-z057-explicit.dcm'), 'DOE^JANE');
      const invalid = inspectError(() => inspectScan(garbage));
      expect(invalid.code).to.equal(ImagingErrorCode.INVALID_SCAN);
      expect(invalid.message).not.to.contain('DOE');
    });
  });

  describe('empty, truncated and non-image bytes', () => {
    const png = scanBytes('brain-axial-z102-8bit.png');
    const jpeg = scanBytes('brain-axial-z102.jpg');
    const dicom = scanBytes('mr-axial-z057-explicit.dcm');
    const cases: readonly (readonly [string, Uint8Array, string])[] = [
      ['empty bytes', new Uint8Array(0), 'empty'],
      ['text', Buffer.from('hello, this is not a scan'), 'not PNG, JPEG or DICOM'],
      ['a PNG signature alone', png.subarray(0, 8), 'IHDR'],
      ['a PNG cut inside IHDR', png.subarray(0, 20), 'IHDR'],
      ['a PNG cut before IDAT', png.subarray(0, 33), 'IDAT'],
      ['a JPEG start-of-image alone', jpeg.subarray(0, 3), 'JPEG'],
      ['a JPEG cut before its frame header', jpeg.subarray(0, 20), 'JPEG'],
      ['a DICOM preamble alone', dicom.subarray(0, 132), 'DICOM'],
      ['a DICOM file cut in its data set', dicom.subarray(0, 700), 'DICOM'],
      ['a DICOM file cut in its PixelData', dicom.subarray(0, dicom.length - 100), 'truncated'],
    ];
    for (const [what, bytes, reason] of cases) {
      it(`refuses ${what} as INVALID_SCAN with a reason`, () => {
        const error = inspectError(() => inspectScan(bytes));
        expect(error.code).to.equal(ImagingErrorCode.INVALID_SCAN);
        expect(error.message).to.contain(reason);
      });
    }

    it('refuses a DICOM file without PixelData', () => {
      const file = withElement(dicom, '00280010', { vr: 'US', Value: [233] });
      const cut = Buffer.from(file).subarray(
        0,
        Buffer.from(file).lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00])),
      );
      const error = inspectError(() => inspectScan(cut));
      expect(error.code).to.equal(ImagingErrorCode.INVALID_SCAN);
      expect(error.message).to.contain('PixelData is missing');
    });
  });
});
