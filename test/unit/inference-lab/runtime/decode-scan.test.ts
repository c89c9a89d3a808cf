import { expect } from 'chai';
import { hashPixels } from '@veriscan/protocol';
import { ImagingError } from '@veriscan/imaging';
import {
  MAX_INPUT_PIXELS,
  RuntimeErrorCode,
  ScanDecodeError,
  ScanMediaType,
  decodeDicom,
  decodeRasterImage,
  decodeScan,
  resolveMediaType,
  sniffMediaType,
} from '../../../../inference-lab/src/runtime/index.js';
import { scanBytes, scanFixtures } from './support.js';
import { withElement, withMetaTransferSyntax } from '../../imaging/support.js';

async function decodeError(bytes: Uint8Array, mediaType?: string): Promise<ScanDecodeError> {
  try {
    await decodeScan(bytes, mediaType);
  } catch (error) {
    if (error instanceof ScanDecodeError) return error;
    throw error;
  }
  throw new Error('decodeScan accepted the scan');
}

// The decoder itself is @veriscan/imaging's (test/unit/imaging); these check the lab's adapter around it.
describe('runtime: decodeScan (the lab adapter of @veriscan/imaging)', () => {
  it('decodes every sample scan to its reference hash', async () => {
    for (const fixture of scanFixtures()) {
      expect(hashPixels(await decodeScan(scanBytes(fixture.name), fixture.mediaType)), fixture.name).to.equal(
        fixture.pixelsHash,
      );
    }
  });

  it('re-exports the media-type helpers and the pixel limit', () => {
    expect(sniffMediaType(scanBytes('brain-axial-z102.jpg'))).to.equal(ScanMediaType.jpeg);
    expect(resolveMediaType(scanBytes('mr-axial-z057-explicit.dcm'), 'application/dicom')).to.equal(
      ScanMediaType.dicom,
    );
    expect(() => resolveMediaType(scanBytes('brain-axial-z102.jpg'), 'image/png'))
      .to.throw(ScanDecodeError)
      .with.property('code', RuntimeErrorCode.MEDIA_TYPE_MISMATCH);
    expect(MAX_INPUT_PIXELS).to.equal(64 * 1024 * 1024);
  });

  it('keeps MEDIA_TYPE_MISMATCH and turns imaging refusals into INVALID_SCAN with the cause attached', async () => {
    const mismatch = await decodeError(scanBytes('brain-axial-z102-8bit.png'), 'application/dicom');
    expect(mismatch.code).to.equal(RuntimeErrorCode.MEDIA_TYPE_MISMATCH);

    const compressed = withMetaTransferSyntax(scanBytes('mr-axial-z057-explicit.dcm'), '1.2.840.10008.1.2.5');
    const unsupported = await decodeError(compressed);
    expect(unsupported.code).to.equal(RuntimeErrorCode.INVALID_SCAN);
    expect(unsupported.message).to.contain('1.2.840.10008.1.2.5 (RLE Lossless)');
    expect(unsupported.cause)
      .to.be.instanceOf(ImagingError)
      .with.property('code', 'UNSUPPORTED_TRANSFER_SYNTAX');

    const frames = withElement(scanBytes('mr-axial-z057-explicit.dcm'), '00280008', { vr: 'IS', Value: [2] });
    const tooLarge = await decodeError(frames);
    expect(tooLarge.code).to.equal(RuntimeErrorCode.INVALID_SCAN);
    expect(tooLarge.cause).to.be.instanceOf(ImagingError).with.property('code', 'SCAN_TOO_LARGE');

    expect((await decodeError(Buffer.from('GIF89a........'))).code).to.equal(RuntimeErrorCode.INVALID_SCAN);
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

  it('converts the errors of decodeDicom and decodeRasterImage too', async () => {
    expect(() => decodeDicom(scanBytes('brain-axial-z102-8bit.png')))
      .to.throw(ScanDecodeError)
      .with.property('code', RuntimeErrorCode.INVALID_SCAN);
    let error: unknown;
    try {
      await decodeRasterImage(Buffer.from('not an image'));
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(ScanDecodeError).with.property('code', RuntimeErrorCode.INVALID_SCAN);
  });
});
