import type * as Cel from '@bufbuild/cel';

/**
 * The API server's cost estimate of a CRD's `x-kubernetes-validations` rules, so that the
 * validator refuses what the server refuses and never runs a rule for seconds.
 *
 * The estimate follows cel-go's checker/cost.go (the `coster`: a select or an identifier costs 1,
 * a constant 0, a comprehension its range's size times its step and condition, `==` on strings a
 * tenth of the shorter's size, `matches` the string's tenth times the pattern's quarter...) with
 * the sizes Kubernetes gives it: k8s.io/apiserver pkg/cel/common/schemas.go SchemaDeclType (a
 * list's size is its maxItems, or what fits in a 3 MiB request given its items' smallest JSON; a
 * string's its maxLength times 4, or 3 MiB), pkg/cel/library/cost.go for the Kubernetes and
 * strings-extension functions, and apiextensions-apiserver pkg/apiserver/schema/cel
 * compilation.go sizeEstimator. A rule's cost is multiplied by how many times it can run
 * (apiextensions validation cel_validation.go MaxCardinality: the maxItems and maxProperties
 * above it, or what fits in a request where one is missing). The limits are
 * apiextensions validation.go's: 10,000,000 a rule (StaticEstimatedCostLimit), 100,000,000 a
 * CRD version (StaticEstimatedCRDCostLimit), and k8s.io/apiserver pkg/apis/cel/config.go's
 * PerCallLimit, 1,000,000, for one evaluation.
 *
 * For one evaluation the same estimate is made with the object's own sizes (its lists' lengths,
 * its strings' lengths): an upper bound of what cel-go's runtime tracker counts, so a rule over
 * it is not run. This is a model of cel-go, not cel-go: test/validate/cel-cost.test.ts compares
 * its verdicts with the real server's, and the shared CRDs (Gateway API, cert-manager, Argo CD,
 * Flux), which the server accepts, stay under the limits.
 */

/** apiextensions validation.go StaticEstimatedCostLimit: one rule's estimated cost. */
export const RULE_COST_LIMIT = 10_000_000;
/** apiextensions validation.go StaticEstimatedCRDCostLimit: all rules of one version's schema. */
export const CRD_COST_LIMIT = 100_000_000;
/** k8s.io/apiserver pkg/apis/cel/config.go PerCallLimit: one evaluation of one rule. */
export const PER_CALL_LIMIT = 1_000_000;
/** k8s.io/apiserver pkg/apis/cel/config.go MaxRequestSizeBytes. */
const MAX_REQUEST = 3 * 1024 * 1024;
const UNKNOWN = 2 ** 64;

export type CostSchema = Record<string, any>;

/** What the estimate knows of a value: its schema where it has one, and its size (elements, runes). */
interface Info {
  readonly schema?: CostSchema;
  readonly size?: number;
  /** The elements' (a list's) or values' (a map's) info, where known without a schema. */
  readonly elem?: Info;
  /** `self` or under it: sizes come from the sizer (schema bounds, or the object's own). */
  readonly path?: readonly PathStep[];
}
type PathStep = string | { readonly items: true } | { readonly keys: true };

/** Sizes by path from `self`: the schema's bounds, or one object's own sizes. */
type Sizer = (path: readonly PathStep[], schema: CostSchema | undefined) => number | undefined;

const ceil = (n: number) => Math.min(UNKNOWN, Math.ceil(n));
const mul = (a: number, b: number) => Math.min(UNKNOWN, a * b);
const add = (...n: number[]) => Math.min(UNKNOWN, n.reduce((s, x) => s + x, 0));

/** SchemaDeclType's MinSerializedSize: the shortest JSON a value of the schema can have. */
export function minSize(schema: CostSchema | undefined): number {
  if (!schema) return 0;
  if (schema['x-kubernetes-int-or-string']) return 1;
  switch (schema.type) {
    case 'array': return 2;
    case 'boolean': return 4;
    case 'number':
    case 'integer': return 1;
    case 'string': return ({ duration: 3, date: 12, 'date-time': 21 } as Record<string, number>)[String(schema.format)] ?? 2;
    case 'object': {
      if (valuesSchema(schema)) return 2;
      let size = 2;
      const required = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
      for (const [name, property] of Object.entries<CostSchema>(schema.properties ?? {})) {
        if (required.has(name) && property.default === undefined && hasType(property)) size += name.length + minSize(property) + 4;
      }
      return size;
    }
    default: return 0;
  }
}

/**
 * A schema's additionalProperties as a schema (a map's values'), if it is one: `additionalProperties:
 * null` is absent to the API server (Go's JSON leaves the *JSONSchemaPropsOrBool nil), so the node is
 * no map, and a boolean is no schema. One rule for the CRD checks (crd.ts) and the cost estimate.
 */
