import { estimate } from '../../src/estimate';
import { CandidateEvaluator } from '../../src/explore/evaluator';
import { layerOptions } from '../../src/explore/layer-options';
import { uniformCandidate, withLayerOptions } from '../../src/explore/moves';
import { defaultLayerMapping, resolveMapping, scheduleMapping } from '../../src/mapping';
import { SpecError } from '../../src/spec/errors';
import { resolveHardware } from '../../src/spec/hardware';
import { resolveNetwork } from '../../src/spec/network';
import { smallHardwareSpec, threeBlockNetworkSpec, writeTempSpec } from './fixtures';

const networkFile = writeTempSpec('three-block', threeBlockNetworkSpec());
const hardwareFile = writeTempSpec('small-hw', smallHardwareSpec(1 << 20));
const tinyFile = writeTempSpec('tiny-hw', smallHardwareSpec(4096, 512));

describe('layerOptions', () => {
  const network = resolveNetwork(threeBlockNetworkSpec());
  const hardware = resolveHardware(smallHardwareSpec(1 << 20));

  test('starts with the default and has no duplicates', () => {
    for (const layer of network.layers.filter((candidate) => !candidate.isView)) {
      const options = layerOptions(layer, hardware);
      expect(options[0]).toEqual(defaultLayerMapping(layer, hardware));
      expect(new Set(options.map((option) => JSON.stringify(option))).size).toBe(options.length);
    }
  });

  test('includes the T loop above the output loops', () => {
    const options = layerOptions(network.byName.get('conv1')!, hardware);
    const bufferLoops = options.map((option) => option.temporal?.find((entry) => entry.level === 'buffer')?.loops.map(([dim]) => dim));
    expect(bufferLoops).toContainEqual(['T', 'K', 'OY', 'OX']);
  });

  test('every option resolves or is rejected with a SpecError', () => {
    const groups = [{ blocks: network.blocks, schedule: 'layer-by-layer' as const, timeBatch: 4 }];
    let resolved = 0;
    for (const layer of network.layers.filter((candidate) => !candidate.isView)) {
      for (const option of layerOptions(layer, hardware)) {
        const spec = { ...scheduleMapping(network, hardware, groups), layers: { [layer.name]: option } };
        try {
          resolveMapping(spec, network, hardware);
          resolved += 1;
        } catch (error) {
          expect(error).toBeInstanceOf(SpecError);
        }
      }
    }
    expect(resolved).toBeGreaterThan(20);
  });
});

describe('CandidateEvaluator', () => {
  test('evaluates a uniform candidate like estimate does', () => {
    const evaluator = new CandidateEvaluator({ network: networkFile, hardware: hardwareFile, stemsAssumptions: false });
    const candidate = uniformCandidate(3, 5, { schedule: 'fused', tileAxis: 'OX', tileSize: 2, timeBatch: 4 });
    const evaluation = evaluator.evaluate(candidate);
    expect(evaluation.valid).toBe(true);
    if (!evaluation.valid) return;
    const spec = evaluator.mappingSpec(candidate);
    expect(spec.groups).toEqual([{ blocks: ['b1', 'b2', 'head'], schedule: 'fused', tileAxis: 'OX', tileSize: 2, timeBatch: 4 }]);
    expect(spec.layers).toBeUndefined();
    const totals = estimate(evaluator.baseNetwork, evaluator.hardware, spec, { detail: 'totals' }).totals;
    expect(evaluation.objectives.offChipBits).toBe(totals.offChipBits);
    expect(evaluation.objectives.energyPj).toBe(totals.energyPj);
    expect(evaluation.objectives.cycles).toBe(totals.cycles);
    // One time chunk; tiles of 2 columns: conv1 16/2, pool1 8/2, conv2, conv3 and add 8/2 each; fc has one column.
    expect(evaluation.nodes).toBe(8 + 4 + 4 + 4 + 4 + 1);
  });

  test('resets a rejected layer option to the default', () => {
    const evaluator = new CandidateEvaluator({ network: networkFile, hardware: tinyFile, stemsAssumptions: false });
    const variant = evaluator.variant(null);
    // T inside the C loop of the stateful conv1 breaks causality, so resolveMapping rejects this option.
    const conv1 = variant.computeLayers.indexOf('conv1');
    variant.options[conv1].push({
      spatial: { K: 4, C: 2 },
      temporal: [
        { level: 'buffer', loops: [['K', 2], ['OY', 16], ['OX', 16], ['FY', 3], ['FX', 3], ['T', 4]] },
      ],
    });
    const layerOptions = variant.computeLayers.map(() => 0);
    layerOptions[conv1] = variant.options[conv1].length - 1;
    const candidate = withLayerOptions(uniformCandidate(3, layerOptions.length, { schedule: 'layer-by-layer', timeBatch: 4 }), layerOptions);

    const evaluation = evaluator.evaluate(candidate);
    expect(evaluation.valid).toBe(true);
    expect(evaluation.candidate.layerOptions[conv1]).toBe(0);
    expect(evaluation.key).toBe(evaluator.evaluate(uniformCandidate(3, layerOptions.length, { schedule: 'layer-by-layer', timeBatch: 4 })).key);
  });

  test('treats an option index beyond the list as default', () => {
    const evaluator = new CandidateEvaluator({ network: networkFile, hardware: hardwareFile, stemsAssumptions: false });
    const settings = { schedule: 'layer-by-layer' as const, timeBatch: 4 };
    const beyond = withLayerOptions(uniformCandidate(3, 5, settings), [999, 0, 0, 0, 0]);
    const evaluation = evaluator.evaluate(beyond);
    expect(evaluation.candidate.layerOptions).toEqual([0, 0, 0, 0, 0]);
    expect(evaluation.key).toBe(evaluator.evaluate(uniformCandidate(3, 5, settings)).key);
  });

  test('per-layer figures add up to the totals', () => {
    const evaluator = new CandidateEvaluator({ network: networkFile, hardware: hardwareFile, stemsAssumptions: false });
    const evaluation = evaluator.evaluate(uniformCandidate(3, 5, { schedule: 'layer-by-layer', timeBatch: 2 }), true);
    if (!evaluation.valid) throw new Error(evaluation.reason);
    const sum = (field: 'offChipBits' | 'energyPj' | 'cycles') => evaluation.layers!.reduce((total, layer) => total + layer[field], 0);
    expect(sum('offChipBits')).toBeCloseTo(evaluation.objectives.offChipBits, 3);
    expect(sum('energyPj')).toBeCloseTo(evaluation.objectives.energyPj, 3);
    expect(sum('cycles')).toBeCloseTo(evaluation.objectives.cycles, 3);
  });

  test('builds the network variant of a state choice', () => {
    const evaluator = new CandidateEvaluator({ network: networkFile, hardware: hardwareFile, stemsAssumptions: false });
    const stateful = (stateBlocks: number | null) => evaluator.variant(stateBlocks).network.layers.filter((layer) => layer.hasState).map((layer) => layer.name);
    expect(stateful(null)).toEqual(['conv1', 'conv2', 'conv3']);
    expect(stateful(2)).toEqual(['conv2', 'conv3']);
    expect(stateful(0)).toEqual([]);
  });
});
