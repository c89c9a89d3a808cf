/** PNG and JPEG metadata removal: identifying text goes, the decoded pixels stay exactly the same. */
import { deflateSync, crc32 } from 'node:zlib';
import { expect } from 'chai';
import { decodeScan } from '@veriscan/imaging';
import { stripJpegMetadata, stripPngMetadata } from '../../../gateway-app/src/hospital/raster-metadata';
import { GatewayError } from '../../../gateway-app/src/errors';
import { fixture } from './support';

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** Inserts `chunk` right after IHDR (offset 8 + 25). */
function withChunk(png: Uint8Array, chunk: Buffer): Buffer {
  const bytes = Buffer.from(png);
  return Buffer.concat([bytes.subarray(0, 33), chunk, bytes.subarray(33)]);
}

/** Inserts a segment right after SOI. */
function withSegment(jpeg: Uint8Array, marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  const bytes = Buffer.from(jpeg);
  return Buffer.concat([bytes.subarray(0, 2), head, payload, bytes.subarray(2)]);
}

const SECRET = 'Patient: DOE^JANE^FAKE, born 1970-01-01';

describe('raster metadata removal', () => {
  for (const name of ['brain-axial-z102-8bit.png', 'brain-axial-z057-16bit.png']) {
    it(`drops text chunks from ${name} and keeps its pixels`, async () => {
      const original = fixture(name);
      const tagged = withChunk(
        withChunk(original, pngChunk('tEXt', Buffer.from(`Comment\0${SECRET}`, 'latin1'))),
        pngChunk('zTXt', Buffer.concat([Buffer.from('Author\0\0', 'latin1'), deflateSync(SECRET)])),
      );
      expect(tagged.includes(SECRET)).to.equal(true);
      const clean = stripPngMetadata(tagged);
      expect(Buffer.from(clean).includes(Buffer.from(SECRET))).to.equal(false);
      const [a, b] = await Promise.all([decodeScan(original), decodeScan(clean)]);
      expect(Buffer.from(b.data.buffer)).to.deep.equal(Buffer.from(a.data.buffer));
    });
  }

  it('drops EXIF, XMP and comment segments from a JPEG and keeps its pixels', async () => {
    const original = fixture('brain-axial-z102.jpg');
    const tagged = withSegment(
      withSegment(original, 0xe1, Buffer.from(`Exif\0\0${SECRET}`, 'latin1')),
      0xfe,
      Buffer.from(SECRET, 'latin1'),
    );
    const clean = stripJpegMetadata(tagged);
    expect(Buffer.from(clean).includes(Buffer.from(SECRET))).to.equal(false);
    const [a, b] = await Promise.all([decodeScan(original), decodeScan(clean)]);
    expect(Buffer.from(b.data.buffer)).to.deep.equal(Buffer.from(a.data.buffer));
  });

  it('refuses truncated containers', () => {
    const png = fixture('brain-axial-z102-8bit.png');
    expect(() => stripPngMetadata(png.subarray(0, 40))).to.throw(GatewayError, /truncated or malformed/);
    const jpeg = fixture('brain-axial-z102.jpg');
    expect(() => stripJpegMetadata(jpeg.subarray(0, 5))).to.throw(GatewayError, /truncated or malformed/);
  });
});
