import { isOperand, LoopDim, Operand, OPERANDS } from './dims';
import { SpecError } from './errors';
import { HardwareSpec, MemoryLevelSpec } from './hardware-schema';

export interface ResolvedLevel extends MemoryLevelSpec {
  index: number;
  isOffChip: boolean;
  /** Energy of one access of `wordBits`, whatever unit the spec used. */
  readEnergyPjPerWord: number;
  writeEnergyPjPerWord: number;
}

export interface ResolvedHardware {
  spec: HardwareSpec;
  name: string;
  clockHz: number;
  levels: ResolvedLevel[];
  byName: Map<string, ResolvedLevel>;
  /** PE-array axes, each named by the loop dimension it unrolls. */
  arrayDims: Partial<Record<LoopDim, number>>;
  peCount: number;
  /** The outermost on-chip level, which holds whole tensors between nodes. */
  buffer: ResolvedLevel;
  dram: ResolvedLevel;
  /** Levels that store each operand, outermost first. */
  chains: Record<Operand, ResolvedLevel[]>;
}

/** Checks the structure of a hardware spec that the schema cannot express and derives per-word energies. */
export function resolveHardware(spec: HardwareSpec, file = spec.name): ResolvedHardware {
  const names = new Set<string>();
  const levels: ResolvedLevel[] = spec.levels.map((level, index) => {
    const at = `/levels/${index}`;
    if (names.has(level.name)) throw new SpecError(file, `${at}/name`, `duplicate level name '${level.name}'`);
    names.add(level.name);
    if ((level.kind === 'dram') !== (index === 0)) {
      throw new SpecError(file, `${at}/kind`, 'the first level, and only the first, must be DRAM');
    }
    if (level.kind !== 'dram' && level.capacityBits === undefined) {
      throw new SpecError(file, `${at}/capacityBits`, `an on-chip level needs a capacity in bits`);
    }
    if (level.readPorts + level.writePorts + (level.readWritePorts ?? 0) < 1) {
      throw new SpecError(file, `${at}/readPorts`, 'a level needs at least one port');
    }
    level.operands.forEach((operand, operandIndex) => {
      if (!isOperand(operand)) {
        throw new SpecError(file, `${at}/operands/${operandIndex}`, `unknown operand '${operand}'; use one of ${OPERANDS.join(', ')}`);
      }
    });
    const perWord = level.energyPer === 'word' ? 1 : level.wordBits;
    return {
      ...level,
      index,
      isOffChip: level.kind === 'dram',
      readEnergyPjPerWord: level.readEnergyPj * perWord,
      writeEnergyPjPerWord: level.writeEnergyPj * perWord,
    };
  });

  const dram = levels[0];
  for (const operand of OPERANDS) {
    if (!dram.operands.includes(operand)) {
      throw new SpecError(file, '/levels/0/operands', `DRAM must store every operand; '${operand}' is missing`);
    }
  }
  const buffer = levels[1];
  for (const operand of OPERANDS) {
    if (!buffer.operands.includes(operand)) {
      throw new SpecError(
        file,
        '/levels/1/operands',
        `the outermost on-chip level must store every operand because the inter-layer schedule keeps whole tensors there; '${operand}' is missing`,
      );
    }
  }

  const arrayDims: Partial<Record<LoopDim, number>> = {};
  let peCount = 1;
  for (const [dim, size] of Object.entries(spec.peArray.dims)) {
    arrayDims[dim as LoopDim] = size;
    peCount *= size;
  }
  const chains = Object.fromEntries(
    OPERANDS.map((operand) => [operand, levels.filter((level) => level.operands.includes(operand))]),
  ) as Record<Operand, ResolvedLevel[]>;

  return {
    spec,
    name: spec.name,
    clockHz: spec.clockHz,
    levels,
    byName: new Map(levels.map((level) => [level.name, level])),
    arrayDims,
    peCount,
    buffer,
    dram,
    chains,
  };
}
