/**
 * A pure function of a string, with the results for recent inputs remembered in two generations:
 * when the current generation is full it becomes the previous one, and an input found there moves
 * back to the current. Inputs that recur on every event (run configuration keys) stay; one-off
 * inputs (event ids) age out. At most 2 × `generationSize` results are kept.
 */
export function rememberRecent(compute: (input: string) => string, generationSize: number): (input: string) => string {
  let current = new Map<string, string>();
  let previous = new Map<string, string>();
  return (input) => {
    let result = current.get(input);
    if (result !== undefined) return result;
    result = previous.get(input) ?? compute(input);
    if (current.size >= generationSize) {
      previous = current;
      current = new Map();
    }
    current.set(input, result);
    return result;
  };
}
