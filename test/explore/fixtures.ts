import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HardwareSpec } from '../../src/spec/hardware-schema';
import { NetworkSpec } from '../../src/spec/network-schema';

/**
 * Returns a three-block SNN on a 2x16x16 spike input, T=4: a 3x3 conv (8 channels) and a max pool; a residual block of two 3x3
 * convs and an add; a flatten and a stateless dense layer with 10 outputs.
 */
export function threeBlockNetworkSpec(): NetworkSpec {
  return {
    name: 'three-block',
    timesteps: 4,
    input: { channels: 2, height: 16, width: 16, bits: 1 },
    defaults: {
      precision: { weightBits: 4, outputBits: 1, partialSumBits: 12, stateBits: 12 },
      neuron: { model: 'lif', threshold: 1, decay: 0.5 },
    },
    layers: [
      { name: 'conv1', type: 'conv2d', inputs: ['input'], outChannels: 8, kernel: 3, padding: 1, block: 'b1' },
      { name: 'pool1', type: 'maxpool', inputs: ['conv1'], kernel: 2, block: 'b1' },
      { name: 'conv2', type: 'conv2d', inputs: ['pool1'], outChannels: 8, kernel: 3, padding: 1, block: 'b2' },
      { name: 'conv3', type: 'conv2d', inputs: ['conv2'], outChannels: 8, kernel: 3, padding: 1, block: 'b2' },
      { name: 'add', type: 'add', inputs: ['conv2', 'conv3'], block: 'b2' },
      { name: 'flat', type: 'flatten', inputs: ['add'], block: 'head' },
      { name: 'fc', type: 'dense', inputs: ['flat'], outFeatures: 10, block: 'head', neuron: { model: 'none' }, precision: { outputBits: 8 } },
    ],
  };
}

/**
 * Returns a small accelerator: a K4 x C2 PE array, DRAM and a buffer with 64-bit words, a double-buffered weight SRAM and an
 * input SRAM of `sramBits` each, and per-PE registers of 32 bits for the accumulators.
 */
export function smallHardwareSpec(bufferBits: number, sramBits = 8192): HardwareSpec {
  const level = (name: string, kind: 'dram' | 'sram' | 'registers', wordBits: number, operands: string[], extra: object = {}) => ({
    name,
    kind,
    wordBits,
    readBandwidthBitsPerCycle: wordBits * 2,
    writeBandwidthBitsPerCycle: wordBits * 2,
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
    name: `small-hw-${bufferBits}`,
    clockHz: 1e9,
    peArray: { dims: { K: 4, C: 2 }, macEnergyPj: 1, macInputBits: 4, accumulateEnergyPj: 0.5, neuronUpdateEnergyPj: 0, eventDriven: true },
    levels: [
      level('dram', 'dram', 64, ['weight', 'input', 'output', 'partial_sum', 'state'], { readPorts: 0, writePorts: 0, readWritePorts: 1, readEnergyPj: 100, writeEnergyPj: 120 }),
      level('buffer', 'sram', 64, ['weight', 'input', 'output', 'partial_sum', 'state'], { capacityBits: bufferBits }),
      level('weight_sram', 'sram', 16, ['weight'], { capacityBits: sramBits, doubleBuffered: true }),
      level('input_sram', 'sram', 16, ['input'], { capacityBits: sramBits, doubleBuffered: true }),
      level('registers', 'registers', 1, ['output', 'partial_sum', 'state'], { capacityBits: 32, perPe: true }),
    ],
  };
}

/** Writes a spec to a new temporary folder and returns the file's path. */
export function writeTempSpec(name: string, spec: unknown): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-explore-'));
  const file = path.join(directory, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(spec, null, 2));
  return file;
}

export function tempDirectory(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'stemsim-explore-out-'));
}
