import { podTemplate } from '../../lib/validate/pods';
import { KubeObject } from '../../lib/validate/problem';
import { editDistance, nearMiss, serviceNameOf, serviceReferences } from '../../lib/validate/service-refs';

/** A Deployment web in namespace shop whose one container has these env vars. */
function web(env: unknown[], namespace = 'shop'): { item: { file: string; object: KubeObject }; template: NonNullable<ReturnType<typeof podTemplate>> } {
  const object = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace },
    spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1', env }] } } },
  };
  return { item: { file: 'web.yaml', object }, template: podTemplate(object)! };
}
const db = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'shop' } };
const SERVICES = new Map([['shop/db', db]]);

/** Each reference the env makes, as [variable, service name, port, port from, meant as host]. */
function refs(env: unknown[], namespace?: string): unknown[][] {
  return serviceReferences([web(env, namespace)], SERVICES).map((r) => [r.variable, r.serviceName, r.port, r.portFrom, r.meantAsHost]);
}

describe('serviceNameOf: the Service a host resolves to from a pod of the namespace', () => {
  test.each([
    ['db', 'shop', 'db'],
    ['db.shop', 'shop', 'db'],
    ['db.shop.svc', 'shop', 'db'],
    ['db.shop.svc.cluster.local', 'shop', 'db'],
    ['db.shop.svc.corp.internal', 'shop', 'db'],
    ['db.other.svc.cluster.local', 'shop', undefined],
    ['db.shop.example.com', 'shop', undefined],
    ['db.shop', '', undefined],
    ['localhost', 'shop', undefined],
  ])('%s from %j -> %s', (host, namespace, name) => {
    expect(serviceNameOf(host, namespace)?.name).toBe(name);
  });
});

