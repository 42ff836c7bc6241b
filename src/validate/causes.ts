import { ValidationRow } from './types';

/** A known reason why the analytical and the simulated figure of a row differ. */
export interface CauseRule {
  id: string;
  /** Whether the rule explains this row's disagreement. */
  matches(row: ValidationRow): boolean;
  /** One sentence naming the cause with the row's figures. */
  describe(row: ValidationRow): string;
}

/** Relative difference of two spike rates below which they count as the same rate. */
const SPIKE_RATE_TOLERANCE = 1e-6;

/**
 * The cause rules, in the order their causes are listed.
 * The simulator names stall causes 'bandwidth:<unit>' (a port or link was busy), 'dependency' (a step
 * waited for an earlier step) and 'off-chip-transfer' (the DRAM phases before and after a node).
 * 'port:<level>' is also accepted for port stalls.
 */
export const CAUSE_RULES: readonly CauseRule[] = [
  {
    id: 'port-contention',
    matches: (row) => simulatedSlower(row) && stallCyclesWhere(row, isTransferCause) > 0,
    describe: (row) =>
      `port contention: the simulator stalled ${formatCount(stallCyclesWhere(row, isTransferCause))} cycles ` +
      `waiting for busy ports or links (${stallCauses(row, isTransferCause)}); ` +
      'the analytical model spreads transfers evenly over the node',
  },
  {
    id: 'double-buffer-start-up',
    matches: (row) => simulatedSlower(row) && stallCyclesWhere(row, isDependencyCause) > 0,
    describe: (row) =>
      `double-buffer start-up and step dependencies: the simulator stalled ${formatCount(stallCyclesWhere(row, isDependencyCause))} ` +
      'cycles waiting for earlier steps; the analytical model overlaps every step with the next',
  },
  {
    id: 'dram-transfer-phases',
    matches: (row) => simulatedSlower(row) && stallCyclesWhere(row, isOffChipCause) > 0,
    describe: (row) =>
      `DRAM transfer phases: the simulator spent ${formatCount(stallCyclesWhere(row, isOffChipCause))} cycles on DRAM ` +
      'fetches and write-backs that did not overlap compute',
  },
  {
    id: 'dram-transfer-overlap',
    matches: (row) => row.metric === 'cycles' && row.difference > 0 && row.context.analyticalBound === 'off-chip-transfer',
    describe: () =>
      'DRAM transfer overlap: the analytical model, bound by off-chip transfers here, adds DRAM fetch and write-back ' +
      'cycles to the node latency without overlap, and the simulator finished sooner',
  },
  {
    id: 'mean-spike-rate',
    matches: (row) => spikeRatesDiffer(row),
    describe: (row) =>
      `sparse trace: the analytical model uses the mean input spike rate ${formatRate(row.context.analyticalSpikeRate)}, ` +
      `the trace has ${formatRate(row.context.simulatedSpikeRate)} ${row.timestep === null ? 'in this layer' : 'at this timestep'}`,
  },
];

/** Returns the causes that the rule table gives for a row, in rule order, or an empty list when no rule matches. */
export function explainDisagreement(row: ValidationRow): string[] {
  return CAUSE_RULES.filter((rule) => rule.matches(row)).map((rule) => rule.describe(row));
}

function simulatedSlower(row: ValidationRow): boolean {
  return row.metric === 'cycles' && row.difference < 0;
}

function isTransferCause(cause: string): boolean {
  return cause.startsWith('bandwidth:') || cause.startsWith('port:');
}

function isDependencyCause(cause: string): boolean {
  return cause === 'dependency';
}

function isOffChipCause(cause: string): boolean {
  return cause === 'off-chip-transfer';
}

function stallCyclesWhere(row: ValidationRow, isWanted: (cause: string) => boolean): number {
  let total = 0;
  for (const [cause, cycles] of Object.entries(row.context.simulatedStallCycles ?? {})) {
    if (isWanted(cause)) {
      total += cycles;
    }
  }
  return total;
}

function stallCauses(row: ValidationRow, isWanted: (cause: string) => boolean): string {
  return Object.entries(row.context.simulatedStallCycles ?? {})
    .filter(([cause, cycles]) => isWanted(cause) && cycles > 0)
    .map(([cause]) => cause)
    .join(', ');
}

function spikeRatesDiffer(row: ValidationRow): boolean {
  const { analyticalSpikeRate, simulatedSpikeRate } = row.context;
  if (analyticalSpikeRate === undefined || simulatedSpikeRate === undefined) {
    return false;
  }
  const scale = Math.max(Math.abs(analyticalSpikeRate), Math.abs(simulatedSpikeRate));
  return scale > 0 && Math.abs(analyticalSpikeRate - simulatedSpikeRate) / scale > SPIKE_RATE_TOLERANCE;
}

function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function formatRate(rate: number | undefined): string {
  return rate === undefined ? 'unknown' : rate.toPrecision(3);
}
