import { ResolvedHardware, ResolvedLevel } from '../spec/hardware';
import { LatencyBound } from '../metrics/types';

/** Cycles to move the bits through a level: reads and writes overlap on separate ports and add up on a shared one. */
export function transferCycles(level: ResolvedLevel, readBits: number, writeBits: number): number {
  const readCycles = readBits / level.readBandwidthBitsPerCycle;
  const writeCycles = writeBits / level.writeBandwidthBitsPerCycle;
  const separatePorts = level.readPorts >= 1 && level.writePorts >= 1;
  return separatePorts ? Math.max(readCycles, writeCycles) : readCycles + writeCycles;
}

const bandwidthBounds = new WeakMap<ResolvedLevel, LatencyBound>();

/** Returns the bound 'bandwidth:<level>', made once per level. */
function bandwidthBound(level: ResolvedLevel): LatencyBound {
  let bound = bandwidthBounds.get(level);
  if (!bound) {
    bound = `bandwidth:${level.name}`;
    bandwidthBounds.set(level, bound);
  }
  return bound;
}

/** Latency of one node (docs/cost-model.md, "Energy and latency"). */
export interface NodeLatency {
  cycles: number;
  /** Cycles of the fetches and write-backs between DRAM and the buffer, which do not overlap compute. */
  offChipTransferCycles: number;
  /** The largest of compute and each level's transfer cycles, and the term that set it. */
  overlappedCycles: number;
  overlappedBound: LatencyBound;
  /** overlappedBound, or 'off-chip-transfer' when the off-chip transfers take longer than it. */
  bound: LatencyBound;
}

/**
 * Computes a node's latency: its DRAM fetches and write-backs plus the largest of its compute cycles and each level's
 * transfer cycles. `levelBits` contains the loop nest's read and write bits per level at [level * 2 + direction].
 */
export function nodeLatency(
  hardware: ResolvedHardware,
  computeCycles: number,
  levelBits: Float64Array,
  offChipTransferBits: { dramRead: number; dramWrite: number; bufferRead: number; bufferWrite: number },
): NodeLatency {
  let overlappedCycles = computeCycles;
  let overlappedBound: LatencyBound = 'compute';
  for (const level of hardware.levels) {
    const cycles = transferCycles(level, levelBits[level.index * 2], levelBits[level.index * 2 + 1]);
    if (cycles > overlappedCycles) {
      overlappedCycles = cycles;
      overlappedBound = bandwidthBound(level);
    }
  }
  const offChipTransferCycles = Math.max(
    transferCycles(hardware.dram, offChipTransferBits.dramRead, offChipTransferBits.dramWrite),
    transferCycles(hardware.buffer, offChipTransferBits.bufferRead, offChipTransferBits.bufferWrite),
  );
  return {
    cycles: offChipTransferCycles + overlappedCycles,
    offChipTransferCycles,
    overlappedCycles,
    overlappedBound,
    bound: offChipTransferCycles > overlappedCycles ? 'off-chip-transfer' : overlappedBound,
  };
}
