import * as fs from 'fs';
import * as path from 'path';
import { Cron } from 'cdk8s';
import { AppCronJob } from '../../lib/components/app-cron-job';
import { INSTANCE_LABEL, MultiK8sChart, PART_OF_LABEL } from '../../lib/components/chart';
import { buildApp } from '../../lib/program/app';
import {
  allowlistEntry, applyCommand, closeCommandOf, closePreviewArgs, closePreviewCommand, hasNamespaceMark, OwnershipError, KIND_SAMPLES, NAMESPACE_MARK, openPreviewCommand, planApplyCommand, outputKinds, prunedByApply, pruneAllowlist, pruneScope, pruneSelector, scopeOfObjects,
} from '../../lib/program/ownership';
import { ConfigError } from '../../lib/program/config';
import { parseSelector, selectorMatches } from '../../lib/plan/prune';
import { KubeObject } from '../../lib/validate/problem';
import { config, courseObjects, defaultObjects, find } from '../helpers';

/** Does kubectl's selector match these labels? (k8s.io/apimachinery pkg/labels/selector.go, modelled in lib/plan/prune.ts) */
function matches(labels: Record<string, string> | undefined, selector: string): boolean {
  return selectorMatches(parseSelector(selector), labels);
}

/** The values of every label map an object holds outside its own metadata: selectors, pod templates. */
function innerLabelMaps(node: unknown, at: string[] = []): { path: string; labels: Record<string, string> }[] {
  if (Array.isArray(node)) return node.flatMap((child, i) => innerLabelMaps(child, [...at, String(i)]));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => {
    const here = [...at, key];
    const isMap = (key === 'labels' || key === 'matchLabels') && here.join('.') !== 'metadata.labels';
    return isMap ? [{ path: here.join('.'), labels: value as Record<string, string> }] : innerLabelMaps(value, here);
  });
}

const OUTPUTS: Record<string, NodeJS.ProcessEnv> = { prod: {}, dev: { ENVIRONMENT: 'dev' }, 'previews a,b': { PREVIEWS: 'a,b' } };

describe('ownership labels', () => {
  test.each(Object.entries(OUTPUTS))('every object of %s says, in its metadata, which app and which environment or preview it belongs to', (_name, env) => {
    for (const object of defaultObjects(env)) {
      const expected = env.PREVIEWS ? (object.kind === 'Namespace' ? object.metadata.name : object.metadata.namespace) : (env.ENVIRONMENT ?? 'prod');
      expect({ object: `${object.kind}/${object.metadata.name}`, partOf: object.metadata.labels?.[PART_OF_LABEL], instance: object.metadata.labels?.[INSTANCE_LABEL] })
        .toEqual({ object: `${object.kind}/${object.metadata.name}`, partOf: 'multi-k8s', instance: expected });
    }
  });

  test('the instance label is in no selector and no pod template; Deployment selectors are the course\'s', () => {
    const objects = defaultObjects();
    for (const object of objects) {
      for (const { path: at, labels } of innerLabelMaps(object)) expect({ object: object.metadata.name, at, instance: labels?.[INSTANCE_LABEL] }).toEqual({ object: object.metadata.name, at, instance: undefined });
    }
    for (const course of courseObjects().filter((o) => o.kind === 'Deployment')) {
      expect(find(objects, 'Deployment', course.metadata.name).spec.selector).toEqual(course.spec.selector);
    }
  });

  test('a preview cannot be named like an environment: its instance label would fall in the main environment\'s prune', () => {
    expect(() => config({ PREVIEWS: 'pr-1,prod' })).toThrow(ConfigError);
    expect(() => config({ PREVIEWS: 'pr-1,prod' })).toThrow('PREVIEWS has "prod", which is an environment\'s name: allowed are names other than prod, dev');
  });
});

