import { validateManifests } from '../../lib/validate';
import { checkLinks, OperatorSecret } from '../../lib/validate/links';
import { KubeObject } from '../../lib/validate/problem';
import { containerOf, courseObjects, envIndex, envVar, ExpectedPath, expectOnly, find, NON_POLICY, renderedApp, validateBroken, validateBrokenAt } from '../helpers';
import { breakValid, the, validItems } from '../support/valid-fixtures';

const server = (o: KubeObject[]) => containerOf(find(o, 'Deployment', 'server-deployment'));
/** The web Deployment of the valid fixtures (test/fixtures/valid), and its container. */
const web = (o: KubeObject[]) => the(o, 'Deployment', 'web');
const webContainer = (o: KubeObject[]) => containerOf(web(o));
const W = 'spec.template.spec.containers[0]';
/** Where the server's env var of that name is, in the objects as broken. */
const serverEnv = (name: string, rest: string) => (o: KubeObject[]) => `${W}.env[${envIndex(server(o), name)}]${rest}`;
const path0 = 'spec.rules[0].http.paths[0].backend.service';

const CASES: [string, (o: KubeObject[]) => void, string, ExpectedPath, RegExp][] = [
  ['a Service whose selector matches no pods', (o) => { find(o, 'Service', 'client-cluster-ip-service').spec.selector = { component: 'webb' }; }, 'Service/client-cluster-ip-service', 'spec.selector', /^selector \{"component":"webb"\} selects no pod template in the output$/],
  ['a Service targeting a port name the pods do not have', (o) => { find(o, 'Service', 'client-cluster-ip-service').spec.ports[0].targetPort = 'web'; }, 'Service/client-cluster-ip-service', 'spec.ports[0].targetPort', /^targetPort "web" is not a port of the selected pods/],
  ['an Ingress backend naming a missing Service', (o) => { find(o, 'Ingress', 'ingress-service').spec.rules[0].http.paths[0].backend.service.name = 'client-service'; }, 'Ingress/ingress-service', `spec.rules[0].http.paths[0].backend.service.name`, /^backend Service "client-service" is not in the output$/],
  ['an Ingress backend on a port the Service does not serve', (o) => { find(o, 'Ingress', 'ingress-service').spec.rules[0].http.paths[0].backend.service.port = { number: 80 }; }, 'Ingress/ingress-service', `${path0}.port`, /^port 80 is not a port of Service "client-cluster-ip-service"$/],
  ['a *_HOST variable naming no Service', (o) => { envVar(server(o), 'REDIS_HOST').value = 'redis'; }, 'Deployment/server-deployment', serverEnv('REDIS_HOST', '.value'), /^REDIS_HOST="redis" names no Service in the output: the name will not resolve$/],
  ['a claim that is not in the output', (o) => { find(o, 'Deployment', 'postgres-deployment').spec.template.spec.volumes[2].persistentVolumeClaim.claimName = 'database-pvc'; }, 'Deployment/postgres-deployment', 'spec.template.spec.volumes[2].persistentVolumeClaim.claimName', /^claim "database-pvc" is not in the output: the pod stays Pending$/],
  ['a probe on a port name the container does not have', (o) => { server(o).readinessProbe.httpGet.port = 'web'; }, 'Deployment/server-deployment', `${W}.readinessProbe.httpGet.port`, /^probe port "web" is not a port of container "server"$/],
  ['an env name set twice', (o) => { server(o).env.push({ name: 'PGPORT', value: '5432' }); }, 'Deployment/server-deployment', serverEnv('PGPORT', '.name'), /^environment variable "PGPORT" is set twice; the last one wins silently$/],
  ['a Secret nobody provides', (o) => { envVar(server(o), 'PGPASSWORD').valueFrom.secretKeyRef.name = 'pg-password'; }, 'Deployment/server-deployment', serverEnv('PGPASSWORD', '.valueFrom.secretKeyRef'), /^Secret "pg-password" is neither in the output nor required from the operator$/],
  ['a key the operator is not told to create', (o) => { envVar(server(o), 'PGPASSWORD').valueFrom.secretKeyRef.key = 'PASSWORD'; }, 'Deployment/server-deployment', serverEnv('PGPASSWORD', '.valueFrom.secretKeyRef'), /^key "PASSWORD" of Secret "pgpassword" is not among the keys the operator is told to create$/],
  ['a key missing from a Secret in the output', (o) => {
    o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'extra' }, data: { a: 'eA==' } });
    server(o).env.push({ name: 'EXTRA', valueFrom: { secretKeyRef: { name: 'extra', key: 'b' } } });
  }, 'Deployment/server-deployment', serverEnv('EXTRA', '.valueFrom.secretKeyRef'), /^Secret "extra" in the output has no key "b"$/],
  ['a whole Secret loaded from nowhere', (o) => { server(o).envFrom = [{ secretRef: { name: 'app-env' } }]; }, 'Deployment/server-deployment', `${W}.envFrom[0].secretRef.name`, /^Secret "app-env" is neither in the output nor required from the operator$/],
  ['a ConfigMap that is not in the output', (o) => { server(o).env.push({ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'x' } } }); }, 'Deployment/server-deployment', serverEnv('X', '.valueFrom.configMapKeyRef.name'), /^ConfigMap "settings" is not in the output$/],
  ['an object defined twice', (o) => { o.push(structuredClone(find(o, 'Service', 'redis-cluster-ip-service'))); }, 'Service/redis-cluster-ip-service', 'metadata.name', /^Service\/redis-cluster-ip-service is defined twice \(first in dist\/multi-k8s.k8s.yaml\)/],
];

