import * as tf from '@tensorflow/tfjs';
import { NETWORK_INPUT, type ResolvedLayer } from '../spec/network';
import { layerForward } from './layer-ops';
import type { NeuronParams } from './neuron';
import { stepNeuronsOverTime, type NeuronLoopResult } from './neuron-loop';
import { nonSpikingOutput, releaseInputs, type PreparedNetwork } from './runner';

/** Shape of a layer's per-layer arrays: T timesteps of B samples of H x W x C values (channels last). */
export interface ActivityShape {
  timesteps: number;
  batch: number;
  height: number;
  width: number;
  channels: number;
}

export interface LayerArrays {
  layer: ResolvedLayer;
  /** The neuron that ran, with the threshold a calibration may have chosen. */
  neuron: NeuronParams;
  shape: ActivityShape;
  /** Synaptic input before the neuron, [T][B][H][W][C]. */
  current: Float32Array;
  /** Spikes (0 or 1), quantised activation levels, or the add/pool/flatten result, [T][B][H][W][C]. */
  output: Float32Array;
  /** Membrane-potential statistics; present for spiking layers only. */
  state?: Omit<NeuronLoopResult, 'spikes'>;
}

export interface ArrayRunOptions {
  timesteps: number;
  batch: number;
  /** Called with a layer's synaptic input before its neuron runs, for layers that have a threshold; returns the neuron to use. */
  chooseNeuron?: (layer: ResolvedLayer, current: Float32Array, neuron: NeuronParams, shape: ActivityShape) => NeuronParams;
  /** Called once per layer in spec order; the arrays stay valid after the call. */
  onLayer: (result: LayerArrays) => void;
}

function hasThreshold(layer: ResolvedLayer, neuron: NeuronParams): boolean {
  return neuron.model !== 'none' || layer.hasWeights;
}

/**
 * Runs the network for inference and hands every layer's input current, output and neuron
 * statistics to `onLayer` as arrays. Layer ops run in tfjs; spiking neurons run in the
 * TypeScript loop of `stepNeuronsOverTime`, which gives the same float32 results as the tfjs
 * neuron step. `input` is [T*B, H, W, C], timestep-major.
 */
export function runNetworkOnArrays(prepared: PreparedNetwork, input: tf.Tensor4D, options: ArrayRunOptions): void {
  const { network } = prepared;
  const { timesteps, batch } = options;
  const outputs = new Map<string, tf.Tensor4D>();
  const pendingReaders = new Map<string, number>(network.layers.map((layer) => [layer.name, layer.consumers.length]));

  try {
    for (const { layer, tensors, neuron: specNeuron } of prepared.layers) {
      const inputs = layer.inputs.map((name) => (name === NETWORK_INPUT ? input : outputs.get(name)!));
      const currentTensor = layerForward(layer, inputs, tensors, 'conv2d');
      const [, height, width, channels] = currentTensor.shape;
      const shape: ActivityShape = { timesteps, batch, height, width, channels };
      const current = currentTensor.dataSync() as Float32Array;

      let neuron = specNeuron;
      if (options.chooseNeuron && hasThreshold(layer, specNeuron)) {
        neuron = options.chooseNeuron(layer, current, specNeuron, shape);
      }

      let output: Float32Array;
      let outputTensor: tf.Tensor4D;
      let state: LayerArrays['state'];
      if (neuron.model !== 'none') {
        const { spikes, ...statistics } = stepNeuronsOverTime(current, neuron, timesteps, batch);
        output = spikes;
        state = statistics;
        outputTensor = tf.tensor4d(spikes, currentTensor.shape);
        currentTensor.dispose();
      } else if (layer.hasWeights) {
        outputTensor = nonSpikingOutput(layer, currentTensor, neuron);
        currentTensor.dispose();
        output = outputTensor.dataSync() as Float32Array;
      } else {
        outputTensor = currentTensor;
        output = current;
      }

      options.onLayer({ layer, neuron, shape, current, output, state });
      outputs.set(layer.name, outputTensor);
      releaseInputs(layer, outputs, pendingReaders, '');
    }
  } finally {
    tf.dispose([...outputs.values()]);
  }
}
