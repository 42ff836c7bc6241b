import { Operand } from '../../spec/dims';
import { ResolvedHardware } from '../../spec/hardware';
import { ResolvedNetwork } from '../../spec/network';
import { SpikeActivity } from '../activity/spike-activity';
import { Link } from '../components/link';
import { MemoryUnit } from '../components/memory';
import { PortDirection } from '../components/port';
import { Component, Engine } from '../engine/engine';
import { InputWindow, WindowCount } from '../lowering/input-window';
import { NodePlan } from '../lowering/node-plan';
import { OperandTracker, TrackerRole } from '../lowering/operand-tracker';
import { BypassShares } from '../residency/buffer-tensor';
import { StepWalker } from '../lowering/step-walker';
import { TimelineRecorder } from '../output/timeline';
import { AccessLedger } from './access-ledger';
import { LayerStats } from './layer-stats';
import { MachineUnits } from './units';

const STEP_READY = 0;
const COMPUTE_DONE = 1;
const WRITE_BACK_DONE = 2;
const DRAINED = 3;

/** Steps fetched ahead of the one computing; double buffering needs one, and more lets steps without fills run ahead. */
const RING_SIZE = 4;

/**
 * A source of a tracker's fills and destination of its write-backs: the parent level, or DRAM
 * for the share of a bypassed tensor. This path carries `share` of every transfer.
 */
interface ParentPath {
  unit: MemoryUnit;
  fillLink: Link;
  writeBackLink: Link;
  share: number;
  /** Words at the parent of one tile, and of a final (output) write-back, times `share`. */
  words: number;
  finalWords: number;
}

/** A tracker with the units, links and word counts of the node being run. */
interface TrackerRuntime {
  tracker: OperandTracker;
  child: MemoryUnit;
  parents: ParentPath[];
  childWords: number;
  finalChildWords: number;
  operandIndex: number;
  finalOperandIndex: number;
  freeSlots: number;
}

/** A per-cycle read of the PE array from one level (or DRAM, for a bypassed share). */
interface PeReadPath {
  unit: MemoryUnit;
  operandIndex: number;
  /** Words per compute cycle: the footprint rounded up to whole words, times the share of this path. */
  wordsPerCycle: number;
  /** true for weights on an event-driven array, which reads them only on the cycles that do work. */
  followsSpikes: boolean;
  cause: string;
}

export interface PipelineSettings {
  hardware: ResolvedHardware;
  network: ResolvedNetwork;
  activity: SpikeActivity;
  ignorePadding: boolean;
}

/**
 * Runs the steps of one node through the machine. Each step waits for its fills and then
 * computes on the PE array. On an event-driven array it takes its dense cycles times the spike
 * fraction of its input window, and the array reads weights only on those cycles. Then it
 * retires the tiles whose last step it was, with
 * write-backs of accumulators and spike transfers after the neuron update. Fills of the next
 * steps start as soon as their level has a free slot (two where it is double buffered), so they
 * overlap the current compute.
 */
export class StepPipeline implements Component {
  readonly id: number;
  /** Steps computed so far, over all nodes. */
  stepCount = 0;
  private plan!: NodePlan;
  private walker!: StepWalker;
  private window!: InputWindow;
  private runtimes: TrackerRuntime[] = [];
  private onDrained: (() => void) | null = null;
  private bypassShares!: BypassShares;
  private walkerFinished = false;
  private computing = false;
  private outstanding = 0;
  private lastActivityCycles = 0;
  private lastComputeEndCycles = 0;
  private operationEnergyPj = 0;
  private readonly windowCount: WindowCount = { spikes: 0, elements: 0 };
  private peReadPaths: PeReadPath[] = [];
  /** Accesses are split evenly over the node's timesteps (docs/cost-model.md); compute follows each step's timestep. */
  private nodeTimeStart = 0;
  private nodeTimeCount = 1;
  private hasInnerTrackers = false;
  private innerStreamEnd = 0;
  private innerStreamCause = '';

