/**
 * Pixel array sizes implied by chip, plugin or camera names found in file headers.
 * Each pattern is tested against the name in order, case-insensitively.
 */
const KNOWN_SENSORS: Array<{ pattern: RegExp; width: number; height: number }> = [
  { pattern: /dvs128|tmpdiff128/i, width: 128, height: 128 },
  { pattern: /davis\s*346|davis346/i, width: 346, height: 260 },
  { pattern: /davis\s*240|davis240/i, width: 240, height: 180 },
  { pattern: /davis\s*640|davis640/i, width: 640, height: 480 },
  { pattern: /dvxplorer\s*lite|dvxplorerlite/i, width: 320, height: 240 },
  { pattern: /dvxplorer/i, width: 640, height: 480 },
  { pattern: /gen41|imx636/i, width: 1280, height: 720 },
  { pattern: /gen31|gen3(?!\d)/i, width: 640, height: 480 },
  { pattern: /genx320/i, width: 320, height: 320 },
];

/** Returns the sensor size implied by a chip or plugin name, or null when the name is not known. */
export function sensorSizeForChip(name: string | undefined): { width: number; height: number } | null {
  if (!name) return null;
  for (const known of KNOWN_SENSORS) {
    if (known.pattern.test(name)) return { width: known.width, height: known.height };
  }
  return null;
}
