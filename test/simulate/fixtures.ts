import { resolveMapping } from '../../src/mapping';
import { ResolvedMapping } from '../../src/mapping/types';
import { HardwareSpec } from '../../src/spec/hardware-schema';
import { resolveHardware, ResolvedHardware } from '../../src/spec/hardware';
import { MappingSpec } from '../../src/spec/mapping-schema';
import { NetworkSpec } from '../../src/spec/network-schema';
import { resolveNetwork, ResolvedNetwork } from '../../src/spec/network';

type LevelSpec = HardwareSpec['levels'][number];

/** A level moving 8-bit words at 8 bits per cycle with 1 pJ per word, one read and one write port. */
function level(name: string, kind: LevelSpec['kind'], operands: LevelSpec['operands'], extra: Partial<LevelSpec> = {}): LevelSpec {
  return {
    name,
    kind,
    wordBits: 8,
    readBandwidthBitsPerCycle: 8,
    writeBandwidthBitsPerCycle: 8,
    readEnergyPj: 1,
    writeEnergyPj: 1,
    energyPer: 'word',
    readPorts: 1,
    writePorts: 1,
    banks: 1,
    operands,
    ...extra,
  };
}

export interface TinyHardwareOptions {
  /** PEs along K. */
  peK?: number;
  bufferBits?: number;
  doubleBuffered?: boolean;
  registersDoubleBuffered?: boolean;
}

/**
 * A machine small enough for hand arithmetic: DRAM with one read-write port; a buffer, a weight
 * SRAM and an input SRAM that each move one 8-bit word per cycle; per-PE registers (1-bit words,
 * 1024 bits per cycle) for accumulators; PEs along K only.
 */
export function tinyHardware(options: TinyHardwareOptions = {}): ResolvedHardware {
  const all: LevelSpec['operands'] = ['weight', 'input', 'output', 'partial_sum', 'state'];
  const spec: HardwareSpec = {
    name: 'tiny',
    clockHz: 1e9,
    peArray: { dims: { K: options.peK ?? 2 }, macEnergyPj: 1, macInputBits: 8, accumulateEnergyPj: 0.5, neuronUpdateEnergyPj: 0.25, eventDriven: true },
    levels: [
      level('dram', 'dram', all, { readPorts: 0, writePorts: 0, readWritePorts: 1 }),
      level('gb', 'sram', all, { capacityBits: options.bufferBits ?? 1 << 20 }),
      level('wsram', 'sram', ['weight'], { capacityBits: 4096, doubleBuffered: options.doubleBuffered ?? true }),
      level('isram', 'sram', ['input'], { capacityBits: 4096, doubleBuffered: options.doubleBuffered ?? true }),
      level('reg', 'registers', ['output', 'partial_sum', 'state'], {
        capacityBits: 64,
        wordBits: 1,
        readBandwidthBitsPerCycle: 1024,
        writeBandwidthBitsPerCycle: 1024,
        readEnergyPj: 0,
        writeEnergyPj: 0,
        perPe: true,
        doubleBuffered: options.registersDoubleBuffered ?? false,
      }),
    ],
  };
  return resolveHardware(spec, 'tiny hardware');
}

/** One dense layer reading a C-channel 1x1 input of 8-bit values, with 8-bit weights and outputs and no spiking neuron. */
export function denseNetwork(inputChannels: number, outFeatures: number, timesteps = 1): ResolvedNetwork {
  const spec: NetworkSpec = {
    name: 'tiny-dense',
    timesteps,
    input: { channels: inputChannels, height: 1, width: 1, bits: 8 },
    defaults: {
      precision: { weightBits: 8, outputBits: 8, partialSumBits: 8, stateBits: 8 },
      neuron: { model: 'none' },
    },
    layers: [{ name: 'fc', type: 'dense', inputs: ['input'], outFeatures }],
  };
  return resolveNetwork(spec, 'tiny dense network');
}

/** Two stateful dense layers of 4 LIF neurons each on a 4-channel spike input. */
export function twoLayerSnn(timesteps: number): ResolvedNetwork {
  const spec: NetworkSpec = {
    name: 'tiny-snn',
    timesteps,
    input: { channels: 4, height: 1, width: 1, bits: 1 },
    defaults: {
      precision: { weightBits: 8, outputBits: 1, partialSumBits: 8, stateBits: 8 },
      neuron: { model: 'lif', threshold: 1, decay: 0.5 },
    },
    layers: [
      { name: 'fc1', type: 'dense', inputs: ['input'], outFeatures: 4 },
      { name: 'fc2', type: 'dense', inputs: ['fc1'], outFeatures: 4 },
    ],
  };
  return resolveNetwork(spec, 'tiny snn');
}

/** A small convolutional SNN with a pool, a residual add and a classifier, for schedule coverage. */
export function smallConvSnn(timesteps = 4): ResolvedNetwork {
  const spec: NetworkSpec = {
    name: 'small-conv-snn',
    timesteps,
    input: { channels: 2, height: 16, width: 16, bits: 1 },
    defaults: {
      precision: { weightBits: 4, outputBits: 1, partialSumBits: 12, stateBits: 12 },
      neuron: { model: 'lif', threshold: 1, decay: 0.5 },
    },
    layers: [
      { name: 'c1', type: 'conv2d', inputs: ['input'], outChannels: 8, kernel: 3, padding: 1, block: 'b1' },
      { name: 'c2', type: 'conv2d', inputs: ['c1'], outChannels: 8, kernel: 3, padding: 1, block: 'b1' },
      { name: 'add', type: 'add', inputs: ['c1', 'c2'], block: 'b1' },
      { name: 'pool', type: 'maxpool', inputs: ['add'], kernel: 2, block: 'b1' },
      { name: 'c3', type: 'conv2d', inputs: ['pool'], outChannels: 16, kernel: 3, stride: 2, padding: 1, block: 'b2' },
      { name: 'flat', type: 'flatten', inputs: ['c3'], block: 'head' },
      { name: 'fc', type: 'dense', inputs: ['flat'], outFeatures: 10, block: 'head' },
    ],
  };
  return resolveNetwork(spec, 'small conv snn');
}

export function resolve(spec: MappingSpec, network: ResolvedNetwork, hardware: ResolvedHardware, stemsAssumptions = false): ResolvedMapping {
  return resolveMapping(spec, network, hardware, spec.name, { stemsAssumptions });
}
