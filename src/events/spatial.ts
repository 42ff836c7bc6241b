/**
 * Maps sensor coordinates onto a network's input grid, by pooling (downsampling) or cropping.
 */
import type { ChunkFilter, StepCounts } from './filters';
import type { EventChunk } from './types';

export type SpatialMode = 'pool' | 'crop';

export interface SpatialOptions {
  sensorWidth: number;
  sensorHeight: number;
  outputWidth: number;
  outputHeight: number;
  /**
   * 'pool' scales coordinates by output/sensor size (x' = floor(x * W / sensorWidth)), so every
   * event lands in the grid. 'crop' keeps the window starting at (cropX, cropY) and drops events
   * outside it.
   */
  mode: SpatialMode;
  /** Left edge of the crop window; default centres the window (negative values pad). */
  cropX?: number;
  cropY?: number;
}

export class SpatialMapper implements ChunkFilter {
  readonly name: string;
  readonly counts: StepCounts = { eventsIn: 0, eventsKept: 0 };
  readonly cropX: number;
  readonly cropY: number;

  constructor(private readonly options: SpatialOptions) {
    const { sensorWidth, sensorHeight, outputWidth, outputHeight } = options;
    for (const [name, value] of Object.entries({ sensorWidth, sensorHeight, outputWidth, outputHeight })) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
    this.name = options.mode === 'pool' ? 'pool' : 'crop';
    this.cropX = options.cropX ?? Math.floor((sensorWidth - outputWidth) / 2);
    this.cropY = options.cropY ?? Math.floor((sensorHeight - outputHeight) / 2);
  }

  apply(chunk: EventChunk): EventChunk {
    const { sensorWidth, sensorHeight, outputWidth, outputHeight } = this.options;
    const n = chunk.length;
    const x = new Uint16Array(n);
    const y = new Uint16Array(n);
    const t = new Float64Array(n);
    const p = new Uint8Array(n);
    const pool = this.options.mode === 'pool';
    let kept = 0;

    for (let i = 0; i < n; i++) {
      let xo: number;
      let yo: number;
      if (pool) {
        xo = Math.floor((chunk.x[i] * outputWidth) / sensorWidth);
        yo = Math.floor((chunk.y[i] * outputHeight) / sensorHeight);
      } else {
        xo = chunk.x[i] - this.cropX;
        yo = chunk.y[i] - this.cropY;
      }
      if (xo < 0 || yo < 0 || xo >= outputWidth || yo >= outputHeight) continue;
      x[kept] = xo;
      y[kept] = yo;
      t[kept] = chunk.timestampUs[i];
      p[kept] = chunk.polarity[i];
      kept++;
    }

    this.counts.eventsIn += n;
    this.counts.eventsKept += kept;
    return {
      timestampUs: t.subarray(0, kept),
      x: x.subarray(0, kept),
      y: y.subarray(0, kept),
      polarity: p.subarray(0, kept),
      length: kept,
    };
  }
}
