import * as tf from '@tensorflow/tfjs';
import { BackendError, parseBackendName, selectBackend } from '../../src/capture/backend';

function nativeBackendInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('backend selection', () => {
  test('names and aliases', () => {
    expect(parseBackendName('wasm')).toBe('wasm');
    expect(parseBackendName('node')).toBe('tensorflow');
    expect(() => parseBackendName('webgpu')).toThrow(BackendError);
    expect(() => parseBackendName('webgpu')).toThrow("--backend: unknown backend 'webgpu'; use one of tensorflow, wasm, cpu (or 'node' for tensorflow)");
  });

  test('default takes the fastest backend that loads', async () => {
    const chosen = await selectBackend();
    expect(chosen).toBe(nativeBackendInstalled() ? 'tensorflow' : 'wasm');
    expect(tf.getBackend()).toBe(chosen);
  });

  test('requested backends switch the engine', async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await selectBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(Array.from(tf.add(tf.tensor1d([1, 2]), 1).dataSync())).toEqual([2, 3]);
  });

  (nativeBackendInstalled() ? test.skip : test)('tfjs-node requested where it is not installed', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(
      "--backend: backend 'tensorflow' failed to initialise: @tensorflow/tfjs-node is not installed or failed to load; use --backend wasm or cpu",
    );
  });
});