describe('serviceReferences: env values that name a Service of the pod\'s namespace', () => {
  test.each([
    ['a bare name', 'db', ['DB', 'db', undefined, undefined, false]],
    ['a bare name with spaces around it', '  db ', ['DB', 'db', undefined, undefined, false]],
    ['name:port', 'db:5432', ['DB', 'db', 5432, 'the value', true]],
    ['a URL with user, port and path', 'postgres://app@db:5432/shop?ssl=1', ['DB', 'db', 5432, 'the value', true]],
    ['a URL with a two-part scheme and no port', 'jdbc:postgresql://db/shop', ['DB', 'db', undefined, undefined, true]],
    ['a URL in capitals', 'HTTP://DB:80', ['DB', 'db', 80, 'the value', true]],
    ['a cluster DNS name', 'db.shop.svc.cluster.local', ['DB', 'db', undefined, undefined, true]],
    ['name.namespace', 'db.shop', ['DB', 'db', undefined, undefined, true]],
    ['NAME:port in capitals', 'DB:5432', ['DB', 'db', 5432, 'the value', true]],
    ['a one-letter name', 'q', ['DB', 'q', undefined, undefined, false]],
    ['a name ending in digits', 'db2', ['DB', 'db2', undefined, undefined, false]],
    ['a name starting with digits', '2db', ['DB', '2db', undefined, undefined, false]],
    ['a URL whose scheme only starts like a bucket scheme', 'gss://db:80', ['DB', 'db', 80, 'the value', true]],
    ['a longer name:port', 'database:5432', ['DB', 'database', 5432, 'the value', true]],
    ['a one-letter name:port', 'q:80', ['DB', 'q', 80, 'the value', true]],
  ])('%s', (_what, value, ref) => {
    expect(refs([{ name: 'DB', value }])).toEqual([ref]);
  });

  test.each([
    ['a switch word', 'SERVER', 'false'],
    ['a number', 'WORKERS', '4'],
    ['a host of another namespace', 'DB_HOST', 'db.other.svc'],
    ['localhost', 'DB_HOST', 'localhost:5432'],
    ['a sentence', 'GREETING', 'hello world'],
    ['a name with an underscore', 'DB', 'my_db'],
    ['a URL with a space', 'DB_URL', 'postgres://db /x'],
    ['a host:port with a port of six digits', 'DB', 'db:543210'],
    ['a URL inside a sentence', 'DB_URL', 'see http://db:80'],
    ['a host:port after a character no host starts with', 'DB', '_db:5432'],
    // Issue 18: a bucket URL's "host" is the bucket, not a Service.
    ['a Cloud Storage bucket URL', 'BACKUP_URL', 'gs://db/backups/nightly'],
    ['an S3 bucket URL with a two-part scheme', 'EXPORT_URI', 's3a://db/exports'],
    ['an Azure storage URL in capitals', 'ARCHIVE_URL', 'ABFSS://db@account.dfs.core.windows.net/x'],
    ['a file URL', 'DATA_URL', 'file://db/data'],
  ])('%s is no reference (%s=%s)', (_what, name, value) => {
    expect(refs([{ name, value }])).toEqual([]);
  });

  test.each(['gs', 'gcs', 's3', 's3a', 's3n', 'r2', 'az', 'azure', 'abfs', 'abfss', 'wasb', 'wasbs', 'adl', 'oss', 'cos', 'obs', 'b2', 'swift', 'file'])('a URL of the storage scheme %s names a bucket, account or path: no reference', (scheme) => {
    expect(refs([{ name: 'BACKUP_URL', value: `${scheme}://db/backups` }, { name: 'ARCHIVE_URL', value: `${scheme}+x://db:80/a` }])).toEqual([]);
  });

  test('a variable name holding a line break has no sibling port: the name is not one of the form <prefix>HOST', () => {
    expect(refs([{ name: 'B_PORT', value: '5432' }, { name: 'A\nB_HOST', value: 'db' }])).toEqual([['A\nB_HOST', 'db', undefined, undefined, true]]);
  });

  test('every switch word a host variable may hold is none', () => {
    const words = ['true', 'false', 'yes', 'no', 'on', 'off', 'none', 'null', 'nil', 'enabled', 'disabled', 'auto', 'default', 'any', 'all'];
    expect(refs(words.map((value, i) => ({ name: `SERVER_${i}_HOST`, value })))).toEqual([]);
  });

  test.each(['HOST', 'HOSTNAME', 'ADDR', 'ADDRESS', 'SERVER', 'ENDPOINT', 'URL', 'URI', 'DSN', 'HOSTS', 'db_host'])('a variable named *%s is meant as a host', (suffix) => {
    expect(refs([{ name: `PG${suffix}`, value: 'db' }])).toEqual([[`PG${suffix}`, 'db', undefined, undefined, true]]);
  });

  test.each(['DB_SERVICE', 'DB_HOST_ENABLED', 'DATABASE'])('a variable named %s is not meant as a host by its name', (name) => {
    expect(refs([{ name, value: 'db' }])).toEqual([[name, 'db', undefined, undefined, false]]);
  });

  test.each([
    ['DB_HOST', 'DB_PORT', '5432', 5432],
    ['DB_HOSTNAME', 'DB_PORT', ' 5432 ', 5432],
    ['PGADDR', 'PGPORT', '5432', 5432],
    ['REDIS_ADDRESS', 'REDIS_PORT', '1', 1],
    ['CACHE_SERVER', 'CACHE_PORT', '65535', 65535],
    ['db_host', 'db_PORT', '5432', 5432],
  ])('%s takes its port from the sibling %s=%j', (host, port, value, n) => {
    expect(refs([{ name: port, value }, { name: host, value: 'db' }])).toEqual([[host, 'db', n, port, true]]);
  });

  test.each([['0'], ['65536'], ['5432/tcp'], ['5432.5'], [''], ['123456'], ['1.5e2'], ['+80'], ['80.0']])('a sibling port of %j is no port', (value) => {
    expect(refs([{ name: 'DB_HOST', value: 'db' }, { name: 'DB_PORT', value }])).toEqual([['DB_HOST', 'db', undefined, undefined, true]]);
  });

  test('a port in the value wins over the sibling, and a sibling from valueFrom is no port', () => {
    expect(refs([{ name: 'DB_HOST', value: 'db:6432' }, { name: 'DB_PORT', value: '5432' }])).toEqual([['DB_HOST', 'db', 6432, 'the value', true]]);
    expect(refs([{ name: 'DB_HOST', value: 'db' }, { name: 'DB_PORT', valueFrom: { configMapKeyRef: { name: 'c', key: 'p' } } }])).toEqual([['DB_HOST', 'db', undefined, undefined, true]]);
    expect(refs([{ name: 'DB_URL', value: 'db' }, { name: 'DB_PORT', value: '5432' }])).toEqual([['DB_URL', 'db', undefined, undefined, true]]);
  });

  test('each reference carries where it is, the Service when the input has it, and env entries that are not values are skipped', () => {
    const [ref, other] = serviceReferences([web([null, { name: 'X', valueFrom: {} }, { name: 5, value: 'db' }, { name: 'DB', value: 'db' }, { name: 'CACHE', value: 'cache' }])], SERVICES);
    expect(ref).toMatchObject({ path: 'spec.template.spec.containers[0].env[3].value', variable: 'DB', value: 'db', serviceName: 'db', service: db });
    expect(other).toMatchObject({ serviceName: 'cache', service: undefined });
  });

  test('a one-letter namespace is a label of the host too', () => {
    expect(refs([{ name: 'DB', value: 'db.a' }], 'a')).toEqual([['DB', 'db', undefined, undefined, true]]);
  });

  test('a variable that only contains HOST has no sibling port', () => {
    expect(refs([{ name: 'DB_PORT', value: '5432' }, { name: 'DB_HOST_ENABLED', value: 'db' }])).toEqual([['DB_HOST_ENABLED', 'db', undefined, undefined, false]]);
  });

  test('a sibling port defined twice has its last value, as the kubelet gives it; a value that is not a string is no port', () => {
    const fromConfig = { name: 'DB_PORT', valueFrom: { configMapKeyRef: { name: 'c', key: 'p' } } };
    expect(refs([{ name: 'DB_PORT', value: '5432' }, fromConfig, { name: 'DB_HOST', value: 'db' }])).toEqual([['DB_HOST', 'db', undefined, undefined, true]]);
    expect(refs([fromConfig, { name: 'DB_PORT', value: '5432' }, { name: 'DB_HOST', value: 'db' }])).toEqual([['DB_HOST', 'db', 5432, 'DB_PORT', true]]);
    expect(refs([{ name: 'DB_PORT', value: 5432 }, { name: 'DB_HOST', value: 'db' }])).toEqual([['DB_HOST', 'db', undefined, undefined, true]]);
  });

  test('a pod without a namespace resolves bare names only', () => {
    expect(refs([{ name: 'A', value: 'db' }, { name: 'B', value: 'db.shop' }], '')).toEqual([['A', 'db', undefined, undefined, false]]);
  });
});

