import { MemoryUnit } from './memory';
import { Port, PortDirection } from './port';

/**
 * A connection between two memory levels. A transfer holds a read port of the source and a write
 * port of the destination from the moment both are free until the slower side has moved its words,
 * so transfers that share a port or a level serialise. The link itself adds no energy.
 */
export class Link {
  bitsMoved = 0;
  transferCount = 0;
  busyCycles = 0;
  /** Outcome of the last `transfer`, read by the caller without allocating. */
  lastStartCycles = 0;
  lastEndCycles = 0;
  /** Cycles the last transfer waited for a busy port, and which level that port belongs to. */
  lastPortWaitCycles = 0;
  lastPortWaitLevel = '';
  /** The level whose bandwidth set the duration of the last transfer. */
  lastLimitingLevel = '';

  constructor(
    readonly source: MemoryUnit,
    readonly destination: MemoryUnit,
  ) {}

  get name(): string {
    return `${this.source.name}->${this.destination.name}`;
  }

  /**
   * Moves data that is `sourceWords` words of the source and `destinationWords` words of the
   * destination; `address` (in source words) matters only to DRAM row timing. Counts the accesses
   * and returns their energy in pJ; the times land in the `last*` fields.
   */
  transfer(requestCycles: number, sourceWords: number, destinationWords: number, sourceAddress = 0, destinationAddress = 0): number {
    const source = this.source;
    const destination = this.destination;
    const readPort = source.choosePort(PortDirection.Read);
    const writePort = destination.choosePort(PortDirection.Write);
    const start = Math.max(requestCycles, readPort.busyUntilCycles, writePort.busyUntilCycles);

    const readCycles = source.transferCycles(sourceWords, PortDirection.Read);
    const writeCycles = destination.transferCycles(destinationWords, PortDirection.Write);
    const overhead = Math.max(
      source.accessOverheadCycles(sourceAddress, sourceWords, PortDirection.Read),
      destination.accessOverheadCycles(destinationAddress, destinationWords, PortDirection.Write),
    );
    const duration = Math.max(readCycles, writeCycles) + overhead;

    this.occupyBoth(readPort, writePort, start, duration, requestCycles);
    this.lastStartCycles = start;
    this.lastEndCycles = start + duration;
    this.lastPortWaitCycles = start - requestCycles;
    this.lastLimitingLevel = readCycles >= writeCycles ? source.name : destination.name;
    this.bitsMoved += sourceWords * source.level.wordBits;
    this.transferCount++;
    this.busyCycles += duration;

    return source.recordAccess(sourceWords, PortDirection.Read) + destination.recordAccess(destinationWords, PortDirection.Write);
  }

  private occupyBoth(readPort: Port, writePort: Port, start: number, duration: number, requestCycles: number): void {
    const readFree = readPort.busyUntilCycles;
    const writeFree = writePort.busyUntilCycles;
    readPort.occupy(start, duration, Math.max(0, readFree - requestCycles));
    if (writePort !== readPort) writePort.occupy(start, duration, Math.max(0, writeFree - requestCycles));
    // Remember which port held the transfer back: the one that was free last.
    this.lastPortWaitLevel = readFree >= writeFree ? this.source.name : this.destination.name;
  }
}
