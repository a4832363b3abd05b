/**
 * The command registry. Each command's module (and what it imports: the Kubernetes client, NATS,
 * the config loader) loads only when that command runs, so `runbridge --help` starts quickly.
 */
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

export interface CommandEntry {
  readonly summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  serve: {
    summary: 'run the daemon: webhooks, schedules and completion events in, runs out',
    load: async () => (await import('./serve-command.ts')).serveCommand,
  },
  validate: {
    summary: 'check a configuration file: exit 0, or exit 1 listing every problem with its field path',
    load: async () => (await import('./validate-command.ts')).validateCommand,
  },
  render: {
    summary: 'print the runs an event would create, as a YAML stream, without submitting anything',
    load: async () => (await import('./render-command.ts')).renderCommand,
  },
  schedule: {
    summary: 'print the next slots of each schedule, in UTC and local time, with DST skips and repeats marked',
    load: async () => (await import('./schedule-command.ts')).scheduleCommand,
  },
  status: {
    summary: "show a running daemon's run configurations, last runs, artifacts and unresolved dependencies",
    load: async () => (await import('./status-command.ts')).statusCommand,
  },
  retry: {
    summary: 'process a dead-lettered event again, after its cause was fixed',
    load: async () => (await import('./retry-command.ts')).retryCommand,
  },
  trigger: {
    summary: 'start a run of a run configuration now, through a running daemon',
    load: async () => (await import('./trigger-command.ts')).triggerCommand,
  },
};
