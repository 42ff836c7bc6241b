/**
 * N-MNIST / N-Caltech101 binary (`.bin`, `.bs2`): no header, 5 bytes per event.
 * Byte 0 is x, byte 1 is y, the top bit of byte 2 is the polarity (1 = ON), and the low 7 bits
 * of byte 2 with bytes 3-4 (big-endian) form a 23-bit timestamp in microseconds.
 */
import { DEFAULT_BLOCK_BYTES, decodeBlocks, type BlockDecoder } from '../blockDecoder';
import type { EventSink } from '../eventSink';
import type { FormatOpener } from './format';

const RECORD_BYTES = 5;
const TIME_RANGE_US = 1 << 23;
/** A drop larger than half the 23-bit range is taken as a clock wrap, a smaller one as a backwards step. */
const WRAP_THRESHOLD_US = 1 << 22;

class NmnistDecoder implements BlockDecoder {
  private lastRaw = 0;
  private wrapUs = 0;

  decode(b: Uint8Array, start: number, end: number, baseOffset: number, sink: EventSink): number {
    const T = sink.t;
    const X = sink.x;
    const Y = sink.y;
    const P = sink.p;
    const limit = sink.limit;
    const width = sink.width;
    const height = sink.height;
    let n = sink.n;
    let lastT = sink.lastT;
    let lastRaw = this.lastRaw;
    let wrapUs = this.wrapUs;
    let i = start;

    for (; i + RECORD_BYTES <= end && n < limit; i += RECORD_BYTES) {
      const x = b[i];
      const y = b[i + 1];
      const b2 = b[i + 2];
      const raw = ((b2 & 0x7f) << 16) | (b[i + 3] << 8) | b[i + 4];
      if (raw < lastRaw - WRAP_THRESHOLD_US) wrapUs += TIME_RANGE_US;
      lastRaw = raw;
      const t = raw + wrapUs;
      if (x >= width || y >= height) {
        sink.rejectOutOfRange(baseOffset + i, x, y);
        continue;
      }
      if (t < lastT) {
        sink.lastT = lastT;
        if (!sink.acceptBackwards(baseOffset + i, t)) continue;
      } else {
        lastT = t;
      }
      T[n] = t;
      X[n] = x;
      Y[n] = y;
      P[n] = b2 >> 7;
      n++;
    }

    sink.n = n;
    sink.lastT = lastT;
    this.lastRaw = lastRaw;
    this.wrapUs = wrapUs;
    return i;
  }

  finish(_b: Uint8Array, start: number, end: number, baseOffset: number, sink: EventSink): void {
    if (end > start) {
      sink.truncated(
        baseOffset + start,
        `the file ends inside an event: ${end - start} of its ${RECORD_BYTES} bytes are present ` +
          `(N-MNIST file sizes are multiples of ${RECORD_BYTES})`,
      );
    }
  }
}

export const openNmnist: FormatOpener = (source, options) => ({
  headerBytes: 0,
  sensorSize: null,
  header: {},
  body: (sink) =>
    decodeBlocks(source, 0, source.size, new NmnistDecoder(), sink, options.blockBytes ?? DEFAULT_BLOCK_BYTES, RECORD_BYTES),
});
