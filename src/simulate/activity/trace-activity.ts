import { PrefixSum3d } from './prefix-sum';
import { SpikeFrames, TensorSpikes } from './spike-frames';
import { ActivityKind, regionElements, SpikeActivity, TensorRegion } from './spike-activity';

/** The spike counts of one tensor, from whichever form its trace gives. */
interface TensorCounter {
  kind: ActivityKind;
  count(timestep: number, region: TensorRegion): number;
}

/** Bytes of prefix sums kept at once; the least recently built are dropped and rebuilt when needed again. */
const PREFIX_SUM_CACHE_BYTES = 512 * 1024 * 1024;

/** Prefix sums of (tensor, timestep) frames, built on first use and kept within PREFIX_SUM_CACHE_BYTES. */
class PrefixSumCache {
  private readonly sums = new Map<string, PrefixSum3d>();
  private bytes = 0;

  get(key: string, build: () => PrefixSum3d): PrefixSum3d {
    let sum = this.sums.get(key);
    if (sum) return sum;
    sum = build();
    this.sums.set(key, sum);
    this.bytes += sum.bytes;
    for (const [oldKey, old] of this.sums) {
      if (this.bytes <= PREFIX_SUM_CACHE_BYTES || old === sum) break;
      this.sums.delete(oldKey);
      this.bytes -= old.bytes;
    }
    return sum;
  }
}

/** Exact counts from bitmaps. */
function bitmapCounter(name: string, spikes: TensorSpikes, frames: ArrayLike<number>[], cache: PrefixSumCache): TensorCounter {
  const { channels, height, width } = spikes.shape;
  return {
    kind: 'bitmap',
    count(timestep, region) {
      const sum = cache.get(`${name}@${timestep}`, () => new PrefixSum3d(frames[timestep], channels, height, width));
      return sum.count(region);
    },
  };
}

/** Counts from coarse tiles: a region gets each overlapped tile's count times the fraction of the tile it covers. */
function tileCounter(spikes: TensorSpikes, tiles: NonNullable<TensorSpikes['tileCounts']>): TensorCounter {
  const { channels, height, width } = spikes.shape;
  const tileShape = tiles.tileShape;
  const gridRows = Math.ceil(height / tileShape.height);
  const gridColumns = Math.ceil(width / tileShape.width);
  const overlap = (start: number, end: number, tileStart: number, tileEnd: number) =>
    Math.max(0, Math.min(end, tileEnd) - Math.max(start, tileStart));
  return {
    kind: 'tile-counts',
    count(timestep, region) {
      const counts = tiles.counts[timestep];
      let total = 0;
      const c0 = Math.floor(region.channelStart / tileShape.channels);
      const c1 = Math.ceil(region.channelEnd / tileShape.channels);
      const y0 = Math.floor(region.rowStart / tileShape.height);
      const y1 = Math.ceil(region.rowEnd / tileShape.height);
      const x0 = Math.floor(region.columnStart / tileShape.width);
      const x1 = Math.ceil(region.columnEnd / tileShape.width);
      for (let tc = c0; tc < c1; tc++) {
        const cStart = tc * tileShape.channels;
        const cEnd = Math.min(cStart + tileShape.channels, channels);
        const cOverlap = overlap(region.channelStart, region.channelEnd, cStart, cEnd);
        for (let ty = y0; ty < y1; ty++) {
          const yStart = ty * tileShape.height;
          const yEnd = Math.min(yStart + tileShape.height, height);
          const yOverlap = overlap(region.rowStart, region.rowEnd, yStart, yEnd);
          for (let tx = x0; tx < x1; tx++) {
            const xStart = tx * tileShape.width;
            const xEnd = Math.min(xStart + tileShape.width, width);
            const xOverlap = overlap(region.columnStart, region.columnEnd, xStart, xEnd);
            const tileElements = (cEnd - cStart) * (yEnd - yStart) * (xEnd - xStart);
            const covered = cOverlap * yOverlap * xOverlap;
            if (covered > 0) total += (counts[(tc * gridRows + ty) * gridColumns + tx] * covered) / tileElements;
          }
        }
      }
      return total;
    },
  };
}

function rateCounter(rates: number[]): TensorCounter {
  return {
    kind: 'layer-rate',
    count(timestep, region) {
      return rates[timestep] * regionElements(region);
    },
  };
}

/**
 * Spike counts read from a trace. Each tensor uses the most detailed form its trace gives, and
 * `description` names the tensors that fell back to tile counts or per-layer rates.
 */
export class TraceActivity implements SpikeActivity {
  private readonly counters = new Map<string, TensorCounter>();
  private readonly cache = new PrefixSumCache();
  readonly description: string;
  readonly isDense = false;

  constructor(
    readonly frames: SpikeFrames,
    source: string,
  ) {
    const fallbacks = new Map<ActivityKind, string[]>();
    for (const [name, spikes] of frames.tensors) {
      const counter = makeCounter(name, spikes, frames.timesteps, source, this.cache);
      this.counters.set(name, counter);
      if (counter.kind === 'bitmap') continue;
      fallbacks.set(counter.kind, [...(fallbacks.get(counter.kind) ?? []), name]);
    }
    const listed = (names: string[]) => (names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`);
    const parts = [...fallbacks].map(([kind, names]) => `${kind === 'tile-counts' ? 'tile counts' : 'per-layer rates'} for ${listed(names)}`);
    this.description =
      parts.length === 0
        ? `trace ${source} (exact spike bitmaps)`
        : `trace ${source}; no bitmaps, so spikes are spread evenly from ${parts.join('; ')}`;
  }

  kindOf(tensor: string): ActivityKind {
    return this.counterOf(tensor).kind;
  }

  spikeCount(tensor: string, timestep: number, region: TensorRegion): number {
    return this.counterOf(tensor).count(timestep, region);
  }

  private counterOf(tensor: string): TensorCounter {
    const counter = this.counters.get(tensor);
    if (!counter) {
      throw new Error(
        `the spike trace has no spikes for tensor '${tensor}'; capture a trace of this network, or simulate with --dense`,
      );
    }
    return counter;
  }
}

function makeCounter(name: string, spikes: TensorSpikes, timesteps: number, source: string, cache: PrefixSumCache): TensorCounter {
  const check = (length: number, what: string) => {
    if (length < timesteps) {
      throw new Error(`${source}: tensor '${name}' has ${what} for ${length} timesteps, but the network runs ${timesteps}; capture the trace with the same timesteps`);
    }
  };
  if (spikes.frames) {
    check(spikes.frames.length, 'frames');
    return bitmapCounter(name, spikes, spikes.frames, cache);
  }
  if (spikes.tileCounts) {
    check(spikes.tileCounts.counts.length, 'tile counts');
    return tileCounter(spikes, spikes.tileCounts);
  }
  if (spikes.rates) {
    check(spikes.rates.length, 'rates');
    return rateCounter(spikes.rates);
  }
  throw new Error(`${source}: tensor '${name}' has neither frames, tile counts nor rates`);
}