  // The ring of issued steps, oldest at `ringHead`.
  private ringHead = 0;
  private ringCount = 0;
  private readonly ringReady = new Uint8Array(RING_SIZE);
  private readonly ringReadyCycles = new Float64Array(RING_SIZE);
  /** Fills of the step not issued yet, and per tracker whether its fill waits for issue and whether it reads the parent. */
  private readonly ringUnissued = new Int32Array(RING_SIZE);
  private ringFillPending = new Uint8Array(0);
  private ringFillReads = new Uint8Array(0);
  private readonly ringFillCause: string[] = new Array(RING_SIZE).fill('');
  private readonly ringTimeStart = new Int32Array(RING_SIZE);
  private readonly ringTimeCount = new Int32Array(RING_SIZE);
  private readonly ringPeCycles = new Float64Array(RING_SIZE);
  /** PE cycles of each step per timestep offset, at [slot * timesteps + offset]. */
  private ringTimestepCycles = new Float64Array(0);
  private ringRetires = new Uint8Array(0);
  private ringFinal = new Uint8Array(0);
  private ringInner = new Float64Array(0);
  private ringSpikes = new Float64Array(0);
  private ringElements = new Float64Array(0);
  private readonly timesteps: number;
  private peTrack = -1;
  private neuronTrack = -1;

  constructor(
    private readonly engine: Engine,
    private readonly units: MachineUnits,
    private readonly ledger: AccessLedger,
    private readonly stats: LayerStats,
    private readonly timeline: TimelineRecorder | null,
    private readonly settings: PipelineSettings,
  ) {
    this.id = engine.register(this);
    this.timesteps = settings.network.timesteps;
    if (timeline) {
      this.peTrack = timeline.track('pe_array');
      this.neuronTrack = timeline.track('neuron_unit');
    }
  }

  /** Starts the node's steps now; bypassed shares read and write DRAM in place of the buffer; calls `onDrained` when all are done. */
  run(plan: NodePlan, bypassShares: BypassShares, onDrained: () => void): void {
    this.plan = plan;
    this.nodeTimeStart = plan.node.timeStart;
    this.nodeTimeCount = plan.node.timeEnd - plan.node.timeStart;
    this.walker = new StepWalker(plan);
    this.window = new InputWindow(plan, this.settings.network, this.settings.ignorePadding);
    this.onDrained = onDrained;
    this.walkerFinished = false;
    this.computing = false;
    this.outstanding = 0;
    this.lastActivityCycles = this.engine.nowCycles;
    this.lastComputeEndCycles = this.engine.nowCycles;
    this.operationEnergyPj = operationEnergyPj(plan, this.settings.hardware);
    this.bypassShares = bypassShares;
    this.runtimes = plan.trackers.map((tracker) => this.makeRuntime(tracker, bypassShares));
    this.hasInnerTrackers = plan.trackers.some((tracker) => !tracker.atStepLevel);
    this.peReadPaths = this.makePeReadPaths(plan, bypassShares);
    const trackerCount = plan.trackers.length;
    this.ringFillPending = new Uint8Array(RING_SIZE * trackerCount);
    this.ringFillReads = new Uint8Array(RING_SIZE * trackerCount);
    this.ringRetires = new Uint8Array(RING_SIZE * trackerCount);
    this.ringFinal = new Uint8Array(RING_SIZE * trackerCount);
    this.ringInner = new Float64Array(RING_SIZE * trackerCount * 4);
    this.ringSpikes = new Float64Array(RING_SIZE * this.timesteps);
    this.ringElements = new Float64Array(RING_SIZE * this.timesteps);
    this.ringTimestepCycles = new Float64Array(RING_SIZE * this.timesteps);
    this.ringHead = 0;
    this.ringCount = 0;
    this.issueSteps();
    this.startCompute();
    this.checkDrained();
  }

  handle(kind: number, arg: number, timeCycles: number): void {
    switch (kind) {
      case STEP_READY:
        this.ringReady[arg] = 1;
        this.startCompute();
        break;
      case COMPUTE_DONE:
        this.finishCompute(arg, timeCycles);
        break;
      case WRITE_BACK_DONE:
        this.releaseSlot(this.runtimes[arg]);
        this.outstanding--;
        this.issueFills();
        this.startCompute();
        this.checkDrained();
        break;
      case DRAINED: {
        const done = this.onDrained!;
        this.onDrained = null;
        done();
        break;
      }
    }
  }

