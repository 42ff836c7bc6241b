import * as fs from 'node:fs';
import * as path from 'node:path';
import { estimate } from '../../src/estimate';
import { buildSchedule, resolveMapping } from '../../src/mapping';
import { explore, ExploreRun } from '../../src/explore/explore';
import { OBJECTIVE_FIELDS, OBJECTIVE_NAMES, Objectives } from '../../src/explore/objectives';
import { requiredBufferBits } from '../../src/explore/on-chip';
import { PROJECT_ROOT } from '../../src/spec/load-json';
import { loadHardware, loadMappingSpec, loadNetwork } from '../../src/spec/load';

/** Returns the objectives of every hand-written preset of a network under models/mappings (not the explored ones). */
function presetObjectives(networkName: string, hardwareName: string): { name: string; objectives: Objectives }[] {
  const network = loadNetwork(networkName);
  const hardware = loadHardware(hardwareName);
  const directory = path.join(PROJECT_ROOT, 'models', 'mappings');
  const presets = fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .map((file) => loadMappingSpec(path.join(directory, file)).spec)
    .filter((spec) => spec.network === networkName);
  return presets.map((spec) => {
    const mapping = resolveMapping(spec, network, hardware);
    const totals = estimate(network, hardware, mapping, { detail: 'totals' }).totals;
    const onChipBits = requiredBufferBits(mapping, buildSchedule(network, mapping));
    return { name: spec.name, objectives: { offChipBits: totals.offChipBits, energyPj: totals.energyPj, cycles: totals.cycles, onChipBits } };
  });
}

function expectNoWorseThanPresets(run: ExploreRun, presets: { name: string; objectives: Objectives }[]): void {
  for (const objective of OBJECTIVE_NAMES) {
    const field = OBJECTIVE_FIELDS[objective];
    const best = run.result.best[objective].objectives[field];
    for (const preset of presets) {
      if (best > preset.objectives[field]) throw new Error(`best ${objective} ${best} is worse than preset ${preset.name} (${preset.objectives[field]})`);
    }
  }
}

describe('explore against the presets', () => {
  test('nmnist-snn: no worse than any preset on every objective', async () => {
    const presets = presetObjectives('nmnist-snn', 'meta-prototype-like-gb128k');
    expect(presets.length).toBeGreaterThanOrEqual(1);
    for (const objective of OBJECTIVE_NAMES) {
      const run = await explore({ network: 'nmnist-snn', hardware: 'meta-prototype-like-gb128k', objective, budget: 150, workers: 0 });
      expectNoWorseThanPresets(run, presets);
    }
  });

  test('sew-resnet18 with a small budget: no worse than any preset', async () => {
    const presets = presetObjectives('sew-resnet18', 'meta-prototype-like');
    expect(presets.map((preset) => preset.name)).toEqual(expect.arrayContaining(['sew-resnet18-st-lbl', 'sew-resnet18-hybrid']));
    const run = await explore({ network: 'sew-resnet18', hardware: 'meta-prototype-like', budget: 140, workers: 2 });
    expectNoWorseThanPresets(run, presets);

    // The best schedule moves far less than layer by layer in sequential time.
    const stLbl = presets.find((preset) => preset.name === 'sew-resnet18-st-lbl')!.objectives;
    expect(stLbl.offChipBits / run.result.best.offchip.objectives.offChipBits).toBeGreaterThan(12);
  });
});
