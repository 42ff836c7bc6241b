import { LoopBounds } from './dims';
import { SpecError } from './errors';
import { LayerSpec, NetworkSpec, Neuron } from './network-schema';

export const NETWORK_INPUT = 'input';

export interface TensorShape {
  channels: number;
  height: number;
  width: number;
}

export interface ResolvedPrecision {
  weightBits: number;
  inputBits: number;
  outputBits: number;
  partialSumBits: number;
  stateBits: number;
}

export interface ResolvedNeuron {
  model: Neuron['model'];
  threshold: number;
  decay: number;
  reset: 'subtract' | 'zero';
  resetValue: number;
  initialState: number;
  /** false for a spiking neuron that forgets its membrane potential after every timestep. */
  stateful: boolean;
}

/** A layer with its shapes, loop bounds and precisions worked out from the spec. */
export interface ResolvedLayer {
  name: string;
  index: number;
  type: LayerSpec['type'];
  block: string;
  inputs: string[];
  inputShapes: TensorShape[];
  outputShape: TensorShape;
  dims: LoopBounds;
  stride: number;
  /** Zero rows above and zero columns left of the input; the output size already accounts for both sides. */
  padTop: number;
  padLeft: number;
  precision: ResolvedPrecision;
  neuron: ResolvedNeuron;
  hasState: boolean;
  hasWeights: boolean;
  /** true for flatten, which only reinterprets its input and costs nothing. */
  isView: boolean;
  consumers: string[];
}

export interface ResolvedNetwork {
  spec: NetworkSpec;
  name: string;
  timesteps: number;
  batch: number;
  input: TensorShape & { bits: number };
  layers: ResolvedLayer[];
  byName: Map<string, ResolvedLayer>;
  blocks: string[];
}

function kernelSize(kernel: number | [number, number]): [number, number] {
  return typeof kernel === 'number' ? [kernel, kernel] : kernel;
}

function outputSize(inputSize: number, kernel: number, stride: number, padBefore: number, padAfter: number): number {
  return Math.floor((inputSize + padBefore + padAfter - kernel) / stride) + 1;
}

