import { expect } from 'chai';
import { hashPixels } from '@veriscan/protocol';
import {
  ImagingError,
  ImagingErrorCode,
  ScanMediaType,
  decodeDicom,
  decodeRasterImage,
  decodeScan,
  sniffMediaType,
} from '../../../imaging/src/index.js';
import { Syntax, scanBytes, scanFixture, scanFixtures, transcodeDicom } from './support.js';

async function decodeError(bytes: Uint8Array, mediaType?: string): Promise<ImagingError> {
  try {
    await decodeScan(bytes, mediaType);
  } catch (error) {
    if (error instanceof ImagingError) return error;
    throw error;
  }
  throw new Error('decodeScan accepted the scan');
}

describe('imaging: decodeScan', () => {
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
    expect(error.code).to.equal(ImagingErrorCode.MEDIA_TYPE_MISMATCH);
  });

  it('accepts a declared media type with parameters and other letter case', async () => {
    const pixels = await decodeScan(scanBytes('brain-axial-z102-8bit.png'), 'Image/PNG; charset=binary');
    expect(pixels.width).to.equal(197);
  });

  it('refuses bytes that are no supported format, and empty bytes', async () => {
    expect((await decodeError(Buffer.from('GIF89a........'))).code).to.equal(ImagingErrorCode.INVALID_SCAN);
    const empty = await decodeError(new Uint8Array(0));
    expect(empty.code).to.equal(ImagingErrorCode.INVALID_SCAN);
    expect(empty.message).to.contain('empty');
  });

  it('refuses a truncated PNG instead of padding it', async () => {
    const png = scanBytes('brain-axial-z102-8bit.png');
    const error = await decodeError(png.subarray(0, Math.floor(png.length / 2)), 'image/png');
    expect(error.code).to.equal(ImagingErrorCode.INVALID_SCAN);
  });

  it('refuses a truncated JPEG', async () => {
    const jpeg = scanBytes('brain-axial-z102.jpg');
    const error = await decodeError(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'image/jpeg');
    expect(error.code).to.equal(ImagingErrorCode.INVALID_SCAN);
  });

  it('refuses a truncated DICOM file without quoting any patient tag', async () => {
    const dicom = scanBytes('mr-axial-z057-explicit.dcm');
    const error = await decodeError(dicom.subarray(0, dicom.length - 5000), 'application/dicom');
    expect(error.code).to.equal(ImagingErrorCode.INVALID_SCAN);
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

  describe('uncompressed DICOM transfer syntaxes', () => {
    const reference = scanFixture('mr-axial-z057-explicit.dcm').pixelsHash;

    it('decodes the big endian fixture to the little endian fixture pixels', async () => {
      const little = await decodeScan(scanBytes('mr-axial-z057-explicit.dcm'));
      const big = await decodeScan(scanBytes('mr-axial-z057-big-endian.dcm'));
      expect(Buffer.from(big.data.buffer).equals(Buffer.from(little.data.buffer))).to.equal(true);
      expect(hashPixels(big)).to.equal(reference);
    });

    for (const [name, syntax] of Object.entries(Syntax)) {
      it(`decodes the same image re-encoded as ${name} VR`, async () => {
        const bytes = transcodeDicom(scanBytes('mr-axial-z057-explicit.dcm'), syntax);
        expect(hashPixels(await decodeScan(bytes, 'application/dicom'))).to.equal(reference);
        expect(hashPixels(decodeDicom(bytes))).to.equal(reference);
      });
    }

    it('decodes the signed implicit fixture identically after a round trip through big endian', async () => {
      const source = scanBytes('mr-axial-z102-implicit-signed.dcm');
      const big = transcodeDicom(source, Syntax.explicitBig);
      expect(hashPixels(await decodeScan(big))).to.equal(
        scanFixture('mr-axial-z102-implicit-signed.dcm').pixelsHash,
      );
    });
  });

  it('keeps decodeDicom and decodeRasterImage to their own containers', async () => {
    expect(() => decodeDicom(scanBytes('brain-axial-z102-8bit.png')))
      .to.throw(ImagingError)
      .with.property('code', ImagingErrorCode.INVALID_SCAN);
    let error: unknown;
    try {
      await decodeRasterImage(scanBytes('mr-axial-z057-explicit.dcm'));
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(ImagingError).with.property('code', ImagingErrorCode.INVALID_SCAN);
  });
});
