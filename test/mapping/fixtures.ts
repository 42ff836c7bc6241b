import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SpecError } from '../../src/spec/errors';
import { HardwareSpec } from '../../src/spec/hardware-schema';
import { resolveHardware, ResolvedHardware } from '../../src/spec/hardware';
import { NetworkSpec } from '../../src/spec/network-schema';
import { resolveNetwork, ResolvedNetwork } from '../../src/spec/network';

/**
 * A tiny SNN: a 2x8x8 spike input, T=4, two 3x3 convs with LIF neurons (the second with stride 2), a max pool, a
 * flatten and a stateless dense layer.
 */
export function tinyNetworkSpec(): NetworkSpec {
  return {
    name: 'tiny',
    timesteps: 4,
    input: { channels: 2, height: 8, width: 8, bits: 1 },
    defaults: {
      precision: { weightBits: 4, outputBits: 1, partialSumBits: 8, stateBits: 8 },
      neuron: { model: 'lif', threshold: 1, decay: 0.5 },
    },
    layers: [
      { name: 'conv1', type: 'conv2d', inputs: ['input'], outChannels: 4, kernel: 3, padding: 1, block: 'b1' },
      { name: 'conv2', type: 'conv2d', inputs: ['conv1'], outChannels: 4, kernel: 3, stride: 2, padding: 1, block: 'b2' },
      { name: 'pool', type: 'maxpool', inputs: ['conv2'], kernel: 2, block: 'b2' },
      { name: 'flat', type: 'flatten', inputs: ['pool'], block: 'head' },
      { name: 'fc', type: 'dense', inputs: ['flat'], outFeatures: 3, block: 'head', neuron: { model: 'none' }, precision: { outputBits: 8 } },
    ],
  };
}

export function tinyNetwork(): ResolvedNetwork {
  return resolveNetwork(tinyNetworkSpec());
}

/**
 * A tiny accelerator: a K2 x C2 PE array, DRAM with 16-bit words, a 16-bit-word buffer, a double-buffered weight SRAM of
 * 512 bits with 8-bit words, and per-PE registers of 32 bits for the accumulators. No level inside the buffer stores the
 * input, so the array reads it from the buffer every cycle.
 */
export function tinyHardwareSpec(bufferBits = 65536): HardwareSpec {
  const level = (name: string, kind: 'dram' | 'sram' | 'registers', wordBits: number, operands: string[], extra: object = {}) => ({
    name,
    kind,
    wordBits,
    readBandwidthBitsPerCycle: wordBits * 4,
    writeBandwidthBitsPerCycle: wordBits * 4,
    readEnergyPj: 1,
    writeEnergyPj: 2,
    energyPer: 'word' as const,
    readPorts: 1,
    writePorts: 1,
    banks: 1,
    operands: operands as HardwareSpec['levels'][number]['operands'],
    ...extra,
  });
  return {
    name: 'tiny-hw',
    clockHz: 1e9,
    peArray: { dims: { K: 2, C: 2 }, macEnergyPj: 1, macInputBits: 4, accumulateEnergyPj: 0.5, neuronUpdateEnergyPj: 0, eventDriven: true },
    levels: [
      level('dram', 'dram', 16, ['weight', 'input', 'output', 'partial_sum', 'state'], { readPorts: 0, writePorts: 0, readWritePorts: 1 }),
      level('buffer', 'sram', 16, ['weight', 'input', 'output', 'partial_sum', 'state'], { capacityBits: bufferBits }),
      level('wsram', 'sram', 8, ['weight'], { capacityBits: 512, doubleBuffered: true }),
      level('registers', 'registers', 1, ['output', 'partial_sum', 'state'], { capacityBits: 32, perPe: true }),
    ],
  };
}

export function tinyHardware(bufferBits?: number): ResolvedHardware {
  return resolveHardware(tinyHardwareSpec(bufferBits));
}

export function writeTemp(name: string, value: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-mapping-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

/** Runs `action` and checks that it raises a SpecError at `fieldPath` whose reason matches. */
export function expectSpecError(action: () => unknown, fieldPath: string, reason: RegExp): SpecError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SpecError);
  expect((caught as SpecError).fieldPath).toBe(fieldPath);
  expect((caught as SpecError).reason).toMatch(reason);
  return caught as SpecError;
}
