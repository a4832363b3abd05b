/**
 * The CEL environment of a `when` expression: the variables `event`, `git` and `payload` (maps
 * from string to dyn), the standard library, and the strings extension at cel-go's version 2
 * (charAt, indexOf, lastIndexOf, lowerAscii, upperAscii, replace, split, substring, trim, join,
 * format, strings.quote). `matches` is RE2, matched in linear time.
 *
 * @bufbuild/cel evaluates; the overloads in code-point-strings.ts and numeric-functions.ts
 * replace the few where it and cel-go (the reference) give different answers.
 */
import { CelScalar, celEnv, mapType, type CelEnv, type CelType } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { compileRe2 } from '../regex/compile-re2.ts';
import { codePointStringFunctions } from './code-point-strings.ts';
import { numericFunctions } from './numeric-functions.ts';

const MAP_OF_DYN = mapType(CelScalar.STRING, CelScalar.DYN);

export const WHEN_VARIABLES = { event: MAP_OF_DYN, git: MAP_OF_DYN, payload: MAP_OF_DYN } as const;

export type WhenEnvironment = CelEnv<typeof WHEN_VARIABLES>;

export function createCelEnvironment(): WhenEnvironment {
  return createCelEnvironmentWith(WHEN_VARIABLES);
}

/**
 * The same functions and regular expressions with other variables: how the CEL conformance test
 * declares the variables of its cases (`x`, `y`, …) while testing exactly what a `when` runs.
 */
export function createCelEnvironmentWith<const Variables extends Record<string, CelType>>(variables: Variables): CelEnv<Variables> {
  return celEnv({
    variables,
    funcs: [...strings, ...codePointStringFunctions, ...numericFunctions],
    re2: { compile: compileRe2 },
  });
}
