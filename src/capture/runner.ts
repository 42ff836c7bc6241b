import * as tf from '@tensorflow/tfjs';
import { NETWORK_INPUT, type ResolvedLayer, type ResolvedNetwork } from '../spec/network';
import { layerForward, quantiseKernel, type ConvolutionMethod, type LayerTensors } from './layer-ops';
import { heaviside, neuronStep, quantisedRelu, type NeuronParams, type SpikeFunction } from './neuron';
import { layerNeuron, weightName, type NetworkWeights } from './weights';

/**
 * The runner processes a feed-forward network layer by layer over all timesteps: a layer's
 * synaptic input for every timestep is one batched op (the timestep folded into the batch axis),
 * then its neurons are stepped through the timesteps in order. Without recurrent connections
 * this gives the same spikes as stepping the whole network one timestep at a time.
 */

export interface PreparedLayer {
  layer: ResolvedLayer;
  tensors: LayerTensors;
  neuron: NeuronParams;
}

export interface PreparedNetwork {
  network: ResolvedNetwork;
  layers: PreparedLayer[];
}

/** Takes each layer's tensors from the weights and, unless quantiseWeights is false, quantises kernels to the layer's weightBits. */
export function prepareNetwork(
  network: ResolvedNetwork,
  weights: NetworkWeights,
  options: { quantiseWeights?: boolean } = {},
): PreparedNetwork {
  const quantise = options.quantiseWeights ?? true;
  const layers = network.layers.map((layer) => {
    const kernel = weights.tensors[weightName(layer.name, 'kernel')];
    const bias = weights.tensors[weightName(layer.name, 'bias')];
    const tensors: LayerTensors = {};
    if (kernel) tensors.kernel = quantise ? quantiseKernel(kernel, layer.precision.weightBits) : kernel.clone();
    if (bias) tensors.bias = bias.clone();
    return { layer, tensors, neuron: layerNeuron(layer, weights) };
  });
  return { network, layers };
}

export function disposePrepared(prepared: PreparedNetwork): void {
  for (const { tensors } of prepared.layers) tf.dispose([tensors.kernel, tensors.bias].filter((t): t is tf.Tensor => !!t));
}

export interface RunOptions {
  timesteps: number;
  /** Default: the Heaviside step without a gradient. Training passes a surrogate-gradient spike function. */
  spikeFunction?: SpikeFunction;
  /** Default 'conv2d'. */
  convolution?: ConvolutionMethod;
}

/** Steps a layer's spiking neurons through the timesteps with tfjs ops, so that gradients flow; `current` is [T*B, H, W, C]. */
export function runSpikingNeurons(
  current: tf.Tensor4D,
  neuron: NeuronParams,
  timesteps: number,
  spikeFunction: SpikeFunction,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [frames, height, width, channels] = current.shape;
    const neuronsPerStep = (frames / timesteps) * height * width * channels;
    const inputs = tf.unstack(current.reshape([timesteps, neuronsPerStep]));

    let potential: tf.Tensor = tf.fill([neuronsPerStep], neuron.initialState);
    const spikes: tf.Tensor[] = [];
    for (let t = 0; t < timesteps; t++) {
      const step = neuronStep(potential, inputs[t], neuron, spikeFunction);
      spikes.push(step.spikes);
      potential = step.potential;
    }
    return tf.stack(spikes).reshape([frames, height, width, channels]) as tf.Tensor4D;
  });
}

/**
 * Computes the activation of a layer without spiking neurons: the quantised ReLU for conv2d and dense,
 * the op's own result for add, pool and flatten.
 */
export function nonSpikingOutput(layer: ResolvedLayer, current: tf.Tensor4D, neuron: NeuronParams): tf.Tensor4D {
  if (layer.hasWeights) return quantisedRelu(current, neuron.threshold, layer.precision.outputBits) as tf.Tensor4D;
  // NOTE: add, pool and flatten layers without a neuron pass their result on unquantised, even where
  // the sum of two activations needs more than the layer's outputBits.
  return current.clone();
}

/**
 * Runs the network on `input` ([T*B, H, W, C], timestep-major) with tfjs ops only, so that it
 * can be differentiated, and returns the output of the last layer, which the caller disposes.
 * Intermediate outputs are disposed once every layer that reads them has run. Tensors that a
 * gradient needs stay alive, because the tape keeps its own copies.
 */
export function runNetwork(prepared: PreparedNetwork, input: tf.Tensor4D, options: RunOptions): tf.Tensor4D {
  const { network } = prepared;
  const outputs = new Map<string, tf.Tensor4D>();
  const pendingReaders = new Map<string, number>(network.layers.map((layer) => [layer.name, layer.consumers.length]));
  const last = network.layers[network.layers.length - 1];

  for (const { layer, tensors, neuron } of prepared.layers) {
    const inputs = layer.inputs.map((name) => (name === NETWORK_INPUT ? input : outputs.get(name)!));
    const current = layerForward(layer, inputs, tensors, options.convolution ?? 'conv2d');
    const output =
      neuron.model === 'none'
        ? nonSpikingOutput(layer, current, neuron)
        : runSpikingNeurons(current, neuron, options.timesteps, options.spikeFunction ?? heaviside);
    current.dispose();
    outputs.set(layer.name, output);
    releaseInputs(layer, outputs, pendingReaders, last.name);
  }
  return outputs.get(last.name)!;
}

/** Disposes the outputs that no later layer reads; shared with the array runner. */
export function releaseInputs(
  layer: ResolvedLayer,
  outputs: Map<string, tf.Tensor4D>,
  pendingReaders: Map<string, number>,
  keep: string,
): void {
  for (const name of layer.inputs) {
    if (name === NETWORK_INPUT) continue;
    const remaining = pendingReaders.get(name)! - 1;
    pendingReaders.set(name, remaining);
    if (remaining === 0 && name !== keep) {
      outputs.get(name)!.dispose();
      outputs.delete(name);
    }
  }
  if (layer.consumers.length === 0 && layer.name !== keep) {
    outputs.get(layer.name)?.dispose();
    outputs.delete(layer.name);
  }
}
