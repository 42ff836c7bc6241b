/**
 * Event Stream (`.es`) version 2: the ASCII bytes `Event Stream`, major/minor/patch version bytes,
 * a stream type byte, and for DVS and ATIS streams the sensor width and height as uint16 LE.
 *
 * DVS events: a byte with the 7-bit time delta in bits 7-1 and the polarity in bit 0, then x and
 * y as uint16 LE. 0xFF is an overflow byte that adds 127 us, 0xFE a reset byte.
 * ATIS events: a byte with the 6-bit time delta in bits 7-2, the polarity in bit 1 and the
 * threshold-crossing flag in bit 0, then x and y. Bytes 0b111111xx are overflows that add
 * 63 us times xx, and 0xFC is a reset. Threshold crossings (exposure measurements) are counted
 * and skipped; only change-detection events are output.
 *
 * Decoded by hand because no maintained npm package decodes Event Stream files.
 */
import { DEFAULT_BLOCK_BYTES, decodeBlocks, type BlockDecoder } from '../blockDecoder';
import { EventFileError } from '../errors';
import type { EventSink } from '../eventSink';
import type { FormatOpener } from './format';

const MAGIC = 'Event Stream';
const HEADER_BYTES = 20;
const EVENT_BYTES = 5;
const STREAM_TYPE_NAMES = ['generic', 'dvs', 'atis', 'asynchronous display', 'color'];
const STREAM_TYPE_DVS = 1;
const STREAM_TYPE_ATIS = 2;

const DVS_OVERFLOW = 0xff;
const DVS_RESET = 0xfe;
const DVS_OVERFLOW_US = 127;
const ATIS_RESET = 0xfc;
const ATIS_OVERFLOW_MASK = 0xfc;
const ATIS_OVERFLOW_US = 63;

class EventStreamDecoder implements BlockDecoder {
  private timeUs = 0;
  private overflowBytes = 0;
  private resetBytes = 0;
  private thresholdCrossings = 0;

  constructor(private readonly isAtis: boolean) {}

  decode(b: Uint8Array, start: number, end: number, baseOffset: number, sink: EventSink): number {
    const T = sink.t;
    const X = sink.x;
    const Y = sink.y;
    const P = sink.p;
    const limit = sink.limit;
    const width = sink.width;
    const height = sink.height;
    const isAtis = this.isAtis;
    let n = sink.n;
    let timeUs = this.timeUs;
    let i = start;

    while (i < end && n < limit) {
      const first = b[i];
      let polarity: number;
      if (isAtis) {
        if ((first & ATIS_OVERFLOW_MASK) === ATIS_OVERFLOW_MASK) {
          if (first === ATIS_RESET) this.resetBytes++;
          else {
            timeUs += ATIS_OVERFLOW_US * (first & 0x03);
            this.overflowBytes++;
          }
          i++;
          continue;
        }
        if (i + EVENT_BYTES > end) break;
        timeUs += first >>> 2;
        if (first & 1) {
          this.thresholdCrossings++;
          i += EVENT_BYTES;
          continue;
        }
        polarity = (first >>> 1) & 1;
      } else {
        if (first === DVS_OVERFLOW) {
          timeUs += DVS_OVERFLOW_US;
          this.overflowBytes++;
          i++;
          continue;
        }
        if (first === DVS_RESET) {
          this.resetBytes++;
          i++;
          continue;
        }
        if (i + EVENT_BYTES > end) break;
        timeUs += first >>> 1;
        polarity = first & 1;
      }
      const x = b[i + 1] | (b[i + 2] << 8);
      const y = b[i + 3] | (b[i + 4] << 8);
      if (x >= width || y >= height) {
        sink.rejectOutOfRange(baseOffset + i, x, y);
      } else {
        T[n] = timeUs;
        X[n] = x;
        Y[n] = y;
        P[n] = polarity;
        n++;
      }
      i += EVENT_BYTES;
    }

    sink.n = n;
    sink.lastT = timeUs;
    this.timeUs = timeUs;
    return i;
  }

  finish(_b: Uint8Array, start: number, end: number, baseOffset: number, sink: EventSink): void {
    if (this.overflowBytes > 0) sink.count('overflowBytes', this.overflowBytes);
    if (this.resetBytes > 0) sink.count('resetBytes', this.resetBytes);
    if (this.thresholdCrossings > 0) sink.skip('thresholdCrossings', this.thresholdCrossings);
    if (end > start) {
      sink.truncated(
        baseOffset + start,
        `the file ends inside an event: ${end - start} of its ${EVENT_BYTES} bytes are present`,
      );
    }
  }
}

export const openEventStream: FormatOpener = (source, options) => {
  const head = source.readAt(0, HEADER_BYTES);
  if (head.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new EventFileError(
      source.path,
      0,
      `expected the Event Stream magic bytes "${MAGIC}"; check the file or pass the right format`,
    );
  }
  if (head.length < 16) {
    throw new EventFileError(source.path, head.length, 'the file ends inside the Event Stream header');
  }
  const [major, minor, patch, streamType] = [head[12], head[13], head[14], head[15]];
  const version = `${major}.${minor}.${patch}`;
  if (major !== 2) {
    throw new EventFileError(
      source.path,
      12,
      `Event Stream version ${version} is not supported (only 2.x is); convert the file with a current Event Stream tool`,
    );
  }
  if (streamType !== STREAM_TYPE_DVS && streamType !== STREAM_TYPE_ATIS) {
    const name = STREAM_TYPE_NAMES[streamType] ?? `unknown (${streamType})`;
    throw new EventFileError(
      source.path,
      15,
      `Event Stream type ${name} holds no polarity events; only DVS (1) and ATIS (2) streams are read`,
    );
  }
  if (head.length < HEADER_BYTES) {
    throw new EventFileError(source.path, head.length, 'the file ends inside the Event Stream header (width and height)');
  }
  const width = head.readUInt16LE(16);
  const height = head.readUInt16LE(18);
  const isAtis = streamType === STREAM_TYPE_ATIS;

  return {
    headerBytes: HEADER_BYTES,
    sensorSize: { width, height, source: 'header' },
    header: {
      version,
      type: STREAM_TYPE_NAMES[streamType],
      width: String(width),
      height: String(height),
    },
    body: (sink) =>
      decodeBlocks(
        source,
        HEADER_BYTES,
        source.size,
        new EventStreamDecoder(isAtis),
        sink,
        options.blockBytes ?? DEFAULT_BLOCK_BYTES,
        EVENT_BYTES,
      ),
  };
};
