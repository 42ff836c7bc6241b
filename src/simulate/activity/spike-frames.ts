import { TensorShape } from '../../spec/network';

/**
 * Spikes of one tensor as the simulator reads them from a trace. Exactly one of the three forms
 * is given, from the most to the least detailed.
 */
export interface TensorSpikes {
  shape: TensorShape;
  /** One frame per timestep, channel-major (index = (c * height + y) * width + x); nonzero is a spike. */
  frames?: ArrayLike<number>[];
  /** Spike counts per tile of `tileShape` elements, one grid per timestep, channel-major over the tile grid. */
  tileCounts?: { tileShape: TensorShape; counts: ArrayLike<number>[] };
  /** Fraction of nonzero elements, one per timestep. */
  rates?: number[];
}

/**
 * Spikes of a whole run, by tensor: a layer's name for its output, or 'input' for the network
 * input. This is what a trace reader fills for the simulator.
 */
export interface SpikeFrames {
  network: string;
  timesteps: number;
  tensors: Map<string, TensorSpikes>;
}
