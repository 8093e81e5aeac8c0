import { buildApp } from '../../lib/program/app';
import { policyExceptions, renderCharts, validateOptions } from '../../lib/program/synth';
import { validateManifests } from '../../lib/validate';
import { readConfig } from '../../lib/program/config';
import { config, containerOf, parseQuantity, podCount, SHA } from '../helpers';

const render = (env: NodeJS.ProcessEnv) => {
  const charts = buildApp(config(env));
  return { charts, items: renderCharts(charts, 'dist') };
};
const budget = (objects: any[]) => objects.filter((o) => o.kind === 'Deployment').reduce((sum, d) => {
  const { requests } = containerOf(d).resources;
  return { cpu: sum.cpu + podCount(objects, d) * parseQuantity(requests.cpu)!, memory: sum.memory + podCount(objects, d) * parseQuantity(requests.memory)! };
}, { cpu: 0, memory: 0 });

describe('environments', () => {
  test('dev runs one pod of each component, with no autoscaler or disruption budget, and validates clean', () => {
    const { charts, items } = render({ ENVIRONMENT: 'dev' });
    const objects = items.map((i) => i.object);
    expect(objects.filter((o) => o.kind === 'Deployment').map((d) => d.spec.replicas)).toEqual([1, 1, 1, 1, 1]);
    expect(objects.filter((o) => ['HorizontalPodAutoscaler', 'PodDisruptionBudget'].includes(o.kind))).toEqual([]);
    expect(validateManifests(items, validateOptions(charts))).toEqual([]);
  });

  test.each(['dev', 'prod'])('%s fits a 2-CPU minikube: at most 1000m CPU and 1.5Gi memory requested', (environment) => {
    const { cpu, memory } = budget(render({ ENVIRONMENT: environment }).items.map((i) => i.object));
    expect(cpu).toBeLessThanOrEqual(1);
    expect(memory).toBeLessThanOrEqual(1.5 * 2 ** 30);
  });

  test('CLIENT_IMAGE, SERVER_IMAGE, WORKER_IMAGE run as given: latest pulled on every start and a listed exception, a digest once and none', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const { charts, items } = render({
      CLIENT_IMAGE: 'stephengrider/multi-client:latest', SERVER_IMAGE: `ghcr.io/acme/api:latest@${digest}`, WORKER_IMAGE: 'localhost:5000/worker:v3',
    });
    const container = (name: string) => containerOf(items.map((i) => i.object).find((o) => o.kind === 'Deployment' && o.metadata.name === name)!);
    expect(['client-deployment', 'server-deployment', 'worker-deployment'].map((name) => [container(name).image, container(name).imagePullPolicy])).toEqual([
      ['stephengrider/multi-client:latest', 'Always'], [`ghcr.io/acme/api:latest@${digest}`, 'IfNotPresent'], ['localhost:5000/worker:v3', 'IfNotPresent'],
    ]);
    expect(policyExceptions(charts).map((e) => e.rule)).toEqual(['ingress-tls', 'image-tag']);
    expect(validateManifests(items, validateOptions(charts))).toEqual([]);
    const pinned = render({ CLIENT_IMAGE: `a/c@${digest}`, SERVER_IMAGE: `a/s:latest@${digest}`, WORKER_IMAGE: 'a/w:v1' });
    expect(policyExceptions(pinned.charts).map((e) => e.rule)).toEqual(['ingress-tls']);
    expect(validateManifests(pinned.items, validateOptions(pinned.charts))).toEqual([]);
  });

  test('IMAGE_TAG=latest is an explicit, listed policy exception', () => {
    const { charts } = render({ IMAGE_TAG: 'latest' });
    expect(policyExceptions(charts).map((e) => e.rule)).toEqual(['ingress-tls', 'image-tag']);
  });
});

