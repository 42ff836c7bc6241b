import { buildSchedule, resolveMapping, ScheduleNode } from '../../src/mapping';
import { loadHardware, loadNetwork } from '../../src/spec/load';
import { MappingSpec } from '../../src/spec/mapping-schema';
import { tinyHardware, tinyNetwork } from './fixtures';

const label = (node: ScheduleNode) => `${node.layer.name}:${node.timeStart}-${node.timeEnd}:${node.tileStart}`;

function schedule(spec: MappingSpec, stemsAssumptions = false): ScheduleNode[] {
  const network = tinyNetwork();
  return buildSchedule(network, resolveMapping(spec, network, tinyHardware(), spec.name, { stemsAssumptions }));
}

describe('buildSchedule', () => {
  test('sequential time layer by layer runs every layer per timestep', () => {
    const nodes = schedule({ name: 'st', defaultGroup: { schedule: 'layer-by-layer', timeBatch: 1 } });
    expect(nodes.map(label).slice(0, 6)).toEqual(['conv1:0-1:0', 'conv2:0-1:0', 'pool:0-1:0', 'fc:0-1:0', 'conv1:1-2:0', 'conv2:1-2:0']);
    expect(nodes).toHaveLength(16);
    // conv1 at t=1 waits for its own node at t=0 (state).
    expect(nodes[4].previousChunk).toBe(0);
    expect(nodes[4].networkInputTimesteps).toEqual([1]);
    // pool is stateless: no link to its previous chunk.
    expect(nodes[6].previousChunk).toBe(-1);
  });

  test('time-batched layer by layer runs each layer once', () => {
    const nodes = schedule({ name: 'tb', defaultGroup: { schedule: 'layer-by-layer', timeBatch: 4 } });
    expect(nodes.map(label)).toEqual(['conv1:0-4:0', 'conv2:0-4:0', 'pool:0-4:0', 'fc:0-4:0']);
    expect(nodes[0].networkInputTimesteps).toEqual([0, 1, 2, 3]);
    expect(nodes[1].producers).toEqual([0]);
    expect(nodes[0].consumers).toEqual([1]);
  });

  test('uneven time batch leaves a short last chunk', () => {
    const nodes = schedule({ name: 'tb3', defaultGroup: { schedule: 'layer-by-layer', timeBatch: 3 } });
    expect(nodes.map(label)).toEqual([
      'conv1:0-3:0', 'conv2:0-3:0', 'pool:0-3:0', 'fc:0-3:0',
      'conv1:3-4:0', 'conv2:3-4:0', 'pool:3-4:0', 'fc:3-4:0',
    ]);
    expect(nodes[4].extents.T).toBe(1);
  });

  test('fused group interleaves one-column tiles', () => {
    // conv2 (stride 2, pad 1) column a reads conv1 columns [2a - 1, 2a + 2); pool column a reads conv2 [2a, 2a + 2).
    // Ready nodes run leftmost first, then deepest, so conv2:0 runs as soon as conv1 columns 0 and 1 exist.
    const nodes = schedule({
      name: 'fused',
      groups: [{ layers: ['conv1', 'conv2', 'pool'], schedule: 'fused', tileSize: 1, timeBatch: 4 }],
      defaultGroup: { schedule: 'layer-by-layer', timeBatch: 4 },
    });
    expect(nodes.map((node) => `${node.layer.name}:${node.tileStart}`)).toEqual([
      'conv1:0', 'conv1:1', 'conv2:0', 'conv1:2', 'conv1:3', 'conv2:1', 'pool:0',
      'conv1:4', 'conv1:5', 'conv2:2', 'conv1:6', 'conv1:7', 'conv2:3', 'pool:1', 'fc:0',
    ]);
    const conv2Column1 = nodes[5];
    expect(conv2Column1.producers.map((id) => nodes[id].tileStart)).toEqual([1, 2, 3]);
    // fc reads through the flatten, so it needs both pool tiles.
    expect(nodes[14].producers.map((id) => label(nodes[id]))).toEqual(['pool:0-4:0', 'pool:0-4:1']);
    expect(nodes[14].group).toBe(1);
  });

  test('STEMS mode ignores padding in the receptive field', () => {
    // Without padding conv2 column 0 reads conv1 columns [0, 3).
    const nodes = schedule(
      { name: 'fused', groups: [{ layers: ['conv1', 'conv2', 'pool'], schedule: 'fused', tileSize: 2, timeBatch: 1 }] },
      true,
    );
    expect(nodes.map((node) => `${node.layer.name}:${node.tileStart}`).slice(0, 4)).toEqual(['conv1:0', 'conv1:1', 'conv1:2', 'conv2:0']);
    // STEMS mode cuts tiles of one column whatever the tileSize.
    expect(nodes.filter((node) => node.layer.name === 'conv1')).toHaveLength(8 * 4);
  });

  test('producer in a group with another time batch', () => {
    // conv1 time-batched (one node for T=4), the rest in sequential time: every later node reads the one conv1 node.
    const nodes = schedule({
      name: 'mixed',
      groups: [{ layers: ['conv1'], schedule: 'layer-by-layer', timeBatch: 4 }],
      defaultGroup: { schedule: 'layer-by-layer', timeBatch: 1 },
    });
    const conv2 = nodes.filter((node) => node.layer.name === 'conv2');
    expect(conv2.map((node) => node.producers)).toEqual([[0], [0], [0], [0]]);
    expect(nodes[0].consumers).toHaveLength(4);
  });

  test('sew-resnet18 sequential-time fused builds one node per column and timestep', () => {
    const network = loadNetwork('sew-resnet18');
    const hardware = loadHardware('meta-prototype-like');
    const mapping = resolveMapping({ name: 'f', defaultGroup: { schedule: 'fused', tileSize: 1, timeBatch: 1 } }, network, hardware);
    const nodes = buildSchedule(network, mapping);
    // 128 columns: L0 to b1.add (4 layers); 64: b1.pool to b2.add (4); 32: 4; 16: 4; 8: b4.pool to b5.add (5);
    // 4: 4; 2: 4; 1: b7.pool.
    const columns = 4 * 128 + 4 * 64 + 4 * 32 + 4 * 16 + 5 * 8 + 4 * 4 + 4 * 2 + 1;
    expect(nodes.length).toBe(columns * 16);
    const lastOfFirstTimestep = nodes.findIndex((node) => node.timeStart === 1) - 1;
    expect(nodes[lastOfFirstTimestep].layer.name).toBe('b7.pool');
    for (const node of nodes) {
      for (const producer of node.producers) expect(producer).toBeLessThan(node.id);
    }
  });
});
