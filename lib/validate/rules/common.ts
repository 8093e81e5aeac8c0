import { isDnsLabel, isDnsSubdomain, isLabelValue, labelKeyProblem } from '../names';
import { isObject } from '../pods';
import { Finding, KubeObject } from '../problem';
import { parseQuantity, QUANTITY_SYNTAX } from '../quantity';

/**
 * What the rule files share: the way they report, the apimachinery validators they all call
 * (k8s.io/apimachinery pkg/util/validation, pkg/apis/meta/v1/validation), and the texts that
 * say what is allowed.
 */

/**
 * Reports one finding. `before`: the finding holds only for Kubernetes versions before this
 * one (`1.32`), a rule a later version relaxed.
 */
export type Add = (path: string, message: string, allowed: string, severity?: 'warning', before?: string) => void;

/** Collects findings through an Add, with the version each holds before, if any. */
export function collector(): { findings: Finding[]; add: Add; before: Map<Finding, string> } {
  const findings: Finding[] = [];
  const before = new Map<Finding, string>();
  const add: Add = (path, message, allowed, severity, until) => {
    const finding: Finding = severity ? { path, message, allowed, severity } : { path, message, allowed };
    findings.push(finding);
    if (until !== undefined) before.set(finding, until);
  };
  return { findings, add, before };
}

export const SUBDOMAIN_RULE = 'a DNS-1123 subdomain: at most 253 characters of a-z 0-9 - ., starting and ending with a-z or 0-9';
export const LABEL_RULE = 'a DNS-1123 label: at most 63 characters of a-z 0-9 -, starting and ending with a-z or 0-9';
export const DNS1035_RULE = 'a DNS-1035 label: at most 63 characters of a-z 0-9 -, starting with a-z, ending with a-z or 0-9';
export const PORT_NAME_RULE = 'an IANA service name: at most 15 characters of a-z 0-9 -, with at least one letter, no -- and no - at either end';
export const PATH_SEGMENT_RULE = 'any name except "." and "..", without "/" or "%"';
export const QUALIFIED_NAME_RULE = 'an optional DNS subdomain prefix and "/", then at most 63 characters of A-Z a-z 0-9 - _ ., starting and ending with an alphanumeric';
export const LABEL_VALUE_RULE = 'empty, or at most 63 characters of A-Z a-z 0-9 - _ ., starting and ending with an alphanumeric';

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

// k8s.io/apimachinery pkg/util/validation IsDNS1035Label
export function isDns1035Label(name: string): boolean {
  return name.length <= 63 && DNS1035_LABEL.test(name);
}

// k8s.io/apimachinery pkg/api/validation/path IsValidPathSegmentName: the names of kinds whose
// objects are addressed only by URL path (RBAC, for one), so `system:aggregate-to-edit` is valid.
export function isPathSegmentName(name: string): boolean {
  return name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

// k8s.io/apimachinery pkg/util/validation IsValidPortName
export function isPortName(name: string): boolean {
  return name.length <= 15 && IANA_SVC_NAME.test(name) && /[a-z]/.test(name) && !name.includes('--');
}

/** Whether a value is a whole number (the API's int32/int64 fields). */
export function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

// k8s.io/kubernetes pkg/apis/core/validation ValidateNonnegativeField
export function nonNegative(value: unknown, path: string, add: Add): void {
  if (typeof value === 'number' && value < 0) add(path, `${path.split('.').pop()} is ${value}`, 'a whole number >= 0');
}

// k8s.io/apimachinery pkg/util/validation IsValidPortNum
export function checkPort(value: unknown, path: string, add: Add, what = 'port'): void {
  if (typeof value === 'number' && (!Number.isInteger(value) || value < 1 || value > 65535)) {
    add(path, `${what} ${value} is out of range`, 'a whole number from 1 to 65535');
  }
}

export function checkPortName(name: unknown, path: string, add: Add): void {
  if (typeof name === 'string' && !isPortName(name)) add(path, `port name "${name}" is not valid`, PORT_NAME_RULE);
}

// k8s.io/kubernetes pkg/apis/core/validation ValidatePortNumOrName: an int-or-string port. A
// string is a port name even when it holds digits: `port: "8080"` is refused ("must contain at
// least one letter"), `port: 8080` is not.
export function checkPortNumOrName(port: unknown, path: string, add: Add): void {
  if (typeof port === 'string') {
    if (!isPortName(port)) add(path, `port name "${port}" is not valid${/^\d+$/.test(port) ? ' (a quoted number is a name: write the number unquoted)' : ''}`, PORT_NAME_RULE);
  } else checkPort(port, path, add);
}

/**
 * k8s.io/kubernetes pkg/apis/apps/validation ValidatePositiveIntOrPercent and
 * IsNotMoreThan100Percent: a whole number >= 0, or a percentage (k8s.io/apimachinery IsValidPercent).
 */
export function checkIntOrPercent(value: unknown, path: string, add: Add, max100 = true): void {
  if (typeof value === 'string') {
    const match = /^(\d+)%$/.exec(value);
    if (!match) add(path, `"${value}" is not a number or a percentage`, 'a whole number >= 0, or a percentage such as 25%');
    else if (max100 && Number(match[1]) > 100) add(path, `${value} is more than 100%`, 'at most 100%');
  } else if (typeof value === 'number' && value < 0) {
    add(path, `${path.split('.').pop()} is ${value}`, 'a whole number >= 0, or a percentage such as 25%');
  }
}

/** The value of an int-or-percent the way apps/validation getIntOrPercentValue reads it. */
export function intOrPercentValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const match = /^(\d+)%?$/.exec(value);
    return match ? Number(match[1]) : 0;
  }
  return 0;
}