describe('links between objects', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, expectedPath, message) => {
    const { problems, path } = validateBrokenAt(breakIt, expectedPath, NON_POLICY);
    expectOnly(problems, { check: 'link', object, path, message });
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

  test('a Secret or ConfigMap reference without a name is the API rules\' finding alone: no object named "undefined" is missing', () => {
    const problems = breakValid((o) => {
      webContainer(o).env = [
        { name: 'A', valueFrom: { configMapKeyRef: { key: 'k' } } },
        { name: 'B', valueFrom: { secretKeyRef: { key: 'k', name: null } } },
        { name: 'C', valueFrom: { configMapKeyRef: { key: 'k', name: '' } } },
      ];
    });
    expect(problems.filter((p) => p.check === 'link')).toEqual([]);
    // core validateConfigMapKeySelector / validateSecretKeySelector: the server refuses the name "" (kube-apiserver 1.34.2).
    expect(problems.filter((p) => p.check === 'api').map((p) => p.path)).toEqual([`${W}.env[0].valueFrom.configMapKeyRef.name`, `${W}.env[1].valueFrom.secretKeyRef.name`, `${W}.env[2].valueFrom.configMapKeyRef.name`]);
  });

  test('links resolve within a namespace only', () => {
    const { items } = renderedApp();
    const objects = items.map((i) => i.object);
    find(objects, 'Service', 'redis-cluster-ip-service').metadata.namespace = 'other';
    const problems = validateManifests(items, { operatorSecrets: [{ name: 'pgpassword', keys: ['PGPASSWORD'] }], checks: NON_POLICY });
    const redisHost = (deployment: string) => `Deployment/${deployment} ${W}.env[${envIndex(containerOf(find(objects, 'Deployment', deployment)), 'REDIS_HOST')}].value`;
    expect(problems.map((p) => `${p.object} ${p.path}`).sort()).toEqual([
      redisHost('server-deployment'),
      redisHost('worker-deployment'),
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

describe('env values that name Services (any variable)', () => {
  const add = (name: string, value: string) => (o: KubeObject[]) => { server(o).env.push({ name, value }); };

  test.each([
    ['a typo in a variable not named *_HOST', add('CACHE', 'redis-cluster-ip-servce'), 'CACHE="redis-cluster-ip-servce" names no Service in the output: the name will not resolve; did you mean "redis-cluster-ip-service"?'],
    ['a Service name one letter off', add('QUEUE', 'rediss-cluster-ip-service'), 'QUEUE="rediss-cluster-ip-service" names no Service in the output: the name will not resolve; did you mean "redis-cluster-ip-service"?'],
    ['a Service of the same naming family (-cluster-ip-service) that does not exist', add('STORE', 'cache-cluster-ip-service'), 'STORE="cache-cluster-ip-service" names no Service in the output: the name will not resolve; did you mean "redis-cluster-ip-service"?'],
    ['a URL whose host names no Service', add('API', 'http://server-cluster-ip-svc:5000/api'), 'API="http://server-cluster-ip-svc:5000/api" names no Service in the output: the name will not resolve; did you mean "server-cluster-ip-service"?'],
    ['host:port naming no Service', add('BACKEND', 'postgres-cluster-ip:5432'), 'BACKEND="postgres-cluster-ip:5432" names no Service in the output: the name will not resolve; did you mean "postgres-cluster-ip-service"?'],
    ['a *_HOST variable naming no Service', add('CACHE_HOST', 'memcached'), 'CACHE_HOST="memcached" names no Service in the output: the name will not resolve'],
  ])('%s is reported, and nothing else', (_what, breakIt, message) => {
    const variable = message.slice(0, message.search(/[= ]/));
    const { problems, path } = validateBrokenAt(breakIt, serverEnv(variable, '.value'), NON_POLICY);
    expectOnly(problems, { check: 'link', object: 'Deployment/server-deployment', path, message });
  });

  test('a port from a sibling *_PORT that the Service does not serve is reported', () => {
    const { problems, path } = validateBrokenAt((o) => { envVar(server(o), 'REDIS_PORT').value = '6380'; }, serverEnv('REDIS_HOST', '.value'), NON_POLICY);
    expectOnly(problems, {
      check: 'link', object: 'Deployment/server-deployment', path,
      message: 'REDIS_HOST connects to Service "redis-cluster-ip-service" on port 6380 (from REDIS_PORT), which it does not serve',
    });
  });

  test('a port in a URL that the Service does not serve is reported', () => {
    const { problems, path } = validateBrokenAt(add('CACHE_URL', 'redis://redis-cluster-ip-service:6380/0'), serverEnv('CACHE_URL', '.value'), NON_POLICY);
    expectOnly(problems, {
      check: 'link', object: 'Deployment/server-deployment', path,
      message: 'CACHE_URL connects to Service "redis-cluster-ip-service" on port 6380 (from the value), which it does not serve',
    });
  });

  test.each([
    ['a URL with credentials and a path', 'redis://user:secret@redis-cluster-ip-service:6379/0'],
    ['host:port', 'postgres-cluster-ip-service:5432'],
    ['a plain word that names nothing close', 'production'],
    ['localhost', 'http://localhost:8080'],
    ['an external DNS name', 'https://api.example.com/v1'],
    ['an IP address', '10.0.0.1:5432'],
    ['a JDBC URL', 'jdbc:postgresql://postgres-cluster-ip-service:5432/postgres'],
  ])('%s passes', (_what, value) => {
    expect(validateBroken(add('SETTING', value), NON_POLICY)).toEqual([]);
  });

  test.each([['SERVER', 'false'], ['METRICS_HOST', 'none'], ['LISTEN_ADDR', '8080']])('%s=%s is a switch, not a host', (name, value) => {
    expect(validateBroken(add(name, value), NON_POLICY)).toEqual([]);
  });

  test('an app name given to a tracing agent (DD_SERVICE) is not read as a host', () => {
    expect(validateBroken(add('DD_SERVICE', 'checkout'), NON_POLICY)).toEqual([]);
  });

  test('a JDBC URL is read as a URL', () => {
    const { problems, path } = validateBrokenAt(add('SPRING_DATASOURCE_URL', 'jdbc:postgresql://postgres-cluster-ip-servic:5432/postgres'), serverEnv('SPRING_DATASOURCE_URL', '.value'), NON_POLICY);
    expectOnly(problems, {
      check: 'link', object: 'Deployment/server-deployment', path,
      message: 'SPRING_DATASOURCE_URL="jdbc:postgresql://postgres-cluster-ip-servic:5432/postgres" names no Service in the output: the name will not resolve; did you mean "postgres-cluster-ip-service"?',
    });
  });

  test('cluster DNS names of the same namespace are resolved to their Service', () => {
    expect(breakValid((o) => { webContainer(o).env[0].value = 'postgres://app@db.shop.svc.cluster.local:5432/shop'; })).toEqual([]);
    expectOnly(breakValid((o) => { webContainer(o).env[1].value = 'cashe.shop.svc:6379'; }), {
      check: 'link', object: 'Deployment/web', path: 'spec.template.spec.containers[0].env[1].value',
      message: 'CACHE="cashe.shop.svc:6379" names no Service in the output: the name will not resolve; did you mean "cache"?',
    });
  });
});

describe('autoscaler, disruption budget and StatefulSet links', () => {
  const hpa = (o: KubeObject[]) => the(o, 'HorizontalPodAutoscaler', 'web');

  test('an autoscaler whose target is not in the output', () => {
    expectOnly(breakValid((o) => { hpa(o).spec.scaleTargetRef.name = 'webb'; }), {
      check: 'link', object: 'HorizontalPodAutoscaler/web', path: 'spec.scaleTargetRef', message: 'target Deployment/webb is not in the output: the autoscaler scales nothing',
    });
  });

  test('an autoscaler whose target cannot scale', () => {
    expectOnly(breakValid((o) => { hpa(o).spec.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'log-agent' }; }), {
      check: 'link', object: 'HorizontalPodAutoscaler/web', path: 'spec.scaleTargetRef.kind', message: 'DaemonSet has no scale subresource: the autoscaler cannot scale it',
    });
  });

  test('an autoscaler naming its target in a group that does not serve it', () => {
    expectOnly(breakValid((o) => { hpa(o).spec.scaleTargetRef.apiVersion = 'batch/v1'; }), {
      check: 'link', object: 'HorizontalPodAutoscaler/web', path: 'spec.scaleTargetRef.apiVersion', message: 'apiVersion batch/v1 is not the group of Deployment/web (apps/v1)',
    });
  });

  test('a disruption budget that selects no pods', () => {
    expectOnly(breakValid((o) => { the(o, 'PodDisruptionBudget', 'web').spec.selector.matchLabels.app = 'webb'; }), {
      check: 'link', object: 'PodDisruptionBudget/web', path: 'spec.selector', message: /^selector \{"matchLabels":\{"app":"webb"\}\} selects no pod template in the output: the budget protects nothing$/,
    });
  });

  test('a StatefulSet whose governing Service is missing', () => {
    expectOnly(breakValid((o) => { the(o, 'StatefulSet', 'db').spec.serviceName = 'db-hedless'; }), {
      check: 'link', object: 'StatefulSet/db', path: 'spec.serviceName', message: 'governing Service "db-hedless" is not in the output: the pods get no DNS names',
    });
  });

  test('a StatefulSet whose governing Service is not headless: a warning', () => {
    expectOnly(breakValid((o) => { the(o, 'StatefulSet', 'db').spec.serviceName = 'db'; }), {
      check: 'link', severity: 'warning', object: 'StatefulSet/db', path: 'spec.serviceName', message: 'governing Service "db" is not headless: the pods get no DNS names of their own',
    });
  });
});

describe('what each link finding names as allowed, for the one who fixes it', () => {
  const ALL_SERVICES = 'cache, cache-public, mail, db-headless, db, web';
  test.each([
    ['an object defined twice', (o: KubeObject[]) => { o.push(structuredClone(the(o, 'ConfigMap', 'web-settings'))); }, 'one object per group, kind, namespace and name'],
    ['an env value naming no Service', (o: KubeObject[]) => { webContainer(o).env.push({ name: 'QUEUE_HOST', value: 'queue' }); }, `a Service in the same namespace: ${ALL_SERVICES}`],
    ['an env value on a port the Service does not serve', (o: KubeObject[]) => { webContainer(o).env.push({ name: 'CACHE_URL', value: 'redis://cache:6380' }); }, 'a port of Service "cache": 6379'],
    ['an autoscaler whose target is not in the output', (o: KubeObject[]) => { the(o, 'HorizontalPodAutoscaler', 'web').spec.scaleTargetRef.name = 'webb'; }, 'a workload in the same namespace: Deployment/cache, ReplicaSet/legacy-web, ReplicationController/legacy-worker, StatefulSet/db, Deployment/web'],
    ['an autoscaler in a namespace without workloads', (o: KubeObject[]) => { the(o, 'HorizontalPodAutoscaler', 'web').metadata.namespace = 'empty'; }, 'a workload in the same namespace: none'],
    ['an autoscaler on a DaemonSet', (o: KubeObject[]) => { the(o, 'HorizontalPodAutoscaler', 'web').spec.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'log-agent' }; }, 'Deployment, StatefulSet, ReplicaSet, or a custom resource with a scale subresource'],
    ['an autoscaler naming another group', (o: KubeObject[]) => { the(o, 'HorizontalPodAutoscaler', 'web').spec.scaleTargetRef.apiVersion = 'batch/v1'; }, 'apps/v1'],
    ['a budget that selects no pod', (o: KubeObject[]) => { the(o, 'PodDisruptionBudget', 'web').metadata.namespace = 'empty'; }, 'labels of a workload\'s pods; the output has no pod templates in this namespace'],
    ['a governing Service that is missing', (o: KubeObject[]) => { the(o, 'StatefulSet', 'db').spec.serviceName = 'db-peers'; }, `a headless Service (clusterIP: None) in the same namespace: ${ALL_SERVICES}`],
    ['a governing Service that is not headless', (o: KubeObject[]) => { the(o, 'StatefulSet', 'db').spec.serviceName = 'db'; }, 'clusterIP: None on the governing Service'],
    ['a Service targeting a port name the pods lack', (o: KubeObject[]) => { the(o, 'Service', 'web').spec.ports[0].targetPort = 'web'; }, '8080 or "http"'],
    ['a Service targeting pods that declare no port', (o: KubeObject[]) => { o.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'agent', namespace: 'shop' }, spec: { selector: { app: 'log-agent' }, ports: [{ port: 80 }] } }); }, 'none: the selected pods declare no port'],
    ['an Ingress backend naming a missing Service', (o: KubeObject[]) => { the(o, 'Ingress', 'web').spec.rules[0].http.paths[0].backend.service.name = 'webb'; }, `a Service in the same namespace: ${ALL_SERVICES}`],
    ['an Ingress backend on a port the Service lacks', (o: KubeObject[]) => { the(o, 'Ingress', 'web').spec.rules[0].http.paths[1].backend.service.port = { number: 8080 }; }, '80 or "http"'],
    ['an Ingress backend on a Service without ports', (o: KubeObject[]) => { the(o, 'Ingress', 'web').spec.rules[0].http.paths[1].backend.service = { name: 'db-headless', port: { number: 5432 } }; }, 'none: the Service has no ports'],
    ['a claim that is not in the output', (o: KubeObject[]) => { web(o).spec.template.spec.volumes.push({ name: 'files', persistentVolumeClaim: { claimName: 'files' } }); }, 'a PersistentVolumeClaim in the output: uploads, exports'],
    ['a ConfigMap volume that is not in the output', (o: KubeObject[]) => { web(o).spec.template.spec.volumes.push({ name: 'files', configMap: { name: 'files' } }); }, 'a ConfigMap in the output: web-settings'],
    ['an env name set twice', (o: KubeObject[]) => { webContainer(o).env.push({ name: 'GREETING', value: 'hi' }); }, 'each name once per container'],
    ['a probe port the container lacks', (o: KubeObject[]) => { webContainer(o).readinessProbe.httpGet.port = 'web'; }, '8080 or "http"'],
    ['a probe on a container with no ports', (o: KubeObject[]) => { the(o, 'DaemonSet', 'log-agent').spec.template.spec.containers[0].readinessProbe = { tcpSocket: { port: 8080 } }; }, 'none: the container declares no port'],
    ['a key missing from a Secret in the output', (o: KubeObject[]) => { webContainer(o).env.push({ name: 'PW', valueFrom: { secretKeyRef: { name: 'web-credentials', key: 'PASSWORD' } } }); }, 'DB_PASSWORD'],
    ['a Secret nobody provides', (o: KubeObject[]) => { webContainer(o).env.push({ name: 'PW', valueFrom: { secretKeyRef: { name: 'vault', key: 'PASSWORD' } } }); }, 'a Secret in the output, or one the operator creates, declared with --operator-secret vault=PASSWORD (for every object) or on the object with the annotation operator-secret.multi-k8s.dev/vault: "PASSWORD"; declared now: none'],
  ])('%s', (_what, breakIt, allowed) => {
    expect(breakValid(breakIt, ['link']).map((p) => p.allowed)).toEqual([allowed]);
  });
});

