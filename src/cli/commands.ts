import { serveCommand } from './serve-command.ts';
import { validateCommand } from './validate-command.ts';
import { renderCommand } from './render-command.ts';
import { statusCommand } from './status-command.ts';
import { triggerCommand } from './trigger-command.ts';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

export interface Command {
  readonly summary: string;
  readonly help: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  serve: serveCommand,
  validate: validateCommand,
  render: renderCommand,
  status: statusCommand,
  trigger: triggerCommand,
};
