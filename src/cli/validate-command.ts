import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.ts';
import { ConfigError } from '../errors.ts';
import type { Command } from './commands.ts';

export const validateCommand: Command = {
  summary: 'check a configuration file: exit 0, or exit 1 listing every problem with its field path',
  help: `Usage: runbridge validate --config FILE

Loads FILE as runbridge would at start: YAML, schema, templates compiled, parameters declared,
globs, CEL expressions, cron schedules, labels, dependency cycles. Prints every problem with its
field path and exits 1, or prints a summary and exits 0. Warnings do not fail validation.

Options:
  -c, --config FILE   configuration file (required)
  -h, --help          this help
`,
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { config: { type: 'string', short: 'c' } }, strict: true });
    if (!values.config) {
      io.stderr.write('runbridge validate: --config FILE is required\n');
      return 2;
    }
    try {
      const loaded = await loadConfig(values.config, { env: io.env });
      for (const w of loaded.warnings) io.stderr.write(`warning: ${w.path}: ${w.message}\n`);
      io.stdout.write(
        `${values.config}: valid — ${loaded.runConfigurations.length} run configuration(s), templates: ${loaded.templates.names().join(', ')}\n`,
      );
      return 0;
    } catch (error) {
      if (error instanceof ConfigError) {
        io.stderr.write(`${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
