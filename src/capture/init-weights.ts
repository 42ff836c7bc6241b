import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import type { ResolvedNetwork } from '../spec/network';
import { kernelShape, weightName } from './weights';

/** Draws standard normal numbers from a seeded generator by the Box-Muller transform. */
export function seededNormal(seed: string): () => number {
  const random = seedrandom(seed);
  return () => {
    // 1 - random() lies in (0, 1], so the logarithm stays finite.
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    return radius * Math.cos(2 * Math.PI * random());
  };
}

/**
 * He (Kaiming) normal initialisation: every kernel weight ~ N(0, 2 / fanIn) with fanIn = C * FY * FX,
 * biases 0. Each layer draws from its own generator seeded by "<seed>/<layer name>", so the
 * weights of a layer do not depend on the layers before it.
 */
export function heInitialWeights(network: ResolvedNetwork, seed: number): tf.NamedTensorMap {
  const tensors: tf.NamedTensorMap = {};
  for (const layer of network.layers) {
    if (!layer.hasWeights) continue;
    const shape = kernelShape(layer);
    const fanIn = layer.dims.C * layer.dims.FY * layer.dims.FX;
    const deviation = Math.sqrt(2 / fanIn);
    const normal = seededNormal(`${seed}/${layer.name}`);
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = normal() * deviation;
    tensors[weightName(layer.name, 'kernel')] = tf.tensor(values, shape);
    tensors[weightName(layer.name, 'bias')] = tf.zeros([layer.dims.K]);
  }
  return tensors;
}
