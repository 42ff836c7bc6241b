import { ResolvedMapping, ScheduleNode } from '../../mapping';
import { PortDirection } from '../components/port';
import { Component, Engine } from '../engine/engine';
import { NodePlanner } from '../lowering/node-plan';
import { BufferResidency } from '../residency/buffer-residency';
import { BypassShares, TensorTransfer } from '../residency/buffer-tensor';
import { TimelineRecorder } from '../output/timeline';
import { AccessLedger } from './access-ledger';
import { LayerStats } from './layer-stats';
import { StepPipeline } from './step-pipeline';
import { MachineUnits } from './units';

const PROLOGUE_DONE = 0;
const NODE_DONE = 1;

/**
 * Runs the nodes of the schedule one after another. Before a node, the whole-tensor DRAM
 * transfers that the buffer residency requests run on their own, because they do not overlap
 * compute. Then the node's steps run, and then the write-backs of tensors freed after it.
 */
export class ScheduleRunner implements Component {
  readonly id: number;
  private nodeIndex = -1;
  private bypassShares: BypassShares = { weights: 0, inputs: 0, output: 0, state: 0 };
  private nodeStartCycles = 0;
  private phaseStartCycles = 0;
  private readonly planner: NodePlanner;
  private scheduleTrack = -1;
  private dramTrack = -1;

  constructor(
    private readonly engine: Engine,
    private readonly mapping: ResolvedMapping,
    private readonly nodes: ScheduleNode[],
    private readonly units: MachineUnits,
    private readonly residency: BufferResidency,
    private readonly pipeline: StepPipeline,
    private readonly ledger: AccessLedger,
    private readonly stats: LayerStats,
    private readonly timeline: TimelineRecorder | null,
    private readonly onProgress: ((nodesDone: number, nodeCount: number) => void) | null,
  ) {
    this.id = engine.register(this);
    this.planner = new NodePlanner(mapping.layers, mapping.hardware, mapping.stemsAssumptions);
    if (timeline) {
      this.scheduleTrack = timeline.track('schedule');
      this.dramTrack = timeline.track('dram<->buffer');
    }
  }

  /** Schedules the first node; the engine's run then executes the whole schedule. */
  start(): void {
    this.engine.schedule(this.engine.nowCycles, this.id, NODE_DONE, -1);
  }

  handle(kind: number, _arg: number, timeCycles: number): void {
    if (kind === PROLOGUE_DONE) {
      this.recordPhase('off-chip-transfer', timeCycles);
      this.phaseStartCycles = timeCycles;
      const node = this.nodes[this.nodeIndex];
      this.pipeline.run(this.planner.plan(node), this.bypassShares, () => this.finishNode());
      return;
    }
    if (this.nodeIndex >= 0) {
      this.recordPhase('off-chip-transfer', timeCycles);
      const node = this.nodes[this.nodeIndex];
      if (this.timeline) {
        this.timeline.record(this.scheduleTrack, `${node.layer.name} t${node.timeStart}-${node.timeEnd - 1} tile ${node.tile}`, this.nodeStartCycles, timeCycles - this.nodeStartCycles);
      }
      this.onProgress?.(this.nodeIndex + 1, this.nodes.length);
    }
    this.nodeIndex++;
    if (this.nodeIndex < this.nodes.length) this.startNode(timeCycles);
  }

  private startNode(now: number): void {
    const node = this.nodes[this.nodeIndex];
    this.nodeStartCycles = now;
    this.phaseStartCycles = now;
    const residency = this.residency.prepare(node);
    this.bypassShares = residency.bypassShares;
    const end = this.runTransfers(node, residency.prologue, now);
    this.engine.schedule(end, this.id, PROLOGUE_DONE, 0);
  }

  private finishNode(): void {
    const node = this.nodes[this.nodeIndex];
    const now = this.engine.nowCycles;
    this.phaseStartCycles = now;
    const epilogue = this.residency.finish(node);
    const end = this.runTransfers(node, epilogue, now);
    this.engine.schedule(end, this.id, NODE_DONE, 0);
  }

  /** Adds the cycles since the phase started to the node's timesteps as a stall of `cause`. */
  private recordPhase(cause: string, now: number): void {
    const node = this.nodes[this.nodeIndex];
    this.stats.addCycles(node.layer.index, node.timeStart, node.timeEnd - node.timeStart, now - this.phaseStartCycles, cause);
  }

  /** Issues whole-tensor transfers between DRAM and the buffer from `now`, charged to `node`; returns when the last one ends. */
  private runTransfers(node: ScheduleNode, transfers: TensorTransfer[], now: number): number {
    const hardware = this.mapping.hardware;
    const dram = hardware.dram;
    const buffer = hardware.buffer;
    let end = now;
    for (const transfer of transfers) {
      const bits = transfer.tensor.bits;
      const dramWords = Math.ceil(bits / dram.wordBits);
      const bufferWords = Math.ceil(bits / buffer.wordBits);
      const operandIndex = AccessLedger.operandIndex(transfer.operand);
      const layerIndex = node.layer.index;
      const timeStart = node.timeStart;
      const timeCount = node.timeEnd - node.timeStart;
      const ledger = this.ledger;
      if (transfer.direction === 'fetch') {
        const link = this.units.link(dram.index, buffer.index);
        link.transfer(now, dramWords, bufferWords, transfer.tensor.dramAddress, 0);
        ledger.add(layerIndex, timeStart, timeCount, dram.index, operandIndex, PortDirection.Read, dramWords);
        ledger.add(layerIndex, timeStart, timeCount, buffer.index, operandIndex, PortDirection.Write, bufferWords);
        end = Math.max(end, link.lastEndCycles);
        this.timeline?.record(this.dramTrack, `fetch ${transfer.tensor.key}`, link.lastStartCycles, link.lastEndCycles - link.lastStartCycles);
      } else {
        const link = this.units.link(buffer.index, dram.index);
        link.transfer(now, bufferWords, dramWords, 0, transfer.tensor.dramAddress);
        ledger.add(layerIndex, timeStart, timeCount, buffer.index, operandIndex, PortDirection.Read, bufferWords);
        ledger.add(layerIndex, timeStart, timeCount, dram.index, operandIndex, PortDirection.Write, dramWords);
        end = Math.max(end, link.lastEndCycles);
        this.timeline?.record(this.dramTrack, `write back ${transfer.tensor.key}`, link.lastStartCycles, link.lastEndCycles - link.lastStartCycles);
      }
    }
    return end;
  }
}
