import { Command } from 'commander';
import { SpecError } from '../spec/errors';
import { writeJsonSchemas } from '../spec/write-schemas';
import { resolveMapping } from '../mapping/resolve';
import { loadHardware, loadMappingSpec, loadNetwork } from '../spec/load';

/** Registers `stemsim specs check` and `stemsim specs schemas`. */
export function registerSpecCommands(program: Command): void {
  const specs = program.command('specs').description('Check spec files and write their JSON Schemas');

  specs
    .command('check')
    .description('Validate a network, hardware or mapping spec and print a one-line summary')
    .option('--network <nameOrPath>', 'network spec: a path or a name under models/networks')
    .option('--hardware <nameOrPath>', 'hardware spec: a path or a name under models/hardware')
    .option('--mapping <nameOrPath>', 'mapping spec: a path or a name under models/mappings')
    .action((options: { network?: string; hardware?: string; mapping?: string }) => {
      if (!options.network && !options.hardware && !options.mapping) {
        throw new SpecError('specs check', '', 'nothing to check; give --network, --hardware or --mapping (see --help)');
      }
      const network = options.network ? loadNetwork(options.network) : undefined;
      if (network) console.log(`network ${network.name}: ${network.layers.length} layers, T=${network.timesteps}, valid`);

      const hardware = options.hardware ? loadHardware(options.hardware) : undefined;
      if (hardware) console.log(`hardware ${hardware.name}: ${hardware.levels.length} memory levels, ${hardware.peCount} PEs, valid`);

      if (options.mapping) {
        const mapping = loadMappingSpec(options.mapping);
        if (network && hardware) {
          const resolved = resolveMapping(mapping.spec, network, hardware, mapping.file);
          console.log(`mapping ${resolved.name}: valid for ${network.name} on ${hardware.name}`);
        } else {
          console.log(`mapping ${mapping.spec.name}: schema valid; give --network and --hardware too to check its factors, capacities and causality`);
        }
      }
    });

  specs
    .command('schemas')
    .description('Write the JSON Schemas of the spec files to models/schemas/')
    .action(() => {
      for (const file of writeJsonSchemas()) console.log(`wrote ${file}`);
    });
}
