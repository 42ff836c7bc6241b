/** Direction of an access at a memory port. */
export const enum PortDirection {
  Read = 0,
  Write = 1,
}

/**
 * One port of a memory level: a resource that serves one transfer at a time, in the order the
 * transfers are reserved (no backfilling of idle gaps).
 */
export class Port {
  /** Cycle at which the port finishes its last reserved transfer. */
  busyUntilCycles = 0;
  /** Cycles spent transferring, for utilisation. */
  busyCycles = 0;
  /** Cycles that transfers waited for this port after they were requested. */
  waitCycles = 0;
  transferCount = 0;

  constructor(
    readonly name: string,
    readonly canRead: boolean,
    readonly canWrite: boolean,
  ) {}

  /** Reserves the port for `durationCycles` from `startCycles`, which the caller has made no earlier than `busyUntilCycles`. */
  occupy(startCycles: number, durationCycles: number, waitedCycles: number): void {
    this.busyUntilCycles = startCycles + durationCycles;
    this.busyCycles += durationCycles;
    this.waitCycles += waitedCycles;
    this.transferCount++;
  }
}
