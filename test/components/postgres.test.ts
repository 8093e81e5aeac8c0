import { Chart, Testing } from 'cdk8s';
import { Postgres, POSTGRES_IMAGE } from '../../lib/components/postgres';
import { containerOf, defaultChart, defaultObjects, envOf, find } from '../helpers';

const objects = defaultObjects();
const deployment = find(objects, 'Deployment', 'postgres-deployment');
const container = containerOf(deployment);
const podSpec = deployment.spec.template.spec;

describe('Postgres', () => {
  test('is the course\'s postgres-deployment: exactly 1 replica, Recreate, official image pinned to a major <= 17', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate', rollingUpdate: null });
    expect(deployment.spec.selector.matchLabels).toEqual({ component: 'postgres' });
    expect(container.name).toBe('postgres');
    const [, major] = /^postgres:(\d+)(\.\d+)?$/.exec(container.image) ?? [];
    expect(Number(major)).toBeLessThanOrEqual(17);
    expect(container.image).toBe(POSTGRES_IMAGE);
    expect(container.ports).toEqual([{ containerPort: 5432, name: 'postgres' }]);
  });

  test('postgres-cluster-ip-service routes 5432', () => {
    const service = find(objects, 'Service', 'postgres-cluster-ip-service');
    expect(service.spec.selector).toEqual({ component: 'postgres' });
    expect(service.spec.ports).toEqual([{ name: 'postgres', port: 5432, targetPort: 5432 }]);
  });

  test('database-persistent-volume-claim is the course\'s: ReadWriteOnce, 2Gi, no storage class', () => {
    const claim = find(objects, 'PersistentVolumeClaim', 'database-persistent-volume-claim');
    expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(claim.spec.resources).toEqual({ requests: { storage: '2Gi' } });
    expect(claim.spec.storageClassName).toBeUndefined();
  });

  test('keeps its files in the claim\'s `postgres` directory, where the course\'s subPath put them', () => {
    const volume = podSpec.volumes.find((v: any) => v.persistentVolumeClaim);
    expect(volume.persistentVolumeClaim.claimName).toBe('database-persistent-volume-claim');
    const mount = container.volumeMounts.find((m: any) => m.name === volume.name);
    expect(mount).toEqual({ name: volume.name, mountPath: '/var/lib/postgresql/data' });
    expect(envOf(container).PGDATA).toBe('/var/lib/postgresql/data/postgres');
  });

  test('runs as uid 999 with fsGroup 999 so postgres can create PGDATA on a fresh volume', () => {
    expect(podSpec.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch' });
    expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/var/run/postgresql', '/tmp']));
  });

  test('reads POSTGRES_PASSWORD from the pgpassword Secret, which is listed for the operator', () => {
    expect(envOf(container).POSTGRES_PASSWORD).toEqual({ secretKeyRef: { name: 'pgpassword', key: 'PGPASSWORD' } });
    expect(defaultChart().requiredSecrets.map((s) => [s.secret.name, s.key])).toEqual([['pgpassword', 'PGPASSWORD']]);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('probes pg_isready over TCP; startup allows minutes for initdb; liveness is not readiness', () => {
    const command = ['pg_isready', '--host', '127.0.0.1', '--port', '5432', '--username', 'postgres'];
    expect(container.readinessProbe.exec.command).toEqual(command);
    expect(container.livenessProbe.exec.command).toEqual(command);
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBeGreaterThanOrEqual(120);
    expect(container.livenessProbe).not.toEqual(container.readinessProbe);
  });

  test('a storage size that is not a whole number of GiB >= 1 is refused', () => {
    expect(() => new Postgres(new Chart(Testing.app(), 'c'), 'Postgres', { storageGibibytes: 0 })).toThrow('Postgres storageGibibytes must be a whole number >= 1, got 0');
  });

  test('another Secret name and key flow into both pods', () => {
    const chart = new Chart(Testing.app(), 'c');
    const postgres = new Postgres(chart, 'Postgres', { passwordSecretName: 'db-credentials', passwordSecretKey: 'password' });
    expect(postgres.passwordSecret.secret.name).toBe('db-credentials');
    const env = envOf(containerOf(chart.toJson().find((o: any) => o.kind === 'Deployment')));
    expect(env.POSTGRES_PASSWORD).toEqual({ secretKeyRef: { name: 'db-credentials', key: 'password' } });
  });
});
