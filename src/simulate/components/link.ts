import { MemoryUnit } from './memory';
import { PortDirection } from './port';

/**
 * A connection between two memory levels. A transfer reads the source on one of its read ports
 * and writes the destination on one of its write ports; each port serves its transfers one at a
 * time, in request order, for the cycles its own words take, and the link buffers the data in
 * between. The transfer ends when both sides are done. The link itself adds no energy.
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
  /** The level whose side of the last transfer ended last. */
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
   * destination; the addresses (in words of each side) matter only to DRAM row timing. Counts the
   * accesses and returns their energy in pJ; the times land in the `last*` fields.
   */
  transfer(requestCycles: number, sourceWords: number, destinationWords: number, sourceAddress = 0, destinationAddress = 0): number {
    const source = this.source;
    const destination = this.destination;
    const readPort = source.choosePort(PortDirection.Read);
    const writePort = destination.choosePort(PortDirection.Write);

    const readStart = Math.max(requestCycles, readPort.busyUntilCycles);
    const readCycles = source.transferCycles(sourceWords, PortDirection.Read) + source.accessOverheadCycles(sourceAddress, sourceWords, PortDirection.Read);
    readPort.occupy(readStart, readCycles, readStart - requestCycles);
    const writeStart = Math.max(requestCycles, writePort.busyUntilCycles);
    const writeCycles =
      destination.transferCycles(destinationWords, PortDirection.Write) + destination.accessOverheadCycles(destinationAddress, destinationWords, PortDirection.Write);
    writePort.occupy(writeStart, writeCycles, writeStart - requestCycles);

    const readEnd = readStart + readCycles;
    const writeEnd = writeStart + writeCycles;
    this.lastStartCycles = Math.min(readStart, writeStart);
    this.lastEndCycles = Math.max(readEnd, writeEnd);
    const readWait = readStart - requestCycles;
    const writeWait = writeStart - requestCycles;
    this.lastPortWaitCycles = Math.max(readWait, writeWait);
    this.lastPortWaitLevel = readWait >= writeWait ? source.name : destination.name;
    this.lastLimitingLevel = readEnd >= writeEnd ? source.name : destination.name;
    this.bitsMoved += sourceWords * source.level.wordBits;
    this.transferCount++;
    this.busyCycles += this.lastEndCycles - this.lastStartCycles;

    return source.recordAccess(sourceWords, PortDirection.Read) + destination.recordAccess(destinationWords, PortDirection.Write);
  }
}