describe('the pruning apply\'s scope', () => {
  const environment = pruneSelector({ kind: 'environment' });

  test('the main environment owns both environments\' objects, so a switch prunes the other\'s; no preview\'s', () => {
    expect(environment).toBe('app.kubernetes.io/part-of=multi-k8s,app.kubernetes.io/instance in (dev,prod)');
    for (const object of [...defaultObjects(), ...defaultObjects({ ENVIRONMENT: 'dev' })]) expect(matches(object.metadata.labels, environment)).toBe(true);
    for (const object of defaultObjects({ PREVIEWS: 'a,b' })) expect(matches(object.metadata.labels, environment)).toBe(false);
  });

  test('a previews output owns exactly its previews: applying {b} never selects a\'s objects', () => {
    const onlyB = pruneSelector({ kind: 'previews', names: ['b'] });
    const objects = defaultObjects({ PREVIEWS: 'a,b' });
    expect(objects.filter((o) => matches(o.metadata.labels, onlyB)).map((o) => o.metadata.namespace ?? o.metadata.name)).toEqual(expect.arrayContaining(['b']));
    expect(objects.filter((o) => matches(o.metadata.labels, onlyB) && (o.metadata.namespace ?? o.metadata.name) !== 'b')).toEqual([]);
  });

  test('objects the operator and the controllers create, and other apps\' objects, match no scope', () => {
    const operatorSecret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pgpassword' } };
    const foreign: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', labels: { [PART_OF_LABEL]: 'shop', [INSTANCE_LABEL]: 'prod' } } };
    const replicaSet: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'server-deployment-abc', labels: { component: 'server', [PART_OF_LABEL]: 'multi-k8s' } } };
    for (const object of [operatorSecret, foreign, replicaSet]) {
      expect(matches(object.metadata.labels, environment)).toBe(false);
      expect(matches(object.metadata.labels, pruneSelector({ kind: 'previews', names: ['a'] }))).toBe(false);
    }
    // Not even of a listed kind: kubectl would not look at them.
    expect(pruneAllowlist()).not.toContain('core/v1/Secret');
    expect(pruneAllowlist()).not.toContain('apps/v1/ReplicaSet');
    expect(pruneAllowlist()).not.toContain('core/v1/Pod');
  });

  test('each scope\'s allowlist names every kind its outputs emit: the main environment both environments\' (HPA among them), previews a preview\'s (Namespace among them)', () => {
    const environments = new Set([...defaultObjects(), ...defaultObjects({ ENVIRONMENT: 'dev' })].map(allowlistEntry));
    const previews = new Set(defaultObjects({ PREVIEWS: 'a' }).map(allowlistEntry));
    expect(pruneAllowlist('environment')).toEqual([...environments].sort());
    expect(pruneAllowlist('previews')).toEqual([...previews].sort());
    expect(pruneAllowlist()).toEqual([...new Set([...environments, ...previews])].sort());
    expect(pruneAllowlist('environment')).toEqual(expect.arrayContaining(['autoscaling/v2/HorizontalPodAutoscaler', 'policy/v1/PodDisruptionBudget']));
    expect(pruneAllowlist('previews')).toContain('core/v1/Namespace');
    expect(KIND_SAMPLES).toEqual(expect.arrayContaining([{ ENVIRONMENT: 'prod' }, { ENVIRONMENT: 'dev' }]));
  });

  test('a scope lists no kind its outputs cannot hold: each listed kind is a LIST its deployer must be allowed', () => {
    // The main environment's namespace is the one kubectl applies to: it never emits a Namespace,
    // and a listed Namespace would be a cluster-wide LIST; previews run dev's profile.
    expect(pruneAllowlist('environment')).not.toContain('core/v1/Namespace');
    expect(pruneAllowlist('previews')).not.toContain('autoscaling/v2/HorizontalPodAutoscaler');
    expect(pruneAllowlist('previews')).not.toContain('policy/v1/PodDisruptionBudget');
  });

  test('an output adds the kinds of its objects in the apply\'s scope, but never an RBAC kind nor another scope\'s', () => {
    const https = defaultObjects({ HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com', DEPLOYER: 'ci', DEPLOYER_NAMESPACE: 'multi-k8s' });
    const { allowlist } = pruneScope({ kind: 'environment' }, [https]);
    expect(allowlist).toEqual(expect.arrayContaining(['cert-manager.io/v1/Certificate', 'cert-manager.io/v1/ClusterIssuer']));
    expect(allowlist.filter((entry) => entry.startsWith('rbac.authorization.k8s.io/'))).toEqual([]);
    // The previews that an apply of the main environment replaces are not its to prune: their Namespace adds no cluster-wide LIST.
    expect(pruneScope({ kind: 'environment' }, [defaultObjects({ PREVIEWS: 'a', ROUTING: 'gateway' })]).allowlist).toEqual(pruneAllowlist('environment'));
    expect(outputKinds({ kind: 'previews', names: ['a'] }, defaultObjects({ PREVIEWS: 'a,b', ROUTING: 'gateway' })).filter((k) => k.startsWith('gateway'))).toContain('gateway.networking.k8s.io/v1/HTTPRoute');
  });

  test('the scope is read from an output\'s instance labels', () => {
    expect(scopeOfObjects(defaultObjects({ ENVIRONMENT: 'dev' }))).toEqual({ kind: 'environment' });
    expect(scopeOfObjects(defaultObjects({ PREVIEWS: 'b,a' }))).toEqual({ kind: 'previews', names: ['a', 'b'] });
    expect(() => scopeOfObjects([...defaultObjects(), ...defaultObjects({ PREVIEWS: 'a' })])).toThrow('the output mixes environments (prod) and previews');
    expect(() => scopeOfObjects(courseObjects())).toThrow(/has no app.kubernetes.io\/instance label of multi-k8s/);
  });
});

