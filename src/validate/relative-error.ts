/**
 * Returns 100 x |analytical - simulated| / |simulated|.
 * Returns 0 when both figures are 0, and null when only the simulated figure is 0, because the
 * error relative to zero is unbounded.
 */
export function relativeErrorPercent(analytical: number, simulated: number): number | null {
  if (simulated === 0) {
    return analytical === 0 ? 0 : null;
  }
  return (100 * Math.abs(analytical - simulated)) / Math.abs(simulated);
}