export function valuesSchema<S extends object>(schema: S | undefined): S | undefined {
  const values = (schema as { readonly additionalProperties?: unknown } | undefined)?.additionalProperties;
  return values && typeof values === 'object' ? values as S : undefined;
}

const hasType = (schema: CostSchema) => Boolean(schema.type) || Boolean(schema['x-kubernetes-int-or-string']);

/** SchemaDeclType's MaxElements: the most elements (list, map) or runes (string) a value can have. */
export function maxElements(schema: CostSchema | undefined): number | undefined {
  if (!schema) return undefined;
  if (schema['x-kubernetes-int-or-string']) return typeof schema.maxLength === 'number' ? Math.max(0, schema.maxLength) * 4 : MAX_REQUEST - 2;
  switch (schema.type) {
    case 'array': return typeof schema.maxItems === 'number' ? Math.max(0, schema.maxItems) : Math.floor((MAX_REQUEST - 2) / (minSize(schema.items) + 1));
    case 'object': {
      const values = valuesSchema(schema);
      if (!values) return 0;
      return typeof schema.maxProperties === 'number' ? Math.max(0, schema.maxProperties) : Math.floor((MAX_REQUEST - 2) / (minSize(values) + 6));
    }
    case 'string': {
      const format = String(schema.format);
      if (format === 'duration' || format === 'date-time') return 32;
      if (format === 'date') return 12;
      if (typeof schema.maxLength === 'number') return Math.max(0, schema.maxLength) * (format === 'byte' ? 1 : 4);
      if (format !== 'byte' && Array.isArray(schema.enum) && schema.enum.length) return Math.max(...schema.enum.map((e: unknown) => (typeof e === 'string' ? e.length : 0)));
      return MAX_REQUEST - 2;
    }
    default: return 0;
  }
}

// k8s.io/apiserver pkg/cel escaping.go: a property named by a CEL keyword is `__name__` in a rule,
// and `__`, `.`, `-`, `/` in names are `__underscores__`, `__dot__`, `__dash__`, `__slash__`.
const CEL_KEYWORDS = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);
function unescape(name: string): string {
  const keyword = /^__(.+)__$/.exec(name)?.[1];
  if (keyword && CEL_KEYWORDS.has(keyword)) return keyword;
  return name.replace(/__(underscores|dot|dash|slash)__/g, (_m, word: string) => ({ underscores: '__', dot: '.', dash: '-', slash: '/' } as Record<string, string>)[word]);
}

/** The schema a path step leads to: a property, a list's items, a map's values. */
function childSchema(schema: CostSchema | undefined, step: PathStep): CostSchema | undefined {
  if (!schema) return undefined;
  if (typeof step === 'object') {
    if ('keys' in step) return { type: 'string', maxLength: 0 }; // a map's keys: apiserver cel StringType, MaxElements 0
    if (schema.type === 'array') return schema.items;
    return valuesSchema(schema);
  }
  const name = unescape(step);
  if (schema.properties && Object.hasOwn(schema.properties, name)) return schema.properties[name];
  return valuesSchema(schema);
}

/** The schema as a rule's `self` sees it: a resource root also has apiVersion, kind and metadata.name. */
export function ruleRoot(schema: CostSchema, isResourceRoot: boolean): CostSchema {
  if (!isResourceRoot) return schema;
  const text = { type: 'string' };
  return { ...schema, properties: { ...(schema.properties ?? {}), apiVersion: text, kind: text, metadata: { type: 'object', properties: { name: text, generateName: text } } } };
}

/** Sizes from the schema alone: the static estimate the API server makes when a CRD is written. */
export const schemaSizer: Sizer = (_path, schema) => maxElements(schema);

/** Sizes from one value: the largest size found at the path (lists' lengths, strings' runes, maps' keys). */
export function valueSizer(self: unknown): Sizer {
  return (path) => {
    let values: unknown[] = [self];
    for (const step of path) {
      const next: unknown[] = [];
      for (const value of values) {
        if (value === null || typeof value !== 'object') continue;
        if (typeof step === 'object') {
          if ('keys' in step) next.push(...Object.keys(value));
          else next.push(...(Array.isArray(value) ? value : Object.values(value)));
        } else if (!Array.isArray(value) && Object.hasOwn(value, step)) next.push((value as Record<string, unknown>)[step]);
      }
      values = next;
    }
    let max: number | undefined;
    for (const value of values) {
      const size = typeof value === 'string' ? [...value].length : Array.isArray(value) ? value.length : value && typeof value === 'object' ? Object.keys(value).length : 0;
      max = Math.max(max ?? 0, size);
    }
    return max ?? 0;
  };
}

type Parsed = ReturnType<typeof Cel.parse>;
type Expr = NonNullable<Parsed['expr']>;

