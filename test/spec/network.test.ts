import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SpecError } from '../../src/spec/errors';
import { loadHardware, loadNetwork } from '../../src/spec/load';
import { denseOperationCount, stateCount, weightCount, ResolvedNetwork } from '../../src/spec/network';

function totalStateBits(network: ResolvedNetwork): number {
  return network.layers.reduce((sum, layer) => sum + stateCount(layer) * layer.precision.stateBits, 0);
}

function totalWeightBits(network: ResolvedNetwork): number {
  return network.layers.reduce((sum, layer) => sum + weightCount(layer) * layer.precision.weightBits, 0);
}

function writeTemp(name: string, value: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-spec-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

function expectSpecError(action: () => unknown, fieldPath: string, reason: RegExp): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SpecError);
  expect((caught as SpecError).fieldPath).toBe(fieldPath);
  expect((caught as SpecError).reason).toMatch(reason);
}

describe('model zoo totals', () => {
  test('sew-resnet18 state, weights and operations', () => {
    const network = loadNetwork('sew-resnet18');
    expect(totalStateBits(network)).toBe(46_362_624);
    expect(totalWeightBits(network)).toBe(4_751_872);
    expect(denseOperationCount(network.byName.get('L0')!)).toBe(33_554_432);
    const spikeAccumulates = network.layers
      .filter((layer) => layer.type === 'conv2d' && layer.name !== 'L0')
      .reduce((sum, layer) => sum + denseOperationCount(layer), 0);
    expect(spikeAccumulates).toBe(26_073_890_816);
  });

  test('sew-resnet18 state variants', () => {
    const lastFive = loadNetwork('sew-resnet18', { keepStateInLastBlocks: 5 });
    expect(totalStateBits(lastFive)).toBe(2_322_432);
    expect(lastFive.byName.get('L0')!.hasState).toBe(false);
    expect(lastFive.byName.get('b2.conv2')!.hasState).toBe(false);
    expect(lastFive.byName.get('b3.conv1')!.hasState).toBe(true);
    expect(totalStateBits(loadNetwork('sew-resnet18', { keepStateInLastBlocks: 0 }))).toBe(0);
  });

  test('red-lif state, weights and shapes', () => {
    const network = loadNetwork('red-lif');
    expect(totalStateBits(network)).toBe(14_853_120);
    expect(totalWeightBits(network)).toBe(12_423_936);
    expect(network.byName.get('L0')!.outputShape).toEqual({ channels: 32, height: 180, width: 320 });
    expect(network.byName.get('L12')!.precision.inputBits).toBe(4);
    expect(network.byName.get('L13')!.precision.inputBits).toBe(1);
    expect(network.byName.get('L16')!.outputShape).toEqual({ channels: 256, height: 3, width: 5 });
  });

  test('sew-resnet18 loop bounds of a block conv', () => {
    const conv = loadNetwork('sew-resnet18').byName.get('b2.conv1')!;
    expect(conv.dims).toEqual({ T: 16, B: 1, K: 64, C: 64, OY: 64, OX: 64, FY: 3, FX: 3 });
  });
});

describe('bad network specs', () => {
  const base = JSON.parse(fs.readFileSync(path.join(__dirname, '../../models/networks/nmnist-snn.json'), 'utf8'));

  test('negative size names the field', () => {
    const spec = structuredClone(base);
    spec.input.height = -34;
    expectSpecError(() => loadNetwork(writeTemp('negative.json', spec)), '/input/height', />= 1/);
  });

  test('dangling layer input names the input', () => {
    const spec = structuredClone(base);
    spec.layers[2].inputs = ['pool9'];
    expectSpecError(() => loadNetwork(writeTemp('dangling.json', spec)), '/layers/2/inputs/0', /'pool9' is not 'input' or an earlier layer/);
  });

  test('unknown field is named', () => {
    const spec = structuredClone(base);
    spec.layers[0].kernal = 3;
    expectSpecError(() => loadNetwork(writeTemp('typo.json', spec)), '/layers/0', /unknown field 'kernal'/);
  });

  test('add of unequal shapes is rejected', () => {
    const spec = structuredClone(base);
    spec.layers.splice(2, 0, { name: 'bad_add', type: 'add', inputs: ['conv1', 'pool1'] });
    expectSpecError(() => loadNetwork(writeTemp('add.json', spec)), '/layers/2/inputs/1', /add needs equal shapes/);
  });

  test('invalid JSON names the file', () => {
    const file = writeTemp('broken.json', '{"name": ');
    expect(() => loadNetwork(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: /: is not valid JSON`));
  });

  test('missing file lists the shipped specs', () => {
    expect(() => loadNetwork('no-such-network')).toThrow(/file not found.*sew-resnet18/);
  });
});

describe('bad hardware specs', () => {
  const base = JSON.parse(fs.readFileSync(path.join(__dirname, '../../models/hardware/meta-prototype-like.json'), 'utf8'));

  test('unknown operand names the level', () => {
    const spec = structuredClone(base);
    spec.levels[2].operands = ['weights'];
    expectSpecError(() => loadHardware(writeTemp('operand.json', spec)), '/levels/2/operands/0', /must be equal to one of the allowed values|must be one of/);
  });

  test('buffer missing an operand is rejected', () => {
    const spec = structuredClone(base);
    spec.levels[1].operands = ['weight', 'input', 'output', 'partial_sum'];
    expectSpecError(() => loadHardware(writeTemp('buffer.json', spec)), '/levels/1/operands', /'state' is missing/);
  });

  test('negative capacity names the field', () => {
    const spec = structuredClone(base);
    spec.levels[2].capacityBits = -8;
    expectSpecError(() => loadHardware(writeTemp('capacity.json', spec)), '/levels/2/capacityBits', />= 1/);
  });

  test('preset energies per word', () => {
    const hardware = loadHardware('meta-prototype-like');
    expect(hardware.peCount).toBe(1024);
    expect(hardware.dram.readEnergyPjPerWord).toBe(700);
    expect(hardware.buffer.capacityBits).toBe(8 * 1024 * 1024);
    expect(hardware.buffer.readEnergyPjPerWord).toBeCloseTo(0.13 * 1024, 9);
    expect(hardware.chains.weight.map((level) => level.name)).toEqual(['dram', 'global_buffer', 'weight_sram']);
  });
});

describe('specs check command', () => {
  const cli = path.join(__dirname, '../../bin/stemsim.js');
  const run = (args: string[]) => require('node:child_process').spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

  test('mapping is checked against network and hardware', () => {
    const spec = JSON.parse(fs.readFileSync(path.join(__dirname, '../../models/mappings/sew-resnet18-hybrid.json'), 'utf8'));
    spec.groups[0].blocks = ['stem', 'b9'];
    const file = writeTemp('mapping.json', spec);
    const result = run(['specs', 'check', '--network', 'sew-resnet18', '--hardware', 'meta-prototype-like', '--mapping', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}: /groups/0/blocks/1: unknown block 'b9'`);
  });

  test('no spec to check is an error', () => {
    const result = run(['specs', 'check']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/nothing to check; give --network, --hardware or --mapping/);
  });
});
