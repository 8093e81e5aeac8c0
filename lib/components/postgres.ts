import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { commandProbe, ComponentWorkload, ResourceBudget } from './workload';

/** The official postgres image. Major 18 moved PGDATA and refuses a mount at /var/lib/postgresql/data. */
export const POSTGRES_IMAGE = 'postgres:17.6';

/** A Secret the operator creates before applying the manifests; its value never enters this program. */
export interface SecretKeyReference {
  /** The Secret. */
  readonly secret: kplus.ISecret;
  /** The key inside the Secret. */
  readonly key: string;
  /** What the value is for, for the operator. */
  readonly description: string;
}

export interface PostgresProps {
  /** The postgres image. @default POSTGRES_IMAGE */
  readonly image?: string;
  /** Name of the Secret holding the database password, created by the operator. @default "pgpassword" */
  readonly passwordSecretName?: string;
  /** Key of the password inside that Secret. @default "PGPASSWORD" */
  readonly passwordSecretKey?: string;
  /** Size of the data volume claim. @default 2 GiB */
  readonly storageGibibytes?: number;
  /** CPU and memory of the postgres container. @default 100m/500m CPU, 256/512 MiB */
  readonly resources?: ResourceBudget;
}

/** The Secret the operator creates before the first apply (README: "Deploying"), as the course names it. */
export const PGPASSWORD_SECRET = { name: 'pgpassword', key: 'PGPASSWORD' } as const;

const DATA_MOUNT = '/var/lib/postgresql/data';

/**
 * Postgres: the app's permanent store of every index submitted. One pod, data on a
 * PersistentVolumeClaim, password from a Secret the operator creates.
 */
export class Postgres extends Construct {
  /** The Service that clients connect to. */
  public readonly service: kplus.Service;
  /** The host name clients use: the Service's name. */
  public readonly host: string;
  /** The port clients connect to. */
  public readonly port: number;
  /** The database user the app connects as. */
  public readonly user = 'postgres';
  /** The database the app uses. */
  public readonly database = 'postgres';
  /** The Secret key holding the password; the operator creates it. */
  public readonly passwordSecret: SecretKeyReference;
  /** The claim holding the database files. */
  public readonly claim: kplus.PersistentVolumeClaim;
  /** The Deployment and its Service. */
  public readonly workload: ComponentWorkload;

  constructor(scope: Construct, id: string, props: PostgresProps = {}) {
    super(scope, id);
    const storage = props.storageGibibytes ?? 2;
    if (!Number.isInteger(storage) || storage < 1) {
      throw new Error(`Postgres storageGibibytes must be a whole number >= 1, got ${storage}`);
    }
    const secretName = props.passwordSecretName ?? PGPASSWORD_SECRET.name;
    this.passwordSecret = {
      secret: kplus.Secret.fromSecretName(this, 'PasswordSecret', secretName),
      key: props.passwordSecretKey ?? PGPASSWORD_SECRET.key,
      description: 'password of the postgres user, read by postgres and the API server',
    };

    this.claim = new kplus.PersistentVolumeClaim(this, 'Claim', {
      metadata: { name: 'database-persistent-volume-claim' },
      // Access modes and storage class are immutable on a bound claim: exactly the course's, no class.
      accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
      storage: Size.gibibytes(storage),
    });
    const data = kplus.Volume.fromPersistentVolumeClaim(this, 'Data', this.claim, { name: 'postgres-storage' });

    const port = { number: 5432, name: 'postgres' };
    // Over TCP, so that the temporary socket-only server of initdb does not count as ready.
    const isReady = ['pg_isready', '--host', '127.0.0.1', '--port', String(port.number), '--username', this.user];
    this.workload = new ComponentWorkload(this, 'Workload', {
      component: 'postgres',
      name: 'postgres',
      deploymentName: 'postgres-deployment',
      containerName: 'postgres',
      serviceName: 'postgres-cluster-ip-service',
      image: props.image ?? POSTGRES_IMAGE,
      // One writer on one ReadWriteOnce volume: never two pods, and the old one stops before the new one starts.
      replicas: 1,
      strategy: 'Recreate',
      port,
      runAs: { user: 999, group: 999 },
      // Lets uid 999 create its data directory on a fresh volume owned by root.
      fsGroup: 999,
      writablePaths: { run: '/var/run/postgresql', tmp: '/tmp' },
      // The claim's root, with PGDATA in its `postgres` directory: the course's subPath layout, so
      // a migrated volume keeps its data, while postgres (not kubelet, as root) creates the directory
      // on a fresh one; the volume's lost+found stays outside PGDATA, which initdb needs empty.
      mounts: [{ volume: data, path: DATA_MOUNT }],
      env: {
        PGDATA: kplus.EnvValue.fromValue(`${DATA_MOUNT}/postgres`),
        POSTGRES_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: this.passwordSecret.secret, key: this.passwordSecret.key }),
      },
      resources: props.resources ?? { cpuRequestMillis: 100, cpuLimitMillis: 500, memoryRequestMebibytes: 256, memoryLimitMebibytes: 512 },
      probes: {
        // The first start runs initdb, which can take minutes on a slow disk: allow five.
        startup: commandProbe(isReady, { periodSeconds: 5, failureThreshold: 60, timeoutSeconds: 3 }),
        readiness: commandProbe(isReady, { periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 3 }),
        // A checkpoint can stall answers for a while; restart only after a minute of silence.
        liveness: commandProbe(isReady, { periodSeconds: 15, failureThreshold: 4, timeoutSeconds: 5 }),
      },
    });
    this.service = this.workload.requireService();
    this.host = this.service.name;
    this.port = port.number;
  }
}
