import { expect } from 'chai';
import { hashPixels } from '@veriscan/protocol';
import {
  RuntimeErrorCode,
  ScanDecodeError,
  ScanMediaType,
  decodeScan,
  sniffMediaType,
} from '../../../../inference-lab/src/runtime/index.js';
import { scanBytes, scanFixtures } from './support.js';

async function decodeError(bytes: Uint8Array, mediaType?: string): Promise<ScanDecodeError> {
  try {
    await decodeScan(bytes, mediaType);
  } catch (error) {
    if (error instanceof ScanDecodeError) return error;
    throw error;
  }
  throw new Error('decodeScan accepted the scan');
}

describe('runtime: decodeScan', () => {
  for (const fixture of scanFixtures()) {
    it(`decodes ${fixture.name} to the canonical samples the Python reference hashed`, async () => {
      const pixels = await decodeScan(scanBytes(fixture.name), fixture.mediaType);
      expect({
        width: pixels.width,
        height: pixels.height,
        channels: pixels.channels,
        bitDepth: pixels.bitDepth,
      }).to.deep.equal({
        width: fixture.width,
        height: fixture.height,
        channels: fixture.channels,
        bitDepth: fixture.bitDepth,
      });
      // For the JPEG this also pins the decoder: Pillow's libjpeg and sharp's agree today; a libvips upgrade
      // that changes JPEG decoding changes every JPEG scan hash and must be noticed.
      expect(hashPixels(pixels)).to.equal(fixture.pixelsHash);
    });
  }

  it('keeps 16-bit PNG samples as 16-bit values above 255', async () => {
    const pixels = await decodeScan(scanBytes('brain-axial-z057-16bit.png'), 'image/png');
    expect(pixels.bitDepth).to.equal(16);
    expect(pixels.data).to.be.instanceOf(Uint16Array);
    expect(Math.max(...pixels.data)).to.be.above(2000);
  });

  it('recognises each container by its magic bytes', () => {
    expect(sniffMediaType(scanBytes('brain-axial-z102-8bit.png'))).to.equal(ScanMediaType.png);
    expect(sniffMediaType(scanBytes('brain-axial-z102.jpg'))).to.equal(ScanMediaType.jpeg);
    expect(sniffMediaType(scanBytes('mr-axial-z057-explicit.dcm'))).to.equal(ScanMediaType.dicom);
    expect(sniffMediaType(Buffer.from('not an image'))).to.equal(null);
  });

  it('refuses a scan whose declared media type differs from its bytes', async () => {
    const error = await decodeError(scanBytes('brain-axial-z102-8bit.png'), 'application/dicom');
    expect(error.code).to.equal(RuntimeErrorCode.MEDIA_TYPE_MISMATCH);
  });

  it('accepts a declared media type with parameters and other letter case', async () => {
    const pixels = await decodeScan(scanBytes('brain-axial-z102-8bit.png'), 'Image/PNG; charset=binary');
    expect(pixels.width).to.equal(197);
  });

  it('refuses bytes that are no supported format', async () => {
    const error = await decodeError(Buffer.from('GIF89a........'));
    expect(error.code).to.equal(RuntimeErrorCode.INVALID_SCAN);
  });

  it('refuses a truncated PNG instead of padding it', async () => {
    const png = scanBytes('brain-axial-z102-8bit.png');
    const error = await decodeError(png.subarray(0, Math.floor(png.length / 2)), 'image/png');
    expect(error.code).to.equal(RuntimeErrorCode.INVALID_SCAN);
  });

  it('refuses a truncated DICOM file without quoting any patient tag', async () => {
    const dicom = scanBytes('mr-axial-z057-explicit.dcm');
    const error = await decodeError(dicom.subarray(0, dicom.length - 5000), 'application/dicom');
    expect(error.code).to.equal(RuntimeErrorCode.INVALID_SCAN);
    const text = `${error.message} ${String(error.cause)}`;
    for (const secret of [
      'Testperson',
      'FAKE-0042',
      '19720314',
      'Example Street',
      'Veriscan Test Hospital',
    ]) {
      expect(text).not.to.contain(secret);
    }
  });

  it('maps signed DICOM samples to unsigned ones in the same order', async () => {
    const pixels = await decodeScan(scanBytes('mr-axial-z102-implicit-signed.dcm'), 'application/dicom');
    // The file stores -1000 (background) .. +1000; canonical samples are offset by 2^15.
    expect(Math.min(...pixels.data)).to.equal(32768 - 1000);
    expect(Math.max(...pixels.data)).to.be.at.most(32768 + 1000);
  });
});
