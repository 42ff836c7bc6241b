import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { CaptureError } from './errors';

/**
 * TensorFlow.js backends that the runner can use, fastest first. 'tensorflow' is the native
 * backend of @tensorflow/tfjs-node, an optional dependency that does not install everywhere.
 */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The CLI also accepts 'node' for the tfjs-node backend, as its package name suggests. */
const BACKEND_ALIASES: Record<string, BackendName> = { node: 'tensorflow', 'tfjs-node': 'tensorflow' };

/** A backend that is unknown or fails to start; `file` names the --backend option, as CLI errors name their source. */
export class BackendError extends CaptureError {
  constructor(detail: string) {
    super('--backend', detail);
    this.name = 'BackendError';
  }
}

/** Parses a --backend value; raises BackendError naming the accepted values. */
export function parseBackendName(value: string): BackendName {
  const name = BACKEND_ALIASES[value] ?? value;
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new BackendError(`unknown backend '${value}'; use one of ${BACKEND_NAMES.join(', ')} (or 'node' for tensorflow)`);
  }
  return name as BackendName;
}

let wasmPathsSet = false;

/** Tells tfjs-backend-wasm where its .wasm binaries are: in Node it cannot fetch them relative to a page URL. */
function pointWasmAtPackage(): void {
  if (wasmPathsSet) return;
  const distFolder = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  setWasmPaths(distFolder + path.sep);
  wasmPathsSet = true;
}

/** Loads @tensorflow/tfjs-node, which registers the 'tensorflow' backend; returns false where it is not installed. */
function loadNativeBackend(): boolean {
  if (tf.findBackendFactory('tensorflow')) return true;
  try {
    // A plain require keeps the optional package out of the type check and the bundle graph.
    require('@tensorflow/tfjs-node');
    return tf.findBackendFactory('tensorflow') !== null;
  } catch {
    return false;
  }
}

async function trySetBackend(name: BackendName): Promise<boolean> {
  if (name === 'tensorflow' && !loadNativeBackend()) return false;
  if (name === 'wasm') pointWasmAtPackage();
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/**
 * Activates a TensorFlow.js backend and returns its name. Without a request it takes the first
 * of tensorflow, wasm and cpu that initialises; a requested backend that fails raises BackendError.
 */
export async function selectBackend(requested?: string): Promise<BackendName> {
  if (requested !== undefined) {
    const name = parseBackendName(requested);
    if (tf.getBackend() === name) return name;
    if (!(await trySetBackend(name))) {
      const hint =
        name === 'tensorflow'
          ? '@tensorflow/tfjs-node is not installed or failed to load; use --backend wasm or cpu'
          : 'use another --backend';
      throw new BackendError(`backend '${name}' failed to initialise: ${hint}`);
    }
    return name;
  }

  for (const name of BACKEND_NAMES) {
    if (tf.getBackend() === name || (await trySetBackend(name))) return name;
  }
  throw new BackendError(`none of the backends ${BACKEND_NAMES.join(', ')} initialised`);
}

/** Returns the name of the active backend, for trace headers and model cards. */
export function activeBackend(): string {
  return tf.getBackend();
}
