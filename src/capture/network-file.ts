import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { loadNetworkSpec } from '../spec/load';
import { resolveNetwork, type ResolvedNetwork } from '../spec/network';

/** A resolved network with the spec file it came from and that file's SHA-256, which traces and weights record. */
export interface NetworkFile {
  network: ResolvedNetwork;
  file: string;
  specSha256: string;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Loads a network spec by name (models/networks/NAME.json) or path, and hashes the file's bytes. */
export function loadNetworkFile(nameOrPath: string): NetworkFile {
  const { file, spec } = loadNetworkSpec(nameOrPath);
  return { network: resolveNetwork(spec, file), file, specSha256: sha256Hex(fs.readFileSync(file)) };
}