describe('the README\'s deploy commands', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  // A shell line continued with a backslash is one command.
  const lines = readme.replace(/\\\n\s*/g, '').split('\n').map((line) => line.trim());
  // The previews' apply comes after `npm run open-preview -- dist &&`, in the same command.
  const opened = `${openPreviewCommand('dist')} && `;
  const commands = lines.map((line) => (line.startsWith(opened) ? line.slice(opened.length) : line)).filter((line) => line.startsWith('kubectl apply -f dist --prune'));

  test('the main environment\'s command is exactly the apply with prune the code derives', () => {
    expect(commands).toContain(applyCommand({ kind: 'environment' }));
  });

  test('the previews\' command is the same apply over the previews named in $PREVIEWS', () => {
    expect(commands).toContain(applyCommand({ kind: 'previews', names: ['$PREVIEWS'] }));
    // Opened first: the apply alone would adopt a namespace of that name that exists.
    expect(lines).toContain(planApplyCommand({ kind: 'previews', names: ['$PREVIEWS'] }));
    expect(applyCommand({ kind: 'previews', names: ['$PREVIEWS'] })).toContain('"app.kubernetes.io/part-of=multi-k8s,app.kubernetes.io/instance in ($PREVIEWS)"');
  });

  test('every apply with prune in the README lists exactly the kinds its scope can emit', () => {
    expect(commands).toHaveLength(2);
    const listed = (command: string) => [...command.matchAll(/--prune-allowlist=(\S+)/g)].map((m) => m[1]);
    expect(listed(commands.find((c) => c.includes('in (dev,prod)'))!)).toEqual(pruneAllowlist('environment'));
    expect(listed(commands.find((c) => c.includes('in ($PREVIEWS)'))!)).toEqual(pruneAllowlist('previews'));
  });

  test('the README documents the exact close command', () => {
    const command = `\`kubectl ${closePreviewArgs('pr-12').join(' ')}\``;
    expect({ command, documented: readme.replace(/\n/g, ' ').includes(command) }).toEqual({ command, documented: true });
    expect({ command: '`npm run open-preview`', documented: readme.includes('`npm run open-preview') }).toEqual({ command: '`npm run open-preview`', documented: true });
  });
});

