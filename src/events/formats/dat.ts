/**
 * Prophesee DAT: `% ` text header lines, then one byte of event type and one of event size.
 * Each little-endian record is a uint32 timestamp in microseconds and a uint32 with x in bits
 * 0-13, y in bits 14-27 and the polarity in bits 28-31.
 */
import { DEFAULT_BLOCK_BYTES, decodeBlocks, type BlockDecoder } from '../blockDecoder';
import { EventFileError } from '../errors';
import type { EventSink } from '../eventSink';
import { parseKeyValueLines, readHeaderLines } from '../headerText';
import type { SensorSize } from '../types';
import type { FormatOpener } from './format';

const TIME_RANGE_US = 2 ** 32;
/** A drop larger than half the 32-bit range is taken as a clock wrap, a smaller one as a backwards step. */
const WRAP_THRESHOLD_US = 2 ** 31;
/** Event types of change-detection records: 0 in ATIS/Gen1 files (TD), 12 in later files (CD). */
const CD_EVENT_TYPES = new Set([0, 12]);
const CD_RECORD_BYTES = 8;

class DatDecoder implements BlockDecoder {
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

    for (; i + CD_RECORD_BYTES <= end && n < limit; i += CD_RECORD_BYTES) {
      const raw = (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
      const word = (b[i + 4] | (b[i + 5] << 8) | (b[i + 6] << 16) | (b[i + 7] << 24)) >>> 0;
      const x = word & 0x3fff;
      const y = (word >>> 14) & 0x3fff;
      const p = word >>> 28;
      if (raw < lastRaw - WRAP_THRESHOLD_US) wrapUs += TIME_RANGE_US;
      lastRaw = raw;
      const t = raw + wrapUs;
      if (p > 1) {
        sink.rejectInvalid(baseOffset + i, () => `event polarity field is ${p}, expected 0 or 1`);
        continue;
      }
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
      P[n] = p;
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
        `the file ends inside an event: ${end - start} of its ${CD_RECORD_BYTES} bytes are present`,
      );
    }
  }
}

function sensorSizeFromDatHeader(header: Record<string, string>): SensorSize | null {
  const width = Number.parseInt(header['Width'] ?? header['width'] ?? '', 10);
  const height = Number.parseInt(header['Height'] ?? header['height'] ?? '', 10);
  if (width > 0 && height > 0) return { width, height, source: 'header' };
  const geometry = /^(\d+)x(\d+)$/.exec(header['geometry'] ?? '');
  if (geometry) return { width: Number(geometry[1]), height: Number(geometry[2]), source: 'header' };
  return null;
}

export const openDat: FormatOpener = (source, options) => {
  const headerLines = readHeaderLines(source, '%', '% end');
  const header = parseKeyValueLines(headerLines.lines, '%');
  const typeOffset = headerLines.endOffset;
  const typeAndSize = source.readAt(typeOffset, 2);
  if (typeAndSize.length < 2) {
    throw new EventFileError(
      source.path,
      typeOffset,
      'the file ends before the DAT event type and size bytes; the file is truncated or not a DAT file',
    );
  }
  const eventType = typeAndSize[0];
  const eventBytes = typeAndSize[1];
  if (!CD_EVENT_TYPES.has(eventType) || eventBytes !== CD_RECORD_BYTES) {
    throw new EventFileError(
      source.path,
      typeOffset,
      `DAT event type ${eventType} with ${eventBytes}-byte records is not supported ` +
        `(expected change-detection type 0 or 12 with ${CD_RECORD_BYTES}-byte records); ` +
        'check that this is a CD/TD file and not an exposure-measurement or other DAT file',
    );
  }
  header['eventType'] = String(eventType);
  header['eventBytes'] = String(eventBytes);
  const bodyStart = typeOffset + 2;

  return {
    headerBytes: bodyStart,
    sensorSize: sensorSizeFromDatHeader(header),
    header,
    body: (sink) =>
      decodeBlocks(source, bodyStart, source.size, new DatDecoder(), sink, options.blockBytes ?? DEFAULT_BLOCK_BYTES, CD_RECORD_BYTES),
  };
};
