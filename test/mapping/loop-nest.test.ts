import { loadHardware, loadNetwork } from '../../src/spec/load';
import {
  defaultLayerMapping,
  defaultMapping,
  findCapacityOverflow,
  layerGeometry,
  levelFootprint,
  nodeLoopNest,
  operandTileElements,
  resolveMapping,
  temporalIterations,
} from '../../src/mapping';
import { MappingSpec } from '../../src/spec/mapping-schema';
import { resolveHardware } from '../../src/spec/hardware';
import { tinyHardware, tinyHardwareSpec, tinyNetwork } from './fixtures';

const simple = (loops: { dim: string; factor: number; level: number }[]) => loops.map((loop) => `${loop.dim}${loop.factor}@${loop.level}`);

describe('nodeLoopNest', () => {
  const network = tinyNetwork();
  const hardware = tinyHardware();
  const spec: MappingSpec = {
    name: 'nest',
    defaultGroup: { schedule: 'fused', tileSize: 3, timeBatch: 4 },
    layers: {
      conv1: {
        spatial: { K: 2, C: 2 },
        temporal: [
          { level: 'buffer', loops: [['OX', 4]] },
          { level: 'registers', loops: [['FY', 3], ['FX', 3]] },
        ],
      },
    },
  };
  const mapping = resolveMapping(spec, network, hardware).layers.get('conv1')!;

  test('full tile keeps the mapped factors', () => {
    // Extents T4 B1 K4 C2 OY8 OX8 FY3 FX3. Spatial K2 C2 leave K 2; OX 8 / 4 leaves 2; what is left goes to the
    // buffer outermost in the order T, B, K, C, OY, OX: T4, K2, OY8, OX2, then the mapped OX4, FY3, FX3.
    const nest = nodeLoopNest(mapping, { ...network.byName.get('conv1')!.dims, OX: 8 });
    expect(simple(nest.loops)).toEqual(['T4@1', 'K2@1', 'OY8@1', 'OX2@1', 'OX4@1', 'FY3@3', 'FX3@3']);
    expect(nest.spatial.K).toBe(2);
    expect(nest.spatial.C).toBe(2);
    // 4 * 2 * 8 * 2 * 4 * 3 * 3 cycles
    expect(temporalIterations(nest)).toBe(4608);
  });

  test('short tile reduces a factor by gcd', () => {
    // A 3-column tile: gcd(OX4, 3) = 1, so the mapped OX loop disappears and OX3 is left over at the buffer.
    const nest = nodeLoopNest(mapping, { ...network.byName.get('conv1')!.dims, T: 1, OX: 3 });
    expect(simple(nest.loops)).toEqual(['K2@1', 'OY8@1', 'OX3@1', 'FY3@3', 'FX3@3']);
  });

  test('tile narrower than the spatial unrolling idles PEs', () => {
    const meta = loadHardware('meta-prototype-like');
    const sew = loadNetwork('sew-resnet18');
    const layer = sew.byName.get('b1.conv1')!;
    const resolved = resolveMapping(
      { name: 'oy', defaultGroup: { schedule: 'fused', tileAxis: 'OY', tileSize: 4, timeBatch: 1 } },
      sew,
      meta,
    );
    // Default spatial OY16; a 4-row tile keeps gcd(16, 4) = 4 of it.
    const nest = nodeLoopNest(resolved.layers.get(layer.name)!, { ...layer.dims, T: 1, OY: 4 });
    expect(nest.spatial.OY).toBe(4);
    expect(nest.loops.some((loop) => loop.dim === 'OY')).toBe(false);
  });
});

