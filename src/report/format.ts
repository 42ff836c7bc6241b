const INTEGER_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const FRACTION_FORMAT = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

/**
 * Formats a figure with thousands separators: in full when it is 1 or more in magnitude, so counts read back exactly
 * as `stemsim run` printed them, else with 4 significant digits. null and undefined become '-'.
 */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) {
    return '-';
  }
  return Math.abs(value) >= 1 ? INTEGER_FORMAT.format(value) : FRACTION_FORMAT.format(value);
}

/** Formats a percentage with 2 decimals; null becomes 'unbounded' (the simulated figure was 0). */
export function formatPercent(value: number | null): string {
  if (value === null) {
    return 'unbounded';
  }
  return `${value.toFixed(2)} %`;
}

/** Formats a signed percentage change with 2 decimals; null becomes '-'. */
export function formatSignedPercent(value: number | null): string {
  if (value === null) {
    return '-';
  }
  return `${value >= 0 ? '+' : ''}${value.toFixed(2)} %`;
}

/** Returns the first 12 hex digits of a SHA-256, enough to tell inputs apart in a table. */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 12);
}
