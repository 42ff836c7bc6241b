import { AccessRecord, CostResult, CostSource, LayerTimestepCost } from '../../src/metrics/types';

/** Builds an access record with bits = 64 x words and energy = 2 pJ per word. */
export function access(fields: Pick<AccessRecord, 'layer' | 'timestep' | 'level' | 'operand' | 'direction' | 'words'>): AccessRecord {
  return { ...fields, bits: fields.words * 64, energyPj: fields.words * 2 };
}

export function layerRow(fields: Partial<LayerTimestepCost> & Pick<LayerTimestepCost, 'layer' | 'timestep'>): LayerTimestepCost {
  return {
    operations: 100,
    denseOperations: 100,
    computeEnergyPj: 10,
    cycles: 50,
    stallCycles: {},
    bound: 'compute',
    inputSpikeRate: 1,
    ...fields,
  };
}

/** Builds a CostResult of network 'net', hardware 'hw' and mapping 'map', with zero totals because the comparison ignores them. */
export function costResult(source: CostSource, accesses: AccessRecord[], layers: LayerTimestepCost[]): CostResult {
  return {
    source,
    network: 'net',
    hardware: 'hw',
    mapping: 'map',
    timesteps: 2,
    accesses,
    layers,
    totals: {
      energyPj: 0,
      computeEnergyPj: 0,
      memoryEnergyPj: 0,
      cycles: 0,
      seconds: 0,
      offChipBits: 0,
      offChipReadBits: 0,
      offChipWriteBits: 0,
      operations: 0,
      bound: 'compute',
    },
  };
}
