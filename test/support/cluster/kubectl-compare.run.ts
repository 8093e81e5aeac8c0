/**
 * Checks the apply model against kubectl 1.32 itself, for the chart applied over the course's
 * eleven live objects. Not part of `npm test` (it needs kubectl); run by hand:
 *
 *   npx jest --testMatch '**\/*.run.ts' test/support/cluster
 *
 * For each object a throwaway local HTTP server plays the API server: it answers discovery,
 * returns the model's live object, and records the PATCH body `kubectl apply` computes. kubectl
 * falls back to its compiled-in k8s.io/api types for the patch metadata when the server has no
 * OpenAPI, which carry the same patchStrategy tags. The recorded patch is then applied with
 * `kubectl patch --local --type strategic` (the same StrategicMergePatch the API server runs), and
 * the result must equal the model's three-way merge.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { promisify } from 'util';
import { defaultObjects, tempDir } from '../../helpers';
import { Cluster, LAST_APPLIED, sortedJson } from './cluster';
import { courseCluster } from './course';
import { threeWayMerge, withoutNulls } from './merge';

/* eslint-disable @typescript-eslint/no-explicit-any */
const run = promisify(execFile);

const RESOURCES: Record<string, { groupVersion: string; name: string }> = {
  Service: { groupVersion: 'v1', name: 'services' },
  PersistentVolumeClaim: { groupVersion: 'v1', name: 'persistentvolumeclaims' },
  Deployment: { groupVersion: 'apps/v1', name: 'deployments' },
  Ingress: { groupVersion: 'networking.k8s.io/v1', name: 'ingresses' },
};

function discovery(url: string): unknown {
  if (url === '/api') return { kind: 'APIVersions', versions: ['v1'] };
  if (url === '/apis') {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: ['apps/v1', 'networking.k8s.io/v1'].map((gv) => ({ name: gv.split('/')[0], versions: [{ groupVersion: gv, version: 'v1' }], preferredVersion: { groupVersion: gv, version: 'v1' } })) };
  }
  const gv = url.replace(/^\/apis?\//, '');
  const kinds = Object.entries(RESOURCES).filter(([, r]) => r.groupVersion === gv);
  if (kinds.length === 0) return undefined;
  return { kind: 'APIResourceList', groupVersion: gv, resources: kinds.map(([kind, r]) => ({ name: r.name, singularName: kind.toLowerCase(), namespaced: true, kind, verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'] })) };
}

async function kubectlPatch(live: any, manifest: any, dir: string): Promise<any> {
  let patch = '';
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = (req.url ?? '').split('?')[0];
      const send = (code: number, o: unknown) => { res.writeHead(code, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(o)); };
      if (req.method === 'PATCH') { patch = body; return send(200, live); }
      const d = discovery(url);
      if (d) return send(200, d);
      if (req.method === 'GET' && url.endsWith(`/${live.metadata.name}`)) return send(200, live);
      send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server: `http://127.0.0.1:${port}` } }], contexts: [{ name: 'c', context: { cluster: 'c', user: 'u', namespace: 'default' } }], users: [{ name: 'u', user: {} }], 'current-context': 'c' }));
  const manifestFile = path.join(dir, 'manifest.json');
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
  try {
    await run('kubectl', ['apply', '--validate=false', '-f', manifestFile], { env });
  } finally {
    server.close();
  }
  const liveFile = path.join(dir, 'live.json');
  const { resourceVersion: _rv, ...metadata } = live.metadata;
  fs.writeFileSync(liveFile, JSON.stringify({ ...live, metadata }));
  const { stdout } = await run('kubectl', ['patch', '--local', '--type', 'strategic', '-f', liveFile, '-p', patch, '-o', 'json'], { env });
  return JSON.parse(stdout);
}

// What kubectl's typed round trip drops: nulls, empty lists, and zero-valued plain fields.
function comparable(o: any): any {
  return JSON.parse(sortedJson(withoutNulls(o)), (k, v) => (Array.isArray(v) && v.length === 0) || ((k === 'minReadySeconds' || k === 'hostNetwork' || k === 'readOnly') && !v) ? undefined : v);
}

