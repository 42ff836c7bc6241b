import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeNetworkWeights } from '../../src/capture/weights';
import { trainNetwork, TRAIN_DEFAULTS, type TrainResult } from '../../src/capture/train';
import { nmnistDir, temporaryFolder } from './helpers';

const dataDir = nmnistDir();
const describeWithData = dataDir ? describe : describe.skip;

/** Builds a small data folder of links to the first recordings of each split, with its own labels.csv. */
function smallDataFolder(trainCount: number, testCount: number): string {
  const folder = temporaryFolder('small-nmnist');
  const labels = fs.readFileSync(path.join(dataDir!, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  const rows = ['file,label'];
  for (const [split, count] of [['train', trainCount], ['test', testCount]] as const) {
    fs.mkdirSync(path.join(folder, split));
    for (const row of labels.filter((line) => line.startsWith(`${split}/`)).slice(0, count)) {
      const relative = row.split(',')[0];
      fs.symlinkSync(path.join(dataDir!, relative), path.join(folder, relative));
      rows.push(row);
    }
  }
  fs.writeFileSync(path.join(folder, 'labels.csv'), rows.join('\n') + '\n');
  return folder;
}

async function weightBytes(result: TrainResult): Promise<Buffer> {
  return Buffer.from((await encodeNetworkWeights(result.network, result.weights.tensors)).data);
}

describeWithData('training', () => {
  test('same seed gives the same weights, another seed other weights', async () => {
    const data = smallDataFolder(40, 5);
    const options = { ...TRAIN_DEFAULTS, network: 'nmnist-snn', dataDir: data, epochs: 1, batchSize: 10, backend: 'wasm' };
    const first = await trainNetwork({ ...options, seed: 3 });
    const second = await trainNetwork({ ...options, seed: 3 });
    const other = await trainNetwork({ ...options, seed: 4 });

    expect((await weightBytes(second)).equals(await weightBytes(first))).toBe(true);
    expect(second.weights.sha256).toBe(first.weights.sha256);
    expect((await weightBytes(other)).equals(await weightBytes(first))).toBe(false);
    expect(first.trainSamples).toBe(40);
    expect(first.testSamples).toBe(5);
    expect(first.epochs).toHaveLength(1);
    expect(first.epochs[0].loss).toBeGreaterThan(0);
    expect(first.weights.metadata.origin).toBe('trained');
    expect(first.weights.metadata.details.testCorrect).toBe(first.testCorrect);
  });

  test('a recording without a label is rejected', async () => {
    const data = smallDataFolder(3, 1);
    const labels = fs.readFileSync(path.join(data, 'labels.csv'), 'utf8').trim().split('\n');
    const unlabelled = labels[1].split(',')[0];
    fs.writeFileSync(path.join(data, 'labels.csv'), [labels[0], ...labels.slice(2)].join('\n') + '\n');
    await expect(
      trainNetwork({ ...TRAIN_DEFAULTS, network: 'nmnist-snn', dataDir: data, epochs: 1, backend: 'wasm' }),
    ).rejects.toThrow(`${path.join(data, unlabelled)}: has no row in a labels.csv beside it or one folder up; training needs a label for every recording`);
  });

  test('a network without classes is rejected', async () => {
    await expect(
      trainNetwork({ ...TRAIN_DEFAULTS, network: 'sew-resnet18', dataDir: smallDataFolder(1, 1), epochs: 1, backend: 'wasm' }),
    ).rejects.toThrow("sew-resnet18: cannot be trained: its last layer must have 'classes' outputs of size 1x1");
  });
});
