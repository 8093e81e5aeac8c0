import { Chart, Size } from 'cdk8s';
import { Postgres, POSTGRES_IMAGE, postgresMajor, PostgresProps } from '../../lib/components/postgres';
import { containerOf, envOf, find, synthIn, testApp } from '../helpers';

function postgres(props?: PostgresProps) {
  let construct!: Postgres;
  const objects = synthIn((chart) => { construct = new Postgres(chart, 'Postgres', props); });
  const deployment = find(objects, 'Deployment', 'postgres-deployment');
  return { construct, objects, deployment, container: containerOf(deployment), podSpec: deployment.spec.template.spec };
}

describe('Postgres', () => {
  test('is the course\'s postgres-deployment: exactly 1 replica, Recreate, official image pinned to a major <= 17', () => {
    const { deployment, container } = postgres();
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(deployment.spec.selector.matchLabels).toEqual({ component: 'postgres' });
    expect(container.name).toBe('postgres');
    const [, major] = /^postgres:(\d+)(\.\d+)?$/.exec(container.image) ?? [];
    expect(Number(major)).toBeLessThanOrEqual(17);
    expect(container.image).toBe(POSTGRES_IMAGE);
    expect(container.ports).toEqual([{ containerPort: 5432, name: 'postgres' }]);
  });

  test('postgres-cluster-ip-service routes 5432', () => {
    const { objects, construct } = postgres();
    const service = find(objects, 'Service', 'postgres-cluster-ip-service');
    expect(service.spec.selector).toEqual({ component: 'postgres' });
    expect(service.spec.ports).toEqual([{ name: 'postgres', port: 5432, targetPort: 5432 }]);
    expect([construct.host, construct.port, construct.podSelector]).toEqual(['postgres-cluster-ip-service', 5432, { component: 'postgres' }]);
  });

  test('database-persistent-volume-claim is the course\'s: ReadWriteOnce, 2Gi, no storage class', () => {
    const { objects } = postgres();
    const claim = find(objects, 'PersistentVolumeClaim', 'database-persistent-volume-claim');
    expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(claim.spec.resources).toEqual({ requests: { storage: '2Gi' } });
    expect(claim.spec.storageClassName).toBeUndefined();
  });

  test('keeps its files in the claim\'s `postgres` directory, where the course\'s subPath put them', () => {
    const { container, podSpec } = postgres();
    const volume = podSpec.volumes.find((v: any) => v.persistentVolumeClaim);
    expect(volume.persistentVolumeClaim.claimName).toBe('database-persistent-volume-claim');
    const mount = container.volumeMounts.find((m: any) => m.name === volume.name);
    expect(mount).toEqual({ name: volume.name, mountPath: '/var/lib/postgresql/data' });
    expect(envOf(container).PGDATA).toBe('/var/lib/postgresql/data/postgres');
  });

  test('runs as uid 999 with fsGroup 999 so postgres can create PGDATA on a fresh volume', () => {
    const { container, podSpec } = postgres();
    expect(podSpec.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch' });
    expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/var/run/postgresql', '/tmp']));
  });

  test('reads POSTGRES_PASSWORD from the pgpassword Secret, which is listed for the operator', () => {
    const { objects, container, construct } = postgres();
    expect(envOf(container).POSTGRES_PASSWORD).toEqual({ secretKeyRef: { name: 'pgpassword', key: 'PGPASSWORD' } });
    expect([construct.passwordSecret.secret.name, construct.passwordSecret.key]).toEqual(['pgpassword', 'PGPASSWORD']);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('probes pg_isready over TCP; startup allows minutes for initdb; liveness is not readiness', () => {
    const { container } = postgres();
    const command = ['pg_isready', '--host', '127.0.0.1', '--port', '5432', '--username', 'postgres'];
    expect(container.readinessProbe.exec.command).toEqual(command);
    expect(container.livenessProbe.exec.command).toEqual(command);
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBeGreaterThanOrEqual(120);
    expect(container.livenessProbe).not.toEqual(container.readinessProbe);
  });

  test.each([
    [Size.gibibytes(0), 'Postgres storage must be a whole number of GiB, at least 1, got 0 GiB'],
    [Size.mebibytes(1536), 'Postgres storage must be a whole number of GiB, at least 1, got 1.5 GiB'],
  ])('a storage size that is not a whole number of GiB >= 1 is refused', (storage, message) => {
    expect(() => new Postgres(new Chart(testApp(), 'c'), 'Postgres', { storage })).toThrow(message);
  });

  test('1 GiB, the smallest claim allowed, is accepted', () => {
    const chart = new Chart(testApp(), 'c');
    new Postgres(chart, 'Postgres', { storage: Size.gibibytes(1) });
    expect(chart.toJson().find((o: any) => o.kind === 'PersistentVolumeClaim').spec.resources.requests.storage).toBe('1Gi');
  });

  test('its password Secret says what it is for, for the operator who creates it', () => {
    expect(new Postgres(new Chart(testApp(), 'c'), 'Postgres').passwordSecret.description).toBe('password of the postgres user, read by postgres and the API server');
  });

  test('a larger claim is the claim\'s requested storage', () => {
    const chart = new Chart(testApp(), 'c');
    new Postgres(chart, 'Postgres', { storage: Size.gibibytes(10) });
    expect(chart.toJson().find((o: any) => o.kind === 'PersistentVolumeClaim').spec.resources.requests.storage).toBe('10Gi');
  });

  test('another Secret name and key flow into both pods', () => {
    const chart = new Chart(testApp(), 'c');
    const postgres = new Postgres(chart, 'Postgres', { passwordSecretName: 'db-credentials', passwordSecretKey: 'password' });
    expect(postgres.passwordSecret.secret.name).toBe('db-credentials');
    const env = envOf(containerOf(chart.toJson().find((o: any) => o.kind === 'Deployment')));
    expect(env.POSTGRES_PASSWORD).toEqual({ secretKeyRef: { name: 'db-credentials', key: 'password' } });
  });

  test.each([
    ['postgres:17.6', 17], ['postgres:16-alpine', 16], ['postgres:18', 18], ['my.registry:5000/pg/postgres:18.1-bookworm', 18],
    [`postgres:17.6@sha256:${'b'.repeat(64)}`, 17], ['postgres:latest', undefined], ['postgres', undefined], ['localhost:5000/postgres', undefined],
  ])('the major of %s is %s', (image, major) => {
    expect(postgresMajor(image)).toBe(major);
  });

  test('an image with no major in its tag is refused, naming what is allowed', () => {
    expect(() => new Postgres(new Chart(testApp(), 'c'), 'Postgres', { image: 'postgres:latest' }))
      .toThrow('Postgres image "postgres:latest" names no major version: allowed is a tag that starts with it');
  });

  test('major 18 and later: the claim at /var/lib/postgresql and PGDATA in <major>/docker, the image\'s own layout', () => {
    const chart = new Chart(testApp(), 'c');
    new Postgres(chart, 'Postgres', { image: 'postgres:18.1' });
    const pod = chart.toJson().find((o: any) => o.kind === 'Deployment').spec.template.spec;
    const claimVolume = pod.volumes.find((v: any) => v.persistentVolumeClaim).name;
    const c = containerOf({ spec: { template: { spec: pod } } });
    expect(c.volumeMounts.find((m: any) => m.name === claimVolume).mountPath).toBe('/var/lib/postgresql');
    expect(c.volumeMounts.map((m: any) => m.mountPath)).not.toContain('/var/lib/postgresql/data');
    expect(envOf(c).PGDATA).toBe('/var/lib/postgresql/18/docker');
  });

  test('its ready check waits, with the postgres image\'s pg_isready, for its own host and port', () => {
    const chart = new Chart(testApp(), 'c');
    const postgres = new Postgres(chart, 'Postgres', { image: 'postgres:16.4' });
    expect(postgres.readyCheck.image).toBe('postgres:16.4');
    const [shell, flag, script] = postgres.readyCheck.command;
    expect([shell, flag]).toEqual(['sh', '-c']);
    expect(script).toMatch(new RegExp(`^until pg_isready --host ${postgres.host} --port ${postgres.port} --username postgres `));
    expect(script).toContain('sleep 2; done');
  });

  test('its client env names its own host, port, user, database and password Secret', () => {
    const chart = new Chart(testApp(), 'c');
    const postgres = new Postgres(chart, 'Postgres', { passwordSecretName: 'db', passwordSecretKey: 'pw' });
    const json = Object.fromEntries(Object.entries(postgres.clientEnv).map(([k, v]) => [k, v.value]));
    expect(json).toMatchObject({ PGHOST: postgres.host, PGPORT: String(postgres.port), PGUSER: 'postgres', PGDATABASE: 'postgres' });
    expect(Object.keys(postgres.clientEnv)).toEqual(['PGUSER', 'PGHOST', 'PGPORT', 'PGDATABASE', 'PGPASSWORD']);
  });
});