async function expectSameAsKubectl(cluster: Cluster, manifests: readonly any[]): Promise<number> {
  const dir = tempDir();
  let compared = 0;
  for (const manifest of manifests) {
    const live = cluster.get(manifest.kind, manifest.metadata.name);
    if (!live || !RESOURCES[manifest.kind]) continue;
    const byKubectl = await kubectlPatch(live, manifest, dir);
    const modified = structuredClone(manifest);
    modified.metadata.namespace = 'default';
    modified.metadata.annotations = { ...(modified.metadata.annotations ?? {}), [LAST_APPLIED]: byKubectl.metadata.annotations[LAST_APPLIED] };
    const byModel = threeWayMerge(JSON.parse(live.metadata.annotations[LAST_APPLIED]), modified, live, manifest.kind);
    delete byModel.metadata.resourceVersion;
    const id = `${manifest.kind}/${manifest.metadata.name}`;
    expect({ id, result: comparable(byModel) }).toEqual({ id, result: comparable(byKubectl) });
    // The annotation kubectl writes is the model's, byte for byte.
    const withNamespace = { ...structuredClone(manifest), metadata: { ...manifest.metadata, namespace: 'default', annotations: manifest.metadata.annotations ?? {} } };
    expect(byKubectl.metadata.annotations[LAST_APPLIED]).toBe(`${sortedJson(withNamespace)}\n`);
    compared += 1;
  }
  return compared;
}

const chart = (environment: string) => defaultObjects({ ENVIRONMENT: environment });

test.each(['prod', 'dev'])('the chart (%s) over the course: kubectl 1.32 makes the same update as the model', async (environment) => {
  expect(await expectSameAsKubectl(courseCluster(), chart(environment))).toBe(11);
}, 60000);

test('Recreate without rollingUpdate: null over the course: kubectl\'s $retainKeys clears it as the model does', async () => {
  const withoutNull = chart('prod').map((o) => (o.kind === 'Deployment' && o.spec.strategy.type === 'Recreate' ? { ...o, spec: { ...o.spec, strategy: { type: 'Recreate' } } } : o));
  expect(await expectSameAsKubectl(courseCluster(), withoutNull.filter((o) => o.kind === 'Deployment'))).toBe(5);
}, 60000);

test('prod over dev: kubectl drops dev\'s replicas as the model does', async () => {
  const cluster = courseCluster();
  cluster.apply(chart('dev'));
  expect(await expectSameAsKubectl(cluster, chart('prod').filter((o) => o.kind === 'Deployment'))).toBe(5);
}, 60000);

describe('the hand-written cases of the model tests, against kubectl', () => {
  const pod = (containers: any[], volumes: any[] = [], extra: any = {}) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', ...extra },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers, volumes } } },
  });
  const service = (ports: any[], extra: any = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', ...extra }, spec: { selector: { app: 'web' }, ports } });
  const cases: [string, any, (live: any) => void, any][] = [
    ['Service ports merge by port', service([{ port: 80, targetPort: 8080 }, { port: 443 }]), () => undefined, service([{ port: 80, targetPort: 8080, name: 'http' }])],
    ['a volume changes source, a mount loses its subPath, env merges by name', pod([{ name: 'app', image: 'nginx', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], volumeMounts: [{ name: 'a', mountPath: '/a', subPath: 'x' }] }], [{ name: 'a', emptyDir: {} }]), () => undefined,
      pod([{ name: 'app', image: 'nginx', env: [{ name: 'A', value: '3' }], volumeMounts: [{ name: 'a', mountPath: '/a' }] }], [{ name: 'a', persistentVolumeClaim: { claimName: 'c' } }])],
    ['an injected container stays, a dropped one goes', pod([{ name: 'app', image: 'nginx' }, { name: 'old', image: 'busybox' }]), (live) => live.spec.template.spec.containers.push({ name: 'proxy', image: 'proxy' }), pod([{ name: 'app', image: 'nginx:2' }])],
    ['a labels map dropped whole goes whole, other hands\' keys included', service([{ port: 80 }], { labels: { mine: 'yes' } }), (live) => { live.metadata.labels.team = 'a'; }, service([{ port: 80 }])],
    ['an explicit null deletes a defaulted field', pod([{ name: 'app', image: 'nginx' }]), () => undefined, { ...pod([{ name: 'app', image: 'nginx', terminationMessagePath: null }]), spec: { ...pod([{ name: 'app', image: 'nginx', terminationMessagePath: null }]).spec, revisionHistoryLimit: null } }],
  ];
  test.each(cases)('%s', async (_title, before, touch, after) => {
    const cluster = new Cluster();
    cluster.apply([before]);
    touch((cluster as any).live.get(cluster.idOf({ ...before, metadata: { ...before.metadata, namespace: 'default' } })));
    expect(await expectSameAsKubectl(cluster, [after])).toBe(1);
  }, 60000);
});
