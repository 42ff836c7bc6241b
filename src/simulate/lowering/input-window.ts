import { LOOP_DIMS, LoopDim } from '../../spec/dims';
import { NETWORK_INPUT, ResolvedNetwork, TensorShape } from '../../spec/network';
import { SpikeActivity, TensorRegion } from '../activity/spike-activity';
import { NodePlan } from './node-plan';

const DIM_INDEX: Record<LoopDim, number> = Object.fromEntries(LOOP_DIMS.map((dim, index) => [dim, index])) as Record<LoopDim, number>;

/** A tensor a layer reads, after looking through a flatten view. */
interface InputSource {
  tensor: string;
  shape: TensorShape;
  /** true when a flatten lies in between: the layer's channels index the tensor in channel-major (C, H, W) order. */
  flattened: boolean;
}

/** Spikes and valid (non-padding) elements in the input window of one step at one timestep. */
export interface WindowCount {
  spikes: number;
  elements: number;
}

/**
 * Finds the input window of a step and counts its spikes: the channels, rows and columns that the
 * step's output tile and filter taps read, clipped to the tensor (padding holds no spikes).
 */
export class InputWindow {
  private readonly sources: InputSource[];
  private readonly region: TensorRegion = { channelStart: 0, channelEnd: 0, rowStart: 0, rowEnd: 0, columnStart: 0, columnEnd: 0 };

  constructor(
    private readonly plan: NodePlan,
    network: ResolvedNetwork,
    private readonly ignorePadding: boolean,
  ) {
    this.sources = plan.layer.inputs.map((name) => {
      let current = name;
      let flattened = false;
      while (current !== NETWORK_INPUT && network.byName.get(current)!.isView) {
        flattened = true;
        current = network.byName.get(current)!.inputs[0];
      }
      const shape = current === NETWORK_INPUT ? network.input : network.byName.get(current)!.outputShape;
      return { tensor: current, shape: { channels: shape.channels, height: shape.height, width: shape.width }, flattened };
    });
  }

  /** Counts the window of the walker's current step at `timestep` (absolute). */
  count(activity: SpikeActivity, dimensionBase: Float64Array, timestep: number, result: WindowCount): void {
    const plan = this.plan;
    const layer = plan.layer;
    const node = plan.node;
    const extent = plan.stepExtent;
    const channelDim: LoopDim = plan.geometry.channelWise ? 'K' : 'C';
    const channelStart = dimensionBase[DIM_INDEX[channelDim]];
    const channelEnd = channelStart + extent[channelDim];
    const outputRow = dimensionBase[DIM_INDEX.OY] + (node.tileAxis === 'OY' ? node.tileStart : 0);
    const outputColumn = dimensionBase[DIM_INDEX.OX] + (node.tileAxis === 'OX' ? node.tileStart : 0);
    const filterRow = dimensionBase[DIM_INDEX.FY];
    const filterColumn = dimensionBase[DIM_INDEX.FX];
    const padTop = this.ignorePadding ? 0 : layer.padTop;
    const padLeft = this.ignorePadding ? 0 : layer.padLeft;
    const stride = layer.stride;
    const rowStart = outputRow * stride + filterRow - padTop;
    const rowEnd = (outputRow + extent.OY - 1) * stride + filterRow + extent.FY - padTop;
    const columnStart = outputColumn * stride + filterColumn - padLeft;
    const columnEnd = (outputColumn + extent.OX - 1) * stride + filterColumn + extent.FX - padLeft;

    result.spikes = 0;
    result.elements = 0;
    for (const source of this.sources) {
      if (source.flattened) {
        this.countFlattened(activity, source, timestep, channelStart, channelEnd, result);
        continue;
      }
      const region = this.region;
      region.channelStart = Math.max(0, channelStart);
      region.channelEnd = Math.min(source.shape.channels, channelEnd);
      region.rowStart = Math.max(0, rowStart);
      region.rowEnd = Math.min(source.shape.height, rowEnd);
      region.columnStart = Math.max(0, columnStart);
      region.columnEnd = Math.min(source.shape.width, columnEnd);
      if (region.channelEnd <= region.channelStart || region.rowEnd <= region.rowStart || region.columnEnd <= region.columnStart) continue;
      result.spikes += activity.spikeCount(source.tensor, timestep, region);
      result.elements +=
        (region.channelEnd - region.channelStart) * (region.rowEnd - region.rowStart) * (region.columnEnd - region.columnStart);
    }
  }

  /**
   * Counts flattened elements [start, end) of a C x H x W tensor as whole planes and partial rows.
   * NOTE: this assumes the flatten orders elements channel-major, as trace bitmaps do; it matters
   * only when a mapping splits a dense layer's C across steps.
   */
  private countFlattened(activity: SpikeActivity, source: InputSource, timestep: number, start: number, end: number, result: WindowCount): void {
    const { channels, height, width } = source.shape;
    const region = this.region;
    const first = Math.max(0, start);
    const last = Math.min(channels * height * width, end);
    let position = first;
    while (position < last) {
      const channel = Math.floor(position / (height * width));
      const row = Math.floor((position % (height * width)) / width);
      const column = position % width;
      region.channelStart = channel;
      region.channelEnd = channel + 1;
      if (column === 0 && row === 0 && position + height * width <= last) {
        // A whole channel plane, and as many following planes as fit.
        const planes = Math.floor((last - position) / (height * width));
        region.channelEnd = channel + planes;
        region.rowStart = 0;
        region.rowEnd = height;
        region.columnStart = 0;
        region.columnEnd = width;
      } else {
        const rowLength = Math.min(width - column, last - position);
        region.rowStart = row;
        region.rowEnd = row + 1;
        region.columnStart = column;
        region.columnEnd = column + rowLength;
      }
      const elements = (region.channelEnd - region.channelStart) * (region.rowEnd - region.rowStart) * (region.columnEnd - region.columnStart);
      result.spikes += activity.spikeCount(source.tensor, timestep, region);
      result.elements += elements;
      position += elements;
    }
  }
}
