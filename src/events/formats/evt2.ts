/**
 * Prophesee RAW EVT 2.0: a `%` text header, then 32-bit little-endian words whose top 4 bits
 * give the type. CD_OFF (0x0) and CD_ON (0x1) carry the 6 low timestamp bits in bits 27-22,
 * x in bits 21-11 and y in bits 10-0. EV_TIME_HIGH (0x8) carries timestamp bits 33-6 in bits
 * 27-0. EXT_TRIGGER (0xA), OTHERS (0xE) and CONTINUED (0xF) words are counted and skipped.
 *
 * Decoded by hand because no maintained npm package decodes EVT 2.0.
 */
import { DEFAULT_BLOCK_BYTES, decodeBlocks, type BlockDecoder } from '../blockDecoder';
import type { EventSink } from '../eventSink';
import type { FormatOpener } from './format';
import { readPropheseeRawHeader } from './propheseeHeader';

const WORD_BYTES = 4;
const TYPE_CD_OFF = 0x0;
const TYPE_CD_ON = 0x1;
const TYPE_TIME_HIGH = 0x8;
const TYPE_EXT_TRIGGER = 0xa;
const TYPE_OTHERS = 0xe;
const TYPE_CONTINUED = 0xf;

/** TIME_HIGH is 28 bits of 64 us each, so the 34-bit timestamp wraps after 2^34 us (about 4.8 hours). */
const TIME_HIGH_RANGE = 2 ** 28;
const TIME_RANGE_US = 2 ** 34;

const WORD_NAMES: Record<number, string> = {
  [TYPE_CD_OFF]: 'CD_OFF',
  [TYPE_CD_ON]: 'CD_ON',
  [TYPE_TIME_HIGH]: 'EV_TIME_HIGH',
  [TYPE_EXT_TRIGGER]: 'EXT_TRIGGER',
  [TYPE_OTHERS]: 'OTHERS',
  [TYPE_CONTINUED]: 'CONTINUED',
};

class Evt2Decoder implements BlockDecoder {
  /** Timestamp of the current TIME_HIGH in microseconds, unwrapped; -1 until the first TIME_HIGH. */
  private timeHighUs = -1;
  private lastTimeHigh = 0;
  private wrapUs = 0;
  private eventsBeforeTimeHigh = 0;
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
    let timeHighUs = this.timeHighUs;
    let i = start;

    for (; i + WORD_BYTES <= end && n < limit; i += WORD_BYTES) {
      const word = (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
      const type = word >>> 28;
      wordCounts[type]++;
      if (type <= TYPE_CD_ON) {
        if (timeHighUs < 0) {
          this.eventsBeforeTimeHigh++;
          continue;
        }
        const t = timeHighUs + ((word >>> 22) & 0x3f);
        const x = (word >>> 11) & 0x7ff;
        const y = word & 0x7ff;
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
        P[n] = type;
        n++;
      } else if (type === TYPE_TIME_HIGH) {
        const timeHigh = word & 0x0fffffff;
        // A drop larger than half the TIME_HIGH range is a wrap of the counter. A smaller drop
        // is a real step backwards, which the time-order policy handles at the next event.
        if (timeHigh < this.lastTimeHigh - TIME_HIGH_RANGE / 2) this.wrapUs += TIME_RANGE_US;
        this.lastTimeHigh = timeHigh;
        timeHighUs = this.wrapUs + timeHigh * 64;
      }
    }

    sink.n = n;
    sink.lastT = lastT;
    this.timeHighUs = timeHighUs;
    return i;
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
    if (counts[TYPE_OTHERS] + counts[TYPE_CONTINUED] > 0) {
      sink.skip('vendorWords', counts[TYPE_OTHERS] + counts[TYPE_CONTINUED]);
    }
    if (reserved > 0) sink.skip('reservedWords', reserved);
    if (this.eventsBeforeTimeHigh > 0) sink.skip('eventsBeforeTimeHigh', this.eventsBeforeTimeHigh);
    if (end > start) {
      sink.truncated(
        baseOffset + start,
        `the file ends inside a 32-bit word: ${end - start} of its ${WORD_BYTES} bytes are present`,
      );
    }
  }
}

export const openEvt2: FormatOpener = (source, options) => {
  const raw = readPropheseeRawHeader(source, 'EVT2');
  return {
    headerBytes: raw.bodyStart,
    sensorSize: raw.sensorSize,
    chip: raw.chip,
    header: raw.header,
    body: (sink) =>
      decodeBlocks(source, raw.bodyStart, source.size, new Evt2Decoder(), sink, options.blockBytes ?? DEFAULT_BLOCK_BYTES, WORD_BYTES),
  };
};
