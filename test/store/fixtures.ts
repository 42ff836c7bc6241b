import { AccessRecord, CostResult, CostSource, LayerTimestepCost } from '../../src/metrics/types';
import { OPERANDS } from '../../src/spec/dims';
import { sha256OfText } from '../../src/store/input-key';
import { SaveRunRequest } from '../../src/store/types';
import { compareResults } from '../../src/validate/compare';

export interface CostResultShape {
  source: CostSource;
  layerCount?: number;
  timesteps?: number;
  levels?: string[];
  /** Multiplies every figure, so results built with different scales disagree by that factor. */
  scale?: number;
  /** Input spike rate of a layer at a timestep. */
  spikeRate?: (layerIndex: number, timestep: number) => number;
}

export const LEVELS = ['dram', 'global_buffer', 'registers'];

/** Builds a deterministic CostResult whose figures depend on layer, timestep, level, operand and direction. */
export function makeCostResult(shape: CostResultShape): CostResult {
  const layerCount = shape.layerCount ?? 2;
  const timesteps = shape.timesteps ?? 3;
  const levels = shape.levels ?? LEVELS;
  const scale = shape.scale ?? 1;
  const spikeRate = shape.spikeRate ?? ((layerIndex: number, timestep: number) => 0.1 + 0.05 * layerIndex + 0.01 * timestep);
  const accesses: AccessRecord[] = [];
  const layers: LayerTimestepCost[] = [];

  for (let layerIndex = 0; layerIndex < layerCount; layerIndex += 1) {
    const layer = `conv${layerIndex + 1}`;
    for (let timestep = 0; timestep < timesteps; timestep += 1) {
      levels.forEach((level, levelIndex) => {
        OPERANDS.forEach((operand, operandIndex) => {
          for (const direction of ['read', 'write'] as const) {
            const words = scale * (1000 * (layerIndex + 1) + 100 * timestep + 10 * levelIndex + operandIndex + (direction === 'write' ? 0.5 : 0));
            accesses.push({
              layer,
              timestep,
              level,
              operand,
              direction,
              words,
              bits: words * 64,
              energyPj: words * (levelIndex === 0 ? 700 : 0.25),
            });
          }
        });
      });
      const denseOperations = 50_000 * (layerIndex + 1);
      const inputSpikeRate = spikeRate(layerIndex, timestep);
      layers.push({
        layer,
        timestep,
        operations: denseOperations * inputSpikeRate,
        denseOperations,
        computeEnergyPj: 0.07 * denseOperations * inputSpikeRate * scale,
        cycles: scale * (2000 + 300 * layerIndex + 7 * timestep),
        stallCycles: shape.source === 'simulated' ? { 'port:global_buffer': 10 * scale, 'bandwidth:dram': 3 } : {},
        bound: layerIndex === 0 ? 'off-chip-transfer' : 'compute',
        inputSpikeRate,
      });
    }
  }

  const memoryEnergyPj = accesses.reduce((sum, access) => sum + access.energyPj, 0);
  const computeEnergyPj = layers.reduce((sum, row) => sum + row.computeEnergyPj, 0);
  const offChip = accesses.filter((access) => access.level === levels[0]);
  const offChipReadBits = offChip.filter((access) => access.direction === 'read').reduce((sum, access) => sum + access.bits, 0);
  const offChipWriteBits = offChip.filter((access) => access.direction === 'write').reduce((sum, access) => sum + access.bits, 0);
  const cycles = layers.reduce((sum, row) => sum + row.cycles, 0);

  return {
    source: shape.source,
    network: 'test-net',
    hardware: 'test-hw',
    mapping: 'test-map',
    timesteps,
    accesses,
    layers,
    totals: {
      energyPj: memoryEnergyPj + computeEnergyPj,
      computeEnergyPj,
      memoryEnergyPj,
      cycles,
      seconds: cycles * 1e-9,
      offChipBits: offChipReadBits + offChipWriteBits,
      offChipReadBits,
      offChipWriteBits,
      operations: layers.reduce((sum, row) => sum + row.operations, 0),
      bound: 'compute',
    },
  };
}

/**
 * Builds a complete run: a dense analytical result, and per sample a sparse analytical result,
 * a simulated one (scaled by 1.1), their validation rows and the sparsity profile.
 * `variant` changes the network hash, so each variant has its own input key.
 */
export function makeRunRequest(variant: string, options: { samples?: string[]; layerCount?: number; timesteps?: number } = {}): SaveRunRequest {
  const samples = options.samples ?? ['sample-a', 'sample-b'];
  const shape = { layerCount: options.layerCount, timesteps: options.timesteps };
  const request: SaveRunRequest = {
    inputs: {
      network: { name: 'test-net', sha256: sha256OfText(`network ${variant}`), path: '/specs/test-net.json' },
      hardware: { name: 'test-hw', sha256: sha256OfText('hardware') },
      mapping: { name: 'test-map', sha256: sha256OfText('mapping') },
      weights: { name: 'weights.bin', sha256: sha256OfText('weights') },
      traces: samples.map((sample) => ({ sample, name: `${sample}.pb`, sha256: sha256OfText(`trace ${sample}`) })),
    },
    options: { timeBatch: 1, simulate: { seed: 7, stemsAssumptions: false }, variant },
    offChipLevel: 'dram',
    analyticalDense: makeCostResult({ source: 'analytical', ...shape, spikeRate: () => 1 }),
    analyticalSparse: {},
    simulated: {},
    validation: {},
    sparsityProfile: {},
    summary: { note: `run ${variant}`, samples: samples.length },
  };

  samples.forEach((sample, sampleIndex) => {
    const spikeRate = (layerIndex: number, timestep: number): number => 0.1 + 0.05 * layerIndex + 0.01 * timestep + 0.02 * sampleIndex;
    const meanRate = (layerIndex: number): number => 0.1 + 0.05 * layerIndex + 0.01 * ((options.timesteps ?? 3) - 1) / 2 + 0.02 * sampleIndex;
    const analytical = makeCostResult({ source: 'analytical', ...shape, spikeRate: (layerIndex) => meanRate(layerIndex) });
    const simulated = makeCostResult({ source: 'simulated', ...shape, scale: 1.1, spikeRate });
    request.analyticalSparse![sample] = analytical;
    request.simulated![sample] = simulated;
    request.validation![sample] = compareResults(analytical, simulated);
    request.sparsityProfile![sample] = simulated.layers.map((row) => ({
      layer: row.layer,
      timestep: row.timestep,
      inputSpikeRate: row.inputSpikeRate,
    }));
  });
  return request;
}
