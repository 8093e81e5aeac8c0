import { KubeObject, objectId } from '../../../lib/validate/problem';
import type { Case } from './judge';

/**
 * Deterministic mistakes and near-misses made from valid objects: each rule finds the fields it
 * applies to (by name, walking the object) and makes one case per field and variant. The same
 * inputs always give the same cases, in the same order.
 */

type Segment = string | number;
interface Node {
  readonly path: readonly Segment[];
  readonly parent: any;
  readonly key: Segment;
  readonly value: unknown;
}

function* walk(value: unknown, path: Segment[] = [], parent: any = undefined, key: Segment = ''): Generator<Node> {
  if (path.length > 0) yield { path, parent, key, value };
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* walk(value[i], [...path, i], value, i);
  else if (value && typeof value === 'object') for (const k of Object.keys(value)) yield* walk((value as any)[k], [...path, k], value, k);
}

const parentKey = (node: Node, up = 1): Segment | undefined => node.path[node.path.length - 1 - up];
const inMap = (node: Node, name: string) => parentKey(node) === name && typeof node.key === 'string';
const isItemOf = (node: Node, name: string) => typeof parentKey(node) === 'number' && parentKey(node, 2) === name;

/** A rule: which fields, and what to put there (a value, or `undefined` to delete the field). */
interface Rule {
  readonly name: string;
  readonly at: (node: Node) => boolean;
  readonly variants: readonly unknown[];
}

const DELETE = Symbol('delete');
const LONG = (n: number) => 'a'.repeat(n);
const PORT_FIELDS = ['containerPort', 'port', 'targetPort', 'hostPort', 'nodePort'];
const COUNT_FIELDS = ['replicas', 'minReadySeconds', 'revisionHistoryLimit', 'terminationGracePeriodSeconds', 'periodSeconds', 'timeoutSeconds',
  'failureThreshold', 'initialDelaySeconds', 'backoffLimit', 'minReplicas', 'maxReplicas', 'averageUtilization', 'successfulJobsHistoryLimit', 'runAsUser', 'fsGroup'];
const BOOLEAN_FIELDS = ['readOnlyRootFilesystem', 'runAsNonRoot', 'allowPrivilegeEscalation', 'automountServiceAccountToken', 'privileged'];
const isQuantity = (node: Node) => (['requests', 'limits', 'capacity', 'hard'].includes(String(parentKey(node))) && typeof node.key === 'string') || node.key === 'sizeLimit';

