/**
 * Every forge runbridge receives webhooks from: one line each, under the name of its config
 * section (src/config/schema.ts `forgeSections`). Adding a forge is a folder under src/sources/
 * with its `WebhookSourceFactory`, a line here and a section there.
 */
import type { ForgeName } from '../../config/schema.ts';
import { githubSource } from '../github/github-source.ts';
import type { WebhookSourceFactory } from './webhook-source.ts';

export const WEBHOOK_SOURCES: Readonly<Record<ForgeName, WebhookSourceFactory>> = {
  github: githubSource,
};

export function isForgeName(name: string): name is ForgeName {
  return Object.hasOwn(WEBHOOK_SOURCES, name);
}
