import { readTraceFile } from '../../capture/trace-io';
import { unpackBitmap } from '../../capture/trace-query';
import { TraceFile } from '../../capture/trace-types';
import { NETWORK_INPUT, ResolvedNetwork } from '../../spec/network';
import { SpikeFrames, TensorSpikes } from './spike-frames';

/** An unusable trace for a simulation: wrong network, too few timesteps, or no such sample. */
export class TraceMismatchError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'TraceMismatchError';
  }
}

/**
 * Takes the spikes of one sample of a trace (proto/trace.proto) for the simulator: the network
 * input and every layer's output. Each tensor gets bitmaps when the trace has them, else its
 * per-tile counts, else its per-timestep firing rate.
 */
export function spikeFramesFromTrace(trace: TraceFile, network: ResolvedNetwork, sampleIndex: number, source: string): SpikeFrames {
  const header = trace.header;
  if (header.networkName !== network.name) {
    throw new TraceMismatchError(source, `the trace is of network '${header.networkName}', not '${network.name}'; capture a trace of '${network.name}' or pick its network`);
  }
  if (header.timesteps < network.timesteps) {
    throw new TraceMismatchError(source, `the trace has ${header.timesteps} timesteps but '${network.name}' runs ${network.timesteps}; capture a new trace with 'stemsim capture' from the network spec, which sets T`);
  }
  if (!Number.isInteger(sampleIndex) || sampleIndex < 0 || sampleIndex >= trace.samples.length) {
    throw new TraceMismatchError(source, `sample ${sampleIndex} does not exist; the trace has samples 0 to ${trace.samples.length - 1}`);
  }
  const sample = trace.samples[sampleIndex];
  const timesteps = network.timesteps;
  const tensors = new Map<string, TensorSpikes>();

  const input = header.input;
  const inputShape = { channels: input.channels, height: input.height, width: input.width };
  const inputElements = input.channels * input.height * input.width;
  const inputSteps = sample.input.slice(0, timesteps);
  tensors.set(
    NETWORK_INPUT,
    header.hasBitmaps
      ? { shape: inputShape, frames: inputSteps.map((step) => unpackBitmap(step.bitmap, inputElements)) }
      : { shape: inputShape, rates: inputSteps.map((step) => step.nonzeroCount / inputElements) },
  );

  header.layers.forEach((info, layerIndex) => {
    const shape = { channels: info.channels, height: info.height, width: info.width };
    const neurons = info.channels * info.height * info.width;
    const steps = Array.from({ length: timesteps }, (_, t) => sample.records[t * header.layers.length + layerIndex]);
    if (header.hasBitmaps) {
      tensors.set(info.name, { shape, frames: steps.map((step) => unpackBitmap(step.spikeBitmap, neurons)) });
    } else if (info.tileRows * info.tileColumns > 0 && steps.every((step) => step.tileCounts.length === info.tileRows * info.tileColumns)) {
      const tileShape = { channels: info.channels, height: header.tileHeight, width: header.tileWidth };
      tensors.set(info.name, { shape, tileCounts: { tileShape, counts: steps.map((step) => step.tileCounts) } });
    } else {
      tensors.set(info.name, { shape, rates: steps.map((step) => step.firingRate) });
    }
  });
  return { network: network.name, timesteps, tensors };
}

/** Reads a trace file and takes one sample's spikes for `network`. */
export function readSpikeFrames(file: string, network: ResolvedNetwork, sampleIndex = 0): SpikeFrames {
  return spikeFramesFromTrace(readTraceFile(file), network, sampleIndex, file);
}
