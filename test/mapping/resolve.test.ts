import { resolveMapping } from '../../src/mapping';
import { loadMappingSpec } from '../../src/spec/load';
import { MappingSpec } from '../../src/spec/mapping-schema';
import { expectSpecError, tinyHardware, tinyNetwork, writeTemp } from './fixtures';

const network = tinyNetwork();
const hardware = tinyHardware();

/** Resolves a mapping given as an object. */
function resolveObject(spec: MappingSpec) {
  return resolveMapping(spec, network, hardware, 'object.json');
}

/** Writes the mapping to a temp file, loads it through the schema and resolves it. */
function resolveFile(spec: unknown) {
  const { file, spec: loaded } = loadMappingSpec(writeTemp('mapping.json', spec));
  return resolveMapping(loaded, network, hardware, file);
}

const conv1Loops = (temporal: MappingSpec['layers'] extends Record<string, infer L> | undefined ? L : never) => ({
  name: 'm',
  layers: { conv1: temporal },
});

describe('resolveMapping accepts', () => {
  test('an empty mapping with default groups', () => {
    const resolved = resolveObject({ name: 'empty' });
    expect(resolved.groups.map((group) => group.layers.map((layer) => layer.name))).toEqual([['conv1', 'conv2', 'pool', 'fc']]);
    expect(resolved.layers.has('flat')).toBe(false);
    expect(resolved.layers.get('conv1')!.specPath).toBe('');
  });

  test('groups by block with default runs around them', () => {
    const resolved = resolveObject({
      name: 'blocks',
      groups: [{ blocks: ['b2'], schedule: 'fused', tileSize: 2, timeBatch: 2 }],
      defaultGroup: { schedule: 'layer-by-layer', timeBatch: 4 },
    });
    expect(resolved.groups.map((group) => [group.layers.map((layer) => layer.name), group.schedule, group.timeBatch])).toEqual([
      [['conv1'], 'layer-by-layer', 4],
      [['conv2', 'pool'], 'fused', 2],
      [['fc'], 'layer-by-layer', 4],
    ]);
  });

  test('a level that does not store the loop operands', () => {
    // wsram stores only weights; loops there still shape the tiles of inner levels.
    const resolved = resolveObject(conv1Loops({ spatial: { K: 2 }, temporal: [{ level: 'wsram', loops: [['FX', 3]] }] }));
    expect(resolved.layers.get('conv1')!.temporal[0].loops).toEqual([{ dim: 'FX', factor: 3 }]);
  });
});