describe('nearMiss and editDistance', () => {
  const services = ['postgres-cluster-ip-service', 'redis-cluster-ip-service', 'client-cluster-ip-service'];

  test('edit distance counts insertions, deletions and substitutions', () => {
    expect(editDistance('redis', 'redis')).toBe(0);
    expect(editDistance('redis', 'rediss')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('ab', 'ba')).toBe(2);
  });

  test('a name a small edit away is a near miss', () => {
    expect(nearMiss('postgres-clusterip-service', services)).toBe('postgres-cluster-ip-service');
  });

  test('a name sharing the naming suffix is a near miss, the nearest one named', () => {
    expect(nearMiss('client-cluster-ip-svc', services)).toBe('client-cluster-ip-service');
    expect(nearMiss('worker-cluster-ip-service', services)).toBeDefined();
  });

  test.each([
    ['one edit from a five-letter name', 'redis', ['rediss'], 'rediss'],
    ['one edit from a four-letter name (too short to judge)', 'redi', ['redis'], undefined],
    ['two edits from a 16-letter name (one per 8 letters)', 'abcdefgh-ijklmxx', ['abcdefgh-ijklmno'], 'abcdefgh-ijklmno'],
    ['two edits from a 15-letter name', 'abcdefgh-ijklxx', ['abcdefgh-ijklmn'], undefined],
    ['four letters longer, no shared words', 'abcdefghijkl', ['abcdefgh'], undefined],
    ['a shared 8-character -word tail', 'web-service', ['api-service'], 'api-service'],
    ['a shared 4-character -word tail', 'web-svc', ['api-svc'], undefined],
    ['a shared head of 12 characters and 60% of the Service\'s name', 'client-cluster-x', ['client-cluster-ip-svc'], 'client-cluster-ip-svc'],
    ['the nearest of several', 'postgres-cluster-ip-servic', ['redis-cluster-ip-service', 'postgres-cluster-ip-service'], 'postgres-cluster-ip-service'],
    ['the whole name as the Service\'s -word tail', 'cluster-ip-service', ['redis-cluster-ip-service'], 'redis-cluster-ip-service'],
    ['the Service\'s own name (the shared tail and head run to both ends)', 'redis-cluster-ip-service', ['redis-cluster-ip-service'], 'redis-cluster-ip-service'],
    ['a shared 1-letter tail, no dash in it', 'ab-cdefghij', ['xy-zzzzzzzj'], undefined],
    ['a shared 10-letter tail with no dash', 'frontendservice', ['backendservice'], undefined],
    ['a shared tail whose -word part is 4 characters', 'usersdata-web', ['ordersdata-web'], undefined],
    ['no shared head at all', 'abcdefghijkl-mn', ['zzzzzzzzzzzz-zzzz'], undefined],
    ['a shared head whose last dash is before the difference', 'client-cluster-abc', ['client-clusterxyz-svc'], undefined],
    ['a shared 15-character head under 60% of the Service\'s name', 'client-cluster-x', ['client-cluster-ip-service-extra-long'], undefined],
    ['a shared 15-character head at exactly 60% of the Service\'s name', 'client-cluster-x', ['client-cluster-abcdefghij'], 'client-cluster-abcdefghij'],
    ['a shared head of exactly 12 characters', 'abcde-fghij-x', ['abcde-fghij-yyy'], 'abcde-fghij-yyy'],
    ['three letters shorter than a 27-letter name (three edits allowed)', 'abcdefghijklmnopqrstuvwx', ['abcdefghijklmnopqrstuvwxyz0'], 'abcdefghijklmnopqrstuvwxyz0'],
    ['four edits from a 32-letter name (never more than three)', 'abcdefghijklmnopqrstuvwxyz012345', ['abcdefghijklmnopqrstuvwxyz01wxyz'], undefined],
  ])('%s: nearMiss(%j, %j) is %j', (_what, name, names, meant) => {
    expect(nearMiss(name, names)).toBe(meant);
  });

  test('words that are not meant as Service names are not near misses', () => {
    expect(nearMiss('postgres', services)).toBeUndefined();
    expect(nearMiss('production', services)).toBeUndefined();
    expect(nearMiss('redis', services)).toBeUndefined();
  });
});