// checkLinks on its own: the validator calls it once per namespace, but the function keeps each
// link within its namespace whatever it is given.
describe('checkLinks', () => {
  const ns = (object: KubeObject, namespace: string): KubeObject => ({ ...structuredClone(object), metadata: { ...object.metadata, namespace } });
  function linksOf(change: (o: KubeObject[]) => void, operatorSecrets: OperatorSecret[] = []): string[] {
    const items = validItems();
    const objects = items.map((item) => item.object);
    change(objects);
    const located = objects.map((object) => ({ file: 'f.yaml', object }));
    return checkLinks(located, operatorSecrets).map((p) => `${p.object} ${p.path}: ${p.message} (allowed: ${p.allowed})`);
  }

  test.each([
    ['a Service in another namespace selects none of these pods', (o: KubeObject[]) => { o.push(ns(the(o, 'Service', 'cache'), 'other')); }, [
      'Service/cache spec.selector: selector {"app":"cache"} selects no pod template in the output (allowed: labels of a workload\'s pods; the output has no pod templates in this namespace)',
    ]],
    ['an autoscaler in another namespace finds no target', (o: KubeObject[]) => { o.push(ns(the(o, 'HorizontalPodAutoscaler', 'web'), 'other')); }, [
      'HorizontalPodAutoscaler/web spec.scaleTargetRef: target Deployment/web is not in the output: the autoscaler scales nothing (allowed: a workload in the same namespace: none)',
    ]],
    ['a budget in another namespace selects no pod', (o: KubeObject[]) => { o.push(ns(the(o, 'PodDisruptionBudget', 'web'), 'other')); }, [
      'PodDisruptionBudget/web spec.selector: selector {"matchLabels":{"app":"web"}} selects no pod template in the output: the budget protects nothing (allowed: labels of a workload\'s pods; the output has no pod templates in this namespace)',
    ]],
    ['an env value in another namespace names no Service there', (o: KubeObject[]) => {
      const copy = ns(the(o, 'Deployment', 'cache'), 'other');
      copy.spec.template.spec.containers[0].env = [{ name: 'CACHE_HOST', value: 'cache' }];
      o.push(copy);
    }, [
      'Deployment/cache spec.template.spec.containers[0].env[0].value: CACHE_HOST="cache" names no Service in the output: the name will not resolve (allowed: a Service in the same namespace: none)',
    ]],
    ['a Service that selects nothing lists the pod templates of its namespace', (o: KubeObject[]) => { the(o, 'Service', 'cache').spec.selector = { app: 'cashe' }; }, [
      'Service/cache spec.selector: selector {"app":"cashe"} selects no pod template in the output (allowed: labels of a workload\'s pods; the output has CronJob/nightly-report {"app":"report"}; CronJob/hourly-cleanup {}; Job/migrate {}; Deployment/cache {"app":"cache"}; DaemonSet/log-agent {"app":"log-agent"}; Pod/debug {}; ReplicaSet/legacy-web {"app":"legacy-web"}; ReplicationController/legacy-worker {"app":"legacy-worker"}; StatefulSet/db {"app":"db"}; Deployment/web {"app":"web"})',
    ]],
    ['a targetPort name that none of several selected pods declares', (o: KubeObject[]) => {
      web(o).spec.template.metadata.labels.tier = 'front';
      the(o, 'Deployment', 'cache').spec.template.metadata.labels.tier = 'front';
      o.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'front', namespace: 'shop' }, spec: { selector: { tier: 'front' }, ports: [{ port: 80, targetPort: 'web' }] } });
    }, [
      'Service/front spec.ports[0].targetPort: targetPort "web" is not a port of the selected pods (Deployment/cache, Deployment/web) (allowed: 6379, 8080 or "http")',
    ]],
    ['an env port among several a Service does not serve', (o: KubeObject[]) => {
      the(o, 'Service', 'cache').spec.ports.push({ name: 'tls', port: 6380, targetPort: 6379 });
      the(o, 'Service', 'cache').spec.ports[0].name = 'redis';
      webContainer(o).env.push({ name: 'CACHE_URL', value: 'redis://cache:7000' });
    }, [
      'Deployment/web spec.template.spec.containers[0].env[3].value: CACHE_URL connects to Service "cache" on port 7000 (from the value), which it does not serve (allowed: a port of Service "cache": 6379, 6380)',
    ]],
    ['an env value naming a Service without a port', (o: KubeObject[]) => { webContainer(o).env.push({ name: 'CACHE_HOST', value: 'cache' }); }, []],
    ['an env port on an ExternalName Service: the port is the external host\'s', (o: KubeObject[]) => {
      the(o, 'Service', 'mail').spec.ports = [{ port: 25 }];
      webContainer(o).env.push({ name: 'SMTP', value: 'mail:587' });
    }, []],
    ['an ExternalName Service with a selector selects no pods, and needs none', (o: KubeObject[]) => { the(o, 'Service', 'mail').spec.selector = { app: 'nothing' }; }, []],
    ['an autoscaler target without apiVersion', (o: KubeObject[]) => { delete the(o, 'HorizontalPodAutoscaler', 'web').spec.scaleTargetRef.apiVersion; }, []],
    ['a StatefulSet without serviceName, and one with an empty one', (o: KubeObject[]) => {
      the(o, 'StatefulSet', 'db').spec.serviceName = '';
      const copy = structuredClone(the(o, 'StatefulSet', 'db'));
      copy.metadata.name = 'db2';
      delete copy.spec.serviceName;
      o.push(copy);
    }, []],
    ['an Ingress port name the Service lacks, on a Service with two ports', (o: KubeObject[]) => {
      the(o, 'Service', 'web').spec.ports.push({ name: 'alt', port: 81, targetPort: 'http', nodePort: 30081 });
      the(o, 'Ingress', 'web').spec.rules[0].http.paths[0].backend.service.port = { name: 'nope' };
    }, [
      'Ingress/web spec.rules[0].http.paths[0].backend.service.port: port "nope" is not a port of Service "web" (allowed: 80 or "http", 81 or "alt")',
    ]],
    ['an Ingress default backend naming a missing Service', (o: KubeObject[]) => { the(o, 'Ingress', 'web').spec.defaultBackend = { service: { name: 'fallback', port: { number: 80 } } }; }, [
      'Ingress/web spec.defaultBackend.service.name: backend Service "fallback" is not in the output (allowed: a Service in the same namespace: cache, cache-public, mail, db-headless, db, web)',
    ]],
    ['a Secret volume: missing, optional, and one in the output', (o: KubeObject[]) => {
      web(o).spec.template.spec.volumes.push(
        { name: 'certs', secret: { secretName: 'certs' } },
        { name: 'maybe', secret: { secretName: 'maybe', optional: true } },
        { name: 'creds', secret: { secretName: 'web-credentials' } },
      );
    }, [
      'Deployment/web spec.template.spec.volumes[1].secret.secretName: Secret "certs" is neither in the output nor required from the operator (allowed: a Secret in the output, or one the operator creates, declared with --operator-secret certs=KEY[,KEY...] (for every object) or on the object with the annotation operator-secret.multi-k8s.dev/certs: "KEY[,KEY...]"; declared now: none)',
    ]],
    ['a ConfigMap volume and key reference that are missing', (o: KubeObject[]) => {
      web(o).spec.template.spec.volumes.push({ name: 'files', configMap: { name: 'files' } });
      webContainer(o).env.push({ name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'levels', key: 'x' } } });
    }, [
      'Deployment/web spec.template.spec.volumes[1].configMap.name: ConfigMap "files" is not in the output (allowed: a ConfigMap in the output: web-settings)',
      'Deployment/web spec.template.spec.containers[0].env[3].valueFrom.configMapKeyRef.name: ConfigMap "levels" is not in the output (allowed: a ConfigMap in the output: web-settings)',
    ]],
    ['envFrom a ConfigMap only, and an optional Secret', (o: KubeObject[]) => { webContainer(o).envFrom = [{ configMapRef: { name: 'web-settings' } }, { secretRef: { name: 'maybe', optional: true } }]; }, []],
    ['a startup probe on a port name the container lacks', (o: KubeObject[]) => { webContainer(o).startupProbe = { tcpSocket: { port: 'admin' } }; }, [
      'Deployment/web spec.template.spec.containers[0].startupProbe.tcpSocket.port: probe port "admin" is not a port of container "web" (allowed: 8080 or "http")',
    ]],
    ['probe ports written as names that hold digits', (o: KubeObject[]) => {
      webContainer(o).ports.push({ name: 'metrics', containerPort: 9090 });
      webContainer(o).livenessProbe = { httpGet: { path: '/', port: 'web9' } };
      webContainer(o).startupProbe = { tcpSocket: { port: '9web' } };
    }, [
      'Deployment/web spec.template.spec.containers[0].livenessProbe.httpGet.port: probe port "web9" is not a port of container "web" (allowed: 8080 or "http", 9090 or "metrics")',
      'Deployment/web spec.template.spec.containers[0].startupProbe.tcpSocket.port: probe port "9web" is not a port of container "web" (allowed: 8080 or "http", 9090 or "metrics")',
    ]],
    ['a probe port written as a quoted number the container does not declare', (o: KubeObject[]) => { webContainer(o).livenessProbe = { tcpSocket: { port: '9090' } }; }, [
      'Deployment/web spec.template.spec.containers[0].livenessProbe.tcpSocket.port: probe port "9090" is not a declared port of container "web": the probe works only if the container listens there anyway (allowed: 8080 or "http")',
    ]],
    ['a Secret key missing from a Secret with two keys, and from an empty Secret', (o: KubeObject[]) => {
      the(o, 'Secret', 'web-credentials').stringData.DB_USER = 'app';
      o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'blank', namespace: 'shop' } });
      webContainer(o).env.push({ name: 'PW', valueFrom: { secretKeyRef: { name: 'web-credentials', key: 'PASSWORD' } } }, { name: 'B', valueFrom: { secretKeyRef: { name: 'blank', key: 'b' } } });
    }, [
      'Deployment/web spec.template.spec.containers[0].env[3].valueFrom.secretKeyRef: Secret "web-credentials" in the output has no key "PASSWORD" (allowed: DB_PASSWORD, DB_USER)',
      'Deployment/web spec.template.spec.containers[0].env[4].valueFrom.secretKeyRef: Secret "blank" in the output has no key "b" (allowed: none: the Secret is empty)',
    ]],
  ])('%s', (_what, change, expected) => {
    expect(linksOf(change)).toEqual(expected);
  });

  test('null entries and missing specs are passed over, as the validator\'s null-dropping would leave them', () => {
    const lines = linksOf((o) => {
      web(o).spec.template.spec.volumes.push(null);
      webContainer(o).env.push(null);
      webContainer(o).envFrom = [null];
      the(o, 'Ingress', 'web').spec.rules.push(null, { host: 'b.example.com' }, { host: 'c.example.com', http: { paths: [null] } });
      delete the(o, 'HorizontalPodAutoscaler', 'web').spec;
      delete the(o, 'StatefulSet', 'db').spec.serviceName;
      o.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'nothing', namespace: 'shop' } });
      o.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'bare', namespace: 'shop' } });
      webContainer(o).env.push({ name: 'BARE_HOST', value: 'bare' }, { name: 'BARE_URL', value: 'http://bare:80' });
      the(o, 'Service', 'cache').spec.ports.push(null);
      webContainer(o).env.push({ name: 'CACHE_URL', value: 'redis://cache:6379' });
    });
    expect(lines).toEqual([
      'PodDisruptionBudget/nothing spec.selector: selector null selects no pod template in the output: the budget protects nothing (allowed: labels of a workload\'s pods; the output has CronJob/nightly-report {"app":"report"}; CronJob/hourly-cleanup {}; Job/migrate {}; Deployment/cache {"app":"cache"}; DaemonSet/log-agent {"app":"log-agent"}; Pod/debug {}; ReplicaSet/legacy-web {"app":"legacy-web"}; ReplicationController/legacy-worker {"app":"legacy-worker"}; StatefulSet/db {"app":"db"}; Deployment/web {"app":"web"})',
    ]);
  });

  test('only NetworkPolicies isolate pods: an object of another kind with a podSelector does not', () => {
    expect(linksOf((o) => {
      // Without the fixtures' own policies, nothing isolates the pods: one that did would block every connection.
      for (let i = o.length - 1; i >= 0; i--) if (o[i].kind === 'NetworkPolicy') o.splice(i, 1);
      o.push({ apiVersion: 'example.com/v1', kind: 'TrafficRule', metadata: { name: 'deny-all', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    })).toEqual([]);
  });

  test('values of the wrong type are the schema\'s to report; objects without metadata or spec, and null ports, are passed over', () => {
    const lines = linksOf((o) => {
      the(o, 'HorizontalPodAutoscaler', 'web').spec.scaleTargetRef.kind = 5;
      o.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'numbered', namespace: 'shop' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 7 }, minReplicas: 1, maxReplicas: 2 } });
      webContainer(o).startupProbe = { tcpSocket: { port: -1 } };
      o.push({ apiVersion: 'v1', kind: 'Service' }, { apiVersion: 'v1', kind: 'ConfigMap' });
      o.push({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'specless', namespace: 'shop' } });
      o.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'bare', namespace: 'shop' } });
      const governed = structuredClone(the(o, 'StatefulSet', 'db'));
      governed.metadata.name = 'governed';
      governed.spec.serviceName = 'bare';
      o.push(governed);
      the(o, 'Ingress', 'web').spec.rules[0].http.paths[1].backend.service.name = 'bare';
      the(o, 'Service', 'cache').spec.ports.push(null);
      webContainer(o).env.push({ name: 'CACHE_URL', value: 'redis://cache:6380' });
      the(o, 'Ingress', 'web').spec.rules[0].http.paths[0].backend.service = { name: 'cache', port: { number: 6380 } };
      o.push({ apiVersion: 'apps/v1', kind: 'Deployment' });
      o.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'lost', namespace: 'shop' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nowhere' }, minReplicas: 1, maxReplicas: 2 } });
    });
    expect(lines).toEqual([
      'Ingress/web spec.rules[0].http.paths[0].backend.service.port: port 6380 is not a port of Service "cache" (allowed: 6379)',
      'Ingress/web spec.rules[0].http.paths[1].backend.service.port: port 80 is not a port of Service "bare" (allowed: none: the Service has no ports)',
      'Deployment/web spec.template.spec.containers[0].startupProbe.tcpSocket.port: probe port -1 is not a declared port of container "web": the probe works only if the container listens there anyway (allowed: 8080 or "http")',
      'Deployment/web spec.template.spec.containers[0].env[3].value: CACHE_URL connects to Service "cache" on port 6380 (from the value), which it does not serve (allowed: a port of Service "cache": 6379)',
      'HorizontalPodAutoscaler/lost spec.scaleTargetRef: target Deployment/nowhere is not in the output: the autoscaler scales nothing (allowed: a workload in the same namespace: Deployment/cache, ReplicaSet/legacy-web, ReplicationController/legacy-worker, StatefulSet/db, Deployment/web, StatefulSet/specless, StatefulSet/governed)',
      'StatefulSet/governed spec.serviceName: governing Service "bare" is not headless: the pods get no DNS names of their own (allowed: clusterIP: None on the governing Service)',
    ]);
  });

  test('Secrets the operator creates: every one is listed, a whole one may be loaded, a key must be among its keys', () => {
    const operator = [{ name: 'vault', keys: ['a', 'b'] }, { name: 'tls', keys: ['crt'] }];
    expect(linksOf((o) => {
      webContainer(o).envFrom = [{ secretRef: { name: 'vault' } }];
      webContainer(o).env.push({ name: 'C', valueFrom: { secretKeyRef: { name: 'vault', key: 'c' } } }, { name: 'D', valueFrom: { secretKeyRef: { name: 'other', key: 'd' } } });
    }, operator)).toEqual([
      'Deployment/web spec.template.spec.containers[0].env[3].valueFrom.secretKeyRef: key "c" of Secret "vault" is not among the keys the operator is told to create (allowed: a, b)',
      'Deployment/web spec.template.spec.containers[0].env[4].valueFrom.secretKeyRef: Secret "other" is neither in the output nor required from the operator (allowed: a Secret in the output, or one the operator creates, declared with --operator-secret other=d (for every object) or on the object with the annotation operator-secret.multi-k8s.dev/other: "d"; declared now: vault (a, b), tls (crt))',
    ]);
  });
});

