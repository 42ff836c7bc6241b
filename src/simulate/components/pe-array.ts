import { LoopDim } from '../../spec/dims';
import { ResolvedHardware } from '../../spec/hardware';

/**
 * The PE array: spatial axes that each unroll one loop dimension, one operation per active PE
 * per cycle. It runs one step (a tile of compute) at a time, in order.
 */
export class PeArray {
  readonly dims: Partial<Record<LoopDim, number>>;
  readonly peCount: number;
  readonly eventDriven: boolean;
  busyUntilCycles = 0;
  busyCycles = 0;
  /** Operations executed (after skipping zero inputs on an event-driven array). */
  operations = 0;
  energyPj = 0;

  constructor(hardware: ResolvedHardware) {
    this.dims = { ...hardware.arrayDims };
    this.peCount = hardware.peCount;
    this.eventDriven = hardware.spec.peArray.eventDriven;
  }

  /** Reserves the array for `cycles` from the first free cycle at or after `requestCycles`; returns the start. */
  reserve(requestCycles: number, cycles: number): number {
    const start = requestCycles > this.busyUntilCycles ? requestCycles : this.busyUntilCycles;
    this.busyUntilCycles = start + cycles;
    this.busyCycles += cycles;
    return start;
  }

  recordOperations(operations: number, energyPj: number): void {
    this.operations += operations;
    this.energyPj += energyPj;
  }
}
