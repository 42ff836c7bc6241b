import { LOOP_DIMS, LoopDim } from '../../spec/dims';
import { NodePlan } from './node-plan';
import { OperandTracker } from './operand-tracker';

const DIM_INDEX: Record<LoopDim, number> = Object.fromEntries(LOOP_DIMS.map((dim, index) => [dim, index])) as Record<LoopDim, number>;

/**
 * Walks the loop nest of one node step by step, as an odometer over the loop indices, and says
 * for each tracker what happens in the step: whether its tile is filled (and whether that fill
 * reads the parent), and whether it retires (written back, and whether that write-back is final).
 *
 * A tile is filled when a loop relevant to its operand changes among the loops above its level,
 * and retires when one is about to change; a fill is a first touch when every irrelevant loop
 * above the level is at index 0, and a retirement is final when every one is at its last index.
 * Trackers whose level has loops between the step loops and itself are walked iteration by
 * iteration inside the step, and their events are counted.
 */
export class StepWalker {
  readonly plan: NodePlan;
  readonly indices: Int32Array;
  stepIndex = -1;
  /** Bit p is set when loop p is not at index 0. */
  nonzeroMask = 0;
  /** Bit p is set when loop p is at its last index. */
  lastIndexMask = 0;
  /** Outermost step loop that changed to reach this step; -1 on the first step. */
  changedPosition = -1;
  /** Outermost step loop that changes after this step; -1 on the last step. */
  nextChangePosition = -1;
  /** Index of each dimension where the step starts, in the node's coordinates (LOOP_DIMS order). */
  readonly dimensionBase = new Float64Array(LOOP_DIMS.length);

  /** Step-level trackers: one flag per tracker for this step. */
  readonly fills: Uint8Array;
  readonly fillReadsParent: Uint8Array;
  readonly retires: Uint8Array;
  readonly retireIsFinal: Uint8Array;
  /** Inner trackers: event counts in this step. */
  readonly innerFills: Float64Array;
  readonly innerFillReads: Float64Array;
  readonly innerRetires: Float64Array;
  readonly innerFinalRetires: Float64Array;

  private readonly stepLoopCount: number;
  private readonly innerWalkEnd: number;
  private readonly factors: Int32Array;
  private readonly trackers: OperandTracker[];
  private readonly stepTrackers: number[] = [];
  private readonly innerTrackers: number[] = [];

  constructor(plan: NodePlan) {
    this.plan = plan;
    this.factors = plan.factors;
    this.stepLoopCount = plan.stepLoopCount;
    this.innerWalkEnd = plan.innerWalkEnd;
    this.indices = new Int32Array(plan.factors.length);
    this.trackers = plan.trackers;
    const count = plan.trackers.length;
    this.fills = new Uint8Array(count);
    this.fillReadsParent = new Uint8Array(count);
    this.retires = new Uint8Array(count);
    this.retireIsFinal = new Uint8Array(count);
    this.innerFills = new Float64Array(count);
    this.innerFillReads = new Float64Array(count);
    this.innerRetires = new Float64Array(count);
    this.innerFinalRetires = new Float64Array(count);
    plan.trackers.forEach((tracker, index) => (tracker.atStepLevel ? this.stepTrackers : this.innerTrackers).push(index));
  }

  get isLastStep(): boolean {
    return this.nextChangePosition === -1;
  }

  /** Moves to the next step; returns false after the last one. */
  next(): boolean {
    if (this.stepIndex === -1) {
      this.stepIndex = 0;
      this.changedPosition = -1;
    } else {
      if (this.nextChangePosition === -1) return false;
      this.advanceStep(this.nextChangePosition);
      this.stepIndex++;
    }
    this.nextChangePosition = this.innermostNotLast(0, this.stepLoopCount);
    this.updateBase();
    this.evaluateStepTrackers();
    if (this.innerTrackers.length > 0) this.walkInnerLoops();
    return true;
  }

