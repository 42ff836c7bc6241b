import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/capture/backend';
import { convPadding, layerForward, quantiseKernel } from '../../src/capture/layer-ops';
import { resolveNetwork, type ResolvedLayer } from '../../src/spec/network';
import type { NetworkSpec } from '../../src/spec/network-schema';

function specWith(layers: NetworkSpec['layers'], input = { channels: 3, height: 9, width: 9, bits: 1 }): NetworkSpec {
  return {
    name: 'layer-ops-test',
    timesteps: 2,
    input,
    defaults: {
      precision: { weightBits: 8, outputBits: 1, partialSumBits: 16, stateBits: 16 },
      neuron: { model: 'lif' },
    },
    layers,
  };
}

function conv(padding: number | 'same', stride: number, kernel = 3): ResolvedLayer {
  const network = resolveNetwork(
    specWith([{ name: 'conv', type: 'conv2d', inputs: ['input'], outChannels: 4, kernel, stride, padding }]),
  );
  return network.layers[0];
}

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('conv2d layers', () => {
  test('padding before and after the input', () => {
    expect(convPadding(conv(1, 1))).toEqual({ top: 1, bottom: 1, left: 1, right: 1 });
    // 'same' with stride 2 on 9 rows: 5 outputs need 4 * 2 + 3 - 9 = 2 padding rows, split 1 + 1.
    expect(convPadding(conv('same', 2))).toEqual({ top: 1, bottom: 1, left: 1, right: 1 });
    // Stride 2, padding 0, 9 rows, kernel 2: 4 outputs read rows 0..7, so no row after is needed.
    expect(convPadding(conv(0, 2, 2))).toEqual({ top: 0, bottom: 0, left: 0, right: 0 });
  });

  test('output has the shape the spec resolved', () => {
    for (const layer of [conv(1, 1), conv('same', 2), conv(0, 2, 2)]) {
      const input = tf.ones([2, 9, 9, 3]) as tf.Tensor4D;
      const kernel = tf.ones([layer.dims.FY, layer.dims.FX, 3, 4]);
      const output = layerForward(layer, [input], { kernel }, 'conv2d');
      expect(output.shape).toEqual([2, layer.outputShape.height, layer.outputShape.width, 4]);
    }
  });

  test('trainable conv2d gradients equal the cpu backend gradients', async () => {
    const layer = conv(1, 1);
    const input = tf.randomNormal([4, 9, 9, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const kernel = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 8);
    const weighting = tf.randomNormal([4, 9, 9, 4], 0, 1, 'float32', 9);

    const loss = (method: 'conv2d' | 'trainable') => (x: tf.Tensor, w: tf.Tensor) =>
      tf.sum(tf.mul(layerForward(layer, [x as tf.Tensor4D], { kernel: w }, method), weighting));

    const [inputGradient, kernelGradient] = tf.grads(loss('trainable'))([input, kernel]);
    const forward = layerForward(layer, [input], { kernel }, 'trainable');
    const expectedForward = layerForward(layer, [input], { kernel }, 'conv2d');
    expect(maxDifference(forward, expectedForward)).toBe(0);

    // The cpu backend advises installing tfjs-node on its first use; that advice is noise here.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    await selectBackend('cpu');
    try {
      const [expectedInput, expectedKernel] = tf.grads(loss('conv2d'))([input, kernel]);
      expect(maxDifference(inputGradient, expectedInput)).toBeLessThan(1e-4);
      expect(maxDifference(kernelGradient, expectedKernel)).toBeLessThan(1e-3);
      expect(tf.max(tf.abs(expectedKernel)).dataSync()[0]).toBeGreaterThan(1);
    } finally {
      await selectBackend('wasm');
      warn.mockRestore();
    }
  });

  test('trainable conv2d gradient leaves no tensors behind', () => {
    const layer = conv(1, 1);
    const input = tf.ones([2, 9, 9, 3]) as tf.Tensor4D;
    const kernel = tf.ones([3, 3, 3, 4]);
    const before = tf.memory().numTensors;
    const gradients = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(layerForward(layer, [x as tf.Tensor4D], { kernel: w }, 'trainable')))([input, kernel]);
    tf.dispose(gradients);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('trainable conv2d rejects stride 2', () => {
    const layer = conv('same', 2);
    expect(() => layerForward(layer, [tf.ones([1, 9, 9, 3]) as tf.Tensor4D], { kernel: tf.ones([3, 3, 3, 4]) }, 'trainable')).toThrow(
      /stride 2; training supports conv2d layers of stride 1 only/,
    );
  });
});

describe('other layers', () => {
  test('flatten orders features channel, row, column', () => {
    const network = resolveNetwork(
      specWith([{ name: 'flat', type: 'flatten', inputs: ['input'] }], { channels: 2, height: 2, width: 3, bits: 1 }),
    );
    // NHWC value at (y, x, c) = 100 c + 10 y + x, so the (c, y, x) order reads 0, 1, 2, 10, 11, 12, 100, ...
    const values: number[] = [];
    for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) for (let c = 0; c < 2; c++) values.push(100 * c + 10 * y + x);
    const output = layerForward(network.layers[0], [tf.tensor4d(values, [1, 2, 3, 2])], {}, 'conv2d');
    expect(output.shape).toEqual([1, 1, 1, 12]);
    expect(Array.from(output.dataSync())).toEqual([0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]);
  });

  test('add, maxpool and dense', () => {
    const network = resolveNetwork(
      specWith(
        [
          { name: 'pool', type: 'maxpool', inputs: ['input'], kernel: 2 },
          { name: 'sum', type: 'add', inputs: ['pool', 'pool'] },
          { name: 'flat', type: 'flatten', inputs: ['sum'] },
          { name: 'fc', type: 'dense', inputs: ['flat'], outFeatures: 2 },
        ],
        { channels: 1, height: 2, width: 2, bits: 1 },
      ),
    );
    const [pool, sum, flat, fc] = network.layers;
    const pooled = layerForward(pool, [tf.tensor4d([1, 5, 3, 2], [1, 2, 2, 1])], {}, 'conv2d');
    expect(Array.from(pooled.dataSync())).toEqual([5]);
    const added = layerForward(sum, [pooled, pooled], {}, 'conv2d');
    expect(Array.from(added.dataSync())).toEqual([10]);
    const flattened = layerForward(flat, [added], {}, 'conv2d');
    const dense = layerForward(fc, [flattened], { kernel: tf.tensor2d([[0.5, -1]]), bias: tf.tensor1d([1, 2]) }, 'conv2d');
    expect(Array.from(dense.dataSync())).toEqual([6, -8]);
  });

  test('kernel quantisation to 4 bits', () => {
    // Scale 0.7 / 7 = 0.1, so values round to multiples of 0.1 within +-0.7.
    const quantised = quantiseKernel(tf.tensor1d([0.7, -0.7, 0.26, 0.04, -0.151]), 4).dataSync();
    [0.7, -0.7, 0.3, 0, -0.2].forEach((value, i) => expect(quantised[i]).toBeCloseTo(value, 6));
  });
});