  private makeRuntime(tracker: OperandTracker, bypassShares: BypassShares): TrackerRuntime {
    const finalOperand: Operand = tracker.operand === 'partial_sum' ? 'output' : tracker.operand;
    return {
      tracker,
      child: this.units.memories[tracker.level.index],
      parents: this.parentPaths(tracker.parent.index, tracker.level.index, bypassShares[tracker.bufferTensor], tracker.tileBits, tracker.finalTileBits),
      childWords: Math.ceil(tracker.tileBits / tracker.level.wordBits),
      finalChildWords: Math.ceil(tracker.finalTileBits / tracker.level.wordBits),
      operandIndex: AccessLedger.operandIndex(tracker.operand),
      finalOperandIndex: AccessLedger.operandIndex(finalOperand),
      freeSlots: tracker.slots,
    };
  }

  /** Lists the PE array's per-cycle reads of the node, split between the buffer and DRAM by the bypassed share. */
  private makePeReadPaths(plan: NodePlan, bypassShares: BypassShares): PeReadPath[] {
    const hardware = this.settings.hardware;
    const eventDriven = this.units.peArray.eventDriven;
    const paths: PeReadPath[] = [];
    for (const read of plan.peReads) {
      const share = read.level.index === hardware.buffer.index ? bypassShares[read.bufferTensor] : 0;
      const parts: [number, number][] = [
        [read.level.index, 1 - share],
        [hardware.dram.index, share],
      ];
      for (const [levelIndex, part] of parts) {
        if (part === 0) continue;
        const unit = this.units.memories[levelIndex];
        paths.push({
          unit,
          operandIndex: AccessLedger.operandIndex(read.operand),
          wordsPerCycle: Math.ceil(read.bitsPerCycle / unit.level.wordBits) * part,
          followsSpikes: eventDriven && read.operand === 'weight',
          cause: `bandwidth:${unit.name}`,
        });
      }
    }
    return paths;
  }

  /** Lists the paths to a parent level: the level itself, and DRAM for the bypassed share when the parent is the buffer. */
  private parentPaths(parentIndex: number, childIndex: number, bypassShare: number, bits: number, finalBits: number): ParentPath[] {
    const hardware = this.settings.hardware;
    const path = (levelIndex: number, share: number): ParentPath => {
      const level = hardware.levels[levelIndex];
      return {
        unit: this.units.memories[levelIndex],
        fillLink: this.units.link(levelIndex, childIndex),
        writeBackLink: this.units.link(childIndex, levelIndex),
        share,
        words: Math.ceil(bits / level.wordBits) * share,
        finalWords: Math.ceil(finalBits / level.wordBits) * share,
      };
    };
    if (parentIndex !== hardware.buffer.index || bypassShare === 0) return [path(parentIndex, 1)];
    if (bypassShare === 1) return [path(hardware.dram.index, 1)];
    return [path(parentIndex, 1 - bypassShare), path(hardware.dram.index, bypassShare)];
  }

  /** Takes the next steps from the walker into the ring, then issues every fill that has a free slot. */
  private issueSteps(): void {
    while (this.ringCount < RING_SIZE && !this.walkerFinished) {
      if (!this.walker.next()) {
        this.walkerFinished = true;
        break;
      }
      this.admitStep();
    }
    this.issueFills();
  }

  /** Copies the walker's current step into the next ring slot. */
  private admitStep(): void {
    const walker = this.walker;
    const runtimes = this.runtimes;
    const trackerCount = runtimes.length;
    const slot = (this.ringHead + this.ringCount) % RING_SIZE;
    this.ringCount++;
    // dimensionBase[0] is the T index, the first of LOOP_DIMS.
    const timeStart = this.plan.node.timeStart + walker.dimensionBase[0];
    const timeCount = this.plan.stepExtent.T;
    this.ringTimeStart[slot] = timeStart;
    this.ringTimeCount[slot] = timeCount;
    this.ringFillCause[slot] = '';
    this.ringReady[slot] = 0;
    this.ringReadyCycles[slot] = this.engine.nowCycles;

    let unissued = 0;
    for (let index = 0; index < trackerCount; index++) {
      const tracker = runtimes[index].tracker;
      const at = slot * trackerCount + index;
      const stepLevel = tracker.atStepLevel;
      const fills = stepLevel && tracker.role !== TrackerRole.SpikeOutput && walker.fills[index] === 1;
      this.ringFillPending[at] = fills ? 1 : 0;
      this.ringFillReads[at] = fills ? walker.fillReadsParent[index] : 0;
      if (fills) unissued++;
      this.ringRetires[at] = stepLevel ? walker.retires[index] : 0;
      this.ringFinal[at] = stepLevel ? walker.retireIsFinal[index] : 0;
      const inner = at * 4;
      this.ringInner[inner] = walker.innerFills[index];
      this.ringInner[inner + 1] = walker.innerFillReads[index];
      this.ringInner[inner + 2] = walker.innerRetires[index];
      this.ringInner[inner + 3] = walker.innerFinalRetires[index];
    }
    this.ringUnissued[slot] = unissued;

    this.countWindow(slot, timeStart, timeCount);
    if (unissued === 0) this.engine.schedule(this.engine.nowCycles, this.id, STEP_READY, slot);
  }

