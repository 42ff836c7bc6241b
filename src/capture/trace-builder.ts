import type { ResolvedNetwork } from '../spec/network';
import { bitmapBytes, type LayerActivity } from './activity';
import type { LayerArrays } from './array-runner';
import type { NeuronParams } from './neuron';
import { TRACE_FORMAT_VERSION, type InputStep, type LayerStep, type TraceHeader } from './trace-types';
import type { NetworkWeights } from './weights';

export interface TileSize {
  height: number;
  width: number;
}

export interface HeaderContext {
  network: ResolvedNetwork;
  specSha256: string;
  weights: NetworkWeights;
  /** The neuron each layer runs with, in layer order (thresholds from the weights where they set them). */
  neurons: NeuronParams[];
  backend: string;
  binWidthUs: number;
  tile: TileSize;
  bitmaps: boolean;
}

export function buildTraceHeader(context: HeaderContext): TraceHeader {
  const { network, weights, tile } = context;
  return {
    formatVersion: TRACE_FORMAT_VERSION,
    generator: `stemsim ${require('../../package.json').version}`,
    networkName: network.name,
    networkSpecSha256: context.specSha256,
    weightsSha256: weights.sha256,
    weightsOrigin: weights.metadata.origin,
    weightsSeed: weights.metadata.seed,
    backend: context.backend,
    timesteps: network.timesteps,
    binWidthUs: context.binWidthUs,
    tileHeight: tile.height,
    tileWidth: tile.width,
    hasBitmaps: context.bitmaps,
    input: { ...network.input },
    layers: network.layers.map((layer, index) => {
      const { channels, height, width } = layer.outputShape;
      const neuron = context.neurons[index];
      return {
        name: layer.name,
        type: layer.type,
        neuronModel: neuron.model,
        channels,
        height,
        width,
        threshold: neuron.threshold,
        decay: neuron.decay,
        stateful: neuron.stateful,
        tileRows: Math.ceil(height / Math.min(tile.height, height)),
        tileColumns: Math.ceil(width / Math.min(tile.width, width)),
        inputs: [...layer.inputs],
      };
    }),
  };
}

/** Per-layer result of a run that the trace needs: the activity summary and the neuron statistics. */
export interface LayerSummary {
  activity: LayerActivity;
  state: LayerArrays['state'];
}

/** Builds the records of sample `b` of a run, timestep-major, layers in spec order. */
export function buildLayerSteps(summaries: LayerSummary[], b: number): LayerStep[] {
  const records: LayerStep[] = [];
  const { timesteps, batch } = summaries[0].activity.shape;
  for (let t = 0; t < timesteps; t++) {
    const sample = t * batch + b;
    summaries.forEach(({ activity, state }, layerIndex) => {
      const { height, width, channels } = activity.shape;
      const neurons = height * width * channels;
      const tiles = activity.tileRows * activity.tileColumns;
      records.push({
        timestep: t,
        layerIndex,
        spikeCount: activity.spikeCount[sample],
        firingRate: activity.spikeCount[sample] / neurons,
        outputSum: activity.outputSum[sample],
        spikeBitmap: activity.bitmaps ? activity.bitmaps[sample] : new Uint8Array(0),
        channelCounts: Array.from(activity.channelCounts.subarray(sample * channels, (sample + 1) * channels)),
        tileCounts: Array.from(activity.tileCounts.subarray(sample * tiles, (sample + 1) * tiles)),
        state: state
          ? {
              changedCount: state.changedCount[sample],
              changedFraction: state.changedCount[sample] / neurons,
              min: state.minPotential[sample],
              max: state.maxPotential[sample],
            }
          : null,
      });
    });
  }
  return records;
}

/** Builds the per-timestep input records from a sample's frames ([T][C][H][W]). */
export function buildInputSteps(frames: Float32Array, eventsPerStep: number[], timesteps: number, withBitmaps: boolean): InputStep[] {
  const perStep = frames.length / timesteps;
  const steps: InputStep[] = [];
  for (let t = 0; t < timesteps; t++) {
    const bitmap = new Uint8Array(withBitmaps ? bitmapBytes(perStep) : 0);
    let nonzero = 0;
    for (let i = 0; i < perStep; i++) {
      if (frames[t * perStep + i] === 0) continue;
      nonzero++;
      if (withBitmaps) bitmap[i >> 3] |= 1 << (i & 7);
    }
    steps.push({ timestep: t, eventCount: eventsPerStep[t], nonzeroCount: nonzero, bitmap });
  }
  return steps;
}
