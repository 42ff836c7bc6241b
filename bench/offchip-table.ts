/**
 * Prints the off-chip traffic of sew-resnet18 and red-lif under each schedule preset on the meta-prototype-like core
 * with a 128 KB, 1 MB, 2 MB and 64 MB global buffer, as markdown, in stemsim's default mode and in STEMS-compatible
 * mode. Run: npx tsx bench/offchip-table.ts
 */
import { compareOffChipTraffic, offChipTable } from '../src/estimate/schedule-comparison';

const HARDWARE = ['meta-prototype-like-gb128k', 'meta-prototype-like', 'meta-prototype-like-gb2m', 'meta-prototype-like-gb64m'];
const SCHEDULES = ['st-lbl', 'tb-lbl', 'fused', 'tb-fused', 'hybrid'];

for (const network of ['sew-resnet18', 'red-lif']) {
  const presets = SCHEDULES.map((schedule) => `${network}-${schedule}`);
  for (const stemsAssumptions of [false, true]) {
    const mode = stemsAssumptions ? 'STEMS-compatible mode' : 'default mode';
    console.log(`\n### ${network}: off-chip traffic in MB (${mode})\n`);
    console.log(offChipTable(compareOffChipTraffic(network, HARDWARE, presets, { stemsAssumptions }), presets));
  }
}
