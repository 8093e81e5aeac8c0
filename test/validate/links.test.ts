import { validateManifests } from '../../lib/validate';
import { KubeObject } from '../../lib/validate/problem';
import { containerOf, courseObjects, defaultItems, expectOnly, find, NON_POLICY, validateBroken } from '../helpers';

const server = (o: KubeObject[]) => containerOf(find(o, 'Deployment', 'server-deployment'));
const W = 'spec.template.spec.containers[0]';
const path0 = 'spec.rules[0].http.paths[0].backend.service';

const CASES: [string, (o: KubeObject[]) => void, string, string, RegExp][] = [
  ['a Service whose selector matches no pods', (o) => { find(o, 'Service', 'client-cluster-ip-service').spec.selector = { component: 'webb' }; }, 'Service/client-cluster-ip-service', 'spec.selector', /^selector \{"component":"webb"\} selects no pod template in the output$/],
  ['a Service targeting a port name the pods do not have', (o) => { find(o, 'Service', 'client-cluster-ip-service').spec.ports[0].targetPort = 'web'; }, 'Service/client-cluster-ip-service', 'spec.ports[0].targetPort', /^targetPort "web" is not a port of the selected pods/],
  ['an Ingress backend naming a missing Service', (o) => { find(o, 'Ingress', 'ingress-service').spec.rules[0].http.paths[0].backend.service.name = 'client-service'; }, 'Ingress/ingress-service', `spec.rules[0].http.paths[0].backend.service.name`, /^backend Service "client-service" is not in the output$/],
  ['an Ingress backend on a port the Service does not serve', (o) => { find(o, 'Ingress', 'ingress-service').spec.rules[0].http.paths[0].backend.service.port = { number: 80 }; }, 'Ingress/ingress-service', `${path0}.port`, /^port 80 is not a port of Service "client-cluster-ip-service"$/],
  ['a *_HOST variable naming no Service', (o) => { server(o).env[0].value = 'redis'; }, 'Deployment/server-deployment', `${W}.env[0].value`, /^REDIS_HOST="redis" names no Service in the output: the name will not resolve$/],
  ['a claim that is not in the output', (o) => { find(o, 'Deployment', 'postgres-deployment').spec.template.spec.volumes[2].persistentVolumeClaim.claimName = 'database-pvc'; }, 'Deployment/postgres-deployment', 'spec.template.spec.volumes[2].persistentVolumeClaim.claimName', /^claim "database-pvc" is not in the output: the pod stays Pending$/],
  ['a probe on a port name the container does not have', (o) => { server(o).readinessProbe.httpGet.port = 'web'; }, 'Deployment/server-deployment', `${W}.readinessProbe.httpGet.port`, /^probe port "web" is not a port of container "server"$/],
  ['an env name set twice', (o) => { server(o).env.push({ name: 'PGPORT', value: '5432' }); }, 'Deployment/server-deployment', `${W}.env[7].name`, /^environment variable "PGPORT" is set twice; the last one wins silently$/],
  ['a Secret nobody provides', (o) => { server(o).env[6].valueFrom.secretKeyRef.name = 'pg-password'; }, 'Deployment/server-deployment', `${W}.env[6].valueFrom.secretKeyRef`, /^Secret "pg-password" is neither in the output nor required from the operator$/],
  ['a key the operator is not told to create', (o) => { server(o).env[6].valueFrom.secretKeyRef.key = 'PASSWORD'; }, 'Deployment/server-deployment', `${W}.env[6].valueFrom.secretKeyRef`, /^key "PASSWORD" of Secret "pgpassword" is not among the keys the operator is told to create$/],
  ['a key missing from a Secret in the output', (o) => {
    o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'extra' }, data: { a: 'eA==' } });
    server(o).env.push({ name: 'EXTRA', valueFrom: { secretKeyRef: { name: 'extra', key: 'b' } } });
  }, 'Deployment/server-deployment', `${W}.env[7].valueFrom.secretKeyRef`, /^Secret "extra" in the output has no key "b"$/],
  ['a whole Secret loaded from nowhere', (o) => { server(o).envFrom = [{ secretRef: { name: 'app-env' } }]; }, 'Deployment/server-deployment', `${W}.envFrom[0].secretRef.name`, /^Secret "app-env" is neither in the output nor required from the operator$/],
  ['a ConfigMap that is not in the output', (o) => { server(o).env.push({ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'x' } } }); }, 'Deployment/server-deployment', `${W}.env[7].valueFrom.configMapKeyRef.name`, /^ConfigMap "settings" is not in the output$/],
  ['an object defined twice', (o) => { o.push(structuredClone(find(o, 'Service', 'redis-cluster-ip-service'))); }, 'Service/redis-cluster-ip-service', 'metadata.name', /^Service\/redis-cluster-ip-service is defined twice \(first in dist\/multi-k8s.k8s.yaml\)/],
];

