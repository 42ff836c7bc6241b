import { loadHardware, loadMappingSpec, loadNetwork } from '../spec/load';
import { estimate } from './estimate';

/** Off-chip traffic of one network under several mapping presets on one hardware. */
export interface OffChipRow {
  hardware: string;
  bufferBits: number;
  /** Off-chip bits per mapping preset, in the order of the presets given. */
  offChipBits: number[];
  worstOverBest: number;
}

/** Estimates the off-chip traffic of every preset on every hardware (totals only). */
export function compareOffChipTraffic(
  networkName: string,
  hardwareNames: string[],
  presetNames: string[],
  options: { stemsAssumptions?: boolean } = {},
): OffChipRow[] {
  const network = loadNetwork(networkName);
  const presets = presetNames.map((name) => loadMappingSpec(name));
  return hardwareNames.map((hardwareName) => {
    const hardware = loadHardware(hardwareName);
    const offChipBits = presets.map(
      ({ spec }) => estimate(network, hardware, spec, { stemsAssumptions: options.stemsAssumptions, detail: 'totals' }).totals.offChipBits,
    );
    return {
      hardware: hardware.name,
      bufferBits: hardware.buffer.capacityBits!,
      offChipBits,
      worstOverBest: Math.max(...offChipBits) / Math.min(...offChipBits),
    };
  });
}

function formatBufferSize(bits: number): string {
  const bytes = bits / 8;
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;
}

/** Formats rows as a markdown table of off-chip megabytes (10^6 bytes) with the worst-to-best ratio. */
export function offChipTable(rows: OffChipRow[], presetNames: string[]): string {
  const header = `| buffer | ${presetNames.join(' | ')} | worst / best |`;
  const rule = `|---|${presetNames.map(() => '---:').join('|')}|---:|`;
  const lines = rows.map((row) => {
    const cells = row.offChipBits.map((bits) => (bits / 8e6).toFixed(2));
    return `| ${formatBufferSize(row.bufferBits)} (${row.hardware}) | ${cells.join(' | ')} | ${row.worstOverBest.toFixed(1)}x |`;
  });
  return [header, rule, ...lines].join('\n');
}
