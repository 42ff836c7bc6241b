import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { canonicalJson } from './canonical-json';
import { JsonObject, RunInputs } from './types';

/** Version of stemsim from package.json, stored with every run and part of its input key. */
export const TOOL_VERSION: string = (require('../../package.json') as { version: string }).version;

/** Returns the SHA-256 of a file's bytes as 64 lowercase hex digits. */
export function sha256OfFile(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Returns the SHA-256 of a string's UTF-8 bytes as 64 lowercase hex digits. */
export function sha256OfText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Returns the key that identifies a run's inputs: the SHA-256 of the input hashes, the sample ids of
 * the traces, the options (keys sorted) and the tool version. Names and paths are not part of it,
 * so a renamed or moved file with the same content gives the same key.
 */
export function computeInputKey(inputs: RunInputs, options: JsonObject, toolVersion: string = TOOL_VERSION): string {
  const traces = [...(inputs.traces ?? [])]
    .map((trace) => [trace.sample, trace.sha256])
    .sort(([firstSample], [secondSample]) => compareCodeUnits(firstSample, secondSample));
  const identity = {
    toolVersion,
    network: inputs.network.sha256,
    hardware: inputs.hardware.sha256,
    mapping: inputs.mapping.sha256,
    weights: inputs.weights?.sha256 ?? null,
    traces,
    options,
  };
  return sha256OfText(canonicalJson(identity));
}

/** Orders strings by UTF-16 code units, the same on every locale. */
function compareCodeUnits(first: string, second: string): number {
  if (first < second) {
    return -1;
  }
  return first > second ? 1 : 0;
}
