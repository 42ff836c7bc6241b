import * as tf from '@tensorflow/tfjs';
import type { ResolvedLayer } from '../spec/network';

/**
 * Implementation of conv2d layers. 'conv2d' calls tf.fused.conv2d. 'trainable' calls tf.conv2d with a
 * custom gradient built from convolutions, because tfjs-backend-wasm 4.22 has no
 * Conv2DBackpropFilter kernel and its Conv2DBackpropInput is several times slower than Conv2D.
 */
export type ConvolutionMethod = 'conv2d' | 'trainable';

/** The trained tensors of a layer, with the kernel already quantised to the layer's weightBits. */
export interface LayerTensors {
  kernel?: tf.Tensor;
  bias?: tf.Tensor;
}

/** Zero rows and columns before and after the input, as the spec resolved them. */
export function convPadding(layer: ResolvedLayer): { top: number; bottom: number; left: number; right: number } {
  const input = layer.inputShapes[0];
  const { OY, OX, FY, FX } = layer.dims;
  // The spec gives the padding before the input. The rows after are what the output size still
  // needs, never negative, because a leftover input row that no output reads needs no padding.
  const bottom = Math.max(0, (OY - 1) * layer.stride + FY - input.height - layer.padTop);
  const right = Math.max(0, (OX - 1) * layer.stride + FX - input.width - layer.padLeft);
  return { top: layer.padTop, bottom, left: layer.padLeft, right };
}

type Padding4D = [[number, number], [number, number], [number, number], [number, number]];

function explicitPadding(layer: ResolvedLayer): Padding4D {
  const { top, bottom, left, right } = convPadding(layer);
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/**
 * tf.conv2d with gradients computed by tf.conv2d alone (stride 1 only):
 *   dX is the convolution of dY, padded by (F - 1 - pad), with the kernel flipped in both spatial
 *   axes and its channel axes swapped;
 *   dW[fy, fx, c, k] = sum over n, y, x of Xpad[n, y + fy, x + fx, c] * dY[n, y, x, k], which is a
 *   valid convolution of Xpad transposed to [C, H, W, N] with dY transposed to [OY, OX, N, K].
 */
function trainableConv2d(layer: ResolvedLayer): (input: tf.Tensor4D, kernel: tf.Tensor4D) => tf.Tensor4D {
  if (layer.stride !== 1) {
    throw new RangeError(`layer '${layer.name}' has stride ${layer.stride}; training supports conv2d layers of stride 1 only`);
  }
  const padding = explicitPadding(layer);
  const { top, bottom, left, right } = convPadding(layer);
  const { FY, FX } = layer.dims;
  // customGrad passes the inputs and then the save function through one rest parameter.
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0] as tf.Tensor4D;
    const kernel = args[1] as tf.Tensor4D;
    const save = args[2] as tf.GradSaveFunc;
    save([input, kernel]);
    return {
      value: tf.conv2d(input, kernel, 1, padding),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [x, w] = saved as [tf.Tensor4D, tf.Tensor4D];
        const outputGradient = dy as tf.Tensor4D;
        const flipped = tf.reverse(w, [0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D;
        const inputGradient = tf.conv2d(outputGradient, flipped, 1, [
          [0, 0],
          [FY - 1 - top, FY - 1 - bottom],
          [FX - 1 - left, FX - 1 - right],
          [0, 0],
        ]);
        const paddedInput = tf.pad(x, padding).transpose([3, 1, 2, 0]) as tf.Tensor4D;
        const outputAsFilter = outputGradient.transpose([1, 2, 0, 3]) as tf.Tensor4D;
        const kernelGradient = tf.conv2d(paddedInput, outputAsFilter, 1, 'valid').transpose([1, 2, 0, 3]);
        return [inputGradient, kernelGradient];
      },
    };
  }) as (input: tf.Tensor4D, kernel: tf.Tensor4D) => tf.Tensor4D;
}

/**
 * Computes the output of a layer before any neuron, for all timesteps at once: inputs and
 * output are [T*B, H, W, C] with the timestep as the outer part of the first axis. Dense and
 * flatten outputs have H = W = 1; flatten orders its features (channel, row, column).
 */
export function layerForward(
  layer: ResolvedLayer,
  inputs: tf.Tensor4D[],
  tensors: LayerTensors,
  convolution: ConvolutionMethod,
): tf.Tensor4D {
  return tf.tidy(() => {
    const input = inputs[0];
    const frames = input.shape[0];
    switch (layer.type) {
      case 'conv2d': {
        const kernel = tensors.kernel as tf.Tensor4D;
        if (convolution === 'trainable') {
          const output = trainableConv2d(layer)(input, kernel);
          return tensors.bias ? tf.add(output, tensors.bias) : output;
        }
        // The fused op adds the bias inside the convolution kernel, saving a pass over the output.
        return tf.fused.conv2d({ x: input, filter: kernel, strides: layer.stride, pad: explicitPadding(layer), bias: tensors.bias });
      }
      case 'dense': {
        const flat = input.reshape([frames, layer.dims.C]);
        const product = tf.matMul(flat, tensors.kernel as tf.Tensor2D);
        const output = tensors.bias ? tf.add(product, tensors.bias) : product;
        return output.reshape([frames, 1, 1, layer.dims.K]);
      }
      case 'flatten': {
        const channelsFirst = tf.transpose(input, [0, 3, 1, 2]);
        return channelsFirst.reshape([frames, 1, 1, layer.dims.K]);
      }
      case 'add':
        return tf.addN(inputs);
      case 'maxpool':
        return tf.maxPool(input, [layer.dims.FY, layer.dims.FX], layer.stride, 'valid');
      case 'avgpool':
        return tf.avgPool(input, [layer.dims.FY, layer.dims.FX], layer.stride, 'valid');
    }
  });
}

/**
 * Rounds a kernel to `bits`-bit signed integers times one per-tensor scale (symmetric, round to
 * nearest): the values a `bits`-bit weight memory can hold. 32 or more bits leave it as it is.
 */
export function quantiseKernel(kernel: tf.Tensor, bits: number): tf.Tensor {
  if (bits >= 32) return kernel.clone();
  return tf.tidy(() => {
    const levels = 2 ** (bits - 1) - 1;
    const maxAbs = tf.max(tf.abs(kernel)).dataSync()[0];
    if (maxAbs === 0 || levels < 1) return kernel.clone();
    const scale = maxAbs / levels;
    return tf.mul(tf.round(tf.div(kernel, scale)), scale);
  });
}