  private advanceStep(position: number): void {
    const indices = this.indices;
    indices[position]++;
    this.changedPosition = position;
    this.nonzeroMask |= 1 << position;
    if (indices[position] === this.factors[position] - 1) this.lastIndexMask |= 1 << position;
    for (let inner = position + 1; inner < this.stepLoopCount; inner++) {
      indices[inner] = 0;
      this.nonzeroMask &= ~(1 << inner);
      this.lastIndexMask &= ~(1 << inner);
    }
  }

  /** Innermost loop in [from, to) that is not at its last index, or -1. */
  private innermostNotLast(from: number, to: number): number {
    for (let position = to - 1; position >= from; position--) {
      if (this.indices[position] < this.factors[position] - 1) return position;
    }
    return -1;
  }

  private updateBase(): void {
    const base = this.dimensionBase;
    base.fill(0);
    const dims = this.plan.loopDims;
    const strides = this.plan.dimensionStrides;
    for (let position = 0; position < this.stepLoopCount; position++) {
      base[DIM_INDEX[dims[position]]] += this.indices[position] * strides[position];
    }
  }

  private evaluateStepTrackers(): void {
    const first = this.stepIndex === 0;
    for (const index of this.stepTrackers) {
      const tracker = this.trackers[index];
      const fill = first || (this.changedPosition !== -1 && this.changedPosition <= tracker.lastRelevantPosition);
      const firstTouch = (this.nonzeroMask & tracker.irrelevantMask) === 0;
      this.fills[index] = fill ? 1 : 0;
      this.fillReadsParent[index] = fill && !(tracker.firstTouchSkipsRead && firstTouch) ? 1 : 0;
      const retire = this.nextChangePosition === -1 || this.nextChangePosition <= tracker.lastRelevantPosition;
      this.retires[index] = retire ? 1 : 0;
      this.retireIsFinal[index] = retire && (this.lastIndexMask & tracker.irrelevantMask) === tracker.irrelevantMask ? 1 : 0;
    }
  }

  /** Iterates the inner loops above the deepest inner tracker and counts each inner tracker's fills and retirements. */
  private walkInnerLoops(): void {
    const indices = this.indices;
    const factors = this.factors;
    const from = this.stepLoopCount;
    const to = this.innerWalkEnd;
    for (const index of this.innerTrackers) {
      this.innerFills[index] = 0;
      this.innerFillReads[index] = 0;
      this.innerRetires[index] = 0;
      this.innerFinalRetires[index] = 0;
    }

    let nonzeroMask = this.nonzeroMask;
    let lastIndexMask = this.lastIndexMask;
    for (let position = from; position < to; position++) {
      indices[position] = 0;
      nonzeroMask &= ~(1 << position);
      if (factors[position] === 1) lastIndexMask |= 1 << position;
      else lastIndexMask &= ~(1 << position);
    }

    let changed = this.stepIndex === 0 ? -1 : this.changedPosition;
    let first = this.stepIndex === 0;
    for (;;) {
      const innerNext = this.innermostNotLast(from, to);
      const nextChange = innerNext !== -1 ? innerNext : this.nextChangePosition;
      for (const index of this.innerTrackers) {
        const tracker = this.trackers[index];
        const relevantLast = tracker.lastRelevantPosition;
        if (first || (changed !== -1 && changed <= relevantLast)) {
          this.innerFills[index]++;
          const firstTouch = (nonzeroMask & tracker.irrelevantMask) === 0;
          if (!(tracker.firstTouchSkipsRead && firstTouch)) this.innerFillReads[index]++;
        }
        if (nextChange === -1 || nextChange <= relevantLast) {
          this.innerRetires[index]++;
          if ((lastIndexMask & tracker.irrelevantMask) === tracker.irrelevantMask) this.innerFinalRetires[index]++;
        }
      }
      if (innerNext === -1) break;

      indices[innerNext]++;
      nonzeroMask |= 1 << innerNext;
      if (indices[innerNext] === factors[innerNext] - 1) lastIndexMask |= 1 << innerNext;
      for (let position = innerNext + 1; position < to; position++) {
        indices[position] = 0;
        nonzeroMask &= ~(1 << position);
        lastIndexMask &= ~(1 << position);
      }
      changed = innerNext;
      first = false;
    }
  }
}