/** Splits 'same' padding as TensorFlow does: the extra zero row or column goes after the input. */
function samePadding(inputSize: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(inputSize / stride);
  const total = Math.max((out - 1) * stride + kernel - inputSize, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function resolveNeuron(layer: LayerSpec, spec: NetworkSpec): ResolvedNeuron {
  const computes = layer.type === 'conv2d' || layer.type === 'dense';
  const fallback: Neuron = computes ? spec.defaults.neuron : { model: 'none' };
  const neuron = { ...fallback, ...(layer.neuron ?? {}) };
  const model = neuron.model;
  return {
    model,
    threshold: neuron.threshold ?? 1,
    decay: model === 'if' ? 1 : (neuron.decay ?? 0.5),
    reset: neuron.reset ?? 'subtract',
    resetValue: neuron.resetValue ?? 0,
    initialState: neuron.initialState ?? 0,
    stateful: model !== 'none' && neuron.stateful !== false,
  };
}

/** Block names in order of first appearance; a layer without a block forms a block of its own. */
function blockOf(layer: LayerSpec): string {
  return layer.block ?? layer.name;
}

/** Resolves the shapes of every layer and applies the network options; raises SpecError on a bad graph. */
export function resolveNetwork(spec: NetworkSpec, file = spec.name): ResolvedNetwork {
  const batch = spec.batch ?? 1;
  const shapes = new Map<string, TensorShape>([[NETWORK_INPUT, { ...spec.input }]]);
  const outputBits = new Map<string, number>([[NETWORK_INPUT, spec.input.bits]]);
  const layers: ResolvedLayer[] = [];

  const blocks: string[] = [];
  for (const layer of spec.layers) {
    if (!blocks.includes(blockOf(layer))) blocks.push(blockOf(layer));
  }
  const keepLast = spec.options?.keepStateInLastBlocks;
  const statefulBlocks = new Set(keepLast === undefined ? blocks : blocks.slice(Math.max(blocks.length - keepLast, 0)));
  if (keepLast !== undefined && keepLast > blocks.length) {
    throw new SpecError(file, '/options/keepStateInLastBlocks', `is ${keepLast} but the network has only ${blocks.length} blocks`);
  }

  spec.layers.forEach((layer, index) => {
    const at = `/layers/${index}`;
    if (shapes.has(layer.name)) {
      throw new SpecError(file, `${at}/name`, `duplicate layer name '${layer.name}'; layer names must be unique`);
    }
    const inputShapes = layer.inputs.map((input, inputIndex) => {
      const shape = shapes.get(input);
      if (!shape) {
        throw new SpecError(
          file,
          `${at}/inputs/${inputIndex}`,
          `'${input}' is not 'input' or an earlier layer; list layers in an order where each one's inputs come first`,
        );
      }
      return shape;
    });
    const first = inputShapes[0];
    const inputBits = layer.precision?.inputBits ?? outputBits.get(layer.inputs[0])!;

    let outputShape: TensorShape;
    let dims: Omit<LoopBounds, 'T' | 'B'>;
    let stride = 1;
    let padTop = 0;
    let padLeft = 0;

    const expectInputs = (count: number) => {
      if (layer.inputs.length !== count) {
        throw new SpecError(file, `${at}/inputs`, `a ${layer.type} layer takes ${count} input(s), not ${layer.inputs.length}`);
      }
    };

    switch (layer.type) {
      case 'conv2d':
      case 'maxpool':
      case 'avgpool': {
        expectInputs(1);
        const [fy, fx] = kernelSize(layer.kernel);
        stride = layer.stride ?? (layer.type === 'conv2d' ? 1 : fy);
        const padding = layer.type === 'conv2d' ? (layer.padding ?? 0) : 0;
        const [padY0, padY1] = padding === 'same' ? samePadding(first.height, fy, stride) : [padding, padding];
        const [padX0, padX1] = padding === 'same' ? samePadding(first.width, fx, stride) : [padding, padding];
        padTop = padY0;
        padLeft = padX0;
        const oy = outputSize(first.height, fy, stride, padY0, padY1);
        const ox = outputSize(first.width, fx, stride, padX0, padX1);
        if (oy < 1 || ox < 1) {
          throw new SpecError(file, `${at}/kernel`, `kernel ${fy}x${fx} is larger than the ${first.height}x${first.width} input`);
        }
        const k = layer.type === 'conv2d' ? layer.outChannels : first.channels;
        // A pool layer reduces over its window channel by channel, so its C loop is 1.
        dims = { K: k, C: layer.type === 'conv2d' ? first.channels : 1, OY: oy, OX: ox, FY: fy, FX: fx };
        outputShape = { channels: k, height: oy, width: ox };
        break;
      }
      case 'dense': {
        expectInputs(1);
        if (first.height !== 1 || first.width !== 1) {
          throw new SpecError(file, `${at}/inputs/0`, `a dense layer needs a flat input; put a flatten layer before it`);
        }
        dims = { K: layer.outFeatures, C: first.channels, OY: 1, OX: 1, FY: 1, FX: 1 };
        outputShape = { channels: layer.outFeatures, height: 1, width: 1 };
        break;
      }
      case 'add': {
        if (layer.inputs.length < 2) {
          throw new SpecError(file, `${at}/inputs`, 'an add layer takes at least 2 inputs');
        }
        inputShapes.forEach((shape, inputIndex) => {
          if (shape.channels !== first.channels || shape.height !== first.height || shape.width !== first.width) {
            throw new SpecError(
              file,
              `${at}/inputs/${inputIndex}`,
              `shape ${shape.channels}x${shape.height}x${shape.width} differs from ${first.channels}x${first.height}x${first.width}; add needs equal shapes`,
            );
          }
        });
        dims = { K: first.channels, C: 1, OY: first.height, OX: first.width, FY: 1, FX: 1 };
        outputShape = { ...first };
        break;
      }
      case 'flatten': {
        expectInputs(1);
        const features = first.channels * first.height * first.width;
        dims = { K: features, C: 1, OY: 1, OX: 1, FY: 1, FX: 1 };
        outputShape = { channels: features, height: 1, width: 1 };
        break;
      }
    }

    const neuron = resolveNeuron(layer, spec);
    if (!statefulBlocks.has(blockOf(layer))) neuron.stateful = false;
    const precision: ResolvedPrecision = {
      weightBits: layer.precision?.weightBits ?? spec.defaults.precision.weightBits,
      inputBits,
      outputBits: layer.precision?.outputBits ?? (layer.type === 'conv2d' || layer.type === 'dense' ? spec.defaults.precision.outputBits : inputBits),
      partialSumBits: layer.precision?.partialSumBits ?? spec.defaults.precision.partialSumBits,
      stateBits: layer.precision?.stateBits ?? spec.defaults.precision.stateBits,
    };

    shapes.set(layer.name, outputShape);
    outputBits.set(layer.name, precision.outputBits);
    layers.push({
      name: layer.name,
      index,
      type: layer.type,
      block: blockOf(layer),
      inputs: [...layer.inputs],
      inputShapes,
      outputShape,
      dims: { T: spec.timesteps, B: batch, ...dims },
      stride,
      padTop,
      padLeft,
      precision,
      neuron,
      hasState: neuron.stateful,
      hasWeights: layer.type === 'conv2d' || layer.type === 'dense',
      isView: layer.type === 'flatten',
      consumers: [],
    });
  });

  const byName = new Map(layers.map((layer) => [layer.name, layer]));
  for (const layer of layers) {
    for (const input of layer.inputs) byName.get(input)?.consumers.push(layer.name);
  }
  return {
    spec,
    name: spec.name,
    timesteps: spec.timesteps,
    batch,
    input: { ...spec.input },
    layers,
    byName,
    blocks,
  };
}

/** Weights of a layer (0 for layers without weights). */
export function weightCount(layer: ResolvedLayer): number {
  return layer.hasWeights ? layer.dims.K * layer.dims.C * layer.dims.FY * layer.dims.FX : 0;
}

/** Membrane potentials that the layer keeps across timesteps (0 for a stateless layer). */
export function stateCount(layer: ResolvedLayer): number {
  return layer.hasState ? layer.dims.B * layer.dims.K * layer.dims.OY * layer.dims.OX : 0;
}

/** Multiply-accumulates (or spike accumulates) of the dense loop nest over all timesteps; padding taps included. */
export function denseOperationCount(layer: ResolvedLayer): number {
  if (!layer.hasWeights) return 0;
  const d = layer.dims;
  return d.T * d.B * d.K * d.C * d.OY * d.OX * d.FY * d.FX;
}
