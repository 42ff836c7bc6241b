import { Command } from 'commander';
import { writeJsonSchemas } from '../spec/write-schemas';
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
      if (options.network) {
        const network = loadNetwork(options.network);
        console.log(`network ${network.name}: ${network.layers.length} layers, T=${network.timesteps}, valid`);
      }
      if (options.hardware) {
        const hardware = loadHardware(options.hardware);
        console.log(`hardware ${hardware.name}: ${hardware.levels.length} memory levels, ${hardware.peCount} PEs, valid`);
      }
      if (options.mapping) {
        const mapping = loadMappingSpec(options.mapping);
        console.log(`mapping ${mapping.spec.name}: schema valid (checked against a network and hardware by estimate)`);
      }
    });

  specs
    .command('schemas')
    .description('Write the JSON Schemas of the spec files to models/schemas/')
    .action(() => {
      for (const file of writeJsonSchemas()) console.log(`wrote ${file}`);
    });
}