describe('preview environments', () => {
  const names = ['pr-1', 'pr-2', 'pr-3'];
  const previews = () => render({ PREVIEWS: names.join(','), PREVIEW_DOMAIN: 'preview.example.com' });

  test('one complete app per preview, each in its own file and namespace, enforcing the restricted profile', () => {
    const { charts, items } = previews();
    expect(charts.map((c) => c.file)).toEqual(names.map((n) => `preview-${n}.k8s.yaml`));
    for (const name of names) {
      const objects = items.filter((i) => i.file === `dist/preview-${name}.k8s.yaml`).map((i) => i.object);
      expect(objects[0]).toMatchObject({ kind: 'Namespace', metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
      expect(objects[0].metadata.namespace).toBeUndefined();
      expect(objects.slice(1).every((o) => o.metadata.namespace === name)).toBe(true);
      expect(objects.filter((o) => o.kind === 'Deployment').map((d) => d.metadata.name).sort()).toEqual(
        ['client-deployment', 'postgres-deployment', 'redis-deployment', 'server-deployment', 'worker-deployment']);
      const ingress = objects.find((o) => o.kind === 'Ingress')!;
      expect(ingress.spec.rules.map((r: any) => r.host)).toEqual([`${name}.preview.example.com`]);
    }
  });

  test('no two objects collide, and all of it validates clean', () => {
    const { charts, items } = previews();
    const ids = items.map((i) => `${i.object.kind}/${i.object.metadata.namespace}/${i.object.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(validateManifests(items, validateOptions(charts))).toEqual([]);
  });
});

describe('routing and TLS from the configuration', () => {
  test('previews through Gateway API: each namespace gets its own Gateway and route for its host', () => {
    const { items } = render({ PREVIEWS: 'pr-1,pr-2', PREVIEW_DOMAIN: 'preview.example.com', ROUTING: 'gateway' });
    for (const name of ['pr-1', 'pr-2']) {
      const objects = items.filter((i) => i.file === `dist/preview-${name}.k8s.yaml`).map((i) => i.object);
      expect(objects.filter((o) => o.kind === 'Ingress')).toEqual([]);
      expect(objects.find((o) => o.kind === 'Gateway')!.metadata).toMatchObject({ name: 'multi-k8s', namespace: name });
      expect(objects.find((o) => o.kind === 'HTTPRoute')!.spec.hostnames).toEqual([`${name}.preview.example.com`]);
    }
  });

  test('TLS=none with HOSTS: one rule per host, plain HTTP, listed as the [ingress-tls] exception', () => {
    const { charts, items } = render({ HOSTS: 'k8s-multi.com', TLS: 'none' });
    expect(items.filter((i) => i.object.kind === 'Certificate')).toEqual([]);
    expect(items.find((i) => i.object.kind === 'Ingress')!.object.spec.rules.map((r: any) => r.host)).toEqual(['k8s-multi.com']);
    expect(policyExceptions(charts).map((e) => `${e.rule} ${e.object}`)).toEqual(['ingress-tls Ingress/ingress-service']);
  });
});

describe('a setting the synth says does nothing: the output is the same without it', () => {
  const WHOLE = { CLIENT_IMAGE: 'stephengrider/multi-client:latest', SERVER_IMAGE: 'cygnetops/multi-server-pgfix-5-11:latest', WORKER_IMAGE: 'stephengrider/multi-worker:latest' };
  const GATEWAY_PROXIES = { ROUTING: 'gateway', GATEWAY: 'infra/shared', GATEWAY_PROXY_NAMESPACE: 'proxies', GATEWAY_PROXY_LABELS: 'app=proxy', GATEWAY_PROXY_CIDRS: '10.0.0.0/8' };
  const cases: readonly [string, NodeJS.ProcessEnv][] = [
    ['SERVER_REPLICAS_MAX', { GIT_SHA: SHA, ENVIRONMENT: 'dev', SERVER_REPLICAS_MAX: '8' }],
    ['WORKER_REPLICAS_MIN', { GIT_SHA: SHA, PREVIEWS: 'pr-1', WORKER_REPLICAS_MIN: '2' }],
    ['ENVIRONMENT', { GIT_SHA: SHA, PREVIEWS: 'pr-1', ENVIRONMENT: 'prod' }],
    ['PREVIEW_DOMAIN', { GIT_SHA: SHA, PREVIEW_DOMAIN: 'preview.example.com' }],
    ['PREVIEW_TLS_SECRET', { GIT_SHA: SHA, PREVIEW_TLS_SECRET: 'wildcard' }],
    ['GATEWAY_CLASS', { GIT_SHA: SHA, GATEWAY_CLASS: 'istio' }],
    ['GATEWAY_PROXY_NAMESPACE', { GIT_SHA: SHA, GATEWAY_PROXY_NAMESPACE: 'proxies' }],
    ['GATEWAY_PROXY_LABELS', { GIT_SHA: SHA, GATEWAY_PROXY_LABELS: 'app=proxy' }],
    ['GATEWAY_PROXY_CIDRS', { GIT_SHA: SHA, GATEWAY_PROXY_CIDRS: '10.0.0.0/8' }],
    ['INGRESS_CONTROLLER_NAMESPACE', { GIT_SHA: SHA, ROUTING: 'gateway', INGRESS_CONTROLLER_NAMESPACE: 'edge' }],
    ['INGRESS_CONTROLLER_LABELS', { GIT_SHA: SHA, ROUTING: 'gateway', INGRESS_CONTROLLER_LABELS: 'app=x' }],
    ['GATEWAY_CLASS', { GIT_SHA: SHA, ...GATEWAY_PROXIES, GATEWAY_CLASS: 'gke-l7-gxlb' }],
    ['ACME_EMAIL', { GIT_SHA: SHA, ACME_EMAIL: 'ops@k8s-multi.com' }],
    ['DEPLOYER_NAMESPACE', { GIT_SHA: SHA, DEPLOYER: 'ci', DEPLOYER_NAMESPACE: 'multi-k8s' }],
    ['IMAGE_PREFIX', { ...WHOLE, IMAGE_PREFIX: 'ghcr.io/acme' }],
    ['IMAGE_TAG', { ...WHOLE, IMAGE_TAG: 'v1' }],
    ['GIT_SHA', { ...WHOLE, GIT_SHA: SHA }],
    ['GIT_SHA', { IMAGE_TAG: 'v1', GIT_SHA: SHA }],
  ];
  const objects = (env: NodeJS.ProcessEnv) => buildApp(readConfig(env, () => undefined)).flatMap(({ chart }) => chart.toJson());

  test.each(cases)('%s in %j: one warning naming it, and the same objects as without it', (setting, env) => {
    const { [setting]: _given, ...without } = env;
    const warned = readConfig(env, () => undefined).warnings.filter((w) => w.startsWith(`${setting} is set`));
    expect(warned).toHaveLength(1);
    expect(readConfig(without, () => undefined).warnings.filter((w) => w.startsWith(`${setting} is set`))).toEqual([]);
    expect(objects(env)).toEqual(objects(without));
  });
});

describe('buildApp (issue 21 survivors, app.ts)', () => {
  const objectsOf = (env: NodeJS.ProcessEnv) => render(env).items.map((i) => i.object as any);
  /** Every resource the deployer's Roles and ClusterRoles grant a verb on. */
  const granted = (objects: any[], verb: string) => objects
    .filter((o) => ['Role', 'ClusterRole'].includes(o.kind) && o.metadata.labels?.['app.kubernetes.io/component'] === 'deployer')
    .flatMap((o) => o.rules).filter((r: any) => r.verbs.includes(verb)).flatMap((r: any) => r.resources);

  test('SERVER_REPLICAS_MIN/MAX and WORKER_REPLICAS_MIN/MAX reach prod\'s autoscalers', () => {
    const objects = objectsOf({ ENVIRONMENT: 'prod', SERVER_REPLICAS_MIN: '2', SERVER_REPLICAS_MAX: '5', WORKER_REPLICAS_MIN: '3', WORKER_REPLICAS_MAX: '7' });
    const hpa = (target: string) => objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === target).spec;
    expect([hpa('server-deployment'), hpa('worker-deployment')].map((s) => [s.minReplicas, s.maxReplicas])).toEqual([[2, 5], [3, 7]]);
  });

  test('DEPLOYER=ci with PREVIEWS may prune what previews hold (their Namespaces), not an environment\'s autoscalers and budgets', () => {
    const previews = objectsOf({ DEPLOYER: 'ci', PREVIEWS: 'pr-1' });
    expect(previews.filter((o) => ['HorizontalPodAutoscaler', 'PodDisruptionBudget'].includes(o.kind))).toEqual([]);
    const deletable = granted(previews, 'delete');
    expect(deletable).toContain('namespaces');
    expect(deletable.filter((r: string) => ['horizontalpodautoscalers', 'poddisruptionbudgets'].includes(r))).toEqual([]);
    // An environment's deployer: the other way round.
    const environment = granted(objectsOf({ DEPLOYER: 'ci', DEPLOYER_NAMESPACE: 'multi-k8s' }), 'delete');
    expect(environment).toEqual(expect.arrayContaining(['horizontalpodautoscalers', 'poddisruptionbudgets']));
    expect(environment).not.toContain('namespaces');
  });

  test('TLS=letsencrypt-staging issues from Let\'s Encrypt\'s staging server, TLS=letsencrypt from production', () => {
    const issuers = (tls: string) => objectsOf({ HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com', TLS: tls })
      .filter((o) => o.kind === 'ClusterIssuer').map((o) => [o.metadata.name, o.spec.acme.server]);
    expect(issuers('letsencrypt-staging')).toEqual([['letsencrypt-staging', 'https://acme-staging-v02.api.letsencrypt.org/directory']]);
    expect(issuers('letsencrypt')).toEqual([['letsencrypt-prod', 'https://acme-v02.api.letsencrypt.org/directory']]);
  });
});
