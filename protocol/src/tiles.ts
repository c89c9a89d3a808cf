/**
 * The tile Merkle tree: the image cut into fixed-size square tiles (edge tiles as they fall), each tile
 * hashed with its position, and an RFC 6962 tree over those digests in row-major tile order. A tile proof
 * shows one region belongs to a committed image without revealing the rest of the scan.
 */
import { type Sha256Hex, sha256HexToBytes, toSha256Hex, u32be } from './bytes.js';
import { invalidInput } from './errors.js';
import { hashLeaf } from './merkle/hashing.js';
import { MerkleTree } from './merkle/tree.js';
import { rootFromInclusionProof } from './merkle/verify.js';
import {
  type PixelHeader,
  type PixelImage,
  bytesPerSample,
  canonicalSamples,
  checkCanonicalSamples,
  checkPixelHeader,
  encodePixelHeader,
} from './pixels.js';
import { sha256 } from './sha256.js';
import { DomainTag, prefix, taggedDigest, taggedHash } from './tagged-hash.js';
import { MAX_DIMENSION } from './pixels.js';
import { ObjectReader, parseHashList } from './parse/reader.js';

/** Tile edge in pixels when the caller names none. */
export const DEFAULT_TILE_SIZE = 32;

/** Largest accepted tile edge. */
export const MAX_TILE_SIZE = 4096;

/** Where one tile lies in the image, in pixels. */
export interface TileRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Proof that one tile belongs to the image whose tile root is known. */
export interface TileProof {
  /** Shape of the whole image. */
  readonly image: PixelHeader;
  /** Tile edge in pixels. */
  readonly tileSize: number;
  /** Row-major index of the tile in the tile grid. */
  readonly index: number;
  /** RFC 6962 audit path from the tile's leaf to the tile tree's Merkle root. */
  readonly path: readonly Sha256Hex[];
}

/**
 * Columns, rows and number of tiles of the grid.
 * @throws ProtocolError `INVALID_INPUT` on a bad header or tile size.
 */
export function tileGrid(
  header: PixelHeader,
  tileSize: number,
): { columns: number; rows: number; count: number } {
  checkPixelHeader(header, 'image');
  checkTileSize(tileSize);
  const columns = Math.ceil(header.width / tileSize);
  const rows = Math.ceil(header.height / tileSize);
  return { columns, rows, count: columns * rows };
}

/**
 * The rectangle of tile `index`.
 * @throws ProtocolError `INVALID_INPUT` when `index` is outside the grid.
 */
export function tileRect(header: PixelHeader, tileSize: number, index: number): TileRect {
  const { columns, count } = tileGrid(header, tileSize);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    invalidInput('index', `must be an integer in [0, ${count}), got ${index}`);
  }
  const x = (index % columns) * tileSize;
  const y = Math.floor(index / columns) * tileSize;
  return { x, y, width: Math.min(tileSize, header.width - x), height: Math.min(tileSize, header.height - y) };
}

/**
 * The tile root: `SHA-256("veriscan/tile-root/v1" || 0x00 || header || u32 tileSize || MTH(tile digests))`.
 * Binding the header and tile size means a proof cannot be replayed against a differently cut image.
 * @throws ProtocolError `INVALID_INPUT` on a malformed image or tile size.
 */
export function tileRoot(image: PixelImage, tileSize = DEFAULT_TILE_SIZE): Sha256Hex {
  return tileRootOfCanonical(image, canonicalSamples(image), tileSize);
}

/** {@link tileRoot} over samples already in canonical byte order. */
export function tileRootOfCanonical(
  header: PixelHeader,
  samples: Uint8Array,
  tileSize = DEFAULT_TILE_SIZE,
): Sha256Hex {
  const tree = MerkleTree.fromLeaves(tileDigests(header, samples, tileSize));
  return wrapRoot(header, tileSize, tree.root());
}

/**
 * A proof that tile `index` belongs to `image`.
 * @throws ProtocolError `INVALID_INPUT` on a malformed image, tile size or index.
 */
export function tileProof(image: PixelImage, index: number, tileSize = DEFAULT_TILE_SIZE): TileProof {
  const samples = canonicalSamples(image);
  tileRect(image, tileSize, index);
  const tree = MerkleTree.fromLeaves(tileDigests(image, samples, tileSize));
  const header: PixelHeader = {
    width: image.width,
    height: image.height,
    channels: image.channels,
    bitDepth: image.bitDepth,
  };
  return { image: header, tileSize, index, path: tree.inclusionProof(index).map(toSha256Hex) };
}

/**
 * The samples of tile `index` as a small image of its own, the form {@link verifyTileProof} takes.
 * @throws ProtocolError `INVALID_INPUT` on a malformed image, tile size or index.
 */
export function extractTile(image: PixelImage, index: number, tileSize = DEFAULT_TILE_SIZE): PixelImage {
  const rect = tileRect(image, tileSize, index);
  const rowSamples = rect.width * image.channels;
  const stride = image.width * image.channels;
  const base = { width: rect.width, height: rect.height, channels: image.channels };
  if (image.bitDepth === 8) {
    const data = new Uint8Array(rowSamples * rect.height);
    for (let row = 0; row < rect.height; row += 1) {
      const from = (rect.y + row) * stride + rect.x * image.channels;
      data.set(image.data.subarray(from, from + rowSamples), row * rowSamples);
    }
    return { ...base, bitDepth: 8, data };
  }
  const data = new Uint16Array(rowSamples * rect.height);
  for (let row = 0; row < rect.height; row += 1) {
    const from = (rect.y + row) * stride + rect.x * image.channels;
    data.set(image.data.subarray(from, from + rowSamples), row * rowSamples);
  }
  return { ...base, bitDepth: 16, data };
}

