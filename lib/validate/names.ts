/**
 * The name rules of k8s.io/apimachinery validation, in one place: the configuration, the
 * constructs and the validator all judge names by them.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** A DNS-1123 label: a-z 0-9 -, alphanumeric at both ends, at most `max` (63) characters. */
export function isDnsLabel(name: string, max = 63): boolean {
  return name.length <= max && DNS1123_LABEL.test(name);
}

/** A DNS-1123 subdomain: dot-separated labels, at most `max` (253) characters. */
export function isDnsSubdomain(name: string, max = 253): boolean {
  return name.length <= max && DNS1123_SUBDOMAIN.test(name);
}

/** The name part of a label or annotation key, and a non-empty label value: at most 63 of A-Z a-z 0-9 - _ . */
export function isQualifiedName(name: string): boolean {
  return name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** What is wrong with a label or annotation key (`[prefix/]name`), or undefined when it is valid. */
export function labelKeyProblem(key: string): 'prefix' | 'name' | undefined {
  const slash = key.lastIndexOf('/');
  if (slash >= 0 && !isDnsSubdomain(key.slice(0, slash))) return 'prefix';
  return isQualifiedName(key.slice(slash + 1)) ? undefined : 'name';
}

/** A label value: empty, or a qualified name. */
export function isLabelValue(value: string): boolean {
  return value === '' || isQualifiedName(value);
}
