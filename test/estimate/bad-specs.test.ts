import { estimate } from '../../src/estimate';
import { resolveHardware } from '../../src/spec/hardware';
import { HardwareSchema } from '../../src/spec/hardware-schema';
import { loadHardware, loadMappingSpec, loadNetwork } from '../../src/spec/load';
import { MappingSpec } from '../../src/spec/mapping-schema';
import { resolveNetwork } from '../../src/spec/network';
import { NetworkSchema, NetworkSpec } from '../../src/spec/network-schema';
import { validateAgainstSchema } from '../../src/spec/validate-schema';
import { expectSpecError, tinyHardware, tinyHardwareSpec, tinyNetwork, tinyNetworkSpec, writeTemp } from '../mapping/fixtures';

// Each bad spec is rejected twice: written to a temp file and loaded as a user would, and passed as an object.

const network = tinyNetwork();
const hardware = tinyHardware();

/** Estimates with a mapping file, as `stemsim estimate --mapping FILE` does. */
function estimateFile(spec: unknown) {
  const { file, spec: loaded } = loadMappingSpec(writeTemp('mapping.json', spec));
  return estimate(network, hardware, { ...loaded, name: file });
}

const withLoops = (loops: [string, number][]) =>
  ({ name: 'bad', layers: { conv1: { temporal: [{ level: 'buffer', loops }] } } }) as unknown as MappingSpec;

describe('bad specs are rejected', () => {
  test('a negative size in a network', () => {
    const spec = tinyNetworkSpec();
    spec.input.width = -8;
    expectSpecError(() => loadNetwork(writeTemp('network.json', spec)), '/input/width', />= 1/);
    expectSpecError(() => validateAgainstSchema<NetworkSpec>(NetworkSchema, spec, 'object'), '/input/width', />= 1/);
  });

  test('a negative loop factor', () => {
    expectSpecError(() => estimateFile(withLoops([['K', -2]])), '/layers/conv1/temporal/0/loops/0/1', />= 1/);
    expectSpecError(() => estimate(network, hardware, withLoops([['K', -2]])), '/layers/conv1/temporal/0/loops/0/1', />= 1/);
  });

  test('a tile factor that does not divide its dimension', () => {
    // conv1 has K = 4.
    expectSpecError(() => estimateFile(withLoops([['K', 3]])), '/layers/conv1/temporal/0/loops/0/1', /does not divide K = 4/);
    expectSpecError(() => estimate(network, hardware, withLoops([['K', 3]])), '/layers/conv1/temporal/0/loops/0/1', /does not divide K = 4/);
  });

  test('a tile that does not fit its level', () => {
    // Registers hold 32 bits per PE; OY8 of 8-bit state and 1-bit spikes needs 72.
    const spec = { name: 'bad', layers: { conv1: { temporal: [{ level: 'registers', loops: [['OY', 8]] }] } } };
    expectSpecError(() => estimateFile(spec), '/layers/conv1/temporal/0', /72 bits per PE, but registers holds 32 bits per PE/);
    expectSpecError(() => estimate(network, hardware, spec as unknown as MappingSpec), '/layers/conv1/temporal/0', /72 bits per PE/);
  });

  test('an unknown operand in a hardware', () => {
    const spec = tinyHardwareSpec();
    (spec.levels[2].operands as string[]) = ['weights'];
    expectSpecError(() => loadHardware(writeTemp('hardware.json', spec)), '/levels/2/operands/0', /must be one of/);
    expectSpecError(() => resolveHardware(spec, 'object'), '/levels/2/operands/0', /unknown operand 'weights'; use one of weight, input/);
    expect(() => validateAgainstSchema(HardwareSchema, spec, 'object')).toThrow(/\/levels\/2\/operands\/0/);
  });

  test('a dangling layer input', () => {
    const spec = tinyNetworkSpec();
    spec.layers[1].inputs = ['conv0'];
    expectSpecError(() => loadNetwork(writeTemp('network.json', spec)), '/layers/1/inputs/0', /'conv0' is not 'input' or an earlier layer/);
    expectSpecError(() => resolveNetwork(spec, 'object'), '/layers/1/inputs/0', /'conv0' is not 'input' or an earlier layer/);
  });

  test('a causality violation', () => {
    const loops: [string, number][] = [['C', 2], ['FY', 3], ['FX', 3], ['T', 4]];
    expectSpecError(() => estimateFile(withLoops(loops)), '/layers/conv1/temporal/0/loops/3', /causality: in stateful layer 'conv1'/);
    expectSpecError(() => estimate(network, hardware, withLoops(loops)), '/layers/conv1/temporal/0/loops/3', /put every T loop above every C, FY and FX loop/);
  });

  test('an error names the mapping file', () => {
    const file = writeTemp('named.json', withLoops([['K', 3]]));
    const { spec } = loadMappingSpec(file);
    expect(() => estimate(network, hardware, { ...spec, name: file })).toThrow(`${file}: /layers/conv1/temporal/0/loops/0/1`);
  });
});
