import { EventFileError } from './errors';
import type {
  EventChunk,
  InvalidEventPolicy,
  ReadStats,
  TimeBackwardsPolicy,
  TruncationPolicy,
} from './types';

export const DEFAULT_CHUNK_SIZE = 65536;

/**
 * Extra slots past the chunk limit, so that a decoder may finish one input word that expands into
 * several events (an EVT 3.0 VECT_12 word gives up to 12) after the chunk is full.
 */
const CHUNK_SLACK = 16;

export interface SinkOptions {
  file: string;
  chunkSize?: number;
  onInvalidEvent?: InvalidEventPolicy;
  onTimeBackwards?: TimeBackwardsPolicy;
  onTruncated?: TruncationPolicy;
}

export function createStats(): ReadStats {
  return {
    eventCount: 0,
    onCount: 0,
    offCount: 0,
    firstTimestampUs: NaN,
    lastTimestampUs: NaN,
    minX: Infinity,
    maxX: -Infinity,
    minY: Infinity,
    maxY: -Infinity,
    skipped: {},
    counts: {},
  };
}

/**
 * Collects decoded events into fixed-size chunks and applies the invalid-event, time-order and
 * truncation policies.
 *
 * Decoders write straight into `t`, `x`, `y` and `p` at index `n` and call the methods below only
 * on the rare paths, so that their loops stay free of per-event calls. After `takeChunk` the
 * arrays are new, so a decoder must re-read them after every yield.
 */
export class EventSink {
  readonly file: string;
  readonly chunkSize: number;
  readonly stats: ReadStats = createStats();
  readonly onInvalidEvent: InvalidEventPolicy;
  readonly onTimeBackwards: TimeBackwardsPolicy;
  readonly onTruncated: TruncationPolicy;

  n = 0;
  private arrays: { t: Float64Array; x: Uint16Array; y: Uint16Array; p: Uint8Array } | null = null;
  private chunkLimit: number;
  /** Latest timestamp output so far; events earlier than it went backwards. */
  lastT = -Infinity;
  /** Coordinates must be below these; 65536 when the sensor size is unknown, which every uint16 passes. */
  width = 65536;
  height = 65536;

