/**
 * A private Handlebars environment (never the global instance) with runbridge's helpers and the
 * internal slot helper. `log` is removed: templates do not write to the console.
 *
 * Handlebars wraps every registered helper again on every render, so a compiled template gets an
 * environment with only the helpers it calls (`only`); the full one is for parsing and checking.
 */
import Handlebars from 'handlebars';
import { TEMPLATE_HELPERS } from './helpers/template-helpers.ts';
import { SLOT_HELPER, slotHelper } from './slot-helper.ts';

export interface TemplateEnvironment {
  readonly handlebars: typeof Handlebars;
  /** Every helper name a template may call, built-ins included (whether registered here or not). */
  readonly helperNames: ReadonlySet<string>;
}

export function createTemplateEnvironment(only?: ReadonlySet<string>): TemplateEnvironment {
  const handlebars = Handlebars.create();
  handlebars.unregisterHelper('log');
  const builtIns = Object.keys(handlebars.helpers);
  for (const [name, helper] of Object.entries(TEMPLATE_HELPERS)) {
    if (only === undefined || only.has(name)) handlebars.registerHelper(name, helper);
  }
  handlebars.registerHelper(SLOT_HELPER, slotHelper);
  return { handlebars, helperNames: new Set([...builtIns, ...Object.keys(TEMPLATE_HELPERS), SLOT_HELPER]) };
}
