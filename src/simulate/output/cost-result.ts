import { CostResult, CostTotals, LatencyBound, LayerTimestepCost } from '../../metrics/types';
import { ResolvedMapping } from '../../mapping';
import { PortDirection } from '../components/port';
import { AccessLedger } from '../run/access-ledger';
import { LayerStats } from '../run/layer-stats';

/** The bound of a layer and timestep: compute unless a stall cause took more cycles than the array computed. */
function boundOf(stalls: Map<string, number>, busyCycles: number): LatencyBound {
  let bound: LatencyBound = 'compute';
  let largest = busyCycles;
  for (const [cause, cycles] of stalls) {
    if (cycles <= largest) continue;
    largest = cycles;
    if (cause === 'off-chip-transfer') bound = 'off-chip-transfer';
    else if (cause.startsWith('bandwidth:') || cause.startsWith('port:')) bound = `bandwidth:${cause.slice(cause.indexOf(':') + 1)}`;
    else bound = `bandwidth:${cause}`;
  }
  return bound;
}

/** Assembles the simulator's figures into a CostResult with source 'simulated'. */
export function buildCostResult(mapping: ResolvedMapping, ledger: AccessLedger, stats: LayerStats, totalCycles: number): CostResult {
  const network = mapping.network;
  const hardware = mapping.hardware;
  const accesses = ledger.records();
  const layers: LayerTimestepCost[] = [];
  for (const layer of network.layers) {
    if (layer.isView) continue;
    for (let timestep = 0; timestep < network.timesteps; timestep++) {
      const at = stats.index(layer.index, timestep);
      const elements = stats.inputElements[at];
      layers.push({
        layer: layer.name,
        timestep,
        operations: stats.operations[at],
        denseOperations: stats.denseOperations[at],
        computeEnergyPj: stats.computeEnergyPj[at],
        cycles: stats.cycles[at],
        stallCycles: Object.fromEntries([...stats.stalls[at]].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
        bound: boundOf(stats.stalls[at], stats.busyCycles[at]),
        inputSpikeRate: elements > 0 ? stats.inputSpikes[at] / elements : 0,
      });
    }
  }

  const computeEnergyPj = layers.reduce((sum, entry) => sum + entry.computeEnergyPj, 0);
  const memoryEnergyPj = accesses.reduce((sum, record) => sum + record.energyPj, 0);
  const dram = hardware.dram;
  const offChipReadBits = ledgerBits(ledger, dram.index, PortDirection.Read) * dram.wordBits;
  const offChipWriteBits = ledgerBits(ledger, dram.index, PortDirection.Write) * dram.wordBits;

  const runStalls = new Map<string, number>();
  let busyCycles = 0;
  for (let at = 0; at < stats.cycles.length; at++) {
    busyCycles += stats.busyCycles[at];
    for (const [cause, cycles] of stats.stalls[at]) runStalls.set(cause, (runStalls.get(cause) ?? 0) + cycles);
  }
  const totals: CostTotals = {
    energyPj: computeEnergyPj + memoryEnergyPj,
    computeEnergyPj,
    memoryEnergyPj,
    cycles: totalCycles,
    seconds: totalCycles / hardware.clockHz,
    offChipBits: offChipReadBits + offChipWriteBits,
    offChipReadBits,
    offChipWriteBits,
    operations: layers.reduce((sum, entry) => sum + entry.operations, 0),
    bound: boundOf(runStalls, busyCycles),
  };
  return {
    source: 'simulated',
    network: network.name,
    hardware: hardware.name,
    mapping: mapping.name,
    timesteps: network.timesteps,
    accesses,
    layers,
    totals,
  };
}

function ledgerBits(ledger: AccessLedger, levelIndex: number, direction: PortDirection): number {
  let words = 0;
  for (const operand of ['weight', 'input', 'output', 'partial_sum', 'state'] as const) words += ledger.total(levelIndex, operand, direction);
  return words;
}
