/** A configured path as an express route path matched literally: characters with a meaning to express routes are escaped. */
export function literalPath(path: string): string {
  return path.replace(/[{}()[\]+?!:*\\]/g, '\\$&');
}
