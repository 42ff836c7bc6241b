/**
 * How the spike counts of a tensor were obtained:
 * - 'dense': every input is a spike (no trace);
 * - 'bitmap': exact, from per-timestep spike bitmaps;
 * - 'tile-counts': spike counts per coarse tile, spread evenly inside each tile;
 * - 'layer-rate': one spike rate per timestep for the whole tensor.
 */
export type ActivityKind = 'dense' | 'bitmap' | 'tile-counts' | 'layer-rate';

/** A box of a tensor: channels [channelStart, channelEnd) x rows [rowStart, rowEnd) x columns [columnStart, columnEnd). */
export interface TensorRegion {
  channelStart: number;
  channelEnd: number;
  rowStart: number;
  rowEnd: number;
  columnStart: number;
  columnEnd: number;
}

/**
 * Input spikes seen by the simulator: for a tensor that layers read (a layer's name for its
 * output, or 'input' for the network input) and a timestep, the number of nonzero elements in a
 * region. Regions are already clipped to the tensor. For a multi-bit tensor, nonzero elements count.
 */
export interface SpikeActivity {
  /** Describes where the counts come from, for the run's output, e.g. "dense (no trace)". */
  readonly description: string;
  /** true when every input is a spike, so the simulator need not count windows. */
  readonly isDense: boolean;
  /** The kind of source behind one tensor's counts. */
  kindOf(tensor: string): ActivityKind;
  spikeCount(tensor: string, timestep: number, region: TensorRegion): number;
}

export function regionElements(region: TensorRegion): number {
  return (
    Math.max(0, region.channelEnd - region.channelStart) *
    Math.max(0, region.rowEnd - region.rowStart) *
    Math.max(0, region.columnEnd - region.columnStart)
  );
}

/** Every input element is a spike: the activity of a dense run, which needs no trace. */
export class DenseActivity implements SpikeActivity {
  readonly description = 'dense (every input is a spike; no trace)';
  readonly isDense = true;

  kindOf(): ActivityKind {
    return 'dense';
  }

  spikeCount(_tensor: string, _timestep: number, region: TensorRegion): number {
    return regionElements(region);
  }
}
