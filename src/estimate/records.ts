import { OPERANDS } from '../spec/dims';
import { ResolvedHardware } from '../spec/hardware';
import { ResolvedNetwork } from '../spec/network';
import { AccessRecord, LatencyBound, LayerTimestepCost } from '../metrics/types';
import { OPERAND_COUNT } from './layer-context';

/** Per-layer, per-timestep figures collected node by node, turned into CostResult records at the end. */
export class LayerTimestepRecords {
  private readonly timesteps: number;
  private readonly levelCount: number;
  private readonly slotWords: number;
  /** Words at [(layer * T + t) * slotWords + (operand * levelCount + level) * 2 + direction]. */
  private readonly words: Float64Array;
  private readonly operations: Float64Array;
  private readonly denseOperations: Float64Array;
  private readonly computeEnergyPj: Float64Array;
  private readonly cycles: Float64Array;
  private readonly spikeRate: Float64Array;
  private readonly touched: Uint8Array;
  /** The bound of the node that gave each layer and timestep the most cycles. */
  private readonly bound: LatencyBound[];
  private readonly boundCycles: Float64Array;

  constructor(
    private readonly network: ResolvedNetwork,
    private readonly hardware: ResolvedHardware,
  ) {
    this.timesteps = network.timesteps;
    this.levelCount = hardware.levels.length;
    this.slotWords = OPERAND_COUNT * this.levelCount * 2;
    const slots = network.layers.length * network.timesteps;
    this.words = new Float64Array(slots * this.slotWords);
    this.operations = new Float64Array(slots);
    this.denseOperations = new Float64Array(slots);
    this.computeEnergyPj = new Float64Array(slots);
    this.cycles = new Float64Array(slots);
    this.spikeRate = new Float64Array(slots);
    this.touched = new Uint8Array(slots);
    this.bound = new Array<LatencyBound>(slots).fill('compute');
    this.boundCycles = new Float64Array(slots);
  }

  /** Adds one node's share for one timestep; `nodeWords` is laid out as NodeCounts.words and scaled by `share`. */
  add(
    layerIndex: number,
    t: number,
    nodeWords: Float64Array,
    share: number,
    figures: { operations: number; denseOperations: number; computeEnergyPj: number; cycles: number; spikeRate: number; bound: LatencyBound },
  ): void {
    const slot = layerIndex * this.timesteps + t;
    this.addWords(layerIndex, t, nodeWords, share);
    this.operations[slot] += figures.operations;
    this.denseOperations[slot] += figures.denseOperations;
    this.computeEnergyPj[slot] += figures.computeEnergyPj;
    this.cycles[slot] += figures.cycles;
    this.spikeRate[slot] = figures.spikeRate;
    this.touched[slot] = 1;
    if (figures.cycles > this.boundCycles[slot]) {
      this.boundCycles[slot] = figures.cycles;
      this.bound[slot] = figures.bound;
    }
  }

  /** Adds words laid out as NodeCounts.words, scaled by `share`, to one layer and timestep. */
  addWords(layerIndex: number, t: number, words: Float64Array, share: number): void {
    const base = (layerIndex * this.timesteps + t) * this.slotWords;
    for (let i = 0; i < this.slotWords; i++) this.words[base + i] += words[i] * share;
  }

  accessRecords(): AccessRecord[] {
    const records: AccessRecord[] = [];
    for (const layer of this.network.layers) {
      for (let t = 0; t < this.timesteps; t++) {
        const slot = layer.index * this.timesteps + t;
        if (!this.touched[slot]) continue;
        const base = slot * this.slotWords;
        for (let operand = 0; operand < OPERAND_COUNT; operand++) {
          for (const level of this.hardware.levels) {
            for (let direction = 0; direction < 2; direction++) {
              const words = this.words[base + (operand * this.levelCount + level.index) * 2 + direction];
              if (words === 0) continue;
              records.push({
                layer: layer.name,
                timestep: t,
                level: level.name,
                operand: OPERANDS[operand],
                direction: direction === 0 ? 'read' : 'write',
                words,
                bits: words * level.wordBits,
                energyPj: words * (direction === 0 ? level.readEnergyPjPerWord : level.writeEnergyPjPerWord),
              });
            }
          }
        }
      }
    }
    return records;
  }

  layerTimestepCosts(): LayerTimestepCost[] {
    const costs: LayerTimestepCost[] = [];
    for (const layer of this.network.layers) {
      for (let t = 0; t < this.timesteps; t++) {
        const slot = layer.index * this.timesteps + t;
        if (!this.touched[slot]) continue;
        costs.push({
          layer: layer.name,
          timestep: t,
          operations: this.operations[slot],
          denseOperations: this.denseOperations[slot],
          computeEnergyPj: this.computeEnergyPj[slot],
          cycles: this.cycles[slot],
          stallCycles: {},
          bound: this.bound[slot],
          inputSpikeRate: this.spikeRate[slot],
        });
      }
    }
    return costs;
  }
}