describe('closing a preview', () => {
  test('the kubectl delete names the namespace and needs both labels and the mark of its creation', () => {
    expect(closePreviewArgs('pr-12')).toEqual([
      'delete', 'namespace', '-l', `app.kubernetes.io/part-of=multi-k8s,app.kubernetes.io/instance=pr-12,${NAMESPACE_MARK}`, '--field-selector', 'metadata.name=pr-12',
    ]);
  });

  test('the synth never writes the mark: only open-preview\'s creation sets it', () => {
    for (const object of defaultObjects({ PREVIEWS: 'pr-12,pr-13' })) {
      expect(JSON.stringify(object)).not.toContain(NAMESPACE_MARK);
    }
  });

  test('the mark is the namespace\'s own uid, nothing else', () => {
    const uid = '6a1f0c52-1111-4222-8333-944455556666';
    expect(hasNamespaceMark({ metadata: { uid, labels: { [NAMESPACE_MARK]: uid } } })).toBe(true);
    expect(hasNamespaceMark({ metadata: { uid, labels: { [NAMESPACE_MARK]: 'x' } } })).toBe(false);
    expect(hasNamespaceMark({ metadata: { uid, labels: {} } })).toBe(false);
    expect(hasNamespaceMark({ metadata: { labels: { [NAMESPACE_MARK]: '' } } })).toBe(false);
    expect(hasNamespaceMark({ metadata: { uid: '', labels: { [NAMESPACE_MARK]: '' } } })).toBe(false);
  });

  test('the plan offers npm run close-preview only for a Namespace the app made for that preview', () => {
    const namespace = find(defaultObjects({ PREVIEWS: 'pr-12' }), 'Namespace', 'pr-12');
    expect(closeCommandOf(namespace)).toBe('npm run close-preview -- pr-12');
    expect(closeCommandOf({ ...namespace, metadata: { name: 'pr-12', labels: { [PART_OF_LABEL]: 'other', [INSTANCE_LABEL]: 'pr-12' } } })).toBeUndefined();
    expect(closeCommandOf({ ...namespace, metadata: { name: 'pr-12', labels: { [PART_OF_LABEL]: 'multi-k8s', [INSTANCE_LABEL]: 'pr-13' } } })).toBeUndefined();
  });

  test('the previews\' apply the plan prints opens them first, in the same command; the main environment\'s is the apply alone', () => {
    expect(planApplyCommand({ kind: 'previews', names: ['pr-12'] }, 'out dir')).toBe(`npm run open-preview -- 'out dir' && ${applyCommand({ kind: 'previews', names: ['pr-12'] }, 'out dir')}`);
    expect(planApplyCommand({ kind: 'environment' })).toBe(applyCommand({ kind: 'environment' }));
  });
});

describe('what the apply of a new output deletes of the one before (prunedByApply)', () => {
  const deleted = (before: KubeObject[], after: KubeObject[]) => {
    const pruned = prunedByApply(before, after);
    return before.filter(pruned).map((o) => `${o.kind}/${o.metadata.name}${o.metadata.namespace ? ` (${o.metadata.namespace})` : ''}`).sort();
  };

  test('prod to dev: the autoscalers and budgets, nothing else', () => {
    expect(deleted(defaultObjects(), defaultObjects({ ENVIRONMENT: 'dev' }))).toEqual([
      'HorizontalPodAutoscaler/server-deployment', 'HorizontalPodAutoscaler/worker-deployment',
      ...defaultObjects().filter((o) => o.kind === 'PodDisruptionBudget').map((o) => `PodDisruptionBudget/${o.metadata.name}`),
    ].sort());
  });

  test('the main environment to previews: nothing (the previews\' apply selects only its previews, in their namespaces)', () => {
    expect(deleted(defaultObjects(), defaultObjects({ PREVIEWS: 'pr-1' }))).toEqual([]);
  });

  test('previews to the main environment, or a preview dropped: nothing (a preview is closed, not pruned)', () => {
    expect(deleted(defaultObjects({ PREVIEWS: 'pr-1' }), defaultObjects())).toEqual([]);
    expect(deleted(defaultObjects({ PREVIEWS: 'pr-1,pr-2' }), defaultObjects({ PREVIEWS: 'pr-1' }))).toEqual([]);
  });

  test('in a preview, an object that left its output is deleted from its namespace', () => {
    const after = defaultObjects({ PREVIEWS: 'pr-1,pr-2' }).filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.namespace === 'pr-2'));
    const gone = defaultObjects({ PREVIEWS: 'pr-2' }).filter((o) => o.kind === 'NetworkPolicy').map((o) => `NetworkPolicy/${o.metadata.name} (pr-2)`);
    expect(gone.length).toBeGreaterThan(0);
    expect(deleted(defaultObjects({ PREVIEWS: 'pr-1,pr-2' }), after)).toEqual(gone.sort());
  });

  test('an output this app did not label has no scope', () => {
    expect(() => prunedByApply(defaultObjects(), courseObjects())).toThrow(/has no app.kubernetes.io\/instance label/);
  });

  test('a CronJob of your own taken out of the output: it, its ServiceAccount and its NetworkPolicies, as its kind is listed from the output before', () => {
    const nightly = (chart: MultiK8sChart) => new AppCronJob(chart, 'Nightly', {
      name: 'values-count', schedule: Cron.daily(), image: chart.postgres.image, runAs: { user: 999, group: 999 },
      command: ['psql', '--command', 'select 1'], env: chart.postgres.clientEnv, connectsTo: [chart.postgres],
    });
    const withJob = buildApp(config(), { extend: nightly }).flatMap(({ chart }) => chart.toJson()) as KubeObject[];
    expect(pruneAllowlist('environment')).not.toContain('batch/v1/CronJob');
    expect(pruneScope({ kind: 'environment' }, [withJob]).allowlist).toContain('batch/v1/CronJob');
    expect(deleted(withJob, defaultObjects())).toEqual([
      'CronJob/values-count', 'NetworkPolicy/multi-k8s-values-count-to-postgres-egress', 'NetworkPolicy/multi-k8s-values-count-to-postgres-ingress', 'ServiceAccount/multi-k8s-values-count',
    ]);
  });
});

