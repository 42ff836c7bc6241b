import { HardwareSchema, HardwareSpec } from './hardware-schema';
import { resolveHardware, ResolvedHardware } from './hardware';
import { readJsonFile, resolveSpecPath } from './load-json';
import { MappingSchema, MappingSpec } from './mapping-schema';
import { resolveNetwork, ResolvedNetwork } from './network';
import { NetworkSchema, NetworkSpec } from './network-schema';
import { validateAgainstSchema } from './validate-schema';

/** A spec together with the file it came from, for error messages and content hashes. */
export interface Loaded<T> {
  file: string;
  spec: T;
}

export function loadNetworkSpec(nameOrPath: string): Loaded<NetworkSpec> {
  const file = resolveSpecPath(nameOrPath, 'networks');
  return { file, spec: validateAgainstSchema<NetworkSpec>(NetworkSchema, readJsonFile(file), file) };
}

/** Loads, validates and resolves a network spec; `options` override the spec's own options (for example state variants). */
export function loadNetwork(nameOrPath: string, options?: NetworkSpec['options']): ResolvedNetwork {
  const { file, spec } = loadNetworkSpec(nameOrPath);
  const withOptions = options ? { ...spec, options: { ...spec.options, ...options } } : spec;
  return resolveNetwork(withOptions, file);
}

export function loadHardware(nameOrPath: string): ResolvedHardware {
  const file = resolveSpecPath(nameOrPath, 'hardware');
  const spec = validateAgainstSchema<HardwareSpec>(HardwareSchema, readJsonFile(file), file);
  return resolveHardware(spec, file);
}

export function loadMappingSpec(nameOrPath: string): Loaded<MappingSpec> {
  const file = resolveSpecPath(nameOrPath, 'mappings');
  return { file, spec: validateAgainstSchema<MappingSpec>(MappingSchema, readJsonFile(file), file) };
}
