/**
 * Prophesee RAW EVT 3.0: a `%` text header, then 16-bit little-endian words whose top 4 bits
 * give the type. The decoder keeps the state that the words update: y (ADDR_Y), the vector base
 * x and polarity (VECT_BASE_X), and the 24-bit time from TIME_HIGH (bits 23-12) and TIME_LOW
 * (bits 11-0). ADDR_X outputs one event; VECT_12 and VECT_8 output one event per set mask bit
 * at base x + bit and then advance the base by 12 or 8. Every word is decoded by its own type,
 * so a vector group cut short by another word (for example VECT_12 followed by TIME_HIGH)
 * decodes correctly.
 *
 * Decoded by hand because no maintained npm package decodes EVT 3.0.
 */
import { DEFAULT_BLOCK_BYTES, decodeBlocks, type BlockDecoder } from '../blockDecoder';
import type { EventSink } from '../eventSink';
import type { FormatOpener } from './format';
import { readPropheseeRawHeader } from './propheseeHeader';

const WORD_BYTES = 2;
const TYPE_ADDR_Y = 0x0;
const TYPE_ADDR_X = 0x2;
const TYPE_VECT_BASE_X = 0x3;
const TYPE_VECT_12 = 0x4;
const TYPE_VECT_8 = 0x5;
const TYPE_TIME_LOW = 0x6;
const TYPE_CONTINUED_4 = 0x7;
const TYPE_TIME_HIGH = 0x8;
const TYPE_EXT_TRIGGER = 0xa;
const TYPE_OTHERS = 0xe;
const TYPE_CONTINUED_12 = 0xf;

/** TIME_HIGH counts 4096 us steps in 12 bits, so the 24-bit timestamp wraps every 2^24 us (16.78 s). */
const TIME_HIGH_RANGE = 4096;
const TIME_RANGE_US = 2 ** 24;
/**
 * Pixels covered by the VECT_12, VECT_12, VECT_8 group that Prophesee sensors emit after a
 * VECT_BASE_X. A file whose last group covers fewer pixels is taken as cut inside that group.
 */
// NOTE: a recording whose last group legitimately covers fewer pixels (at a sensor edge that is
// not a multiple of 32 wide) is also reported as truncated. onTruncated 'stop' keeps its events.
const FULL_VECTOR_GROUP_PIXELS = 32;

const WORD_NAMES: Record<number, string> = {
  [TYPE_ADDR_Y]: 'EVT_ADDR_Y',
  [TYPE_ADDR_X]: 'EVT_ADDR_X',
  [TYPE_VECT_BASE_X]: 'VECT_BASE_X',
  [TYPE_VECT_12]: 'VECT_12',
  [TYPE_VECT_8]: 'VECT_8',
  [TYPE_TIME_LOW]: 'EVT_TIME_LOW',
  [TYPE_CONTINUED_4]: 'CONTINUED_4',
  [TYPE_TIME_HIGH]: 'EVT_TIME_HIGH',
  [TYPE_EXT_TRIGGER]: 'EXT_TRIGGER',
  [TYPE_OTHERS]: 'OTHERS',
  [TYPE_CONTINUED_12]: 'CONTINUED_12',
};

class Evt3Decoder implements BlockDecoder {
  private y = -1;
  private baseX = 0;
  private vectorPolarity = 0;
  /** Unwrapped TIME_HIGH part of the time in microseconds; -1 until the first TIME_HIGH. */
  private timeHighUs = -1;
  private timeUs = -1;
  private lastTimeHigh = 0;
  private wrapUs = 0;
  private eventsBeforeTimeHigh = 0;
  private eventsBeforeAddrY = 0;
  /** File offset of the last VECT_BASE_X and the pixels its group has covered so far. */
  private groupOffset = -1;
  private groupPixels = 0;
  private lastWordType = -1;
  private readonly wordCounts = new Float64Array(16);