  /**
   * Issues, tracker by tracker and in step order, each fill whose level has a free slot. A step
   * becomes ready when its last fill is issued, at the time that fill's transfers end.
   */
  private issueFills(): void {
    const runtimes = this.runtimes;
    const trackerCount = runtimes.length;
    const now = this.engine.nowCycles;
    for (let index = 0; index < trackerCount; index++) {
      const runtime = runtimes[index];
      for (let position = 0; position < this.ringCount; position++) {
        const slot = (this.ringHead + position) % RING_SIZE;
        const at = slot * trackerCount + index;
        if (this.ringFillPending[at] === 0) continue;
        if (runtime.freeSlots === 0) break;
        runtime.freeSlots--;
        runtime.child.allocate(runtime.tracker.tileBits);
        this.ringFillPending[at] = 0;
        if (this.ringFillReads[at] === 1) this.fill(runtime, slot, now);
        if (this.ringReadyCycles[slot] < now) this.ringReadyCycles[slot] = now;
        if (--this.ringUnissued[slot] === 0) this.engine.schedule(this.ringReadyCycles[slot], this.id, STEP_READY, slot);
      }
    }
  }

  /** Moves one tile from the parent paths into the tracker's level and pushes back the step's ready time. */
  private fill(runtime: TrackerRuntime, slot: number, now: number): void {
    const timeStart = this.ringTimeStart[slot];
    const timeCount = this.ringTimeCount[slot];
    for (const path of runtime.parents) {
      const link = path.fillLink;
      const childWords = runtime.childWords * path.share;
      link.transfer(now, path.words, childWords);
      this.recordTransfer(link, runtime.operandIndex, path.words, childWords, timeStart, timeCount);
      if (link.lastEndCycles >= this.ringReadyCycles[slot]) {
        this.ringReadyCycles[slot] = link.lastEndCycles;
        this.ringFillCause[slot] = link.lastPortWaitCycles > 0 ? `port:${link.lastPortWaitLevel}` : `bandwidth:${link.lastLimitingLevel}`;
      }
    }
  }

  /** Counts the spikes of the step's input window per timestep and sets its PE cycles. */
  private countWindow(slot: number, timeStart: number, timeCount: number): void {
    const plan = this.plan;
    const settings = this.settings;
    const perTimestepCycles = plan.cyclesPerStep / timeCount;
    let peCycles = 0;
    for (let offset = 0; offset < timeCount; offset++) {
      const at = slot * this.timesteps + offset;
      if (settings.activity.isDense) {
        this.ringSpikes[at] = 1;
        this.ringElements[at] = 1;
        this.ringTimestepCycles[at] = perTimestepCycles;
        peCycles += perTimestepCycles;
        continue;
      }
      this.window.count(settings.activity, this.walker.dimensionBase, timeStart + offset, this.windowCount);
      this.ringSpikes[at] = this.windowCount.spikes;
      this.ringElements[at] = this.windowCount.elements;
      const fraction = this.windowCount.elements > 0 ? this.windowCount.spikes / this.windowCount.elements : 0;
      const cycles = this.units.peArray.eventDriven ? perTimestepCycles * fraction : perTimestepCycles;
      this.ringTimestepCycles[at] = cycles;
      peCycles += cycles;
    }
    this.ringPeCycles[slot] = peCycles;
  }