/**
 * True when `tile` (the tile's own samples, shaped as its rectangle) is tile `proof.index` of the image whose
 * tile root is `root`. Never throws: a malformed proof or tile is simply not a valid proof.
 */
export function verifyTileProof(proof: TileProof, tile: PixelImage, root: Sha256Hex): boolean {
  try {
    const rect = tileRect(proof.image, proof.tileSize, proof.index);
    if (tile.width !== rect.width || tile.height !== rect.height) return false;
    if (tile.channels !== proof.image.channels || tile.bitDepth !== proof.image.bitDepth) return false;
    const digest = tileDigest(proof.image, rect, canonicalSamples(tile));
    const { count } = tileGrid(proof.image, proof.tileSize);
    const path = proof.path.map(sha256HexToBytes);
    // The tile root wraps the Merkle root, so rebuild the Merkle root from the path and wrap it the same way.
    const merkleRoot = rootFromInclusionProof(hashLeaf(digest), proof.index, count, path);
    return merkleRoot !== null && wrapRoot(proof.image, proof.tileSize, merkleRoot) === root;
  } catch {
    return false;
  }
}

function wrapRoot(header: PixelHeader, tileSize: number, merkleRoot: Uint8Array): Sha256Hex {
  return taggedHash(DomainTag.tileRoot, encodePixelHeader(header), u32be(tileSize, 'tileSize'), merkleRoot);
}

function checkTileSize(tileSize: number): void {
  if (!Number.isInteger(tileSize) || tileSize < 1 || tileSize > MAX_TILE_SIZE) {
    invalidInput('tileSize', `must be an integer in [1, ${MAX_TILE_SIZE}], got ${tileSize}`);
  }
}

// SHA-256("veriscan/tile/v1" || 0x00 || u32 x || u32 y || tile header || tile samples).
function tileDigest(image: PixelHeader, rect: TileRect, tileSamples: Uint8Array): Uint8Array {
  const tileHeader = encodePixelHeader({ ...image, width: rect.width, height: rect.height });
  return taggedDigest(DomainTag.tile, u32be(rect.x, 'x'), u32be(rect.y, 'y'), tileHeader, tileSamples);
}

// Digests of every tile in row-major order. Each tile's whole message (tag, position, header, rows) is
// assembled in one scratch buffer and hashed in one call: per-call overhead, not hashing, dominates 2 KiB tiles.
function tileDigests(header: PixelHeader, samples: Uint8Array, tileSize: number): Uint8Array[] {
  checkCanonicalSamples(header, samples, 'image');
  const { columns, count } = tileGrid(header, tileSize);
  const pixelBytes = header.channels * bytesPerSample(header.bitDepth);
  const stride = header.width * pixelBytes;
  const tag = prefix(DomainTag.tile);
  const headerAt = tag.length;
  const samplesAt = headerAt + TILE_HEADER_BYTES;
  const scratch = Buffer.allocUnsafe(samplesAt + tileSize * tileSize * pixelBytes);
  tag.copy(scratch, 0);
  const digests: Uint8Array[] = [];
  for (let index = 0; index < count; index += 1) {
    const x = (index % columns) * tileSize;
    const y = Math.floor(index / columns) * tileSize;
    const width = Math.min(tileSize, header.width - x);
    const height = Math.min(tileSize, header.height - y);
    scratch.writeUInt32BE(x, headerAt);
    scratch.writeUInt32BE(y, headerAt + 4);
    scratch.writeUInt32BE(width, headerAt + 8);
    scratch.writeUInt32BE(height, headerAt + 12);
    scratch[headerAt + 16] = header.channels;
    scratch[headerAt + 17] = header.bitDepth;
    const rowBytes = width * pixelBytes;
    for (let row = 0; row < height; row += 1) {
      const from = (y + row) * stride + x * pixelBytes;
      scratch.set(samples.subarray(from, from + rowBytes), samplesAt + row * rowBytes);
    }
    digests.push(sha256(scratch.subarray(0, samplesAt + rowBytes * height)));
  }
  return digests;
}

// u32 x, u32 y, then the tile's own 10-byte pixel header.
const TILE_HEADER_BYTES = 18;

/**
 * Parses a tile proof; checks `index` is inside the tile grid.
 * @throws ProtocolError `INVALID_RECORD` naming the bad field.
 */
export function parseTileProof(value: unknown, path = 'tileProof'): TileProof {
  const r = new ObjectReader(value, path, ['image', 'tileSize', 'index', 'path']);
  const image = r.nested('image', (v, p) => {
    const h = new ObjectReader(v, p, ['width', 'height', 'channels', 'bitDepth']);
    return {
      width: h.int('width', 1, MAX_DIMENSION),
      height: h.int('height', 1, MAX_DIMENSION),
      channels: h.oneOf('channels', [1, 2, 3, 4] as const),
      bitDepth: h.oneOf('bitDepth', [8, 16] as const),
    };
  });
  const tileSize = r.int('tileSize', 1, MAX_TILE_SIZE);
  const tiles = Math.ceil(image.width / tileSize) * Math.ceil(image.height / tileSize);
  return {
    image,
    tileSize,
    index: r.int('index', 0, tiles - 1),
    path: parseHashList(r.raw('path'), r.path('path')),
  };
}
