/**
 * Kubernetes naming rules (apimachinery's validation.IsDNS1123Label, IsQualifiedName,
 * IsValidLabelValue), each returning what is wrong or undefined.
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Namespaces and run configuration names. */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length > 63) return `must be at most 63 characters (has ${value.length})`;
  if (!DNS1123_LABEL.test(value)) {
    return 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Label and annotation keys: `[prefix/]name`, prefix a DNS-1123 subdomain (≤ 253), name ≤ 63. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'a key has at most one "/" (prefix/name)';
  const name = parts.length === 2 ? (parts[1] ?? '') : key;
  const prefix = parts.length === 2 ? (parts[0] ?? '') : undefined;
  if (prefix !== undefined) {
    if (prefix.length === 0) return 'the prefix before "/" must not be empty';
    if (prefix.length > 253) return `the prefix must be at most 253 characters (has ${prefix.length})`;
    if (!DNS1123_SUBDOMAIN.test(prefix)) return 'the prefix must be a DNS-1123 subdomain (lowercase, e.g. example.com)';
  }
  if (name.length === 0) return 'the name part must not be empty';
  if (name.length > 63) return `the name part must be at most 63 characters (has ${name.length})`;
  if (!QUALIFIED_NAME.test(name)) {
    return 'the name part must consist of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Label values: empty, or ≤ 63 characters of the qualified-name alphabet. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return `a label value must be at most 63 characters (has ${value.length})`;
  if (!QUALIFIED_NAME.test(value)) {
    return 'a label value must consist of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}
