import { CaptureError } from './errors';
import type { LayerInfo, LayerStep, TraceHeader, TraceSample } from './trace-types';

/** Returns the index of a layer in the header's layer table; a number passes through after a range check. */
export function layerIndex(header: TraceHeader, layer: string | number): number {
  if (typeof layer === 'number') {
    if (!Number.isInteger(layer) || layer < 0 || layer >= header.layers.length) {
      throw new RangeError(`layer index ${layer} is outside 0..${header.layers.length - 1} of network '${header.networkName}'`);
    }
    return layer;
  }
  const index = header.layers.findIndex((info) => info.name === layer);
  if (index < 0) {
    throw new RangeError(
      `network '${header.networkName}' has no layer '${layer}'; its layers are ${header.layers.map((info) => info.name).join(', ')}`,
    );
  }
  return index;
}

/** Returns the record of one layer at one timestep of a sample. */
export function layerStep(header: TraceHeader, sample: TraceSample, layer: string | number, timestep: number): LayerStep {
  const index = layerIndex(header, layer);
  if (!Number.isInteger(timestep) || timestep < 0 || timestep >= header.timesteps) {
    throw new RangeError(`timestep ${timestep} is outside 0..${header.timesteps - 1}`);
  }
  const record = sample.records[timestep * header.layers.length + index];
  if (!record || record.timestep !== timestep || record.layerIndex !== index) {
    throw new CaptureError(sample.sampleId, `record for layer ${index} at timestep ${timestep} is missing or out of order`);
  }
  return record;
}

/**
 * Returns the packed output spike bitmap of a layer at a timestep: neuron (c, y, x) of the layer is bit
 * ((c * height + y) * width + x), least significant bit first. Raises when the trace was captured without bitmaps.
 */
export function spikeBitmap(header: TraceHeader, sample: TraceSample, layer: string | number, timestep: number): Uint8Array {
  if (!header.hasBitmaps) {
    throw new CaptureError(
      sample.sampleId,
      `the trace of network '${header.networkName}' was captured without bitmaps; recapture with --bitmaps`,
    );
  }
  return layerStep(header, sample, layer, timestep).spikeBitmap;
}

export function neuronCount(info: Pick<LayerInfo, 'channels' | 'height' | 'width'>): number {
  return info.channels * info.height * info.width;
}

/** Returns the position of neuron (channel, y, x) in a layer's bitmap. */
export function neuronIndex(info: Pick<LayerInfo, 'channels' | 'height' | 'width'>, channel: number, y: number, x: number): number {
  return (channel * info.height + y) * info.width + x;
}

export function isBitSet(bitmap: Uint8Array, index: number): boolean {
  return (bitmap[index >> 3] & (1 << (index & 7))) !== 0;
}

/** Unpacks a bitmap into one byte (0 or 1) per neuron. */
export function unpackBitmap(bitmap: Uint8Array, neurons: number): Uint8Array {
  const values = new Uint8Array(neurons);
  for (let i = 0; i < neurons; i++) values[i] = isBitSet(bitmap, i) ? 1 : 0;
  return values;
}

/** Counts the set bits. */
export function countBits(bitmap: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < bitmap.length; i++) {
    let byte = bitmap[i];
    while (byte !== 0) {
      byte &= byte - 1;
      count++;
    }
  }
  return count;
}
