import { ResolvedLevel } from '../../spec/hardware';
import { MemoryUnit } from './memory';
import { PortDirection } from './port';

/**
 * Bank and row-buffer timing of DRAM. Off by default: a transfer then costs the level's latency
 * plus its words over the bandwidth.
 */
export interface DramTiming {
  banks: number;
  /** Bits of one row of one bank. */
  rowBits: number;
  /** Extra cycles of an access whose row is open in its bank (column access). */
  rowHitCycles: number;
  /** Extra cycles of an access whose row is closed: precharge, activate and column access. */
  rowMissCycles: number;
}

/**
 * Off-chip DRAM: a memory level with a latency and, when `timing` is given, banks with an open row
 * each. Consecutive rows go to consecutive banks, so a transfer of a whole tensor touches its rows
 * in order and pays a row miss for each row that is not open.
 */
export class DramUnit extends MemoryUnit {
  private readonly openRows: Float64Array;
  rowHits = 0;
  rowMisses = 0;

  constructor(
    level: ResolvedLevel,
    readonly timing: DramTiming | null = null,
  ) {
    super(level);
    this.openRows = new Float64Array(timing ? timing.banks : 0).fill(-1);
  }

  override accessOverheadCycles(address: number, words: number, _direction: PortDirection): number {
    if (!this.timing) return this.latencyCycles;
    const timing = this.timing;
    const wordsPerRow = Math.max(1, Math.floor(timing.rowBits / this.level.wordBits));
    const firstRow = Math.floor(address / wordsPerRow);
    const lastRow = Math.floor((address + Math.max(words, 1) - 1) / wordsPerRow);
    let overhead = this.latencyCycles;
    for (let row = firstRow; row <= lastRow; row++) {
      const bank = row % timing.banks;
      if (this.openRows[bank] === row) {
        this.rowHits++;
        overhead += timing.rowHitCycles;
      } else {
        this.rowMisses++;
        this.openRows[bank] = row;
        overhead += timing.rowMissCycles;
      }
    }
    return overhead;
  }
}
