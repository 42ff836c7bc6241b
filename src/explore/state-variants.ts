import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../spec/load-json';
import { loadNetworkSpec } from '../spec/load';
import { resolveNetwork, ResolvedNetwork } from '../spec/network';
import { NetworkSpec } from '../spec/network-schema';

/** One state variant of a network: which layers keep their membrane potential and how many bits that is. */
export interface StateVariant {
  /** keepStateInLastBlocks; the last variant (all blocks) is the network with state everywhere. */
  stateBlocks: number;
  statefulLayers: string[];
  /** Neuron state of one inference: every stateful layer's B x K x OY x OX neurons times stateBits. */
  stateBits: number;
  spec: NetworkSpec;
}

/** Bits of neuron state that a network keeps between timesteps. */
export function stateBits(network: ResolvedNetwork): number {
  let bits = 0;
  for (const layer of network.layers) {
    if (!layer.hasState) continue;
    const d = layer.dims;
    bits += network.batch * d.K * d.OY * d.OX * layer.precision.stateBits;
  }
  return bits;
}

/** Builds the variants keepStateInLastBlocks = 0 .. number of blocks of a network spec. */
export function stateVariants(networkNameOrPath: string): StateVariant[] {
  const { file, spec } = loadNetworkSpec(networkNameOrPath);
  const blockCount = resolveNetwork(spec, file).blocks.length;
  const variants: StateVariant[] = [];
  for (let stateBlocks = 0; stateBlocks <= blockCount; stateBlocks++) {
    const variantSpec: NetworkSpec = { ...spec, options: { ...spec.options, keepStateInLastBlocks: stateBlocks } };
    variantSpec.description = `${spec.description ?? spec.name} Variant with neuron state only in the last ${stateBlocks} block(s).`;
    const network = resolveNetwork(variantSpec, file);
    variants.push({
      stateBlocks,
      statefulLayers: network.layers.filter((layer) => layer.hasState).map((layer) => layer.name),
      stateBits: stateBits(network),
      spec: variantSpec,
    });
  }
  return variants;
}

/** Writes each variant as `<network>-state-last-<N>.json` into `directory` and returns the files. */
export function writeStateVariants(variants: StateVariant[], directory: string): string[] {
  fs.mkdirSync(directory, { recursive: true });
  const schema = path.relative(directory, path.join(PROJECT_ROOT, 'models', 'schemas', 'network.schema.json'));
  return variants.map((variant) => {
    const file = path.join(directory, `${variant.spec.name}-state-last-${variant.stateBlocks}.json`);
    fs.writeFileSync(file, `${JSON.stringify({ ...variant.spec, $schema: schema }, null, 2)}\n`);
    return file;
  });
}