describe('resolveMapping rejects', () => {
  test('a negative factor in a file', () => {
    expectSpecError(
      () => resolveFile({ name: 'm', layers: { conv1: { temporal: [{ level: 'buffer', loops: [['K', -2]] }] } } }),
      '/layers/conv1/temporal/0/loops/0/1',
      />= 1/,
    );
  });

  test('an unknown dimension in a file', () => {
    expectSpecError(
      () => resolveFile({ name: 'm', layers: { conv1: { temporal: [{ level: 'buffer', loops: [['Q', 2]] }] } } }),
      '/layers/conv1/temporal/0/loops/0/0',
      /must be one of/,
    );
  });

  test('an unknown layer', () => {
    expectSpecError(() => resolveObject({ name: 'm', layers: { conv9: {} } }), '/layers/conv9', /unknown layer 'conv9'/);
    expectSpecError(
      () => resolveFile({ name: 'm', groups: [{ layers: ['conv1', 'convX'], schedule: 'layer-by-layer', timeBatch: 1 }] }),
      '/groups/0/layers/1',
      /unknown layer 'convX'/,
    );
  });

  test('a mapping of the flatten view', () => {
    expectSpecError(() => resolveObject({ name: 'm', layers: { flat: {} } }), '/layers/flat', /flatten layer, which has no loop nest/);
  });

  test('an unknown level', () => {
    expectSpecError(
      () => resolveFile(conv1Loops({ temporal: [{ level: 'l2', loops: [['K', 2]] }] })),
      '/layers/conv1/temporal/0/level',
      /unknown memory level 'l2'; 'tiny-hw' has dram, buffer, wsram, registers/,
    );
  });

  test('loops at DRAM', () => {
    expectSpecError(
      () => resolveObject(conv1Loops({ temporal: [{ level: 'dram', loops: [['K', 2]] }] })),
      '/layers/conv1/temporal/0/level',
      /loops at DRAM \('dram'\) are invalid/,
    );
  });

  test('levels out of order', () => {
    expectSpecError(
      () => resolveObject(conv1Loops({ temporal: [{ level: 'registers', loops: [] }, { level: 'buffer', loops: [['K', 2]] }] })),
      '/layers/conv1/temporal/1/level',
      /outermost first/,
    );
  });

  test('a spatial factor larger than the array axis', () => {
    expectSpecError(
      () => resolveObject(conv1Loops({ spatial: { K: 4 } })),
      '/layers/conv1/spatial/K',
      /spatial factor 4 exceeds the K axis of 2 PEs/,
    );
  });

  test('a spatial dimension the array does not have', () => {
    expectSpecError(
      () => resolveFile(conv1Loops({ spatial: { OX: 2 } })),
      '/layers/conv1/spatial/OX',
      /has no OX axis; unroll only K, C/,
    );
  });

  test('a tile factor that does not divide its dimension', () => {
    // conv1 has OY = 8: 3 does not divide it.
    expectSpecError(
      () => resolveFile(conv1Loops({ temporal: [{ level: 'registers', loops: [['OY', 3]] }] })),
      '/layers/conv1/temporal/0/loops/0/1',
      /factor 3 of OY makes the OY factors of layer 'conv1' multiply to 3, which does not divide OY = 8/,
    );
    // Spatial K2 times a K4 loop makes 8, which does not divide K = 4.
    expectSpecError(
      () => resolveObject(conv1Loops({ spatial: { K: 2 }, temporal: [{ level: 'buffer', loops: [['K', 4]] }] })),
      '/layers/conv1/temporal/0/loops/0/1',
      /multiply to 8, which does not divide K = 4/,
    );
  });

  test('a tile that does not fit its level', () => {
    // wsram holds 512 bits, double buffered: 256. Spatial K2 C2 with FY3 FX3 in the registers is 36 weights of
    // 4 bits = 144 bits, which fits; adding K2 makes 72 weights = 288 bits, which does not.
    expectSpecError(
      () => resolveFile(conv1Loops({ spatial: { K: 2, C: 2 }, temporal: [{ level: 'registers', loops: [['K', 2], ['FY', 3], ['FX', 3]] }] })),
      '/layers/conv1/temporal',
      /the tiles need weight 288 = 288 bits, but wsram holds 256 \(half of 512 because it is double buffered\) bits/,
    );
    // Registers hold 32 bits per PE: OX8 of 8-bit state plus 1-bit spikes is 72 bits.
    expectSpecError(
      () => resolveObject(conv1Loops({ temporal: [{ level: 'registers', loops: [['OX', 8]] }] })),
      '/layers/conv1/temporal/0',
      /state 64 \+ output 8 = 72 bits per PE, but registers holds 32 bits per PE/,
    );
  });

  test('a causality violation', () => {
    expectSpecError(
      () => resolveFile(conv1Loops({ temporal: [{ level: 'buffer', loops: [['C', 2], ['FY', 3], ['FX', 3], ['T', 4]] }] })),
      '/layers/conv1/temporal/0/loops/3',
      /causality: in stateful layer 'conv1' the T loop at buffer sits below the C loop at buffer/,
    );
    // C left over at the buffer sits above a T loop at an inner level.
    expectSpecError(
      () => resolveObject(conv1Loops({ temporal: [{ level: 'registers', loops: [['T', 4]] }] })),
      '/layers/conv1/temporal/0/loops/0',
      /the T loop at registers sits below the C loop at buffer/,
    );
  });

  test('the same loops in a stateless layer', () => {
    const resolved = resolveObject({ name: 'm', layers: { fc: { temporal: [{ level: 'buffer', loops: [['C', 2], ['T', 4]] }] } } });
    expect(resolved.layers.get('fc')!.temporal[0].loops).toHaveLength(2);
  });

  test('groups that are not consecutive', () => {
    expectSpecError(
      () => resolveObject({ name: 'm', groups: [{ layers: ['conv1', 'pool'], schedule: 'layer-by-layer', timeBatch: 1 }] }),
      '/groups/0',
      /not consecutive in layer order: 'conv2' lies between them/,
    );
  });

  test('groups that overlap', () => {
    expectSpecError(
      () =>
        resolveObject({
          name: 'm',
          groups: [
            { layers: ['conv1', 'conv2'], schedule: 'layer-by-layer', timeBatch: 1 },
            { layers: ['conv2', 'pool'], schedule: 'layer-by-layer', timeBatch: 1 },
          ],
        }),
      '/groups/1',
      /layer 'conv2' is already in group 0; groups must not overlap/,
    );
  });

  test('groups out of layer order', () => {
    expectSpecError(
      () =>
        resolveObject({
          name: 'm',
          groups: [
            { layers: ['pool'], schedule: 'layer-by-layer', timeBatch: 1 },
            { layers: ['conv1'], schedule: 'layer-by-layer', timeBatch: 1 },
          ],
        }),
      '/groups/1',
      /listed in layer order/,
    );
  });

  test('a time batch beyond T', () => {
    expectSpecError(
      () => resolveFile({ name: 'm', defaultGroup: { schedule: 'layer-by-layer', timeBatch: 5 } }),
      '/defaultGroup/timeBatch',
      /timeBatch 5 exceeds the 4 timesteps of 'tiny'; use 1 to 4/,
    );
  });

  test('a fused group without tileSize', () => {
    expectSpecError(
      () => resolveObject({ name: 'm', groups: [{ layers: ['conv1'], schedule: 'fused', timeBatch: 1 }] }),
      '/groups/0/tileSize',
      /a fused group needs tileSize/,
    );
  });

  test('a mapping for another network', () => {
    expectSpecError(() => resolveObject({ name: 'm', network: 'sew-resnet18' }), '/network', /written for 'sew-resnet18', not 'tiny'/);
  });

  test('a state level inside the buffer', () => {
    expectSpecError(() => resolveObject(conv1Loops({ stateLevel: 'registers' })), '/layers/conv1/stateLevel', /not in 'registers'/);
  });
});
