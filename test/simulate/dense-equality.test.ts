import * as fs from 'node:fs';
import * as path from 'node:path';
import { estimate } from '../../src/estimate';
import { defaultLayerMappings } from '../../src/mapping';
import { CostResult } from '../../src/metrics/types';
import { resolveHardware, ResolvedHardware } from '../../src/spec/hardware';
import { HardwareSpec } from '../../src/spec/hardware-schema';
import { loadNetwork } from '../../src/spec/load';
import { PROJECT_ROOT } from '../../src/spec/load-json';
import { GroupScheduleSpec, MappingSpec } from '../../src/spec/mapping-schema';
import { ResolvedNetwork } from '../../src/spec/network';
import { simulate } from '../../src/simulate';
import { resolve, smallConvSnn } from './fixtures';

const MAPPINGS_FOLDER = path.join(PROJECT_ROOT, 'models', 'mappings');
const META_FILE = path.join(PROJECT_ROOT, 'models', 'hardware', 'meta-prototype-like.json');

/** Loads the meta-prototype-like core, optionally with double-buffered registers or a smaller buffer. */
function metaHardware(variant: 'as shipped' | 'double-buffered registers' | '64 kbit buffer'): ResolvedHardware {
  const spec = JSON.parse(fs.readFileSync(META_FILE, 'utf8')) as HardwareSpec;
  if (variant === 'double-buffered registers') spec.levels[spec.levels.length - 1].doubleBuffered = true;
  if (variant === '64 kbit buffer') spec.levels[1].capacityBits = 65536;
  spec.name = `meta-prototype-like (${variant})`;
  return resolveHardware(spec, META_FILE);
}

/**
 * Applies the inter-layer schedule of a zoo preset to another network. A time batch of more than
 * one becomes that network's T, and a hybrid's fused blocks become its first blocks (all but the last).
 */
function presetSchedule(file: string, network: ResolvedNetwork, hardware: ResolvedHardware): MappingSpec {
  const preset = JSON.parse(fs.readFileSync(path.join(MAPPINGS_FOLDER, file), 'utf8')) as MappingSpec;
  const adapt = <T extends Omit<GroupScheduleSpec, 'layers' | 'blocks'>>(group: T): T => ({ ...group, timeBatch: group.timeBatch > 1 ? network.timesteps : 1 });
  const spec: MappingSpec = { name: file.replace(/\.json$/, ''), layers: defaultLayerMappings(network, hardware) };
  if (preset.defaultGroup) spec.defaultGroup = adapt(preset.defaultGroup);
  if (preset.groups) {
    spec.groups = preset.groups.map((group) => {
      const blocks = network.blocks.slice(0, Math.min(group.blocks?.length ?? 1, network.blocks.length - 1));
      const { layers: _layers, blocks: _blocks, ...settings } = adapt(group);
      return { ...settings, blocks };
    });
  }
  return spec;
}

/** Words per layer, timestep, level, operand and direction. */
function wordsByKey(result: CostResult): Map<string, number> {
  const words = new Map<string, number>();
  for (const record of result.accesses) {
    const key = `${record.layer} t${record.timestep} ${record.level} ${record.operand} ${record.direction}`;
    words.set(key, (words.get(key) ?? 0) + record.words);
  }
  return words;
}

const presets = fs.readdirSync(MAPPINGS_FOLDER).filter((file) => file.startsWith('sew-resnet18-') || file.startsWith('nmnist-snn-'));
const networks: [string, () => ResolvedNetwork][] = [
  ['nmnist-snn', () => loadNetwork('nmnist-snn')],
  ['small conv snn', () => smallConvSnn(4)],
];
const hardwareVariants = ['as shipped', 'double-buffered registers', '64 kbit buffer'] as const;

const cases = networks.flatMap(([networkName, makeNetwork]) =>
  hardwareVariants.flatMap((variant) =>
    [false, true].flatMap((stems) => presets.map((preset) => ({ networkName, makeNetwork, variant, stems, preset }))),
  ),
);

describe('dense simulation against the analytical model', () => {
  test('zoo presets are present', () => {
    expect(presets).toEqual(expect.arrayContaining(['nmnist-snn-default.json', 'sew-resnet18-st-lbl.json', 'sew-resnet18-tb-fused.json', 'sew-resnet18-hybrid.json']));
  });

  test.each(cases.map((entry) => [`${entry.networkName}, ${entry.preset}, ${entry.variant}${entry.stems ? ', STEMS mode' : ''}`, entry]))(
    'access counts equal: %s',
    (_name, { makeNetwork, variant, stems, preset }) => {
      const network = makeNetwork();
      const hardware = metaHardware(variant);
      const mapping = resolve(presetSchedule(preset, network, hardware), network, hardware, stems);
      const simulated = simulate(mapping);
      const analytical = estimate(network, hardware, mapping);

      const simulatedWords = wordsByKey(simulated.cost);
      const analyticalWords = wordsByKey(analytical);
      expect([...simulatedWords.keys()].sort()).toEqual([...analyticalWords.keys()].sort());
      for (const [key, words] of analyticalWords) {
        const difference = Math.abs(simulatedWords.get(key)! - words);
        expect({ key, difference: difference <= 1e-9 * Math.max(1, words) ? 0 : difference }).toEqual({ key, difference: 0 });
      }
      expect(simulated.cost.totals.operations).toBeCloseTo(analytical.totals.operations, 6);
      expect(simulated.cost.totals.energyPj / analytical.totals.energyPj).toBeCloseTo(1, 9);
      // The simulator executes the same transfers plus pipeline start-up, so it is never faster.
      expect(simulated.cost.totals.cycles / analytical.totals.cycles).toBeGreaterThan(0.999);
    },
  );

  // Where every level (registers included) is double buffered and nodes are long enough to hide
  // the pipeline's start-up and drain, the closed form's max(compute, transfers) holds.
  test.each(['nmnist-snn-default.json', 'sew-resnet18-st-lbl.json', 'sew-resnet18-tb-lbl.json', 'sew-resnet18-tb-fused.json', 'sew-resnet18-hybrid.json'])(
    'latency within 2%%: nmnist-snn, %s, double-buffered registers',
    (preset) => {
      const network = loadNetwork('nmnist-snn');
      const hardware = metaHardware('double-buffered registers');
      const mapping = resolve(presetSchedule(preset, network, hardware), network, hardware);
      const ratio = simulate(mapping).cost.totals.cycles / estimate(network, hardware, mapping).totals.cycles;
      expect(ratio).toBeGreaterThan(0.999);
      expect(ratio).toBeLessThan(1.02);
    },
  );

  test('same inputs give identical results', () => {
    const network = smallConvSnn(3);
    const hardware = metaHardware('64 kbit buffer');
    const mapping = resolve(presetSchedule('sew-resnet18-hybrid.json', network, hardware), network, hardware);
    const first = simulate(mapping, { timeline: true });
    const second = simulate(mapping, { timeline: true });
    expect(second.cost).toEqual(first.cost);
    expect(second.components).toEqual(first.components);
    expect(second.events).toBe(first.events);
    expect(second.timeline!.eventsKept).toBe(first.timeline!.eventsKept);
  });
});
