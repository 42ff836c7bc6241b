import type { ActivityShape } from './array-runner';

/**
 * Summary of one layer's output that a trace stores, per timestep and sample ([T][B] order).
 * A "spike" is a nonzero output: a spike of a spiking layer, a nonzero activation level of a
 * quantised ReLU layer, a nonzero sum or maximum of an add or pool layer.
 */
export interface LayerActivity {
  shape: ActivityShape;
  tileHeight: number;
  tileWidth: number;
  tileRows: number;
  tileColumns: number;
  /** [T][B]: nonzero outputs. */
  spikeCount: Uint32Array;
  /** [T][B]: sum of the output values (equal to spikeCount for a spiking layer). */
  outputSum: Float64Array;
  /** [T][B][C]: nonzero outputs per output channel. */
  channelCounts: Uint32Array;
  /** [T][B][tileRows][tileColumns]: nonzero outputs per spatial tile, all channels together. */
  tileCounts: Uint32Array;
  /** [T][B] packed bitmaps of the nonzero outputs, or null when bitmaps are off. */
  bitmaps: Uint8Array[] | null;
}

/** Bytes of a packed bitmap of `neurons` bits. */
export function bitmapBytes(neurons: number): number {
  return Math.ceil(neurons / 8);
}

/**
 * Counts the nonzero outputs of a layer ([T][B][H][W][C], channels last) per timestep, sample,
 * channel and tile, and packs them into bitmaps when asked. Bit i of a bitmap is neuron
 * i = (c * H + y) * W + x, at byte i >> 3, bit i & 7 (least significant bit first); tiles of
 * tileHeight x tileWidth start at (0, 0), and the last row and column of tiles may be smaller.
 */
export function summariseActivity(
  output: Float32Array,
  shape: ActivityShape,
  tile: { height: number; width: number },
  withBitmaps: boolean,
): LayerActivity {
  const { timesteps, batch, height, width, channels } = shape;
  const tileHeight = Math.min(tile.height, height);
  const tileWidth = Math.min(tile.width, width);
  const tileRows = Math.ceil(height / tileHeight);
  const tileColumns = Math.ceil(width / tileWidth);
  const samples = timesteps * batch;
  const planeSize = height * width;

  const spikeCount = new Uint32Array(samples);
  const outputSum = new Float64Array(samples);
  const channelCounts = new Uint32Array(samples * channels);
  const tileCounts = new Uint32Array(samples * tileRows * tileColumns);
  const bitmaps: Uint8Array[] | null = withBitmaps ? [] : null;

  let index = 0;
  for (let sample = 0; sample < samples; sample++) {
    const bitmap = withBitmaps ? new Uint8Array(bitmapBytes(channels * planeSize)) : null;
    const channelBase = sample * channels;
    const tileBase = sample * tileRows * tileColumns;
    let count = 0;
    let sum = 0;
    for (let y = 0; y < height; y++) {
      const tileRowBase = tileBase + Math.floor(y / tileHeight) * tileColumns;
      for (let x = 0; x < width; x++) {
        const tileIndex = tileRowBase + Math.floor(x / tileWidth);
        for (let c = 0; c < channels; c++, index++) {
          const value = output[index];
          if (value === 0) continue;
          count++;
          sum += value;
          channelCounts[channelBase + c]++;
          tileCounts[tileIndex]++;
          if (bitmap) {
            const bit = c * planeSize + y * width + x;
            bitmap[bit >> 3] |= 1 << (bit & 7);
          }
        }
      }
    }
    spikeCount[sample] = count;
    outputSum[sample] = sum;
    bitmaps?.push(bitmap!);
  }
  return { shape, tileHeight, tileWidth, tileRows, tileColumns, spikeCount, outputSum, channelCounts, tileCounts, bitmaps };
}
