import { TensorRegion } from './spike-activity';

/**
 * A 3-D inclusive prefix sum over one timestep of a channels x rows x columns tensor, so that the
 * count in any box takes 8 lookups. Entry (c, y, x) of the (C+1) x (H+1) x (W+1) table is the
 * sum of all elements with channel < c, row < y and column < x.
 */
export class PrefixSum3d {
  private readonly table: Int32Array;
  private readonly rowStride: number;
  private readonly channelStride: number;

  /** `values` is channel-major (index = (c * height + y) * width + x); any nonzero value counts as 1. */
  constructor(
    values: ArrayLike<number>,
    readonly channels: number,
    readonly height: number,
    readonly width: number,
  ) {
    if (values.length !== channels * height * width) {
      throw new Error(`spike frame has ${values.length} elements, expected ${channels}x${height}x${width} = ${channels * height * width}`);
    }
    this.rowStride = width + 1;
    this.channelStride = (height + 1) * (width + 1);
    const table = new Int32Array((channels + 1) * this.channelStride);
    for (let c = 0; c < channels; c++) {
      const plane = (c + 1) * this.channelStride;
      const previousPlane = c * this.channelStride;
      for (let y = 0; y < height; y++) {
        let rowSum = 0;
        for (let x = 0; x < width; x++) {
          if (values[(c * height + y) * width + x] !== 0) rowSum++;
          const offset = (y + 1) * this.rowStride + (x + 1);
          // 2-D prefix of this channel (row sum plus the entry above), plus the sum over the earlier channels.
          const planeSum = rowSum + table[plane + offset - this.rowStride] - table[previousPlane + offset - this.rowStride];
          table[plane + offset] = planeSum + table[previousPlane + offset];
        }
      }
    }
    this.table = table;
  }

  /** Bytes the table takes. */
  get bytes(): number {
    return this.table.byteLength;
  }

  get total(): number {
    return this.table[this.table.length - 1];
  }

  /** Nonzero elements in a box, which must lie inside the tensor. */
  count(region: TensorRegion): number {
    const t = this.table;
    const cs = this.channelStride;
    const rs = this.rowStride;
    const c0 = region.channelStart * cs;
    const c1 = region.channelEnd * cs;
    const y0 = region.rowStart * rs;
    const y1 = region.rowEnd * rs;
    const x0 = region.columnStart;
    const x1 = region.columnEnd;
    return (
      t[c1 + y1 + x1] -
      t[c0 + y1 + x1] -
      t[c1 + y0 + x1] -
      t[c1 + y1 + x0] +
      t[c0 + y0 + x1] +
      t[c0 + y1 + x0] +
      t[c1 + y0 + x0] -
      t[c0 + y0 + x0]
    );
  }
}