  decode(b: Uint8Array, start: number, end: number, baseOffset: number, sink: EventSink): number {
    const T = sink.t;
    const X = sink.x;
    const Y = sink.y;
    const P = sink.p;
    const limit = sink.limit;
    const width = sink.width;
    const height = sink.height;
    const wordCounts = this.wordCounts;
    let n = sink.n;
    let lastT = sink.lastT;
    let y = this.y;
    let baseX = this.baseX;
    let timeUs = this.timeUs;
    let type = this.lastWordType;
    let i = start;

    for (; i + WORD_BYTES <= end && n < limit; i += WORD_BYTES) {
      const word = b[i] | (b[i + 1] << 8);
      type = word >>> 12;
      wordCounts[type]++;

      if (type === TYPE_ADDR_X) {
        if (timeUs < 0 || y < 0) {
          this.countStatelessEvents(timeUs, 1);
          continue;
        }
        const x = word & 0x7ff;
        if (x >= width || y >= height) {
          sink.rejectOutOfRange(baseOffset + i, x, y);
          continue;
        }
        if (timeUs < lastT) {
          sink.lastT = lastT;
          if (!sink.acceptBackwards(baseOffset + i, timeUs)) continue;
        } else {
          lastT = timeUs;
        }
        T[n] = timeUs;
        X[n] = x;
        Y[n] = y;
        P[n] = (word >>> 11) & 1;
        n++;
      } else if (type === TYPE_ADDR_Y) {
        y = word & 0x7ff;
      } else if (type === TYPE_TIME_LOW) {
        if (this.timeHighUs >= 0) timeUs = this.timeHighUs + (word & 0xfff);
      } else if (type === TYPE_TIME_HIGH) {
        const timeHigh = word & 0xfff;
        // TIME_HIGH is repeated even when unchanged. A drop larger than half its range is a wrap
        // of the 24-bit clock. A smaller drop is a real step backwards, which the time-order
        // policy handles at the next event.
        if (timeHigh < this.lastTimeHigh - TIME_HIGH_RANGE / 2) this.wrapUs += TIME_RANGE_US;
        this.lastTimeHigh = timeHigh;
        this.timeHighUs = this.wrapUs + timeHigh * TIME_HIGH_RANGE;
        timeUs = this.timeHighUs;
      } else if (type === TYPE_VECT_BASE_X) {
        baseX = word & 0x7ff;
        this.vectorPolarity = (word >>> 11) & 1;
        this.groupOffset = baseOffset + i;
        this.groupPixels = 0;
      } else if (type === TYPE_VECT_12 || type === TYPE_VECT_8) {
        const bits = type === TYPE_VECT_12 ? 12 : 8;
        const mask = word & (type === TYPE_VECT_12 ? 0xfff : 0xff);
        this.groupPixels += bits;
        if (mask !== 0) {
          if (timeUs < 0 || y < 0) {
            this.countStatelessEvents(timeUs, popCount(mask));
          } else {
            sink.n = n;
            sink.lastT = lastT;
            this.emitVector(mask, baseX, y, timeUs, baseOffset + i, sink);
            n = sink.n;
            lastT = sink.lastT;
          }
        }
        baseX += bits;
      }
    }

    sink.n = n;
    sink.lastT = lastT;
    this.y = y;
    this.baseX = baseX;
    this.timeUs = timeUs;
    this.lastWordType = type;
    return i;
  }

  /** Outputs one event per set bit of `mask` at x = baseX + bit. */
  private emitVector(mask: number, baseX: number, y: number, t: number, byteOffset: number, sink: EventSink): void {
    const T = sink.t;
    const X = sink.x;
    const Y = sink.y;
    const P = sink.p;
    const polarity = this.vectorPolarity;
    let n = sink.n;
    if (t < sink.lastT) {
      if (!sink.acceptBackwards(byteOffset, t)) return;
    } else {
      sink.lastT = t;
    }
    for (let bit = 0; mask !== 0; bit++, mask >>>= 1) {
      if ((mask & 1) === 0) continue;
      const x = baseX + bit;
      if (x >= sink.width || y >= sink.height) {
        sink.rejectOutOfRange(byteOffset, x, y);
        continue;
      }
      T[n] = t;
      X[n] = x;
      Y[n] = y;
      P[n] = polarity;
      n++;
    }
    sink.n = n;
  }

  private countStatelessEvents(timeUs: number, count: number): void {
    if (timeUs < 0) this.eventsBeforeTimeHigh += count;
    else this.eventsBeforeAddrY += count;
  }

  finish(_b: Uint8Array, start: number, end: number, baseOffset: number, sink: EventSink): void {
    const counts = this.wordCounts;
    let reserved = 0;
    for (let type = 0; type < 16; type++) {
      if (counts[type] === 0) continue;
      const name = WORD_NAMES[type];
      if (name === undefined) reserved += counts[type];
      else sink.count(`${name} words`, counts[type]);
    }
    if (counts[TYPE_EXT_TRIGGER] > 0) sink.skip('externalTriggers', counts[TYPE_EXT_TRIGGER]);
    const vendor = counts[TYPE_OTHERS] + counts[TYPE_CONTINUED_4] + counts[TYPE_CONTINUED_12];
    if (vendor > 0) sink.skip('vendorWords', vendor);
    if (reserved > 0) sink.skip('reservedWords', reserved);
    if (this.eventsBeforeTimeHigh > 0) sink.skip('eventsBeforeTimeHigh', this.eventsBeforeTimeHigh);
    if (this.eventsBeforeAddrY > 0) sink.skip('eventsBeforeAddrY', this.eventsBeforeAddrY);

    if (end > start) {
      sink.truncated(baseOffset + start, 'the file ends inside a 16-bit word: 1 of its 2 bytes is present');
      return;
    }
    const lastIsVector =
      this.lastWordType === TYPE_VECT_BASE_X || this.lastWordType === TYPE_VECT_12 || this.lastWordType === TYPE_VECT_8;
    if (lastIsVector && this.groupOffset >= 0 && this.groupPixels < FULL_VECTOR_GROUP_PIXELS) {
      sink.truncated(
        this.groupOffset,
        `the file ends inside a vector group: the VECT_BASE_X word here is followed by vector words ` +
          `for ${this.groupPixels} of ${FULL_VECTOR_GROUP_PIXELS} pixels`,
      );
    }
  }
}

function popCount(mask: number): number {
  let count = 0;
  for (; mask !== 0; mask &= mask - 1) count++;
  return count;
}

export const openEvt3: FormatOpener = (source, options) => {
  const raw = readPropheseeRawHeader(source, 'EVT3');
  return {
    headerBytes: raw.bodyStart,
    sensorSize: raw.sensorSize,
    chip: raw.chip,
    header: raw.header,
    body: (sink) =>
      // A vector word can output up to 12 events. Sizing chunks at one event per word only
      // matters for files under 128 KiB, where a vector-dense file then fills more chunks.
      decodeBlocks(
        source,
        raw.bodyStart,
        source.size,
        new Evt3Decoder(),
        sink,
        options.blockBytes ?? DEFAULT_BLOCK_BYTES,
        WORD_BYTES,
      ),
  };
};
