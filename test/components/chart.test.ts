import * as fs from 'fs';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-27';
import { acceptFinding } from '../../lib/components/accept-finding';
import { MultiK8sChart, MultiK8sChartProps } from '../../lib/components/chart';
import { Scale } from '../../lib/components/scale';
import { profileOf } from '../../lib/program/environments';
import { validate } from '../../lib/validate';
import { containerOf, courseObjects, defaultChart, defaultCharts, defaultItems, defaultObjects, find, podCount, testApp } from '../helpers';
import { renderCharts, validateOptions } from '../../lib/program/synth';

// Read at collection time for the test titles: the course's files, through the yaml package only.
const course = courseObjects();
const key = (o: any) => `${o.kind}/${o.metadata.name}`;
const ourObject = (o: any) => find(defaultObjects(), o.kind, o.metadata.name);

describe('MultiK8sChart', () => {
  test('holds every object of the course\'s k8s/ folder by kind and name, plus only objects of new kinds', () => {
    const ours = defaultObjects();
    expect(ours.map(key)).toEqual(expect.arrayContaining(course.map(key)));
    const courseKinds = new Set(course.map((o) => o.kind));
    const added = ours.filter((o) => !course.some((c) => key(c) === key(o)));
    expect(added.filter((o) => courseKinds.has(o.kind))).toEqual([]);
    expect([...new Set(added.map((o) => o.kind))].sort()).toEqual(['HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'ServiceAccount']);
  });

  test.each(course.filter((o) => o.kind === 'Deployment').map((o) => [key(o), o]))('%s keeps the course\'s immutable selector, replicas, container and ports', (_k, theirs) => {
    const ours = defaultObjects();
    const mine = find(ours, theirs.kind, theirs.metadata.name);
    expect(mine.spec.selector).toEqual(theirs.spec.selector);
    // The course's count, fixed or as the autoscaler's minimum.
    expect(podCount(ours, mine)).toBe(theirs.spec.replicas);
    const [c] = mine.spec.template.spec.containers;
    const [t] = theirs.spec.template.spec.containers;
    expect(c.name).toBe(t.name);
    expect((c.ports ?? []).map((p: any) => p.containerPort)).toEqual((t.ports ?? []).map((p: any) => p.containerPort));
    expect(c.image.split(':')[0]).toBe(t.image.split(':')[0]);
  });

  test.each(course.filter((o) => o.kind === 'Service').map((o) => [key(o), o]))('%s keeps the course\'s type, selector and ports', (_k, theirs) => {
    const mine = ourObject(theirs);
    expect(mine.spec.type).toBe(theirs.spec.type);
    expect(mine.spec.selector).toEqual(theirs.spec.selector);
    expect(mine.spec.ports.map((p: any) => [p.port, p.targetPort])).toEqual(theirs.spec.ports.map((p: any) => [p.port, p.targetPort]));
  });

  test('the claim keeps the course\'s immutable access modes, size and (absent) storage class', () => {
    const theirs = course.find((o) => o.kind === 'PersistentVolumeClaim')!;
    const mine = ourObject(theirs);
    expect(mine.spec.accessModes).toEqual(theirs.spec.accessModes);
    expect(mine.spec.resources).toEqual(theirs.spec.resources);
    expect(mine.spec.storageClassName).toBe(theirs.spec.storageClassName);
  });

  test('the Ingress keeps the course\'s class, annotations, paths and backends', () => {
    const theirs = course.find((o) => o.kind === 'Ingress')!;
    const mine = ourObject(theirs);
    expect(mine.spec.ingressClassName).toBe(theirs.spec.ingressClassName);
    // Besides the course's, ours carry what the validator must know (accept-policy.multi-k8s.dev/...).
    expect(mine.metadata.annotations).toEqual({ ...theirs.metadata.annotations, 'accept-policy.multi-k8s.dev/ingress-tls': expect.any(String) });
    const sort = (paths: any[]) => [...paths].sort((a, b) => a.path.localeCompare(b.path));
    expect(sort(mine.spec.rules[0].http.paths)).toEqual(sort(theirs.spec.rules[0].http.paths));
  });

  test('every object is labelled as part of multi-k8s and managed by cdk8s', () => {
    for (const o of defaultObjects()) {
      expect(o.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'multi-k8s', 'app.kubernetes.io/managed-by': 'cdk8s' });
    }
  });

  test('every README deploy recipe creates each Secret the chart requires before it applies', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const recipes = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).filter((block) => block.includes('kubectl apply -f dist'));
    expect(recipes.length).toBeGreaterThanOrEqual(2);
    for (const recipe of recipes) {
      for (const { secret, key: secretKey } of defaultChart().requiredSecrets) {
        // A preview's namespace is created by the apply, so its Secret comes right after it.
        const previews = recipe.includes('$PREVIEWS');
        const create = recipe.search(new RegExp(`kubectl ${previews ? '-n \\S+ ' : ''}create secret generic ${secret.name} --from-literal ${secretKey}=`));
        expect(create).toBeGreaterThanOrEqual(0);
        if (previews) expect(create).toBeGreaterThan(recipe.indexOf('kubectl apply -f dist'));
        else expect(create).toBeLessThan(recipe.indexOf('kubectl apply -f dist'));
      }
    }
  });

  test('snapshot of the whole output (the facts above are asserted one by one)', () => {
    expect(defaultObjects()).toMatchSnapshot();
  });
});

