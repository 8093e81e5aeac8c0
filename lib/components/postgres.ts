import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IClientEnv, IEndpoint } from './contracts';
import { Scale } from './scale';
import { Resources, Workload } from './workload';

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
  /** Size of the data volume claim: at least 1 GiB, in whole GiB. @default Size.gibibytes(2), the course's */
  readonly storage?: Size;
  /** CPU and memory of the postgres container. @default 100m/500m CPU, 256/512 MiB */
  readonly resources?: Resources;
}

/** The Secret the operator creates before the first apply (README: "Deploying"), as the course names it. */
export const PGPASSWORD_SECRET = { name: 'pgpassword', key: 'PGPASSWORD' } as const;

const DATA_MOUNT = '/var/lib/postgresql/data';

/**
 * Postgres: the app's permanent store of every index submitted. One pod, data on a
 * PersistentVolumeClaim, password from a Secret the operator creates.
 */
export class Postgres extends Construct implements IEndpoint, IClientEnv {
  public readonly service: kplus.Service;
  public readonly host: string;
  public readonly port = 5432;
  public readonly podSelector: Readonly<Record<string, string>>;
  /** The database user the app connects as. */
  public readonly user = 'postgres';
  /** The database the app uses. */
  public readonly database = 'postgres';
  /** The Secret key holding the password; the operator creates it. */
  public readonly passwordSecret: SecretKeyReference;
  /** PGUSER, PGHOST, PGPORT, PGDATABASE and PGPASSWORD: the names the course's server/keys.js reads. */
  public readonly clientEnv: Readonly<Record<string, kplus.EnvValue>>;
  /** The claim holding the database files. */
  public readonly claim: kplus.PersistentVolumeClaim;
  /** The Deployment and its Service. */
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: PostgresProps = {}) {
    super(scope, id);
    const storage = props.storage ?? Size.gibibytes(2);
    const gibibytes = storage.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
    if (!Number.isInteger(gibibytes) || gibibytes < 1) {
      throw new Error(`Postgres storage must be a whole number of GiB, at least 1, got ${gibibytes} GiB`);
    }
    const secretName = props.passwordSecretName ?? PGPASSWORD_SECRET.name;
    this.passwordSecret = {
      secret: kplus.Secret.fromSecretName(this, 'PasswordSecret', secretName),
      key: props.passwordSecretKey ?? PGPASSWORD_SECRET.key,
      description: 'password of the postgres user, read by postgres and the API server',
    };
    const password = kplus.EnvValue.fromSecretValue({ secret: this.passwordSecret.secret, key: this.passwordSecret.key });

    this.claim = new kplus.PersistentVolumeClaim(this, 'Claim', {
      metadata: { name: 'database-persistent-volume-claim' },
      // Access modes and storage class are immutable on a bound claim: exactly the course's, no class.
      accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
      storage,
    });
    const data = kplus.Volume.fromPersistentVolumeClaim(this, 'Data', this.claim, { name: 'postgres-storage' });

    // Over TCP, so that the temporary socket-only server of initdb does not count as ready.
    const isReady = (periodSeconds: number, failureThreshold: number, timeoutSeconds: number) => kplus.Probe.fromCommand(
      ['pg_isready', '--host', '127.0.0.1', '--port', String(this.port), '--username', this.user],
      { periodSeconds: Duration.seconds(periodSeconds), failureThreshold, timeoutSeconds: Duration.seconds(timeoutSeconds) },
    );
    this.workload = new Workload(this, 'Workload', {
      component: 'postgres',
      name: 'postgres',
      deploymentName: 'postgres-deployment',
      containerName: 'postgres',
      image: props.image ?? POSTGRES_IMAGE,
      // One writer on one ReadWriteOnce volume: never two pods, and the old one stops before the new one starts.
      scale: Scale.exclusive(),
      // The first start runs initdb, which can take minutes on a slow disk: allow five.
      serves: { serviceName: 'postgres-cluster-ip-service', port: this.port, portName: 'postgres', startupProbe: isReady(5, 60, 3) },
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
        POSTGRES_PASSWORD: password,
      },
      resources: props.resources ?? {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
      // A checkpoint can stall answers for a while; restart only after a minute of silence.
      probes: { readiness: isReady(5, 2, 3), liveness: isReady(15, 4, 5) },
    });
    this.service = this.workload.requireService();
    this.host = this.service.name;
    this.podSelector = this.workload.podSelector;
    this.clientEnv = {
      PGUSER: kplus.EnvValue.fromValue(this.user),
      PGHOST: kplus.EnvValue.fromValue(this.host),
      PGPORT: kplus.EnvValue.fromValue(String(this.port)),
      PGDATABASE: kplus.EnvValue.fromValue(this.database),
      PGPASSWORD: password,
    };
  }
}