  /** Starts the oldest issued step if its fills are in and the array is free. */
  private startCompute(): void {
    if (this.computing || this.ringCount === 0) return;
    const slot = this.ringHead;
    if (this.ringReady[slot] === 0) return;
    this.computing = true;
    const now = this.engine.nowCycles;
    const peArray = this.units.peArray;
    const peCycles = this.ringPeCycles[slot];
    const start = peArray.reserve(now, peCycles);
    let end = start + peCycles;
    let streamCause = '';
    const timeStart = this.ringTimeStart[slot];
    const timeCount = this.ringTimeCount[slot];

    // The array reads operands without a register every dense cycle, except that an event-driven array reads weights
    // only on the cycles it computes. It still scans the whole input bitmap. Weight reads that follow the spikes are
    // charged to the timestep whose spikes caused them, and dense reads evenly to the node's timesteps.
    const layerIndex = this.plan.layer.index;
    for (const read of this.peReadPaths) {
      const levelIndex = read.unit.level.index;
      let words: number;
      if (read.followsSpikes) {
        // NOTE: peCycles is the dense cycles times the window's spike fraction, which need not be a whole number of
        // cycles, so these reads can be fractional words as well.
        words = read.wordsPerCycle * peCycles;
        for (let offset = 0; offset < timeCount; offset++) {
          const timestepWords = read.wordsPerCycle * this.ringTimestepCycles[slot * this.timesteps + offset];
          this.ledger.add(layerIndex, timeStart + offset, 1, levelIndex, read.operandIndex, PortDirection.Read, timestepWords);
        }
      } else {
        words = read.wordsPerCycle * this.plan.cyclesPerStep;
        this.ledger.add(layerIndex, this.nodeTimeStart, this.nodeTimeCount, levelIndex, read.operandIndex, PortDirection.Read, words);
      }
      const streamEnd = this.stream(read.unit, PortDirection.Read, words, start);
      if (streamEnd > end) {
        end = streamEnd;
        streamCause = read.cause;
      }
    }
    if (this.hasInnerTrackers) {
      this.streamInnerTrackers(slot, start, timeStart, timeCount);
      if (this.innerStreamEnd > end) {
        end = this.innerStreamEnd;
        streamCause = this.innerStreamCause;
      }
    }

    const stall = start - this.lastComputeEndCycles;
    if (stall > 0) {
      const cause = this.ringFillCause[slot] !== '' && this.ringReadyCycles[slot] >= start ? this.ringFillCause[slot] : 'dependency';
      this.stats.addCycles(this.plan.layer.index, timeStart, timeCount, stall, cause);
    }
    const stretch = end - start - peCycles;
    if (stretch > 0) this.stats.addCycles(this.plan.layer.index, timeStart, timeCount, stretch, streamCause);
    this.stats.addCycles(this.plan.layer.index, timeStart, timeCount, peCycles, null);
    for (let offset = 0; offset < timeCount; offset++) {
      this.stats.busyCycles[this.stats.index(this.plan.layer.index, timeStart + offset)] += peCycles / timeCount;
    }
    if (this.timeline) this.timeline.record(this.peTrack, this.plan.layer.name, start, end - start);
    this.engine.schedule(end, this.id, COMPUTE_DONE, slot);
  }

  /** Reserves a port of `unit` for `words` from `start` on; counts the access and returns when it ends. */
  private stream(unit: MemoryUnit, direction: PortDirection, words: number, start: number): number {
    if (words === 0) return start;
    const port = unit.choosePort(direction);
    const begin = Math.max(start, port.busyUntilCycles);
    const duration = unit.transferCycles(words, direction);
    port.occupy(begin, duration, begin - start);
    unit.recordAccess(words, direction);
    return begin + duration;
  }

