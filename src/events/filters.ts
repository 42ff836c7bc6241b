/**
 * Event filters that run chunk by chunk and keep per-pixel state between chunks, so that a file
 * can be filtered while it streams. Both expect events in time order.
 */
import type { EventChunk } from './types';

/** Events that entered and left one processing step. */
export interface StepCounts {
  eventsIn: number;
  eventsKept: number;
}

export interface ChunkFilter {
  readonly name: string;
  readonly counts: StepCounts;
  apply(chunk: EventChunk): EventChunk;
}

/** Copies the events whose `keep` flag is 1 into a new chunk. */
function compact(chunk: EventChunk, keep: Uint8Array, kept: number): EventChunk {
  const out: EventChunk = {
    timestampUs: new Float64Array(kept),
    x: new Uint16Array(kept),
    y: new Uint16Array(kept),
    polarity: new Uint8Array(kept),
    length: kept,
  };
  let j = 0;
  for (let i = 0; i < chunk.length; i++) {
    if (keep[i] === 0) continue;
    out.timestampUs[j] = chunk.timestampUs[i];
    out.x[j] = chunk.x[i];
    out.y[j] = chunk.y[i];
    out.polarity[j] = chunk.polarity[i];
    j++;
  }
  return out;
}

function checkSize(name: string, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`${name}: sensor width and height must be positive integers, got ${width}x${height}`);
  }
}

/**
 * Refractory filter: drops an event when the same pixel (of either polarity) had a kept event
 * less than `periodUs` earlier.
 */
export class RefractoryFilter implements ChunkFilter {
  readonly name = 'refractory';
  readonly counts: StepCounts = { eventsIn: 0, eventsKept: 0 };
  private readonly lastKeptUs: Float64Array;

  constructor(
    private readonly width: number,
    private readonly height: number,
    private readonly periodUs: number,
  ) {
    checkSize(this.name, width, height);
    if (!(periodUs >= 0)) throw new RangeError(`refractory period must be >= 0 us, got ${periodUs}`);
    this.lastKeptUs = new Float64Array(width * height).fill(-Infinity);
  }

  apply(chunk: EventChunk): EventChunk {
    const keep = new Uint8Array(chunk.length);
    const last = this.lastKeptUs;
    let kept = 0;
    for (let i = 0; i < chunk.length; i++) {
      const x = chunk.x[i];
      const y = chunk.y[i];
      if (x >= this.width || y >= this.height) continue;
      const pixel = y * this.width + x;
      const t = chunk.timestampUs[i];
      if (t - last[pixel] < this.periodUs) continue;
      last[pixel] = t;
      keep[i] = 1;
      kept++;
    }
    this.counts.eventsIn += chunk.length;
    this.counts.eventsKept += kept;
    return compact(chunk, keep, kept);
  }
}

/**
 * Background-activity filter (the nearest-neighbour filter of jAER): keeps an event only when one
 * of its 8 neighbouring pixels had an event at most `windowUs` earlier. Each event stamps its
 * neighbours but not its own pixel, so a single pixel firing alone is removed.
 */
export class BackgroundActivityFilter implements ChunkFilter {
  readonly name = 'background-activity';
  readonly counts: StepCounts = { eventsIn: 0, eventsKept: 0 };
  private readonly supportUs: Float64Array;

  constructor(
    private readonly width: number,
    private readonly height: number,
    private readonly windowUs: number,
  ) {
    checkSize(this.name, width, height);
    if (!(windowUs > 0)) throw new RangeError(`background-activity window must be > 0 us, got ${windowUs}`);
    this.supportUs = new Float64Array(width * height).fill(-Infinity);
  }

  apply(chunk: EventChunk): EventChunk {
    const keep = new Uint8Array(chunk.length);
    const support = this.supportUs;
    const width = this.width;
    const height = this.height;
    let kept = 0;
    for (let i = 0; i < chunk.length; i++) {
      const x = chunk.x[i];
      const y = chunk.y[i];
      if (x >= width || y >= height) continue;
      const t = chunk.timestampUs[i];
      if (t - support[y * width + x] <= this.windowUs) {
        keep[i] = 1;
        kept++;
      }
      const x0 = x > 0 ? x - 1 : 0;
      const x1 = x + 1 < width ? x + 1 : x;
      const y0 = y > 0 ? y - 1 : 0;
      const y1 = y + 1 < height ? y + 1 : y;
      for (let ny = y0; ny <= y1; ny++) {
        for (let nx = x0; nx <= x1; nx++) {
          if (nx !== x || ny !== y) support[ny * width + nx] = t;
        }
      }
    }
    this.counts.eventsIn += chunk.length;
    this.counts.eventsKept += kept;
    return compact(chunk, keep, kept);
  }
}