const RULES: readonly Rule[] = [
  { name: 'port', at: (n) => PORT_FIELDS.includes(String(n.key)) && typeof n.value === 'number', variants: [0, -1, 65536, 1.5, 'str:'] },
  { name: 'object name', at: (n) => n.path.length === 2 && n.path[0] === 'metadata' && n.key === 'name', variants: ['Bad_Name', 'UPPER', LONG(64), LONG(254), '-lead', 'has.dot', '9digit', 'a:b', DELETE] },
  { name: 'item name', at: (n) => n.key === 'name' && typeof n.value === 'string' && ['containers', 'initContainers', 'volumes', 'volumeMounts'].some((l) => isItemOf(n, l)), variants: ['Bad_Name', LONG(64), '', DELETE] },
  { name: 'port name', at: (n) => n.key === 'name' && typeof n.value === 'string' && isItemOf(n, 'ports'), variants: ['x--y', LONG(16), 'HTTP', '8080', ''] },
  { name: 'label value', at: (n) => (inMap(n, 'labels') || inMap(n, 'matchLabels') || inMap(n, 'selector')) && typeof n.value === 'string', variants: [LONG(64), 'has space', '-lead', '', 5] },
  { name: 'annotation', at: (n) => inMap(n, 'annotations') && n.path.length === 3, variants: [7, LONG(262145)] },
  { name: 'quantity', at: (n) => isQuantity(n) && (typeof n.value === 'string' || typeof n.value === 'number'), variants: ['1.5.5', '-1', '1Gb', '0.5Gi', '1e3', '1E', '1e', '+1', '.5', '5.', ' 1', '1 Gi', 'Inf', '0x10', 1.5, '100m', '1e-3'] },
  { name: 'enum', at: (n) => ['imagePullPolicy', 'restartPolicy', 'protocol', 'dnsPolicy', 'operator', 'pathType', 'policyTypes'].includes(String(n.key)) || (n.key === 'type' && n.path.length === 2), variants: ['lowercase', 'Sometimes'] },
  { name: 'count', at: (n) => COUNT_FIELDS.includes(String(n.key)) && typeof n.value === 'number', variants: [-1, 'str:', 1.5, 2147483648] },
  { name: 'boolean', at: (n) => BOOLEAN_FIELDS.includes(String(n.key)) && typeof n.value === 'boolean', variants: ['true', 1] },
  { name: 'required', at: (n) => ['image', 'selector', 'template', 'containers', 'spec', 'metadata', 'roleRef', 'rules', 'subjects'].includes(String(n.key)) && (n.path.length <= 2 || n.key === 'image'), variants: [DELETE] },
  { name: 'duplicate item', at: (n) => ['ports', 'containers', 'volumes', 'env', 'volumeMounts', 'accessModes'].includes(String(n.key)) && Array.isArray(n.value) && n.value.length > 0, variants: ['dup:'] },
  { name: 'secret value', at: (n) => (inMap(n, 'data') || inMap(n, 'binaryData')) && n.path.length === 2, variants: ['abc', 'aGVs bG8=', 'aGVsbG8', 'aGVsbG8=\n', '***', 'aGk=', 'aGVsbG8=\r\n', 'aGVsbG8=='] },
  { name: 'string type', at: (n) => ['image', 'value', 'mountPath', 'claimName'].includes(String(n.key)) && typeof n.value === 'string', variants: [5, true] },
  { name: 'list type', at: (n) => ['command', 'args', 'verbs'].includes(String(n.key)) && Array.isArray(n.value), variants: ['just-a-string'] },
  { name: 'unknown field', at: (n) => n.key === 'spec' && n.path.length === 1, variants: ['unknown:'] },
];

function variantValue(variant: unknown, old: unknown): unknown {
  if (variant === 'str:') return String(old);
  if (variant === 'lowercase') return typeof old === 'string' ? old.toLowerCase() : old;
  if (variant === 'dup:') return Array.isArray(old) ? [...old, structuredClone(old[0])] : old;
  if (variant === 'unknown:') return { ...(old as object), replicaz: 1 };
  return variant;
}

function show(variant: unknown): string {
  if (variant === DELETE) return 'deleted';
  const text = JSON.stringify(variant) ?? String(variant);
  return text.length > 40 ? `${text.slice(0, 20)}... (${text.length} characters)` : text;
}

/** The mutations of each object, at most `perRule` fields per rule and object. */
export function mutations(objects: readonly KubeObject[], perRule = 2): Case[] {
  const cases: Case[] = [];
  const seen = new Set<string>();
  for (const object of objects) {
    const nodes = [...walk(object)];
    for (const rule of RULES) {
      const matching = nodes.filter((n) => rule.at(n)).slice(0, perRule);
      for (const node of matching) {
        for (const variant of rule.variants) {
          const copy = structuredClone(object);
          let parent: any = copy;
          for (const segment of node.path.slice(0, -1)) parent = parent[segment];
          const value = variantValue(variant, parent[node.key]);
          if (variant === DELETE) {
            if (Array.isArray(parent)) continue;
            delete parent[node.key];
          } else {
            if (value === parent[node.key]) continue;
            parent[node.key] = value;
          }
          const key = JSON.stringify(copy);
          if (seen.has(key)) continue;
          seen.add(key);
          cases.push({ label: `mutation of ${objectId(object)}: ${rule.name} ${node.path.join('.')} = ${show(variant)}`, object: copy });
        }
      }
    }
  }
  return cases;
}
