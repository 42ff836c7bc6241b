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
 * The cause rules, most specific first.
 * NOTE: the stall-cause keys 'port:<level>' and 'bandwidth:<level>' follow the examples in
 * src/metrics/types.ts. The start-up rule matches keys containing 'start-up' or 'startup', a guess
 * until the simulator names its causes.
 */
export const CAUSE_RULES: readonly CauseRule[] = [
  {
    id: 'port-contention',
    matches: (row) => simulatedSlower(row) && stallCyclesWhere(row, (cause) => cause.startsWith('port:')) > 0,
    describe: (row) =>
      `port contention: the simulator stalled ${formatCount(stallCyclesWhere(row, (cause) => cause.startsWith('port:')))} ` +
      `cycles waiting for a port (${stallCauses(row, (cause) => cause.startsWith('port:'))}); ` +
      'the analytical model spreads transfers evenly over the node',
  },
  {
    id: 'bandwidth-stall',
    matches: (row) => simulatedSlower(row) && stallCyclesWhere(row, (cause) => cause.startsWith('bandwidth:')) > 0,
    describe: (row) =>
      `bandwidth stalls: the simulator stalled ${formatCount(stallCyclesWhere(row, (cause) => cause.startsWith('bandwidth:')))} ` +
      `cycles (${stallCauses(row, (cause) => cause.startsWith('bandwidth:'))}) where transfers came in bursts; ` +
      'the analytical model assumes they overlap compute evenly',
  },
  {
    id: 'double-buffer-start-up',
    matches: (row) => simulatedSlower(row) && stallCyclesWhere(row, isStartUpCause) > 0,
    describe: (row) =>
      `double-buffer start-up: the first fill of a double-buffered level cannot overlap compute ` +
      `(${formatCount(stallCyclesWhere(row, isStartUpCause))} stall cycles); the analytical model assumes it does`,
  },
  {
    id: 'dram-transfer-overlap',
    matches: (row) => row.metric === 'cycles' && row.difference > 0 && row.context.analyticalBound === 'off-chip-transfer',
    describe: () =>
      'DRAM transfer overlap: the analytical model adds DRAM fetch and write-back cycles to the node latency, ' +
      'while the simulator overlaps them with compute',
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

function isStartUpCause(cause: string): boolean {
  return cause.includes('start-up') || cause.includes('startup');
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
  return Object.keys(row.context.simulatedStallCycles ?? {})
    .filter(isWanted)
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
