import * as fs from 'node:fs';
import * as path from 'node:path';
import { HardwareSchema } from './hardware-schema';
import { PROJECT_ROOT } from './load-json';
import { MappingSchema } from './mapping-schema';
import { NetworkSchema } from './network-schema';

/** Writes the JSON Schemas of the three spec kinds to models/schemas/, where editors pick them up through "$schema". */
export function writeJsonSchemas(outputDir = path.join(PROJECT_ROOT, 'models', 'schemas')): string[] {
  fs.mkdirSync(outputDir, { recursive: true });
  const schemas = { network: NetworkSchema, hardware: HardwareSchema, mapping: MappingSchema };
  return Object.entries(schemas).map(([kind, schema]) => {
    const file = path.join(outputDir, `${kind}.schema.json`);
    const document = { $schema: 'http://json-schema.org/draft-07/schema#', title: `stemsim ${kind} spec`, ...schema };
    fs.writeFileSync(file, JSON.stringify(document, null, 2) + '\n');
    return file;
  });
}

if (require.main === module) {
  for (const file of writeJsonSchemas()) console.log(`wrote ${path.relative(PROJECT_ROOT, file)}`);
}