/** The estimated maximum cost of a parsed rule whose `self` has this schema. */
export function estimateCost(parsed: Parsed, self: CostSchema, sizer: Sizer = schemaSizer): number {
  const scopes: Map<string, Info>[] = [new Map([['self', { schema: self, path: [] }]])];
  const lookup = (name: string) => {
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i].has(name)) return scopes[i].get(name);
    return undefined;
  };
  const sizeOf = (info: Info): number => {
    if (info.size !== undefined) return info.size;
    if (info.path) {
      const size = sizer(info.path, info.schema);
      if (size !== undefined) return size;
    }
    const type = info.schema?.type;
    if (type === 'integer' || type === 'number' || type === 'boolean') return 1;
    return UNKNOWN;
  };
  const isString = (info: Info) => info.schema?.type === 'string' || info.schema?.['x-kubernetes-int-or-string'] === true;
  const child = (info: Info, step: PathStep): Info => {
    const schema = childSchema(info.schema, step);
    if (!info.path) {
      if (typeof step === 'object' && info.elem) return info.elem;
      return { schema };
    }
    return { schema, path: [...info.path, step] };
  };
  // What a comprehension iterates: a list's items, a map's keys.
  const elemOf = (info: Info): Info => (info.elem ?? child(info, info.schema?.type === 'object' ? { keys: true } : { items: true }));

  // Returns [cost, info of the value].
  const visit = (expr: Expr | undefined): [number, Info] => {
    const kind = expr?.exprKind;
    if (!kind) return [0, {}];
    switch (kind.case) {
      case 'constExpr': {
        const c = kind.value.constantKind;
        const size = c.case === 'stringValue' ? [...c.value].length : c.case === 'bytesValue' ? c.value.length : 1;
        return [0, { size, schema: c.case === 'stringValue' ? { type: 'string' } : undefined }];
      }
      case 'identExpr': return [1, lookup(kind.value.name) ?? {}];
      case 'selectExpr': {
        const [cost, operand] = visit(kind.value.operand);
        // Kubernetes turns off the presence test's cost (apiserver pkg/cel/environment base.go PresenceTestHasCost(false)).
        if (kind.value.testOnly) return [cost, { size: 1 }];
        return [add(cost, 1), child(operand, kind.value.field)];
      }
      case 'listExpr': {
        let cost = 10;
        let elem: Info | undefined;
        for (const element of kind.value.elements) {
          const [c, info] = visit(element);
          cost = add(cost, c);
          elem = elem ? { size: Math.max(sizeOf(elem), sizeOf(info)), schema: elem.schema ?? info.schema } : info;
        }
        return [cost, { size: kind.value.elements.length, elem: elem ?? { size: 0 } }];
      }
      case 'structExpr': {
        let cost = kind.value.messageName ? 40 : 30;
        let elem: Info | undefined;
        for (const entry of kind.value.entries) {
          const [kc] = entry.keyKind.case === 'mapKey' ? visit(entry.keyKind.value) : [0];
          const [vc, info] = visit(entry.value);
          cost = add(cost, kc, vc);
          elem = elem ? { size: Math.max(sizeOf(elem), sizeOf(info)) } : info;
        }
        return [cost, { size: kind.value.entries.length, elem }];
      }
      case 'comprehensionExpr': {
        const comp = kind.value;
        const [rangeCost, range] = visit(comp.iterRange);
        const [initCost, init] = visit(comp.accuInit);
        // A bind (cel.bind): an empty range and a false condition, its result only.
        scopes.push(new Map([[comp.accuVar, init]]));
        const isMap = range.schema?.type === 'object';
        const iter = new Map<string, Info>();
        if (comp.iterVar2) {
          iter.set(comp.iterVar, isMap ? child(range, { keys: true }) : { schema: { type: 'integer' }, size: 1 });
          iter.set(comp.iterVar2, isMap ? child(range, { items: true }) : elemOf(range));
        } else {
          iter.set(comp.iterVar, elemOf(range));
        }
        scopes.push(iter);
        const [condCost] = visit(comp.loopCondition);
        const [stepCost, step] = visit(comp.loopStep);
        scopes.pop();
        const [resultCost, result] = visit(comp.result);
        scopes.pop();
        const count = sizeOf(range);
        const cost = add(rangeCost, initCost, resultCost, mul(count, add(stepCost, condCost)));
        const listLike = comp.accuInit?.exprKind.case === 'listExpr' || comp.accuInit?.exprKind.case === 'structExpr';
        return [cost, listLike ? { size: count, elem: step.elem } : result];
      }
      case 'callExpr': return call(kind.value);
      default: return [0, {}];
    }
  };

  const call = (c: { function: string; target?: Expr; args: Expr[] }): [number, Info] => {
    const fn = c.function;
    if (fn === 'dyn' && c.args.length === 1) {
      const [cost, info] = visit(c.args[0]);
      return [add(1, cost), info];
    }
    const [targetCost, target] = c.target ? visit(c.target) : [0, undefined];
    const visited = c.args.map(visit);
    const args = add(targetCost, ...visited.map(([cost]) => cost));
    const infos = visited.map(([, info]) => info);
    const size = (i: number) => sizeOf(infos[i]);
    const traverse = (n: number, factor = 0.1) => ceil(n * factor);
    switch (fn) {
      case '_&&_':
      case '_||_':
        return [args, { size: 1 }];
      case '_?_:_':
        return [add(visited[0][0], Math.max(visited[1][0], visited[2][0])), infos[1]];
      case '_==_':
      case '_!=_':
        return [add(args, traverse(Math.min(size(0), size(1)))), { size: 1 }];
      case '_<_':
      case '_<=_':
      case '_>_':
      case '_>=_':
        return [add(args, isString(infos[0]) || isString(infos[1]) ? traverse(Math.min(size(0), size(1))) : 1), { size: 1 }];
      case '@in':
        return [add(args, size(1)), { size: 1 }];
      case '_+_': {
        if (isString(infos[0]) || infos[0].elem || infos[0].schema?.type === 'array') {
          const total = add(size(0), size(1));
          return [add(args, traverse(total)), { size: total, schema: infos[0].schema?.type === 'string' ? { type: 'string' } : undefined, elem: infos[0].elem ?? (infos[0].path ? elemOf(infos[0]) : undefined) }];
        }
        return [add(args, 1), { size: 1 }];
      }
      case '_[_]':
        return [add(args, 1), infos[0].elem ?? child(infos[0], { items: true })];
      case 'matches':
      case 'find':
      case 'findAll': {
        const subject = target ? sizeOf(target) : size(0);
        const pattern = target ? size(0) : size(1);
        return [add(args, mul(traverse(add(subject, 1)), traverse(pattern, 0.25))), fn === 'findAll' ? { size: subject, elem: { schema: { type: 'string' }, size: subject } } : { schema: { type: 'string' }, size: subject }];
      }
      case 'contains':
        return [add(args, mul(traverse(target ? sizeOf(target) : 0), traverse(size(0)))), { size: 1 }];
      case 'startsWith':
      case 'endsWith':
        return [add(args, traverse(size(0))), { size: 1 }];
      case 'lowerAscii':
      case 'upperAscii':
      case 'substring':
      case 'trim': {
        const n = target ? sizeOf(target) : 0;
        return [add(args, traverse(n)), { schema: { type: 'string' }, size: n }];
      }
      case 'replace': {
        const n = target ? sizeOf(target) : 0;
        return [add(args, traverse(n, 0.2)), { schema: { type: 'string' }, size: size(1) <= size(0) ? n : UNKNOWN }];
      }
      case 'split': {
        const n = target ? sizeOf(target) : 0;
        return [add(args, traverse(n, 0.2)), { size: n, elem: { schema: { type: 'string' }, size: n } }];
      }
      case 'join': {
        const list = target ? sizeOf(target) : 0;
        const elem = target ? sizeOf(elemOf(target)) : 0;
        const total = add(mul(list, elem), c.args.length ? mul(size(0), Math.max(0, list - 1)) : 0);
        return [add(args, traverse(total)), { schema: { type: 'string' }, size: total }];
      }
      case 'indexOf':
      case 'lastIndexOf':
      case 'isSorted':
      case 'sum':
      case 'max':
      case 'min': {
        if (!target) return [add(args, 1), { size: 1 }];
        if (isString(target)) return [add(args, traverse(sizeOf(target))), { size: 1 }];
        const elem = elemOf(target);
        const per = add(1, isString(elem) ? traverse(sizeOf(elem)) : 0);
        return [add(args, mul(sizeOf(target), per)), { size: 1 }];
      }
      case 'isIP':
      case 'isCIDR':
      case 'cidr':
      case 'ip':
      case 'url':
      case 'quantity':
      case 'isQuantity':
      case 'semver':
      case 'isSemver':
        return [add(args, traverse(target ? sizeOf(target) : size(0))), { size: 1 }];
      case 'size':
        return [add(args, 1), { size: 1, schema: { type: 'integer' } }];
      // Conversions to text and lists have no size cel-go can know; every other function here
      // returns a scalar (a duration, a timestamp, a number, a bool), whose size is 1 (cost.go isScalar).
      case 'string':
      case 'bytes':
      case 'format':
        return [add(args, 1), {}];
      default:
        return [add(args, 1), { size: 1 }];
    }
  };

  return visit(parsed.expr)[0];
}
