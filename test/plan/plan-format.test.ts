import { formatPlan, KubeObject, planChanges, planExitCode } from '../../lib/plan/plan';

// lib/plan/plan.ts on its own: planChanges, formatPlan and planExitCode with the odd inputs a
// compared folder may hold (objects without metadata, names that collide, kinds that are not the
// app's). The app's own transitions are in plan.test.ts.

const configMap = (name: string, namespace?: string, data: KubeObject = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) }, data });
const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const budget = (name: string, ns: string): KubeObject => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: ns }, spec: { maxUnavailable: 1, selector: { matchLabels: { component: 'web' } } } });
const closeCommand = (o: KubeObject) => `npm run close-preview -- ${o.metadata.name}`;

describe('planChanges', () => {
  test('an added, a removed and a changed object: each once, added and removed with no paths', () => {
    const plan = planChanges([configMap('gone'), configMap('same', undefined, { k: 'a' })], [configMap('new'), configMap('same', undefined, { k: 'b' })]);
    expect(plan.changes).toEqual([
      { change: '-', object: 'ConfigMap/gone', paths: [] },
      { change: '+', object: 'ConfigMap/new', paths: [] },
      { change: '~', object: 'ConfigMap/same', paths: ['data.k (value hidden)'] },
    ]);
    expect(plan.warnings).toEqual([]);
    expect(plan.kept).toEqual([]);
  });

  test('two objects shown alike (same kind and name, another API group) are listed added before removed', () => {
    const old: KubeObject = { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'web' } };
    const next: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' } };
    expect(formatPlan(planChanges([old], [next]))).toEqual(['+ Ingress/web', '- Ingress/web']);
  });

  test('objects that left but are not deleted are kept, sorted by name', () => {
    const plan = planChanges([configMap('b'), configMap('c'), configMap('a')], [], { pruned: (o) => o.metadata.name === 'c' });
    expect(plan.kept).toEqual(['ConfigMap/a', 'ConfigMap/b']);
    expect(plan.changes).toEqual([{ change: '-', object: 'ConfigMap/c', paths: [] }]);
  });

  test('objects removed inside a namespace that stays are warned about, whatever other object of that name goes', () => {
    // A ConfigMap named like the budget's namespace goes too: only a Namespace that goes closes what is in it.
    const plan = planChanges([configMap('shop', 'shop'), budget('web', 'shop')], []);
    expect(formatPlan(plan)).toEqual([
      '- ConfigMap/shop (shop)',
      '- PodDisruptionBudget/web (shop)',
      '! dip PodDisruptionBudget/web (shop): the disruption budget goes: a node drain may evict every pod of component=web at once',
    ]);
    // With its Namespace gone, the budget goes with it: no warning of its own.
    expect(formatPlan(planChanges([namespace('shop'), budget('web', 'shop')], [])).filter((l) => l.startsWith('!'))).toEqual([]);
  });

  test('only a Namespace that left gets a close line; without a closeCommand, none', () => {
    const before = [namespace('pr-1'), configMap('pr-1'), configMap('x', 'pr-1')];
    expect(planChanges(before, [], { closeCommand }).warnings).toEqual([
      { kind: 'close', object: 'Namespace/pr-1', message: 'left the output; a pruning apply leaves other previews alone, so close it with `npm run close-preview -- pr-1`' },
    ]);
    expect(planChanges(before, []).warnings).toEqual([]);
    // A Namespace that stays gets none either.
    expect(planChanges(before, before, { closeCommand }).warnings).toEqual([]);
  });

  test('objects without metadata (a corrupt file) are named as having no name, never a crash', () => {
    const bare: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace' }, { apiVersion: 'v1', kind: 'ConfigMap' }];
    const plan = planChanges(bare, [], { closeCommand: () => undefined });
    expect(formatPlan(plan)).toEqual(['- ConfigMap/"undefined"', '- Namespace/"undefined"']);
  });
});

describe('formatPlan', () => {
  test('field paths are listed in order, each shortened when long, and every line is escaped whole', () => {
    const long = `k${'x'.repeat(200)}`;
    const before = configMap('c', undefined, { a: '1', [long]: '1', 'evil\u001b[2J': '1' });
    const after = configMap('c', undefined, { a: '2', [long]: '2', 'evil\u001b[2J': '2' });

    const path = `data.${long} (value hidden)`; // 221 characters: its first 127, an ellipsis, its last 32
    const shortLong = `${path.slice(0, 127)}…${path.slice(-32)} (221 characters)`;
    expect(path).toHaveLength(221);
    expect(formatPlan(planChanges([before], [after]))).toEqual([`~ ConfigMap/c: data.a (value hidden), data["evil\\u001b[2J"] (value hidden), ${shortLong}`]);
  });

  test('a warning line: "!", its kind, the object and the message', () => {
    expect(formatPlan({ changes: [], warnings: [{ kind: 'dip', object: 'Deployment/x', message: 'a\u009bb' }] })).toEqual(['! dip Deployment/x: a\\u009bb']);
  });
});

describe('planExitCode', () => {
  test('0 when nothing changes, even with warnings; 1 with any change', () => {
    expect(planExitCode({ changes: [], warnings: [{ kind: 'close', object: 'Namespace/a', message: 'm' }] })).toBe(0);
    expect(planExitCode({ changes: [{ change: '+', object: 'ConfigMap/a', paths: [] }], warnings: [] })).toBe(1);
  });

  test('a folder planned against a copy of itself is no change, even with values that are maps (a corrupt file)', () => {
    const odd = configMap('odd', undefined, { k: { nested: ['v'] } });
    expect(planExitCode(planChanges([odd], [structuredClone(odd)]))).toBe(0);
  });
});