  /** Moves the fills and write-backs of trackers below the step loops during the compute of a step. */
  private streamInnerTrackers(slot: number, start: number, timeStart: number, timeCount: number): void {
    let end = start;
    let cause = '';
    const layerIndex = this.plan.layer.index;
    const trackerCount = this.runtimes.length;
    for (let index = 0; index < trackerCount; index++) {
      const runtime = this.runtimes[index];
      const tracker = runtime.tracker;
      if (tracker.atStepLevel) continue;
      const inner = (slot * trackerCount + index) * 4;
      const fillReads = this.ringInner[inner + 1];
      const retires = this.ringInner[inner + 2];
      const finalRetires = this.ringInner[inner + 3];
      const childLevel = runtime.child.level.index;
      const note = (unitEnd: number, unit: MemoryUnit) => {
        if (unitEnd > end) {
          end = unitEnd;
          cause = `bandwidth:${unit.name}`;
        }
      };

      if (tracker.role !== TrackerRole.SpikeOutput && fillReads > 0) {
        note(this.stream(runtime.child, PortDirection.Write, fillReads * runtime.childWords, start), runtime.child);
        this.ledger.add(layerIndex, this.nodeTimeStart, this.nodeTimeCount, childLevel, runtime.operandIndex, PortDirection.Write, fillReads * runtime.childWords);
        for (const path of runtime.parents) {
          note(this.stream(path.unit, PortDirection.Read, fillReads * path.words, start), path.unit);
          this.ledger.add(layerIndex, this.nodeTimeStart, this.nodeTimeCount, path.unit.level.index, runtime.operandIndex, PortDirection.Read, fillReads * path.words);
        }
      }
      if (tracker.role === TrackerRole.Fill) continue;

      // Accumulators write back every retired tile; spikes leave only when the reduction of the timestep ends.
      const finals = tracker.role === TrackerRole.Accumulator && tracker.operand === 'partial_sum' ? finalRetires : 0;
      const plain = tracker.role === TrackerRole.Accumulator ? retires - finals : 0;
      const spikes = tracker.role === TrackerRole.SpikeOutput ? finalRetires : 0;
      const finalLike = finals + spikes;
      const childRead = plain * runtime.childWords + finalLike * runtime.finalChildWords;
      note(this.stream(runtime.child, PortDirection.Read, childRead, start), runtime.child);
      this.ledger.add(layerIndex, this.nodeTimeStart, this.nodeTimeCount, childLevel, runtime.operandIndex, PortDirection.Read, plain * runtime.childWords);
      this.ledger.add(layerIndex, this.nodeTimeStart, this.nodeTimeCount, childLevel, runtime.finalOperandIndex, PortDirection.Read, finalLike * runtime.finalChildWords);
      for (const path of runtime.parents) {
        const parentLevel = path.unit.level.index;
        note(this.stream(path.unit, PortDirection.Write, plain * path.words + finalLike * path.finalWords, start), path.unit);
        this.ledger.add(layerIndex, this.nodeTimeStart, this.nodeTimeCount, parentLevel, runtime.operandIndex, PortDirection.Write, plain * path.words);
        this.ledger.add(layerIndex, this.nodeTimeStart, this.nodeTimeCount, parentLevel, runtime.finalOperandIndex, PortDirection.Write, finalLike * path.finalWords);
      }
      const updates = this.plan.spiking && (spikes > 0 || (finals > 0 && !this.plan.layer.hasState)) ? (spikes + finals) * this.plan.neuronsPerUpdate : 0;
      if (updates > 0) this.recordNeuronUpdates(updates, start, timeStart, timeCount);
    }
    this.innerStreamEnd = end;
    this.innerStreamCause = cause;
  }

  private finishCompute(slot: number, now: number): void {
    const plan = this.plan;
    const layerIndex = plan.layer.index;
    const timeStart = this.ringTimeStart[slot];
    const timeCount = this.ringTimeCount[slot];
    this.computing = false;
    this.stepCount++;
    this.lastComputeEndCycles = now;
    if (now > this.lastActivityCycles) this.lastActivityCycles = now;
    this.recordOperations(slot, timeStart, timeCount);

    const trackerCount = this.runtimes.length;
    for (let index = 0; index < trackerCount; index++) {
      if (this.ringRetires[slot * trackerCount + index] === 0) continue;
      const runtime = this.runtimes[index];
      const tracker = runtime.tracker;
      const final = this.ringFinal[slot * trackerCount + index] === 1;
      if (tracker.role === TrackerRole.Fill) {
        this.releaseSlot(runtime);
        continue;
      }
      if (tracker.role === TrackerRole.SpikeOutput && !final) continue;

      let requestCycles = now;
      const spiking = plan.spiking && (tracker.role === TrackerRole.SpikeOutput || (final && !plan.layer.hasState && tracker.operand === 'partial_sum'));
      if (spiking) requestCycles = this.recordNeuronUpdates(plan.neuronsPerUpdate, now, timeStart, timeCount);
      const isFinal = final && tracker.operand !== 'state';
      const operandIndex = isFinal ? runtime.finalOperandIndex : runtime.operandIndex;
      let writeBackEnd = requestCycles;
      for (const path of runtime.parents) {
        const childWords = (isFinal ? runtime.finalChildWords : runtime.childWords) * path.share;
        const parentWords = isFinal ? path.finalWords : path.words;
        const link = path.writeBackLink;
        link.transfer(requestCycles, childWords, parentWords);
        this.recordTransfer(link, operandIndex, childWords, parentWords, timeStart, timeCount);
        if (link.lastEndCycles > writeBackEnd) writeBackEnd = link.lastEndCycles;
      }
      if (writeBackEnd > this.lastActivityCycles) this.lastActivityCycles = writeBackEnd;
      if (tracker.role === TrackerRole.Accumulator) {
        this.outstanding++;
        this.engine.schedule(writeBackEnd, this.id, WRITE_BACK_DONE, index);
      }
    }

    this.ringHead = (this.ringHead + 1) % RING_SIZE;
    this.ringCount--;
    this.issueSteps();
    this.startCompute();
    this.checkDrained();
  }

