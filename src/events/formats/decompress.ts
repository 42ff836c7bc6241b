/**
 * LZ4-frame and Zstandard decompression of AEDAT 4.0 packets through the lz4js and fzstd
 * packages, with the size checks those packages leave out.
 *
 * lz4js 0.2 trusts the frame's content-size field when it allocates the output, and fzstd 0.1
 * trusts the Zstandard frame-content-size field, so a corrupted size could allocate gigabytes.
 * Both sizes are therefore checked here first. The packages throw plain Errors on invalid data;
 * `decompressPacket` turns every failure into a DecompressionError for the caller to report.
 */
import * as fzstd from 'fzstd';
// lz4js ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lz4js: { decompress(src: Uint8Array, maxSize: number): Uint8Array } = require('lz4js');

export class DecompressionError extends Error {}

const LZ4_MAGIC = 0x184d2204;
/** LZ4 block maximum sizes selected by bits 6-4 of the frame's BD byte (values 4-7). */
const LZ4_BLOCK_MAX_BYTES: Record<number, number> = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 };
/** An LZ4 block expands at most about 255 times (one literal-length byte per 255 output bytes). */
const LZ4_MAX_RATIO = 255;
const ZSTD_MAGIC = 0xfd2fb528;

/**
 * Returns an upper bound of the decompressed size of one LZ4 frame, walking its block headers
 * with bounds checks, or throws DecompressionError for a malformed frame.
 */
function lz4FrameBound(src: Uint8Array): number {
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  if (src.length < 7 || view.getUint32(0, true) !== LZ4_MAGIC) {
    throw new DecompressionError('not an LZ4 frame (missing magic number 0x184D2204)');
  }
  const flags = src[4];
  if ((flags >> 6) !== 1) throw new DecompressionError(`unsupported LZ4 frame version ${flags >> 6}`);
  if ((flags & 0x01) !== 0) throw new DecompressionError('LZ4 frames with a dictionary ID are not supported');
  const blockChecksums = (flags & 0x10) !== 0;
  const contentSizePresent = (flags & 0x08) !== 0;
  const maxBlock = LZ4_BLOCK_MAX_BYTES[(src[5] >> 4) & 7];
  if (maxBlock === undefined) throw new DecompressionError(`invalid LZ4 block size code ${(src[5] >> 4) & 7}`);
  let pos = 6 + (contentSizePresent ? 8 : 0) + 1;
  let bound = 0;
  for (;;) {
    if (pos + 4 > src.length) throw new DecompressionError('LZ4 frame ends inside a block header');
    const header = view.getUint32(pos, true);
    pos += 4;
    if (header === 0) break;
    const size = header & 0x7fffffff;
    const uncompressed = (header & 0x80000000) !== 0;
    if (size > maxBlock) throw new DecompressionError(`LZ4 block of ${size} bytes exceeds the frame's ${maxBlock}-byte block size`);
    pos += size + (blockChecksums ? 4 : 0);
    if (pos > src.length) throw new DecompressionError('LZ4 frame ends inside a block');
    bound += uncompressed ? size : Math.min(maxBlock, size * LZ4_MAX_RATIO + 16);
  }
  return bound;
}

/**
 * Returns the size that fzstd allocates for a Zstandard frame: the frame-content-size field when
 * present, else the window size.
 */
function zstdAllocationSize(src: Uint8Array): number {
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  if (src.length < 6 || view.getUint32(0, true) !== ZSTD_MAGIC) {
    throw new DecompressionError('not a Zstandard frame (missing magic number 0xFD2FB528)');
  }
  const descriptor = src[4];
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3];
  const sizeBytes = sizeFlag === 0 ? singleSegment : 1 << sizeFlag;
  let windowBytes = 0;
  if (!singleSegment) {
    const exponent = src[5] >> 3;
    const base = 2 ** (10 + exponent);
    windowBytes = base + (base / 8) * (src[5] & 7);
  }
  if (sizeBytes === 0) return windowBytes;
  const at = 5 + (singleSegment ? 0 : 1) + dictionaryBytes;
  if (at + sizeBytes > src.length) throw new DecompressionError('Zstandard frame header is incomplete');
  let size = 0;
  for (let k = sizeBytes - 1; k >= 0; k--) size = size * 256 + src[at + k];
  if (sizeBytes === 2) size += 256;
  return Math.max(size, windowBytes);
}

/**
 * Decompresses one AEDAT 4.0 packet. `compression` is the IOHeader code: 0 none, 1 LZ4,
 * 2 LZ4 high-compression, 3 Zstandard, 4 Zstandard high-compression.
 */
export function decompressPacket(payload: Uint8Array, compression: number, maxBytes: number): Uint8Array {
  if (compression === 0) return payload;
  if (compression === 1 || compression === 2) {
    const bound = lz4FrameBound(payload);
    if (bound > maxBytes) {
      throw new DecompressionError(`the LZ4 packet may expand to ${bound} bytes, above the ${maxBytes}-byte limit`);
    }
    try {
      return lz4js.decompress(payload, bound);
    } catch (error) {
      throw new DecompressionError(`invalid LZ4 data (${(error as Error).message})`);
    }
  }
  if (compression === 3 || compression === 4) {
    const size = zstdAllocationSize(payload);
    if (size > maxBytes) {
      throw new DecompressionError(`the Zstandard packet needs a ${size}-byte buffer, above the ${maxBytes}-byte limit`);
    }
    try {
      return fzstd.decompress(payload);
    } catch (error) {
      throw new DecompressionError(`invalid Zstandard data (${(error as Error).message})`);
    }
  }
  throw new DecompressionError(`unknown compression code ${compression}`);
}
