/**
 * A renderer without runbridge's safety, as a floor: Handlebars with the same helpers and no
 * escaping, compiled once. `parseYaml` adds what a renderer must do to hand a manifest on (the text
 * parsed as YAML); without it, only the text is made.
 */
import Handlebars from 'handlebars';
import { parse } from 'yaml';
import { TEMPLATE_HELPERS } from '../../src/render/helpers/template-helpers.ts';

export function naiveRenderer(source: string, options: { parseYaml: boolean } = { parseYaml: true }): (context: object) => unknown {
  const handlebars = Handlebars.create();
  for (const [name, helper] of Object.entries(TEMPLATE_HELPERS)) handlebars.registerHelper(name, helper);
  const template = handlebars.compile(source, { noEscape: true });
  return options.parseYaml ? (context) => parse(template(context)) : (context) => template(context);
}
