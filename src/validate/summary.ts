import { explainDisagreement } from './causes';
import { relativeErrorPercent } from './relative-error';
import { VALIDATION_METRICS, ValidationMetric, ValidationRow } from './types';

/** Relative error, in percent, up to which a row counts as agreeing. */
export const DEFAULT_TOLERANCE_PERCENT = 1;

/** Number of largest disagreements listed per metric. */
export const DEFAULT_DISAGREEMENT_LIMIT = 5;

export interface SummaryOptions {
  tolerancePercent?: number;
  /** Maximum number of disagreements listed per metric. */
  limit?: number;
}

/** A row outside the tolerance, with the causes that the rule table gives for it. */
export interface Disagreement {
  row: ValidationRow;
  causes: string[];
}

export interface MetricSummary {
  metric: ValidationMetric;
  rowCount: number;
  rowsWithinTolerance: number;
  /** Rows whose simulated figure is 0 while the analytical one is not. */
  unboundedRowCount: number;
  /** Maximum and mean relative error over the rows with a bounded error; null when there are none. */
  maxRelativeErrorPercent: number | null;
  meanRelativeErrorPercent: number | null;
  /** Sums over the metric's rows, so for `words` a sum over all levels. */
  analyticalTotal: number;
  simulatedTotal: number;
  totalRelativeErrorPercent: number | null;
}

export interface ValidationSummary {
  tolerancePercent: number;
  rowCount: number;
  rowsWithinTolerance: number;
  metrics: MetricSummary[];
  /** Per metric, the rows outside the tolerance with the largest relative error, largest first. */
  largest: Disagreement[];
}

/**
 * Summarizes validation rows per metric and lists the largest disagreements with their known causes.
 * Rows with an unbounded relative error (simulated 0, analytical not) rank first, then rows by
 * relative error, then by absolute error.
 */
export function summarizeValidation(rows: ValidationRow[], options: SummaryOptions = {}): ValidationSummary {
  const tolerancePercent = options.tolerancePercent ?? DEFAULT_TOLERANCE_PERCENT;
  const limit = options.limit ?? DEFAULT_DISAGREEMENT_LIMIT;
  const metrics: MetricSummary[] = [];
  const largest: Disagreement[] = [];

  for (const metric of VALIDATION_METRICS) {
    const metricRows = rows.filter((row) => row.metric === metric);
    if (metricRows.length === 0) {
      continue;
    }
    metrics.push(summarizeMetric(metric, metricRows, tolerancePercent));

    const outside = metricRows.filter((row) => !isWithinTolerance(row, tolerancePercent));
    outside.sort(compareBySeverity);
    for (const row of outside.slice(0, limit)) {
      largest.push({ row, causes: explainDisagreement(row) });
    }
  }

  return {
    tolerancePercent,
    rowCount: rows.length,
    rowsWithinTolerance: rows.filter((row) => isWithinTolerance(row, tolerancePercent)).length,
    metrics,
    largest,
  };
}

function summarizeMetric(metric: ValidationMetric, rows: ValidationRow[], tolerancePercent: number): MetricSummary {
  const boundedErrors = rows
    .map((row) => row.relativeErrorPercent)
    .filter((error): error is number => error !== null);
  const analyticalTotal = sum(rows.map((row) => row.analytical));
  const simulatedTotal = sum(rows.map((row) => row.simulated));

  return {
    metric,
    rowCount: rows.length,
    rowsWithinTolerance: rows.filter((row) => isWithinTolerance(row, tolerancePercent)).length,
    unboundedRowCount: rows.length - boundedErrors.length,
    maxRelativeErrorPercent: boundedErrors.length === 0 ? null : boundedErrors.reduce((max, error) => Math.max(max, error)),
    meanRelativeErrorPercent: boundedErrors.length === 0 ? null : sum(boundedErrors) / boundedErrors.length,
    analyticalTotal,
    simulatedTotal,
    totalRelativeErrorPercent: relativeErrorPercent(analyticalTotal, simulatedTotal),
  };
}

function isWithinTolerance(row: ValidationRow, tolerancePercent: number): boolean {
  return row.relativeErrorPercent !== null && row.relativeErrorPercent <= tolerancePercent;
}

function compareBySeverity(first: ValidationRow, second: ValidationRow): number {
  const firstError = first.relativeErrorPercent ?? Number.POSITIVE_INFINITY;
  const secondError = second.relativeErrorPercent ?? Number.POSITIVE_INFINITY;
  if (firstError !== secondError) {
    return secondError - firstError;
  }
  return second.absoluteError - first.absoluteError;
}

function sum(values: number[]): number {
  let total = 0;
  for (const value of values) {
    total += value;
  }
  return total;
}
