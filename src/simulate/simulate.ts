import { buildSchedule, ResolvedMapping } from '../mapping';
import { CostResult } from '../metrics/types';
import { DenseActivity, SpikeActivity } from './activity/spike-activity';
import { DramTiming } from './components/dram';
import { Engine } from './engine/engine';
import { buildCostResult } from './output/cost-result';
import { DEFAULT_TIMELINE_EVENT_LIMIT, TimelineRecorder } from './output/timeline';
import { BufferResidency } from './residency/buffer-residency';
import { AccessLedger } from './run/access-ledger';
import { LayerStats } from './run/layer-stats';
import { ScheduleRunner } from './run/schedule-runner';
import { StepPipeline } from './run/step-pipeline';
import { MachineUnits } from './run/units';

export interface SimulateOptions {
  /** Input spikes that set each step's compute; dense (every input a spike) when left out. */
  activity?: SpikeActivity;
  /** DRAM bank and row-buffer timing; off when left out. */
  dramTiming?: DramTiming | null;
  /** Record a timeline for Perfetto, keeping at most this many events (DEFAULT_TIMELINE_EVENT_LIMIT when true). */
  timeline?: boolean | number;
  /** Called after each node with the nodes done and the node count. */
  onProgress?: (nodesDone: number, nodeCount: number) => void;
}

/** Busy time, accesses and energy of one component of the simulated machine. */
export interface ComponentReport {
  name: string;
  kind: 'memory' | 'link' | 'pe-array' | 'neuron-unit';
  busyCycles: number;
  energyPj: number;
  readWords?: number;
  writtenWords?: number;
  /** Largest occupancy in bits: for the buffer, the whole tensors it held between nodes. */
  peakOccupiedBits?: number;
  bitsMoved?: number;
  operations?: number;
}

export interface SimulationResult {
  cost: CostResult;
  /** Events the engine delivered. */
  events: number;
  nodes: number;
  /** Compute steps of all nodes: iterations of the loops above the innermost SRAM level. */
  steps: number;
  /** Transfers the links carried (fills, write-backs, spikes and whole-tensor DRAM transfers). */
  transfers: number;
  /** Source of the input spikes, e.g. "dense (every input is a spike; no trace)". */
  activity: string;
  components: ComponentReport[];
  /** The recorded timeline, when requested; write it with `writeFile`. */
  timeline: TimelineRecorder | null;
}

/**
 * Simulates a resolved mapping (which carries its network and hardware) cycle by cycle, with the
 * work of each step set by `options.activity`. Returns figures counted from what ran; nothing is
 * taken from the analytical model.
 */
export function simulate(mapping: ResolvedMapping, options: SimulateOptions = {}): SimulationResult {
  const network = mapping.network;
  const hardware = mapping.hardware;
  const activity = options.activity ?? new DenseActivity();
  const nodes = buildSchedule(network, mapping);
  const engine = new Engine();
  const units = new MachineUnits(hardware, options.dramTiming ?? null);
  const ledger = new AccessLedger(
    network.layers.map((layer) => layer.name),
    network.timesteps,
    hardware,
  );
  const stats = new LayerStats(network.layers.length, network.timesteps);
  const timelineLimit = options.timeline === true ? DEFAULT_TIMELINE_EVENT_LIMIT : options.timeline || 0;
  const timeline = timelineLimit > 0 ? new TimelineRecorder(hardware.clockHz, timelineLimit) : null;
  const residency = new BufferResidency(mapping, nodes, hardware.buffer.capacityBits!, hardware.dram.wordBits);
  const pipeline = new StepPipeline(engine, units, ledger, stats, timeline, {
    hardware,
    network,
    activity,
    ignorePadding: mapping.stemsAssumptions,
  });
  const runner = new ScheduleRunner(engine, mapping, nodes, units, residency, pipeline, ledger, stats, timeline, options.onProgress ?? null);

  runner.start();
  const totalCycles = engine.run();

  const bufferUnit = units.memories[hardware.buffer.index];
  bufferUnit.peakOccupiedBits = Math.max(bufferUnit.peakOccupiedBits, residency.peakOccupiedBits);
  return {
    cost: buildCostResult(mapping, ledger, stats, totalCycles),
    events: engine.eventCount,
    nodes: nodes.length,
    steps: pipeline.stepCount,
    transfers: units.allLinks().reduce((sum, link) => sum + link.transferCount, 0),
    activity: activity.description,
    components: componentReports(units),
    timeline,
  };
}

function componentReports(units: MachineUnits): ComponentReport[] {
  const reports: ComponentReport[] = [];
  for (const memory of units.memories) {
    reports.push({
      name: memory.name,
      kind: 'memory',
      busyCycles: memory.ports.reduce((max, port) => Math.max(max, port.busyCycles), 0),
      energyPj: memory.energyPj,
      readWords: memory.readWords,
      writtenWords: memory.writtenWords,
      peakOccupiedBits: memory.peakOccupiedBits,
    });
  }
  for (const link of units.allLinks().sort((a, b) => (a.name < b.name ? -1 : 1))) {
    reports.push({ name: link.name, kind: 'link', busyCycles: link.busyCycles, energyPj: 0, bitsMoved: link.bitsMoved });
  }
  reports.push({
    name: 'pe_array',
    kind: 'pe-array',
    busyCycles: units.peArray.busyCycles,
    energyPj: units.peArray.energyPj,
    operations: units.peArray.operations,
  });
  reports.push({ name: 'neuron_unit', kind: 'neuron-unit', busyCycles: units.neuronUnit.busyCycles, energyPj: units.neuronUnit.energyPj });
  return reports;
}
