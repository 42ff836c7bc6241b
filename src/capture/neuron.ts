import * as tf from '@tensorflow/tfjs';
import type { ResolvedNeuron } from '../spec/network';

/** Neuron parameters after the weights folder has overridden the spec (calibrated thresholds, learned PLIF decays). */
export type NeuronParams = Pick<ResolvedNeuron, 'model' | 'threshold' | 'decay' | 'reset' | 'resetValue' | 'initialState' | 'stateful'>;

/** Maps v - threshold to a spike (1) or no spike (0); a training variant also defines the surrogate gradient. */
export type SpikeFunction = (overThreshold: tf.Tensor) => tf.Tensor;

/** The forward pass of every spike function: a spike where the membrane potential reaches the threshold. */
export const heaviside: SpikeFunction = (overThreshold) => tf.greaterEqual(overThreshold, 0).toFloat();

/**
 * Builds a spike function whose gradient is the fast-sigmoid surrogate 1 / (1 + slope * |x|)^2
 * (Zenke and Ganguli, SuperSpike, 2018), with x = v - threshold. The forward pass is the Heaviside step.
 */
export function fastSigmoidSpike(slope: number): SpikeFunction {
  // customGrad passes the inputs and then the save function through one rest parameter.
  const spike = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    save([input]);
    return {
      value: heaviside(input),
      gradFunc: (dy, saved) => {
        const denominator = tf.square(tf.add(1, tf.mul(slope, tf.abs(saved[0]))));
        return [tf.div(dy as tf.Tensor, denominator)];
      },
    };
  });
  return (overThreshold) => spike(overThreshold);
}

export interface NeuronStep {
  /** Membrane potential after the spike and reset: the neuron state carried to the next timestep. */
  potential: tf.Tensor;
  spikes: tf.Tensor;
}

/**
 * Advances spiking neurons by one timestep:
 *   v = decay * v_prev + input; spike = (v >= threshold);
 *   after a spike, 'subtract' lowers v by the threshold and 'zero' sets it to resetValue.
 * A stateless neuron (stateful false) starts every timestep from initialState instead of v_prev.
 * IF is the case decay = 1; PLIF uses its (learned) decay like LIF.
 */
export function neuronStep(
  previous: tf.Tensor,
  input: tf.Tensor,
  neuron: NeuronParams,
  spikeFunction: SpikeFunction = heaviside,
): NeuronStep {
  return tf.tidy(() => {
    const start = neuron.stateful ? previous : tf.fill(previous.shape, neuron.initialState);
    const charged = tf.add(tf.mul(start, neuron.decay), input);
    const spikes = spikeFunction(tf.sub(charged, neuron.threshold));

    let potential: tf.Tensor;
    if (neuron.reset === 'subtract') {
      potential = tf.sub(charged, tf.mul(spikes, neuron.threshold));
    } else {
      // Where a spike occurred, (1 - spike) removes the charge and spike * resetValue sets the reset value.
      potential = tf.add(tf.mul(charged, tf.sub(1, spikes)), tf.mul(spikes, neuron.resetValue));
    }
    return { potential, spikes };
  });
}

/**
 * Applies the activation of a non-spiking layer (model 'none'): ReLU, then quantised to outputBits as
 * level = min(floor(x / step), 2^outputBits - 1). The step is the layer's threshold, so the
 * output is nonzero exactly where x reaches the threshold, as for a spiking neuron.
 */
export function quantisedRelu(input: tf.Tensor, step: number, outputBits: number): tf.Tensor {
  return tf.tidy(() => {
    const maxLevel = 2 ** outputBits - 1;
    return tf.clipByValue(tf.floor(tf.div(tf.relu(input), step)), 0, maxLevel);
  });
}
