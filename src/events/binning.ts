/**
 * Accumulation of events into T frames of 2 polarity channels, laid out [T][2][H][W] in a
 * Float32Array. Channel 0 contains OFF events and channel 1 ON events (the polarity value).
 */
import type { EventChunk } from './types';

export type BinMethod = 'time' | 'count';
export type BinValue = 'count' | 'binary';

export interface FrameBinnerOptions {
  timesteps: number;
  height: number;
  width: number;
  /** 'time': equal time windows; 'count': equal numbers of events per frame. */
  method: BinMethod;
  /** 'count': events per pixel; 'binary': 1 where a pixel had any event. */
  value: BinValue;
  /** Time method: start of the first window (default the first event's time). */
  startUs: number;
  /**
   * Time method: window length. When omitted, the windows split [startUs, endUs] into
   * `timesteps` equal parts and the event at endUs goes into the last frame.
   */
  binWidthUs?: number;
  /** Time method without binWidthUs: time of the last event. */
  endUs?: number;
  /** Count method: total number of events that will be added. */
  totalEvents?: number;
}

export class FrameBinner {
  readonly frames: Float32Array;
  readonly eventsPerBin: number[];
  /** Events outside the time windows (time method with an explicit binWidthUs or startUs). */
  eventsOutside = 0;
  eventsIn = 0;
  readonly binWidthUs: number | null;
  private eventIndex = 0;

  constructor(private readonly options: FrameBinnerOptions) {
    const { timesteps, height, width, method } = options;
    for (const [name, value] of Object.entries({ timesteps, height, width })) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    this.frames = new Float32Array(timesteps * 2 * height * width);
    this.eventsPerBin = new Array<number>(timesteps).fill(0);
    if (method === 'time') {
      if (options.binWidthUs !== undefined) {
        if (!(options.binWidthUs > 0)) throw new RangeError(`binWidthUs must be > 0, got ${options.binWidthUs}`);
        this.binWidthUs = options.binWidthUs;
      } else {
        const spanUs = Math.max(0, (options.endUs ?? options.startUs) - options.startUs);
        this.binWidthUs = spanUs > 0 ? spanUs / timesteps : 1;
      }
    } else {
      if (options.totalEvents === undefined || options.totalEvents < 0) {
        throw new RangeError('the count method needs totalEvents, the number of events to be binned');
      }
      this.binWidthUs = null;
    }
  }

  add(chunk: EventChunk): void {
    const { timesteps, height, width, method, value, startUs } = this.options;
    const planeSize = height * width;
    const frames = this.frames;
    const perBin = this.eventsPerBin;
    const binary = value === 'binary';
    const explicitWidth = this.options.binWidthUs !== undefined;
    const binWidth = this.binWidthUs ?? 1;
    const total = this.options.totalEvents ?? 0;
    this.eventsIn += chunk.length;

    for (let i = 0; i < chunk.length; i++) {
      let bin: number;
      if (method === 'time') {
        bin = Math.floor((chunk.timestampUs[i] - startUs) / binWidth);
        if (!explicitWidth && bin === timesteps) bin = timesteps - 1;
        if (bin < 0 || bin >= timesteps) {
          this.eventsOutside++;
          continue;
        }
      } else {
        if (this.eventIndex >= total) {
          this.eventsOutside++;
          continue;
        }
        bin = Math.floor((this.eventIndex * timesteps) / total);
        this.eventIndex++;
      }
      const x = chunk.x[i];
      const y = chunk.y[i];
      if (x >= width || y >= height) {
        this.eventsOutside++;
        continue;
      }
      const index = (bin * 2 + chunk.polarity[i]) * planeSize + y * width + x;
      if (binary) frames[index] = 1;
      else frames[index] += 1;
      perBin[bin]++;
    }
  }
}
