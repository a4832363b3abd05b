/**
 * A private Handlebars environment (never the global instance) with runbridge's helpers and the
 * internal slot helper. `log` is removed: templates do not write to the console.
 */
import Handlebars from 'handlebars';
import { TEMPLATE_HELPERS } from './helpers/template-helpers.ts';
import { SLOT_HELPER, slotHelper } from './slot-helper.ts';

export interface TemplateEnvironment {
  readonly handlebars: typeof Handlebars;
  /** Every helper name the environment knows, built-ins included. */
  readonly helperNames: ReadonlySet<string>;
}

export function createTemplateEnvironment(): TemplateEnvironment {
  const handlebars = Handlebars.create();
  handlebars.unregisterHelper('log');
  for (const [name, helper] of Object.entries(TEMPLATE_HELPERS)) handlebars.registerHelper(name, helper);
  handlebars.registerHelper(SLOT_HELPER, slotHelper);
  return { handlebars, helperNames: new Set(Object.keys(handlebars.helpers)) };
}