describe('tiles', () => {
  test('input tile spans the sliding window', () => {
    const network = tinyNetwork();
    const conv2 = network.byName.get('conv2')!;
    // Stride 2, footprint OY2 OX3 FY3 FX3 C2: rows (2-1)*2+3 = 5, columns (3-1)*2+3 = 7, 2*5*7 = 70 elements.
    const footprint = { T: 1, B: 1, K: 4, C: 2, OY: 2, OX: 3, FY: 3, FX: 3 };
    expect(operandTileElements('input', footprint, layerGeometry(conv2))).toBe(70);
    expect(operandTileElements('weight', footprint, layerGeometry(conv2))).toBe(72);
    expect(operandTileElements('state', footprint, layerGeometry(conv2))).toBe(24);
  });

  test('add layer input counts every input', () => {
    const sew = loadNetwork('sew-resnet18');
    const add = sew.byName.get('b1.add')!;
    // Channel-wise: K indexes the input. 2 inputs * K4 * OY2 * OX2 = 32.
    const footprint = { T: 1, B: 1, K: 4, C: 1, OY: 2, OX: 2, FY: 1, FX: 1 };
    expect(operandTileElements('input', footprint, layerGeometry(add))).toBe(32);
  });

  test('per-PE footprint leaves out the spatial factors', () => {
    const network = tinyNetwork();
    const hardware = tinyHardware();
    const mapping = resolveMapping({ name: 'fp' }, network, hardware).layers.get('conv1')!;
    const nest = nodeLoopNest(mapping, network.byName.get('conv1')!.dims);
    const registers = hardware.byName.get('registers')!.index;
    expect(levelFootprint(nest, registers, true).K).toBe(1);
    expect(levelFootprint(nest, registers, false).K).toBe(2);
  });
});

describe('defaultMapping', () => {
  const hardwareNames = ['meta-prototype-like', 'meta-prototype-like-gb128k', 'meta-prototype-like-gb2m', 'meta-prototype-like-gb64m'];

  test.each(['sew-resnet18', 'red-lif', 'nmnist-snn'])('%s resolves on every zoo hardware', (networkName) => {
    const network = loadNetwork(networkName);
    for (const hardwareName of hardwareNames) {
      const hardware = loadHardware(hardwareName);
      const resolved = resolveMapping(defaultMapping(network, hardware), network, hardware);
      expect(resolved.groups).toHaveLength(1);
      expect(resolved.groups[0].timeBatch).toBe(1);
      expect(resolved.groups[0].schedule).toBe('layer-by-layer');
    }
  });

  test('b1.conv1 on the meta-prototype keeps the reduction in the registers', () => {
    const network = loadNetwork('sew-resnet18');
    const hardware = loadHardware('meta-prototype-like');
    expect(defaultLayerMapping(network.byName.get('b1.conv1')!, hardware)).toEqual({
      spatial: { K: 32, C: 2, OY: 16 },
      temporal: [
        { level: 'global_buffer', loops: [['K', 2], ['OY', 8], ['OX', 128], ['T', 16]] },
        { level: 'registers', loops: [['C', 32], ['FY', 3], ['FX', 3]] },
      ],
    });
  });

  test('weights larger than the weight SRAM split C', () => {
    const network = loadNetwork('sew-resnet18');
    const hardware = loadHardware('meta-prototype-like');
    // 32 K x 2 C spatial x C x 9 taps x 4 bits must fit half of 262144 bits: C = 64 needs 147456, so C = 32.
    const mapping = defaultLayerMapping(network.byName.get('b5.conv1')!, hardware);
    expect(mapping.temporal![1]).toEqual({ level: 'registers', loops: [['C', 32], ['FY', 3], ['FX', 3]] });
    expect(mapping.temporal![0].loops).toContainEqual(['C', 2]);
  });

  test('small registers shrink the reduction loops', () => {
    const spec = tinyHardwareSpec();
    spec.levels[2].capacityBits = 64; // 32 usable bits, 8 weights of 4 bits
    const hardware = resolveHardware(spec);
    const network = tinyNetwork();
    const resolved = resolveMapping(defaultMapping(network, hardware), network, hardware);
    const conv1 = resolved.layers.get('conv1')!;
    // Spatial K2 C2 already holds 4 weights; FX3 would need 12, so FX, FY and C stay at the buffer.
    const nest = nodeLoopNest(conv1, network.byName.get('conv1')!.dims);
    expect(findCapacityOverflow(nest, layerGeometry(conv1.layer), hardware)).toBeNull();
    expect(conv1.temporal.map((entry) => entry.level)).toEqual([1]);
  });

  test('hardware too small for one element is rejected', () => {
    const spec = tinyHardwareSpec();
    spec.levels[3].capacityBits = 4; // one 8-bit state and its spike do not fit
    const hardware = resolveHardware(spec);
    expect(() => defaultMapping(tinyNetwork(), hardware)).toThrow(/tiny-hw: \/levels\/3\/capacityBits: layer 'conv1' cannot be mapped/);
  });
});