  /** Frees the slot (and the capacity) of a retired tile. */
  private releaseSlot(runtime: TrackerRuntime): void {
    runtime.freeSlots++;
    runtime.child.release(runtime.tracker.tileBits);
  }

  private checkDrained(): void {
    if (!this.walkerFinished || this.ringCount > 0 || this.computing || this.outstanding > 0 || this.onDrained === null) return;
    const drainEnd = Math.max(this.lastActivityCycles, this.engine.nowCycles);
    const drain = drainEnd - this.lastComputeEndCycles;
    const node = this.plan.node;
    if (drain > 0) this.stats.addCycles(this.plan.layer.index, node.timeStart, node.timeEnd - node.timeStart, drain, 'drain');
    this.engine.schedule(drainEnd, this.id, DRAINED, 0);
  }

  private recordNeuronUpdates(neurons: number, requestCycles: number, timeStart: number, timeCount: number): number {
    const neuronUnit = this.units.neuronUnit;
    const before = neuronUnit.energyPj;
    const end = neuronUnit.update(requestCycles, neurons);
    const energy = neuronUnit.energyPj - before;
    for (let offset = 0; offset < timeCount; offset++) {
      const at = this.stats.index(this.plan.layer.index, timeStart + offset);
      this.stats.neuronUpdates[at] += neurons / timeCount;
      this.stats.computeEnergyPj[at] += energy / timeCount;
    }
    if (this.timeline) this.timeline.record(this.neuronTrack, `${this.plan.layer.name} update`, end - Math.ceil(neurons / neuronUnit.lanes), Math.ceil(neurons / neuronUnit.lanes));
    return end;
  }

  private recordOperations(slot: number, timeStart: number, timeCount: number): void {
    const plan = this.plan;
    const denseOperations = (plan.cyclesPerStep * plan.activePes) / timeCount;
    const eventDriven = this.units.peArray.eventDriven;
    for (let offset = 0; offset < timeCount; offset++) {
      const at = this.stats.index(plan.layer.index, timeStart + offset);
      const spikes = this.ringSpikes[slot * this.timesteps + offset];
      const elements = this.ringElements[slot * this.timesteps + offset];
      const fraction = elements > 0 ? spikes / elements : 0;
      const operations = eventDriven ? denseOperations * fraction : denseOperations;
      this.stats.operations[at] += operations;
      this.stats.denseOperations[at] += denseOperations;
      this.stats.computeEnergyPj[at] += operations * this.operationEnergyPj;
      this.stats.inputSpikes[at] += spikes;
      this.stats.inputElements[at] += elements;
      this.units.peArray.recordOperations(operations, operations * this.operationEnergyPj);
    }
  }

  private recordTransfer(link: Link, operandIndex: number, sourceWords: number, destinationWords: number, timeStart: number, timeCount: number): void {
    const layerIndex = this.plan.layer.index;
    this.ledger.add(layerIndex, this.nodeTimeStart, this.nodeTimeCount, link.source.level.index, operandIndex, PortDirection.Read, sourceWords);
    this.ledger.add(layerIndex, this.nodeTimeStart, this.nodeTimeCount, link.destination.level.index, operandIndex, PortDirection.Write, destinationWords);
    if (this.timeline) this.timeline.record(this.timeline.track(link.name), this.plan.layer.name, link.lastStartCycles, link.lastEndCycles - link.lastStartCycles);
  }
}

/** Energy in pJ of one operation of the layer: an accumulate for spike inputs, pools and adds, else a scaled MAC. */
function operationEnergyPj(plan: NodePlan, hardware: ResolvedHardware): number {
  const peArray = hardware.spec.peArray;
  const inputBits = plan.layer.precision.inputBits;
  if (!plan.layer.hasWeights || inputBits === 1) return peArray.accumulateEnergyPj;
  return (peArray.macEnergyPj * inputBits) / peArray.macInputBits;
}
