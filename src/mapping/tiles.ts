import { LOOP_DIMS, LoopBounds, Operand } from '../spec/dims';
import { ResolvedHardware, ResolvedLevel } from '../spec/hardware';
import { ResolvedLayer } from '../spec/network';
import { LoopNest } from './types';

/** The layer properties that tile sizes depend on, besides the loop nest. */
export interface LayerGeometry {
  stride: number;
  /** true for pool and add layers: they work channel by channel, so their input is indexed by K (their C is 1). */
  channelWise: boolean;
  /** Tensors read as input: 2 or more for an add layer, else 1. */
  inputCount: number;
  bits: Record<Operand, number>;
  hasWeights: boolean;
  stateful: boolean;
}

export function layerGeometry(layer: ResolvedLayer): LayerGeometry {
  const channelWise = layer.type === 'maxpool' || layer.type === 'avgpool' || layer.type === 'add';
  return {
    stride: layer.stride,
    channelWise,
    inputCount: layer.inputs.length,
    bits: {
      weight: layer.precision.weightBits,
      input: layer.precision.inputBits,
      output: layer.precision.outputBits,
      partial_sum: layer.precision.partialSumBits,
      state: layer.precision.stateBits,
    },
    hasWeights: layer.hasWeights,
    stateful: layer.hasState,
  };
}

/** Elements of an operand's tile over the given per-dimension footprint; an input tile spans its sliding window. */
export function operandTileElements(operand: Operand, footprint: LoopBounds, geometry: LayerGeometry): number {
  const f = footprint;
  switch (operand) {
    case 'weight':
      return geometry.hasWeights ? f.K * f.C * f.FY * f.FX : 0;
    case 'input': {
      const rows = (f.OY - 1) * geometry.stride + f.FY;
      const columns = (f.OX - 1) * geometry.stride + f.FX;
      const channels = geometry.channelWise ? f.K : f.C;
      return f.T * f.B * channels * rows * columns * geometry.inputCount;
    }
    case 'output':
    case 'partial_sum':
      return f.T * f.B * f.K * f.OY * f.OX;
    case 'state':
      return geometry.stateful ? f.B * f.K * f.OY * f.OX : 0;
  }
}

/**
 * Per-dimension footprint of the loops at `level` and every level inside it, times the spatial factors
 * unless `perPe` (the footprint in one PE).
 */
export function levelFootprint(nest: LoopNest, level: number, perPe: boolean): LoopBounds {
  const footprint = {} as LoopBounds;
  for (const dim of LOOP_DIMS) footprint[dim] = perPe ? 1 : nest.spatial[dim];
  for (const loop of nest.loops) {
    if (loop.level >= level) footprint[loop.dim] *= loop.factor;
  }
  return footprint;
}

/**
 * Returns the operands whose tiles take room at a level, for capacity. A stateless layer's output is the final value of its
 * partial sum and shares its storage, so it counts only where the level stores no partial sum.
 */
export function storedOperands(level: ResolvedLevel, geometry: LayerGeometry): Operand[] {
  const stores = (operand: Operand) => level.operands.includes(operand);
  const operands: Operand[] = [];
  if (geometry.hasWeights && stores('weight')) operands.push('weight');
  if (stores('input')) operands.push('input');
  if (geometry.stateful) {
    if (stores('state')) operands.push('state');
    if (stores('output')) operands.push('output');
  } else if (stores('partial_sum')) {
    operands.push('partial_sum');
  } else if (stores('output')) {
    operands.push('output');
  }
  return operands;
}

/** Bits a tile may take at a level: half the capacity when double buffered; for a per-PE level, the capacity of one PE. */
export function usableCapacityBits(level: ResolvedLevel): number {
  const capacity = level.capacityBits ?? Infinity;
  return level.doubleBuffered ? capacity / 2 : capacity;
}

/** A level whose tiles do not fit, with the tile bits of each operand there. */
export interface CapacityOverflow {
  level: ResolvedLevel;
  tileBits: Partial<Record<Operand, number>>;
  neededBits: number;
  usableBits: number;
}

/**
 * Checks that the tiles of a node fit every on-chip level inside the buffer; returns the outermost level that overflows,
 * or null. The buffer is not checked: what does not fit there is bypassed to DRAM by the inter-layer schedule.
 */
export function findCapacityOverflow(nest: LoopNest, geometry: LayerGeometry, hardware: ResolvedHardware): CapacityOverflow | null {
  for (const level of hardware.levels) {
    if (level.index <= hardware.buffer.index) continue;
    const perPe = level.perPe === true;
    const footprint = levelFootprint(nest, level.index, perPe);
    const tileBits: Partial<Record<Operand, number>> = {};
    let neededBits = 0;
    for (const operand of storedOperands(level, geometry)) {
      const bits = operandTileElements(operand, footprint, geometry) * geometry.bits[operand];
      tileBits[operand] = bits;
      neededBits += bits;
    }
    const usableBits = usableCapacityBits(level);
    if (neededBits > usableBits) return { level, tileBits, neededBits, usableBits };
  }
  return null;
}

/** Describes an overflow for an error message, e.g. "weight 73728 + input 3456 = 77184 bits, but weight_sram holds 65536". */
export function describeOverflow(overflow: CapacityOverflow): string {
  const parts = Object.entries(overflow.tileBits).map(([operand, bits]) => `${operand} ${bits}`);
  const level = overflow.level;
  const limit = level.doubleBuffered
    ? `${overflow.usableBits} (half of ${level.capacityBits} because it is double buffered)`
    : `${overflow.usableBits}`;
  const perPe = level.perPe ? ' per PE' : '';
  return `the tiles need ${parts.join(' + ')} = ${overflow.neededBits} bits${perPe}, but ${level.name} holds ${limit} bits${perPe}`;
}