export function checkQualifiedName(key: string, path: string, what: string, add: Add): void {
  const problem = labelKeyProblem(key);
  if (problem === 'prefix') add(path, `${what} "${key}" has an invalid prefix "${key.slice(0, key.lastIndexOf('/'))}"`, QUALIFIED_NAME_RULE);
  else if (problem === 'name') add(path, `${what} "${key}" is not a qualified name`, QUALIFIED_NAME_RULE);
}

// k8s.io/apimachinery pkg/apis/meta/v1/validation ValidateLabels: keys are qualified names,
// values label values.
export function checkLabels(labels: unknown, path: string, add: Add): void {
  if (!isObject(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    checkQualifiedName(key, `${path}.${key}`, 'label key', add);
    if (typeof value === 'string' && !isLabelValue(value)) add(`${path}.${key}`, `label value "${value}" is not valid`, LABEL_VALUE_RULE);
  }
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

// k8s.io/apimachinery pkg/apis/meta/v1/validation ValidateLabelSelector and
// ValidateLabelSelectorRequirement.
export function checkLabelSelector(selector: unknown, path: string, add: Add): void {
  if (!isObject(selector)) return;
  checkLabels(selector.matchLabels, `${path}.matchLabels`, add);
  (Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []).forEach((e: KubeObject, i: number) => {
    const at = `${path}.matchExpressions[${i}]`;
    if (!isObject(e)) return;
    const values = Array.isArray(e.values) ? e.values : [];
    if (!OPERATORS.includes(e.operator)) add(`${at}.operator`, `"${e.operator}" is not a supported value`, `one of ${OPERATORS.join(', ')}`);
    else if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) {
      add(`${at}.values`, `operator ${e.operator} has no values`, 'at least one value with In and NotIn');
    } else if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) {
      add(`${at}.values`, `operator ${e.operator} has values`, 'no values with Exists and DoesNotExist');
    }
    if (typeof e.key === 'string') checkQualifiedName(e.key, `${at}.key`, 'selector key', add);
    values.forEach((v: unknown, j: number) => {
      if (typeof v === 'string' && !isLabelValue(v)) add(`${at}.values[${j}]`, `label value "${v}" is not valid`, LABEL_VALUE_RULE);
    });
  });
}

/** Whether a label selector has neither labels nor expressions. */
export function isEmptySelector(selector: KubeObject): boolean {
  const labels = isObject(selector.matchLabels) ? Object.keys(selector.matchLabels).length : 0;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.length : 0;
  return labels + expressions === 0;
}

/** Reports a value outside a fixed set (field.NotSupported). */
export function checkEnum(value: unknown, values: readonly string[], path: string, add: Add): void {
  if (value === undefined || value === null) return;
  if (!values.includes(value as string)) add(path, `"${value}" is not a supported value`, `one of ${values.join(', ')}`);
}

/** Reports a name that fails a name rule. */
export function checkName(name: unknown, path: string, what: string, rule: 'label' | 'subdomain' | 'dns1035' | 'segment', add: Add): void {
  if (typeof name !== 'string') return;
  const ok = rule === 'label' ? isDnsLabel(name) : rule === 'subdomain' ? isDnsSubdomain(name) : rule === 'dns1035' ? isDns1035Label(name) : isPathSegmentName(name);
  const allowed = rule === 'label' ? LABEL_RULE : rule === 'subdomain' ? SUBDOMAIN_RULE : rule === 'dns1035' ? DNS1035_RULE : PATH_SEGMENT_RULE;
  if (!ok) add(path, `${what} "${name}" is not valid`, allowed);
}

/** A field's string form in messages. */
export function show(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * Whether a text decodes as Go's base64.StdEncoding, which the API server's JSON decoder uses for
 * every []byte field (a Secret's data, a ConfigMap's binaryData, a webhook's caBundle): the
 * standard alphabet, padded to a multiple of 4 with "=", nothing after the padding; line breaks
 * (\r, \n) are skipped, any other space is refused ("illegal base64 data at input byte N").
 */
export function isGoBase64(text: string): boolean {
  const s = text.replace(/[\r\n]/g, '');
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s);
}

export const BASE64_RULE = 'base64 (standard alphabet, padded with = to a multiple of 4 characters, no spaces), e.g. the output of `base64 -w0`';

/** Reports a []byte field whose text is not base64: the API server cannot decode the object. */
export function checkBase64(value: unknown, path: string, what: string, add: Add): void {
  if (typeof value === 'string' && !isGoBase64(value)) add(path, `${what} is not base64: the API server cannot decode the object`, BASE64_RULE);
}

/**
 * A resource.Quantity field (k8s.io/apimachinery pkg/api/resource): one that does not parse is
 * refused when the object is decoded ("quantities must match the regular expression ..."), and
 * `min` is what the field's validation adds (core ValidateNonnegativeQuantity, validateBasicResource's "> 0").
 * Returns the value, or undefined when it does not parse.
 */
export function checkQuantity(value: unknown, path: string, add: Add, min: 'any' | 'nonnegative' | 'positive' = 'any'): number | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = parseQuantity(value);
  if (parsed === undefined) {
    add(path, `${JSON.stringify(value)} is not a quantity`, QUANTITY_SYNTAX);
    return undefined;
  }
  if (min === 'nonnegative' && parsed < 0) add(path, `${value} is negative`, 'a quantity >= 0');
  if (min === 'positive' && parsed <= 0) add(path, `${value} is not positive`, 'a quantity > 0');
  return parsed;
}

// The protocol of a container or Service port as the API server validates it: its defaulting
// (pkg/apis/core/v1 SetDefaults_ContainerPort, SetDefaults_Service) makes an empty or missing one TCP.
export function portProtocol(protocol: unknown): unknown {
  return protocol === undefined || protocol === null || protocol === '' ? 'TCP' : protocol;
}
