import { ResolvedLevel } from '../../spec/hardware';
import { Port, PortDirection } from './port';

/**
 * A memory level as the simulator sees it: its ports with their bandwidth, its capacity and
 * occupancy, and the words it has read and written.
 *
 * Each port moves `readBandwidthBitsPerCycle` when it reads and `writeBandwidthBitsPerCycle` when
 * it writes; a level with several ports serves that many transfers at once. Banks are recorded but
 * do not conflict.
 */
export class MemoryUnit {
  readonly ports: Port[] = [];
  readonly readPortCount: number;
  readonly writePortCount: number;
  /** Cycles from a request to the first word (0 where the spec gives none). */
  readonly latencyCycles: number;
  readonly capacityBits: number;
  occupiedBits = 0;
  peakOccupiedBits = 0;
  readWords = 0;
  writtenWords = 0;
  energyPj = 0;

  constructor(readonly level: ResolvedLevel) {
    for (let index = 0; index < level.readPorts; index++) this.ports.push(new Port(`${level.name}.read${index}`, true, false));
    for (let index = 0; index < level.writePorts; index++) this.ports.push(new Port(`${level.name}.write${index}`, false, true));
    for (let index = 0; index < (level.readWritePorts ?? 0); index++) {
      this.ports.push(new Port(`${level.name}.rw${index}`, true, true));
    }
    this.readPortCount = level.readPorts + (level.readWritePorts ?? 0);
    this.writePortCount = level.writePorts + (level.readWritePorts ?? 0);
    this.latencyCycles = level.latencyCycles ?? 0;
    this.capacityBits = level.capacityBits ?? Infinity;
  }

  get name(): string {
    return this.level.name;
  }

  /** The port of this direction that frees up first; among equal ones, the first listed. */
  choosePort(direction: PortDirection): Port {
    let best: Port | undefined;
    for (const port of this.ports) {
      const usable = direction === PortDirection.Read ? port.canRead : port.canWrite;
      if (usable && (best === undefined || port.busyUntilCycles < best.busyUntilCycles)) best = port;
    }
    if (best === undefined) {
      throw new Error(`memory level '${this.level.name}' has no port that can ${direction === PortDirection.Read ? 'read' : 'write'}; give it a read-write port`);
    }
    return best;
  }

  /** Cycles that `words` take on one port of this level. */
  transferCycles(words: number, direction: PortDirection): number {
    const bandwidth = direction === PortDirection.Read ? this.level.readBandwidthBitsPerCycle : this.level.writeBandwidthBitsPerCycle;
    return (words * this.level.wordBits) / bandwidth;
  }

  /** Counts accesses and returns their energy in pJ. */
  recordAccess(words: number, direction: PortDirection): number {
    if (direction === PortDirection.Read) {
      this.readWords += words;
      const energy = words * this.level.readEnergyPjPerWord;
      this.energyPj += energy;
      return energy;
    }
    this.writtenWords += words;
    const energy = words * this.level.writeEnergyPjPerWord;
    this.energyPj += energy;
    return energy;
  }

  /** Takes `bits` of capacity; the caller has checked that they fit. */
  allocate(bits: number): void {
    this.occupiedBits += bits;
    if (this.occupiedBits > this.peakOccupiedBits) this.peakOccupiedBits = this.occupiedBits;
  }

  release(bits: number): void {
    this.occupiedBits -= bits;
  }

  /** Extra cycles a transfer of `words` starting at word address `address` spends before its data moves. */
  accessOverheadCycles(_address: number, _words: number, _direction: PortDirection): number {
    return this.latencyCycles;
  }
}