// Odd objects and inputs the functions above take (issue 21's survivors): a KubeObject is any
// record, so one without metadata, labels, uid or name must get the same answer as one without
// the label looked for, never a TypeError.
describe('ownership on odd objects and inputs', () => {
  const labelled = (kind: string, name: string, instance: string, extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'v1', kind, metadata: { name, labels: { [PART_OF_LABEL]: 'multi-k8s', [INSTANCE_LABEL]: instance }, ...extra },
  });

  test('OwnershipError names itself', () => {
    expect(new OwnershipError('x').name).toBe('OwnershipError');
    expect(() => scopeOfObjects([])).toThrow(expect.objectContaining({ name: 'OwnershipError' }));
  });

  test('an output with no objects has no scope', () => {
    expect(() => scopeOfObjects([])).toThrow(new OwnershipError('the output has no objects'));
  });

  test('an object without metadata, without the instance label, or of another app is refused by name', () => {
    const message = (what: string) => new OwnershipError(`${what} has no app.kubernetes.io/instance label of multi-k8s: synthesize the output with this version (npm run synth)`);
    expect(() => scopeOfObjects([{ apiVersion: 'v1', kind: 'ConfigMap' }])).toThrow(message('ConfigMap/"undefined"'));
    expect(() => scopeOfObjects([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { [PART_OF_LABEL]: 'multi-k8s' } } }])).toThrow(message('ConfigMap/c'));
    expect(() => scopeOfObjects([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { [PART_OF_LABEL]: 'shop', [INSTANCE_LABEL]: 'prod' } } }])).toThrow(message('ConfigMap/c'));
  });

  test('an object whose metadata or labels change between reads (a live view) is refused, never a TypeError', () => {
    let metadataReads = 0;
    const vanishingMetadata = {
      apiVersion: 'v1', kind: 'ConfigMap',
      get metadata() { metadataReads += 1; return metadataReads === 1 ? { name: 'c', labels: { [PART_OF_LABEL]: 'multi-k8s', [INSTANCE_LABEL]: 'a' } } : undefined; },
    };
    expect(() => scopeOfObjects([vanishingMetadata])).toThrow(OwnershipError);
    let labelReads = 0;
    const vanishingLabels = {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'c', get labels() { labelReads += 1; return labelReads === 1 ? { [PART_OF_LABEL]: 'multi-k8s', [INSTANCE_LABEL]: 'a' } : undefined; } },
    };
    expect(() => scopeOfObjects([vanishingLabels])).toThrow(OwnershipError);
    let namespaceReads = 0;
    const uid = '6a1f0c52-1111-4222-8333-944455556666';
    const vanishingNamespace = { apiVersion: 'v1', kind: 'Namespace', get metadata() { namespaceReads += 1; return namespaceReads === 1 ? { uid } : undefined; } };
    expect(hasNamespaceMark(vanishingNamespace)).toBe(false);
  });

  test('an output mixing both environments and a preview names both environments', () => {
    expect(() => scopeOfObjects([labelled('ConfigMap', 'a', 'prod'), labelled('ConfigMap', 'b', 'dev'), labelled('ConfigMap', 'c', 'pr-1')]))
      .toThrow(new OwnershipError('the output mixes environments (dev, prod) and previews: synthesize one or the other'));
  });

  test('the previews\' selector lists them sorted, whatever order they are given in', () => {
    expect(pruneSelector({ kind: 'previews', names: ['pr-2', 'pr-10', 'a'] })).toBe('app.kubernetes.io/part-of=multi-k8s,app.kubernetes.io/instance in (a,pr-10,pr-2)');
  });

  test('the allowlist of a scope is derived once: later calls give the same list', () => {
    expect(pruneAllowlist('previews')).toBe(pruneAllowlist('previews'));
    expect(pruneAllowlist()).toBe(pruneAllowlist());
  });

  test('objects without metadata add no kind and are pruned by no apply', () => {
    const bare: KubeObject = { apiVersion: 'v1', kind: 'Namespace' };
    expect(outputKinds({ kind: 'environment' }, [bare, { apiVersion: 'v1', kind: 'ConfigMap' }])).toEqual([]);
    expect(prunedByApply([bare, labelled('ConfigMap', 'gone', 'prod')], [labelled('ConfigMap', 'kept', 'prod')])(bare)).toBe(false);
  });

  test('the model\'s apply runs in namespace default, kubectl\'s when the kubeconfig names none: an object placed there by name is in the apply\'s namespace', () => {
    const explicit = labelled('ConfigMap', 'explicit', 'prod', { namespace: 'default' });
    const elsewhere = labelled('ConfigMap', 'elsewhere', 'prod', { namespace: 'other' });
    const pruned = prunedByApply([explicit, elsewhere, labelled('ConfigMap', 'gone', 'prod')], [labelled('ConfigMap', 'kept', 'prod')]);
    expect(pruned(explicit)).toBe(true);
    expect(pruned(elsewhere)).toBe(false);
    expect(pruned(labelled('ConfigMap', 'gone', 'prod'))).toBe(true);
  });

  test('a selector with no previews is quoted as any other word: only the one naming $PREVIEWS is left to the shell', () => {
    expect(applyCommand({ kind: 'previews', names: [] }, 'dist')).toBe(
      `kubectl apply -f dist --prune -l 'app.kubernetes.io/part-of=multi-k8s,app.kubernetes.io/instance in ()' ${pruneAllowlist('previews').map((k) => `--prune-allowlist=${k}`).join(' ')}`,
    );
  });

  test('a Namespace without a uid, without labels, or without metadata carries no mark', () => {
    expect(hasNamespaceMark({ apiVersion: 'v1', kind: 'Namespace' })).toBe(false);
    expect(hasNamespaceMark({ metadata: {} })).toBe(false);
    expect(hasNamespaceMark({ metadata: { labels: {} } })).toBe(false);
    expect(hasNamespaceMark({ metadata: { uid: '6a1f0c52-1111-4222-8333-944455556666' } })).toBe(false);
  });

  test('no close command for a Namespace without metadata or without a name, even with this app\'s labels', () => {
    expect(closeCommandOf({ apiVersion: 'v1', kind: 'Namespace' })).toBeUndefined();
    expect(closeCommandOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { labels: { [PART_OF_LABEL]: 'multi-k8s' } } })).toBeUndefined();
  });

  test('the close command, and the open command\'s default folder', () => {
    expect(closePreviewCommand('pr-12')).toBe(`kubectl delete namespace -l app.kubernetes.io/part-of=multi-k8s,app.kubernetes.io/instance=pr-12,${NAMESPACE_MARK} --field-selector metadata.name=pr-12`);
    expect(openPreviewCommand()).toBe('npm run open-preview -- dist');
  });
});
