import { ApiObject, JsonPatch, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IAwaitable, IClientEnv, IEndpoint, ReadyCheck } from './contracts';
import { command, every } from './probes';
import { Scale } from './scale';
import { Resources, Workload } from './workload';

/** The official postgres image, pinned so that a deploy never picks up a new major by surprise. */
export const POSTGRES_IMAGE = 'postgres:17.6';

/**
 * The major version a postgres image tag names (`postgres:17.6` -> 17, `postgres:18-alpine` -> 18),
 * or undefined when the tag names none (`latest`, a digest): a server refuses another major's data
 * directory, and the directory's layout changed with 18, so the major must be known.
 */
export function postgresMajor(image: string): number | undefined {
  const match = /:(\d+)(?:[.-][^/@:]*)?(?:@sha256:[0-9a-f]{64})?$/.exec(image);
  return match ? Number(match[1]) : undefined;
}

/** Where the volume is mounted and where PGDATA lies inside it, by major version. */
function dataLayout(major: number): { mount: string; pgdata: string } {
  // The official image's Dockerfile: up to 17, `VOLUME /var/lib/postgresql/data` and PGDATA there;
  // from 18, `VOLUME /var/lib/postgresql` and `PGDATA /var/lib/postgresql/<major>/docker` (the
  // pg_ctlcluster layout, which lets pg_upgrade --link see both majors on one volume), and its
  // entrypoint refuses to start when /var/lib/postgresql/data is a mount.
  if (major >= 18) return { mount: '/var/lib/postgresql', pgdata: `/var/lib/postgresql/${major}/docker` };
  // The course mounted the claim with `subPath: postgres` at /var/lib/postgresql/data: PGDATA in the
  // claim's `postgres` directory keeps a migrated volume's data, while postgres (not kubelet, as
  // root) creates the directory on a fresh one, and the volume's lost+found stays outside PGDATA,
  // which initdb needs empty.
  return { mount: '/var/lib/postgresql/data', pgdata: '/var/lib/postgresql/data/postgres' };
}

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
  /** The postgres image, tagged with its major version (the data's layout follows it). @default POSTGRES_IMAGE */
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

/** What the postgres image writes outside its data: the socket and lock files, and temporary files. */
const WRITABLE_PATHS = { run: '/var/run/postgresql', tmp: '/tmp' };

/** The Secret the operator creates before the first apply (README: "Deploying"), as the course names it. */
export const PGPASSWORD_SECRET = { name: 'pgpassword', key: 'PGPASSWORD' } as const;

/**
 * Postgres: the app's permanent store of every index submitted. One pod, data on a
 * PersistentVolumeClaim, password from a Secret the operator creates.
 */
export class Postgres extends Construct implements IEndpoint, IClientEnv, IAwaitable {
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
  /** An init container for clients that must not start before the database accepts connections. */
  public readonly readyCheck: ReadyCheck;
  /** The image, and with it the major version the data directory belongs to. */
  public readonly image: string;
  /** The claim holding the database files. */
  public readonly claim: kplus.PersistentVolumeClaim;
  /** The Deployment and its Service. */
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: PostgresProps = {}) {
    super(scope, id);
    this.image = props.image ?? POSTGRES_IMAGE;
    const major = postgresMajor(this.image);
    if (major === undefined) {
      throw new Error(`Postgres image "${this.image}" names no major version: allowed is a tag that starts with it, e.g. postgres:17.6 or postgres:18-alpine (the data directory belongs to one major)`);
    }
    const layout = dataLayout(major);
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
    const isReady = command(['pg_isready', '--host', '127.0.0.1', '--port', String(this.port), '--username', this.user]);
    this.workload = new Workload(this, 'Workload', {
      component: 'postgres',
      name: 'postgres',
      deploymentName: 'postgres-deployment',
      containerName: 'postgres',
      image: this.image,
      // One writer on one ReadWriteOnce volume: never two pods, and the old one stops before the new one starts.
      scale: Scale.exclusive(),
      // The first start runs initdb, which can take minutes on a slow disk: allow five.
      serves: { serviceName: 'postgres-cluster-ip-service', port: this.port, portName: 'postgres', startupProbe: isReady(every(5, 60, 3)) },
      runAs: { user: 999, group: 999 },
      // Lets uid 999 create its data directory on a fresh volume owned by root.
      fsGroup: 999,
      writablePaths: WRITABLE_PATHS,
      mounts: [{ volume: data, path: layout.mount }],
      env: {
        PGDATA: kplus.EnvValue.fromValue(layout.pgdata),
        POSTGRES_PASSWORD: password,
      },
      resources: props.resources ?? {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
      // A checkpoint can stall answers for a while; restart only after a minute of silence.
      probes: { readiness: isReady(every(5, 2, 3)), liveness: isReady(every(15, 4, 5)) },
    });
    // cdk8s-plus writes the claim volume's `readOnly: false`, which the API server stores as absent
    // (omitempty): kubectl would re-send it and print "configured" on every apply. The claim's
    // volume follows the writable paths' emptyDirs; the test op fails the synth if that changes.
    const claimVolume = `/spec/template/spec/volumes/${Object.keys(WRITABLE_PATHS).length}`;
    ApiObject.of(this.workload.deployment).addJsonPatch(
      JsonPatch.test(`${claimVolume}/name`, 'postgres-storage'),
      JsonPatch.remove(`${claimVolume}/persistentVolumeClaim/readOnly`),
    );
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
    // The course's server creates its table once, at start, with no retry: started before postgres
    // accepts connections (initdb runs first on a new volume), it never has the table. pg_isready
    // comes with the postgres image; --username spares it looking up the pod's uid, which the
    // image's passwd does not know.
    const check = `until pg_isready --host ${this.host} --port ${this.port} --username ${this.user} --timeout 2; do echo "waiting for ${this.host}:${this.port}"; sleep 2; done`;
    this.readyCheck = { name: 'wait-for-postgres', image: this.image, command: ['sh', '-c', check] };
  }
}