// checkLinks given objects built here, in a namespace of their own.
describe('checkLinks on built namespaces', () => {
  const deployment = (name: string, labels: Record<string, string>, container: KubeObject): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'big' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app:1', ...container }] } } },
  });
  const service = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'big' } });
  // Names of this length that resemble no other: no shared tail or head, many edits away.
  const filler = (length: number, i: number) => `f${'x'.repeat(length - 5)}${String(i).padStart(4, '0')}`;
  const located = (objects: (KubeObject | null)[]) => objects.map((object) => ({ file: 'f.yaml', object: object as KubeObject }));
  const messages = (objects: (KubeObject | null)[], budget?: number) => checkLinks(located(objects), [], budget).map((p) => `${p.object} ${p.path}: ${p.message}`);

  test('a kind of the same name in another group (a custom resource\'s) is another object: the reference\'s group picks the target, wherever it is listed', () => {
    const apps = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: {} };
    const custom = { apiVersion: 'example.com/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: {} };
    const hpa = (apiVersion?: string) => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' }, spec: { scaleTargetRef: { apiVersion, kind: 'Deployment', name: 'web' } } });
    for (const order of [[apps, custom], [custom, apps]]) {
      expect(messages([...order, hpa('apps/v1')])).toEqual([]);
      expect(messages([...order, hpa('example.com/v1')])).toEqual([]);
    }
    // Two of one group are one object: the later replaces the earlier.
    expect(messages([apps, { ...apps, apiVersion: 'apps/v1beta2' }])).toEqual(['Deployment/web metadata.name: Deployment/web is defined twice (first in f.yaml): the later one silently replaces the earlier']);
    // A group no candidate has, or none named, is told against the first listed.
    expect(messages([custom, apps, hpa('batch/v1')])).toEqual(['HorizontalPodAutoscaler/web spec.scaleTargetRef.apiVersion: apiVersion batch/v1 is not the group of Deployment/web (example.com/v1)']);
    expect(messages([apps, custom, hpa('batch/v1')])).toEqual(['HorizontalPodAutoscaler/web spec.scaleTargetRef.apiVersion: apiVersion batch/v1 is not the group of Deployment/web (apps/v1)']);
  });

  test('past 200 Services in a namespace, a misspelt name is compared with the 200 closest in length, nearest length first, within 3 characters', () => {
    // "cart-cluster-ip-service" has 23 characters: 40 names each of 23, 22, 24, 21 characters, 39 of 25, none of 20;
    // then, of 26 characters, the 200th name compared and, one too many, a nearer one.
    const value = 'cart-cluster-ip-service';
    const names: string[] = [];
    for (const [length, count] of [[23, 40], [22, 40], [24, 40], [21, 40], [25, 39]]) for (let i = 0; i < count; i++) names.push(filler(length, names.length));
    names.push('billing-cluster-ip-service', 'xyzcart-cluster-ip-service');
    for (let i = 0; i < 5; i++) names.push(filler(40, names.length));
    const objects = [...names.map(service), deployment('shop', { app: 'shop' }, { env: [{ name: 'CART_HOST', value }] })];
    expect(messages(objects)).toEqual([
      `Deployment/shop spec.template.spec.containers[0].env[0].value: CART_HOST="${value}" names no Service in the output: the name will not resolve; did you mean "billing-cluster-ip-service"?`,
    ]);
  });

  test.each([
    ['a name of the same length', 'cart-cluster-ip-servicf', 'cart-cluster-ip-service'],
    ['a name one shorter', 'cart-cluster-ip-servic', 'cart-cluster-ip-service'],
    ['a name one longer', 'cart-cluster-ip-servicee', 'cart-cluster-ip-service'],
    ['a name three longer of the same family', 'abccart-cluster-ip-service', 'cart-cluster-ip-service'],
  ])('past 200 Services in a namespace, %s is suggested', (_what, meant, value) => {
    const names = [meant];
    for (let i = 0; i < 201; i++) names.push(filler(20 + (i % 8), i));
    const objects = [...names.map(service), deployment('shop', { app: 'shop' }, { env: [{ name: 'CART_HOST', value }] })];
    expect(messages(objects)).toEqual([
      `Deployment/shop spec.template.spec.containers[0].env[0].value: CART_HOST="${value}" names no Service in the output: the name will not resolve; did you mean "${meant}"?`,
    ]);
  });

  test('past 200 Services in a namespace, a name 4 characters longer is not compared, though of the same family', () => {
    const value = 'cart-cluster-ip-service';
    const names = ['abcdcart-cluster-ip-service'];
    for (let i = 0; i < 201; i++) names.push(filler(40, i));
    const objects = [...names.map(service), deployment('shop', { app: 'shop' }, { env: [{ name: 'CART_HOST', value }] })];
    expect(messages(objects)).toEqual([
      `Deployment/shop spec.template.spec.containers[0].env[0].value: CART_HOST="${value}" names no Service in the output: the name will not resolve`,
    ]);
  });

  test('a Service selecting nothing in a namespace of more than 20 pod templates names the first 20 and counts the rest', () => {
    const objects = [{ ...service('front'), spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } }, ...Array.from({ length: 23 }, (_, i) => deployment(`d${i}`, { app: `d${i}` }, {}))];
    const described = Array.from({ length: 20 }, (_, i) => `Deployment/d${i} {"app":"d${i}"}`).join('; ');
    expect(checkLinks(located(objects), []).map((p) => `${p.object} ${p.path}: ${p.allowed}`)).toEqual([
      `Service/front spec.selector: labels of a workload's pods; the output has ${described}; ... and 3 more`,
    ]);
  });

  test('past its budget, checkLinks stops and returns one problem more than the budget', () => {
    const objects = Array.from({ length: 5 }, (_, i) => deployment(`d${i}`, { app: `d${i}` }, { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'missing', key: 'k' } } }] }));
    expect(messages(objects, 2)).toEqual([0, 1, 2].map((i) => `Deployment/d${i} spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.name: ConfigMap "missing" is not in the output`));
  });

  test('a null object among the items is passed over by the autoscaler check', () => {
    const objects = [
      null,
      deployment('web', { app: 'web' }, {}),
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'big' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gone' }, minReplicas: 1, maxReplicas: 2 } },
    ];
    expect(checkLinks(located(objects), []).map((p) => `${p.object} ${p.path}: ${p.message} (allowed: ${p.allowed})`)).toEqual([
      'HorizontalPodAutoscaler/web spec.scaleTargetRef: target Deployment/gone is not in the output: the autoscaler scales nothing (allowed: a workload in the same namespace: Deployment/web)',
    ]);
  });

  test('a ConfigMap volume whose ConfigMap is in the output is not reported', () => {
    const web = deployment('web', { app: 'web' }, { volumeMounts: [{ name: 'settings', mountPath: '/etc/settings' }] });
    web.spec.template.spec.volumes = [{ name: 'settings', configMap: { name: 'settings' } }];
    expect(messages([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'big' }, data: { a: 'b' } }, web])).toEqual([]);
  });

  test('called again on the same list, changed in between, checkLinks judges the objects as they are now', () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'big' }, data: { a: 'eA==' } };
    const items = located([
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'big' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 2 } },
      secret,
      deployment('user', { app: 'user' }, { env: [{ name: 'B', valueFrom: { secretKeyRef: { name: 'creds', key: 'b' } } }] }),
    ]);
    expect(checkLinks(items, []).map((p) => `${p.object} ${p.path}: ${p.message}`)).toEqual([
      'Deployment/user spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef: Secret "creds" in the output has no key "b"',
      'HorizontalPodAutoscaler/web spec.scaleTargetRef: target Deployment/web is not in the output: the autoscaler scales nothing',
    ]);
    items.push({ file: 'f.yaml', object: deployment('web', { app: 'web' }, {}) });
    secret.data.b = 'eA==';
    expect(checkLinks(items, [])).toEqual([]);
  });

  test('an autoscaler target named without apiVersion is the first listed of its kind and name, though a later one has no apiVersion either', () => {
    const custom = { apiVersion: 'example.com/v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'big' } };
    const bare = { kind: 'ConfigMap', metadata: { name: 'web', namespace: 'big' } };
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'big' }, spec: { scaleTargetRef: { kind: 'ConfigMap', name: 'web' }, minReplicas: 1, maxReplicas: 2 } };
    expect(messages([custom, bare, hpa])).toEqual([]);
    expect(messages([bare, custom, hpa])).toEqual(['HorizontalPodAutoscaler/web spec.scaleTargetRef.kind: ConfigMap has no scale subresource: the autoscaler cannot scale it']);
  });

  test('of two autoscaler targets of one group, kind and name, the later is the one told against', () => {
    const v1 = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'big' }, spec: {} };
    const beta = { ...v1, apiVersion: 'apps/v1beta2' };
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'big' }, spec: { scaleTargetRef: { apiVersion: 'batch/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 2 } };
    expect(messages([v1, beta, hpa])).toEqual([
      'Deployment/web metadata.name: Deployment/web is defined twice (first in f.yaml): the later one silently replaces the earlier',
      'HorizontalPodAutoscaler/web spec.scaleTargetRef.apiVersion: apiVersion batch/v1 is not the group of Deployment/web (apps/v1beta2)',
    ]);
  });

  test('a disruption budget selecting the only pod template of its namespace protects it', () => {
    const budget = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'big' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } };
    expect(messages([deployment('web', { app: 'web' }, {}), budget])).toEqual([]);
  });

  test('a Service targetPort that is not a valid port name is the API rules\' to report', () => {
    const front = { ...service('front'), spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'Bad_Name' }] } };
    expect(messages([deployment('web', { app: 'web' }, {}), front])).toEqual([]);
  });

  test('a Service selecting nothing in a namespace of exactly 20 pod templates names them all and counts none more', () => {
    const objects = [{ ...service('front'), spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } }, ...Array.from({ length: 20 }, (_, i) => deployment(`d${i}`, { app: `d${i}` }, {}))];
    const described = Array.from({ length: 20 }, (_, i) => `Deployment/d${i} {"app":"d${i}"}`).join('; ');
    expect(checkLinks(located(objects), []).map((p) => `${p.object} ${p.path}: ${p.allowed}`)).toEqual([
      `Service/front spec.selector: labels of a workload's pods; the output has ${described}`,
    ]);
  });

  test('with exactly 200 Services in a namespace, a misspelt name is compared with every one, whatever its length', () => {
    const value = 'cart-cluster-ip-service';
    const names = ['abcdcart-cluster-ip-service'];
    for (let i = 0; i < 199; i++) names.push(filler(40, i));
    const objects = [...names.map(service), deployment('shop', { app: 'shop' }, { env: [{ name: 'CART_HOST', value }] })];
    expect(messages(objects)).toEqual([
      `Deployment/shop spec.template.spec.containers[0].env[0].value: CART_HOST="${value}" names no Service in the output: the name will not resolve; did you mean "abcdcart-cluster-ip-service"?`,
    ]);
  });

  test('a ConfigMap key reference whose ConfigMap is in the output is not reported', () => {
    const user = deployment('user', { app: 'user' }, { env: [{ name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level' } } }] });
    expect(messages([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'big' }, data: { level: 'info' } }, user])).toEqual([]);
  });

  test('a Service selector is a plain map, key by key, even where a key is named matchLabels: its value is not read as a LabelSelector\'s', () => {
    // One object held twice (as a YAML alias gives): the selector's value is the pod's label value.
    const shared = { app: 'other' };
    const web = deployment('web', { app: 'web' }, { ports: [{ containerPort: 80 }] });
    web.spec.template.metadata.labels = { matchLabels: shared };
    const front = { ...service('front'), spec: { selector: { matchLabels: shared }, ports: [{ port: 80 }] } };
    expect(messages([web, front])).toEqual([]);
  });

  test('probe ports of the wrong type or with an invalid name are the API rules\' to report', () => {
    const objects = [deployment('web', { app: 'web' }, {
      ports: [{ containerPort: 8080 }],
      livenessProbe: { tcpSocket: { port: null } },
      readinessProbe: { httpGet: { path: '/', port: [5001] } },
      startupProbe: { tcpSocket: { port: 'no_such_port' } },
    })];
    expect(messages(objects)).toEqual([]);
  });
});
