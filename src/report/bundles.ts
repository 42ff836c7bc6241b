import * as fs from 'node:fs';
import * as path from 'node:path';
import { scriptForScriptElement } from './html';

/** A browser bundle of a package, read from node_modules. */
export interface ScriptBundle {
  packageName: string;
  /** Path inside the package. */
  relativePath: string;
  /** The bundle's source, made safe to inline in a <script> element. */
  source: string;
}

/** The UMD browser bundles that the report inlines, in load order: vega-lite needs vega, vega-embed needs both. */
export const VEGA_BUNDLE_PATHS: ReadonlyArray<{ packageName: string; relativePath: string }> = [
  { packageName: 'vega', relativePath: 'build/vega.min.js' },
  { packageName: 'vega-lite', relativePath: 'build/vega-lite.min.js' },
  { packageName: 'vega-embed', relativePath: 'build/vega-embed.min.js' },
];

let cachedBundles: ScriptBundle[] | undefined;

/**
 * Reads the vega, vega-lite and vega-embed browser bundles. The packages' export maps hide their
 * build folders from require.resolve, so this searches the node_modules folders that Node would
 * search for them.
 */
export function readVegaBundles(): ScriptBundle[] {
  if (cachedBundles !== undefined) {
    return cachedBundles;
  }
  cachedBundles = VEGA_BUNDLE_PATHS.map(({ packageName, relativePath }) => {
    const file = findPackageFile(packageName, relativePath);
    return { packageName, relativePath, source: scriptForScriptElement(fs.readFileSync(file, 'utf8')) };
  });
  return cachedBundles;
}

function findPackageFile(packageName: string, relativePath: string): string {
  const searchFolders = require.resolve.paths(packageName) ?? [];
  for (const folder of searchFolders) {
    const candidate = path.join(folder, packageName, relativePath);
    if (fs.existsSync(candidate)) {
      return candidate;
    }
  }
  throw new Error(
    `cannot write the report: ${packageName}/${relativePath} was not found in ${searchFolders.join(', ')}; ` +
      `install the dependencies of stemsim (npm install) so that ${packageName} is in node_modules`,
  );
}