describe('links between objects', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(validateBroken(breakIt, NON_POLICY), { check: 'link', object, path, message });
  });

  test('a Service targetPort that the pods do not declare is a warning: undeclared ports still accept connections', () => {
    expectOnly(validateBroken((o) => { find(o, 'Service', 'client-cluster-ip-service').spec.ports[0].targetPort = 3001; }, NON_POLICY), {
      check: 'link', severity: 'warning', object: 'Service/client-cluster-ip-service', path: 'spec.ports[0].targetPort',
      message: 'targetPort 3001 is not a declared port of the selected pods (Deployment/client-deployment): it works only if the container listens there anyway',
    });
  });

  test('a probe on a port number the container does not declare is a warning', () => {
    expectOnly(validateBroken((o) => { server(o).livenessProbe.httpGet.port = 5001; }, NON_POLICY), {
      check: 'link', severity: 'warning', object: 'Deployment/server-deployment', path: `${W}.livenessProbe.httpGet.port`,
      message: 'probe port 5001 is not a declared port of container "server": the probe works only if the container listens there anyway',
    });
  });

  test('optional Secret and ConfigMap references and fully qualified hosts are not required in the output', () => {
    expect(validateBroken((o) => {
      server(o).env.push(
        { name: 'OPTIONAL', valueFrom: { secretKeyRef: { name: 'maybe', key: 'k', optional: true } } },
        { name: 'CACHE_HOST', value: 'redis.other-namespace.svc.cluster.local' },
        { name: 'MAYBE_MAP', valueFrom: { configMapKeyRef: { name: 'maybe', key: 'k', optional: true } } },
      );
    }, NON_POLICY)).toEqual([]);
  });

  test('links resolve within a namespace only', () => {
    const items = defaultItems();
    find(items.map((i) => i.object), 'Service', 'redis-cluster-ip-service').metadata.namespace = 'other';
    const problems = validateManifests(items, { operatorSecrets: [{ name: 'pgpassword', keys: ['PGPASSWORD'] }], checks: NON_POLICY });
    expect(problems.map((p) => `${p.object} ${p.path}`).sort()).toEqual([
      'Deployment/server-deployment spec.template.spec.containers[0].env[0].value',
      'Deployment/worker-deployment spec.template.spec.containers[0].env[0].value',
      'Service/redis-cluster-ip-service spec.selector',
    ]);
  });

  test('without the operator Secret list, the course\'s pgpassword reference is reported', () => {
    const items = courseObjects().map((object) => ({ file: 'k8s', object }));
    const problems = validateManifests(items, { checks: NON_POLICY });
    expect(problems.map((p) => `${p.object}: ${p.message}`)).toEqual([
      'Deployment/postgres-deployment: Secret "pgpassword" is neither in the output nor required from the operator',
      'Deployment/server-deployment: Secret "pgpassword" is neither in the output nor required from the operator',
    ]);
  });
});
