import { fileURLToPath } from 'node:url';

/**
 * `templates/` at the package root. This file sits one level below the root's `src/` (or `dist/`
 * once compiled), so the same relative URL works from both.
 */
export const SHIPPED_TEMPLATES_DIRECTORY = fileURLToPath(new URL('../../templates/', import.meta.url));
