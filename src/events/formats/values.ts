/**
 * Returns the polarity (1 ON, 0 OFF) of a numeric polarity field, which files store as 1/0 or
 * as 1/-1; returns -1 for any other value.
 */
export function polarityFromNumber(value: number): number {
  if (value === 1) return 1;
  if (value === 0 || value === -1) return 0;
  return -1;
}