  constructor(options: SinkOptions) {
    this.file = options.file;
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isInteger(this.chunkSize) || this.chunkSize < 1) {
      throw new RangeError(`chunkSize must be a positive integer, got ${options.chunkSize}`);
    }
    this.onInvalidEvent = options.onInvalidEvent ?? 'error';
    this.onTimeBackwards = options.onTimeBackwards ?? 'error';
    this.onTruncated = options.onTruncated ?? 'error';
    this.chunkLimit = this.chunkSize;
  }

  // The arrays are allocated on first use, after a format has had the chance to lower the chunk
  // limit for a small file with setSizeHint.
  get t(): Float64Array {
    return (this.arrays ??= this.allocate()).t;
  }

  get x(): Uint16Array {
    return (this.arrays ??= this.allocate()).x;
  }

  get y(): Uint16Array {
    return (this.arrays ??= this.allocate()).y;
  }

  get p(): Uint8Array {
    return (this.arrays ??= this.allocate()).p;
  }

  setSensorSize(width: number, height: number): void {
    this.width = width;
    this.height = height;
  }

  /** Events per chunk in use: `chunkSize`, or fewer when the file is too small to contain that many. */
  get limit(): number {
    return this.chunkLimit;
  }

  get full(): boolean {
    return this.n >= this.chunkLimit;
  }

  /**
   * Lowers the chunk capacity to `maxEvents` when the file cannot contain more events than that,
   * so that small files do not allocate full-size chunks. Call before the first event.
   */
  setSizeHint(maxEvents: number): void {
    if (this.n !== 0) return;
    const limit = Math.max(1, Math.min(this.chunkSize, Math.ceil(maxEvents)));
    if (limit !== this.chunkLimit) {
      this.chunkLimit = limit;
      this.arrays = null;
    }
  }

  /** Hands out the events collected so far as a chunk and, unless it is the last one, starts new arrays. */
  takeChunk(last = false): EventChunk {
    const n = this.n;
    const chunk: EventChunk = {
      timestampUs: this.t.subarray(0, n),
      x: this.x.subarray(0, n),
      y: this.y.subarray(0, n),
      polarity: this.p.subarray(0, n),
      length: n,
    };
    this.addToStats(chunk);
    this.n = 0;
    this.arrays = last ? null : this.allocate();
    return chunk;
  }

  /** Counts `count` items of `kind` that were read but not output. */
  skip(kind: string, count = 1): void {
    this.stats.skipped[kind] = (this.stats.skipped[kind] ?? 0) + count;
  }

  /** Adds `count` to the informational tally `kind`. */
  count(kind: string, count = 1): void {
    this.stats.counts[kind] = (this.stats.counts[kind] ?? 0) + count;
  }

  /**
   * Applies the invalid-event policy to an event that cannot be output as decoded.
   * Throws under 'error', with the message from `describe`. Under 'skip' it counts the event
   * and returns, and the caller drops the event. The message is built only when thrown, because
   * a damaged file read with 'skip' can reject every event.
   */
  rejectInvalid(byteOffset: number, describe: () => string): void {
    if (this.onInvalidEvent === 'error') {
      throw new EventFileError(
        this.file,
        byteOffset,
        `${describe()}. Pass onInvalidEvent 'skip' (CLI: --on-invalid skip) to drop such events and count them.`,
      );
    }
    this.skip('invalidEvents');
  }

  /** Applies the invalid-event policy to an event whose coordinates lie outside the sensor. */
  rejectOutOfRange(byteOffset: number, x: number, y: number): void {
    this.rejectInvalid(byteOffset, () => `event at x=${x}, y=${y} lies outside the ${this.width}x${this.height} sensor`);
  }

  /**
   * Applies the time-order policy to an event at `t` earlier than `lastT`.
   * Returns true when the event is kept; throws under 'error'.
   */
  acceptBackwards(byteOffset: number, t: number): boolean {
    if (this.onTimeBackwards === 'error') {
      throw new EventFileError(
        this.file,
        byteOffset,
        `timestamp ${t} us is earlier than the previous event's ${this.lastT} us. ` +
          `Pass onTimeBackwards 'skip' or 'keep' (CLI: --on-backwards skip|keep) to drop or keep such events.`,
      );
    }
    if (this.onTimeBackwards === 'skip') {
      this.skip('backwardsEvents');
      return false;
    }
    this.count('backwardsEvents');
    return true;
  }

  /**
   * Applies the truncation policy when the file ends inside a record.
   * Throws under 'error'; under 'stop' records the position so the read ends there.
   */
  truncated(byteOffset: number, detail: string): void {
    if (this.onTruncated === 'error') {
      throw new EventFileError(
        this.file,
        byteOffset,
        `${detail}. The file looks truncated; pass onTruncated 'stop' (CLI: --on-truncated stop) to keep the events before this point.`,
      );
    }
    this.stats.truncated = { byteOffset, message: detail };
  }

  private allocate(): { t: Float64Array; x: Uint16Array; y: Uint16Array; p: Uint8Array } {
    const capacity = this.chunkLimit + CHUNK_SLACK;
    return {
      t: new Float64Array(capacity),
      x: new Uint16Array(capacity),
      y: new Uint16Array(capacity),
      p: new Uint8Array(capacity),
    };
  }

  private addToStats(chunk: EventChunk): void {
    const n = chunk.length;
    if (n === 0) return;
    const stats = this.stats;
    const { x, y, polarity } = chunk;
    let on = 0;
    let minX = stats.minX;
    let maxX = stats.maxX;
    let minY = stats.minY;
    let maxY = stats.maxY;
    for (let i = 0; i < n; i++) {
      on += polarity[i];
      const xi = x[i];
      const yi = y[i];
      if (xi < minX) minX = xi;
      if (xi > maxX) maxX = xi;
      if (yi < minY) minY = yi;
      if (yi > maxY) maxY = yi;
    }
    if (stats.eventCount === 0) stats.firstTimestampUs = chunk.timestampUs[0];
    stats.lastTimestampUs = chunk.timestampUs[n - 1];
    stats.eventCount += n;
    stats.onCount += on;
    stats.offCount += n - on;
    stats.minX = minX;
    stats.maxX = maxX;
    stats.minY = minY;
    stats.maxY = maxY;
  }
}
