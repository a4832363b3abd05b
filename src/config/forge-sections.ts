import { forgeSections, type Config, type ForgeName, type WebhookSourceConfig } from './schema.ts';

export const FORGE_NAMES = Object.keys(forgeSections) as readonly ForgeName[];

/** The forge sections a configuration has (one per forge), by name, in the order of `forgeSections`. */
export function configuredForges(config: Config): [ForgeName, WebhookSourceConfig][] {
  return FORGE_NAMES.flatMap((name): [ForgeName, WebhookSourceConfig][] => {
    const section = config[name];
    return section === undefined ? [] : [[name, section]];
  });
}