describe('MultiK8sChart with HOSTS, TLS and ROUTING', () => {
  const COURSE = { HOSTS: 'k8s-multi.com,www.k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' };

  test('the course\'s final app: its ClusterIssuer, Certificate and TLS Ingress by name, and no policy exception', () => {
    const [{ chart }] = defaultCharts(COURSE);
    const objects = defaultObjects(COURSE);
    expect(objects.filter((o) => ['ClusterIssuer', 'Certificate', 'Ingress'].includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`).sort())
      .toEqual(['Certificate/k8s-multi-com-tls', 'ClusterIssuer/letsencrypt-prod', 'Ingress/ingress-service']);
    expect(chart.policyExceptions).toEqual([]);
    expect(chart.certificate).toMatchObject({ secretName: 'k8s-multi-com', hosts: ['k8s-multi.com', 'www.k8s-multi.com'] });
  });

  // Every check, the schema one too: the validator bundles the Gateway API and cert-manager schemas,
  // so no object is skipped as of an unknown kind.
  test.each([
    ['HTTPS through ingress-nginx', COURSE],
    ['HTTPS through a Gateway', { ...COURSE, ROUTING: 'gateway' }],
    ['plain HTTP through a Gateway', { ROUTING: 'gateway' }],
    ['previews through a shared Gateway', { PREVIEWS: 'pr-1,pr-2', ROUTING: 'gateway', GATEWAY: 'infra/shared' }],
    ['previews with the wildcard Secret', { PREVIEWS: 'pr-1,pr-2', PREVIEW_TLS_SECRET: 'preview-wildcard' }],
  ])('%s passes every check with only the exceptions it lists, no object skipped', (_name, env) => {
    const charts = defaultCharts(env);
    const result = validate(renderCharts(charts, 'dist'), validateOptions(charts));
    expect(result.problems).toEqual([]);
    expect(result.skipped.map((item) => `${item.object.kind}/${item.object.metadata.name}`)).toEqual([]);
  });

  test('plain HTTP through a Gateway lists its route as the one [ingress-tls] exception', () => {
    expect(defaultCharts({ ROUTING: 'gateway' })[0].chart.policyExceptions).toEqual([
      { rule: 'ingress-tls', object: 'HTTPRoute/multi-k8s', reason: expect.stringMatching(/^plain HTTP on any host/) },
    ]);
    expect(defaultCharts({ PREVIEWS: 'pr-1' })[0].chart.policyExceptions).toEqual([
      { rule: 'ingress-tls', object: 'Ingress/ingress-service', reason: 'plain HTTP was asked for (no certificate for the hosts)' },
    ]);
  });

  test('the default output is unchanged by the new settings: no cert-manager or Gateway API object', () => {
    expect(defaultItems().map((i) => i.object.apiVersion).filter((v) => /cert-manager|gateway/.test(v))).toEqual([]);
  });

  test('tls without hosts is refused', () => {
    expect(() => new MultiK8sChart(testApp(), 'c', {
      images: { client: 'p/multi-client:t', server: 'p/multi-server:t', worker: 'p/multi-worker:t' }, profile: profileOf('dev'), instance: 'dev', ingressController: { namespace: 'ingress-nginx', podLabels: { a: 'b' } },
      tls: { secretName: 'x' },
    })).toThrow('MultiK8sChart tls without hosts: a certificate names its hosts; allowed is tls only with hosts');
  });
});

describe('MultiK8sChart with its own props', () => {
  const fixed = Scale.fixed(1);
  const chartWith = (props: Partial<MultiK8sChartProps> = {}) => new MultiK8sChart(testApp(), 'c', {
    images: { client: 'acme/multi-client:abc123', server: 'acme/multi-server:abc123', worker: 'acme/multi-worker:abc123' }, instance: 'test', profile: { client: fixed, server: fixed, worker: fixed, availability: false },
    ingressController: { namespace: 'ingress-nginx', podLabels: { app: 'ingress' } }, ...props,
  });
  const IMAGE_TAG_EXCEPTION = 'accept-policy.multi-k8s.dev/image-tag';

  test('a namespace of its own enforces the restricted Pod Security profile', () => {
    const namespace = find(chartWith({ namespace: 'pr-7' }).toJson(), 'Namespace', 'pr-7');
    expect(namespace.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.27' });
    expect(namespace.metadata.namespace).toBeUndefined();
  });

  test('the postgres image given is the one postgres runs', () => {
    expect(containerOf(find(chartWith({ postgresImage: 'postgres:16.4' }).toJson(), 'Deployment', 'postgres-deployment')).image).toBe('postgres:16.4');
  });

  test('the `latest` tag is an accepted image-tag finding on every object with containers, and on nothing else', () => {
    const chart = chartWith({ images: { client: 'acme/multi-client:abc123', server: 'acme/multi-server:latest', worker: 'acme/multi-worker:abc123' } });
    expect(chart.policyExceptions.map((e) => [e.rule, e.object])).toEqual([['ingress-tls', 'Ingress/ingress-service'], ['image-tag', '*']]);
    const objects = chart.toJson();
    const annotated = objects.filter((o) => o.metadata.annotations?.[IMAGE_TAG_EXCEPTION] !== undefined).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(annotated.sort()).toEqual(objects.filter((o) => o.kind === 'Deployment').map((o) => `Deployment/${o.metadata.name}`).sort());
    expect(find(objects, 'Deployment', 'server-deployment').metadata.annotations[IMAGE_TAG_EXCEPTION]).toBe('an app image tagged latest was asked for: images that move under the deployment');
  });

  test('Let\'s Encrypt through the chart\'s own Gateway solves HTTP-01 on that Gateway, in the chart\'s namespace', () => {
    const issuer = find(chartWith({
      namespace: 'shop', hosts: ['shop.example.com'], tls: { letsEncrypt: 'production', email: 'o@example.com' },
      gateway: { className: 'eg', dataPlane: { cidrs: ['10.0.0.0/8'] } },
    }).toJson(), 'ClusterIssuer', 'letsencrypt-prod');
    // The chart's namespace, written out: the Gateway the chart creates lives there.
    expect(issuer.spec.acme.solvers[0].http01.gatewayHTTPRoute.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'multi-k8s', namespace: 'shop', sectionName: 'http' },
    ]);
  });

  test('a commit tag has no image-tag exception', () => {
    const chart = chartWith();
    expect(chart.policyExceptions.map((e) => e.rule)).toStrictEqual(['ingress-tls']);
    expect(chart.toJson().filter((o) => o.metadata.annotations?.[IMAGE_TAG_EXCEPTION] !== undefined)).toEqual([]);
  });

  test('an object that reads the operator\'s whole Secret (envFrom or a volume) is annotated with the key the chart requires', () => {
    const chart = chartWith();
    const pod = (name: string, spec: Record<string, unknown>) => new kplus.k8s.KubeDeployment(chart, name, {
      metadata: { name }, spec: { selector: { matchLabels: { a: name } }, template: { metadata: { labels: { a: name } }, spec: spec as any } },
    });
    pod('env-from', { containers: [{ name: 'c', image: 'x:1', envFrom: [{ secretRef: { name: 'pgpassword' } }] }] });
    pod('volume', { containers: [{ name: 'c', image: 'x:1' }], volumes: [{ name: 'v', secret: { secretName: 'pgpassword' } }] });
    pod('other-secret', { containers: [{ name: 'c', image: 'x:1', envFrom: [{ secretRef: { name: 'other' } }] }] });
    pod('other-key', { containers: [{ name: 'c', image: 'x:1', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'pgpassword', key: 'OTHER' } } }] }] });
    const objects = chart.toJson();
    const annotation = (name: string) => find(objects, 'Deployment', name).metadata.annotations?.['operator-secret.multi-k8s.dev/pgpassword'];
    expect(annotation('env-from')).toBe('PGPASSWORD');
    expect(annotation('volume')).toBe('PGPASSWORD');
    expect(annotation('other-secret')).toBeUndefined();
    // Only the keys the chart requires are the operator's: another key of that Secret is not.
    expect(annotation('other-key')).toBeUndefined();
  });

  test('extend adds objects before the Deployer, which grants them (a cluster-scoped one added after it would stop the synth)', () => {
    const chart = chartWith({
      deployer: { accountNamespace: 'ci' },
      extend: (c) => new kplus.k8s.KubeClusterRole(c, 'Extra', { metadata: { name: 'extra-reader' } }),
    });
    const clusterRole = find(chart.toJson(), 'ClusterRole', 'multi-k8s-deployer-ci');
    expect(clusterRole.rules).toContainEqual(expect.objectContaining({ resources: ['clusterroles'], resourceNames: expect.arrayContaining(['extra-reader']) }));
  });

  test('a finding accepted with acceptFinding is one of the chart\'s policy exceptions, annotated on its object only', () => {
    const chart = chartWith({
      extend: (c) => acceptFinding(new kplus.ConfigMap(c, 'Extra', { metadata: { name: 'extra-config' } }), { check: 'resources', reason: 'a reason' }),
    });
    expect(chart.policyExceptions.map((e) => `${e.rule} ${e.object} ${e.reason}`)).toEqual([
      `ingress-tls Ingress/ingress-service ${chart.policyExceptions[0].reason}`, 'resources ConfigMap/extra-config a reason',
    ]);
    const annotated = chart.toJson().filter((o) => o.metadata.annotations?.['accept-policy.multi-k8s.dev/resources'] !== undefined).map(key);
    expect(annotated).toEqual(['ConfigMap/extra-config']);
  });
});
