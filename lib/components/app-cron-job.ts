import { ApiObject, Cron, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IPodPeer, IServingPods } from './contracts';
import { ConnectionPolicy } from './connection-policy';
import { podDefaults } from './pod-defaults';
import { APP_NAME, COMPONENT_LABEL, Resources, RunAs } from './workload';

export interface AppCronJobProps {
  /** The CronJob's name (at most 52 characters, a DNS label), its `component` label, and its ServiceAccount's `multi-k8s-<name>`. */
  readonly name: string;
  /** When it runs, e.g. `Cron.daily()` or `Cron.schedule({ minute: '0', hour: '3' })` (UTC unless `timeZone`). */
  readonly schedule: Cron;
  /** An IANA time zone for the schedule, e.g. `Europe/Paris`. @default - the controller's, UTC on most clusters */
  readonly timeZone?: string;
  /** The full image reference, pinned (the `image-tag` check refuses `latest` and no tag). */
  readonly image: string;
  /** The command and its arguments. */
  readonly command: readonly string[];
  /** Environment variables: a provider's `clientEnv` (e.g. `chart.postgres.clientEnv`), spread, plus your own. @default {} */
  readonly env?: Readonly<Record<string, kplus.EnvValue>>;
  /** The uid and gid the image works as; never 0 (e.g. 999 for the postgres image). */
  readonly runAs: RunAs;
  /** CPU and memory. @default 10m/200m CPU, 32/128 MiB memory: a client call */
  readonly resources?: Resources;
  /** Directories the command writes, each an emptyDir (the root stays read-only), e.g. `{ tmp: '/tmp' }`. @default {} */
  readonly writablePaths?: Readonly<Record<string, string>>;
  /** What it connects to (e.g. `chart.postgres`): a NetworkPolicy pair for each lets it through the app's default deny. @default [] */
  readonly connectsTo?: readonly IServingPods[];
  /** A run that lasts longer than this is stopped. @default Duration.hours(1) */
  readonly activeDeadline?: Duration;
}

/** The resources of a command that is mostly a client call: psql, pg_dump of a small database, redis-cli. */
const CLIENT_CALL_RESOURCES: Resources = {
  cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(200) },
  memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) },
};

/**
 * A CronJob of the app with the house defaults the app's Deployments have (pod-defaults.ts): its own
 * ServiceAccount with no token, the Pod Security "restricted" settings (non-root uid, read-only
 * root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp), explicit
 * resources, the app's labels (so the app's default-deny NetworkPolicies isolate its pods and
 * its DNS policy lets them resolve names), and a NetworkPolicy pair for each provider it
 * connects to. It serves no port, so it has no probes (the `probes` check asks them only of
 * containers that serve). Runs never overlap (`Forbid`): a slow run is not doubled by the next.
 */
export class AppCronJob extends Construct implements IPodPeer {
  /** The CronJob: the object to `acceptFinding` on. */
  public readonly cronJob: kplus.CronJob;
  /** Its container. */
  public readonly container: kplus.Container;
  /** Its ServiceAccount. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The labels that select its pods. */
  public readonly podSelector: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AppCronJobProps) {
    super(scope, id);
    this.podSelector = { [COMPONENT_LABEL]: props.name };
    const labels = { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/component': props.name, 'app.kubernetes.io/part-of': APP_NAME };
    // The house defaults of the app's Deployments (pod-defaults.ts, which Workload uses too).
    const defaults = podDefaults(this, {
      owner: `AppCronJob ${props.name}`, serviceAccountName: `${APP_NAME}-${props.name}`, labels, runAs: props.runAs, writablePaths: props.writablePaths,
    });
    this.serviceAccount = defaults.serviceAccount;
    this.cronJob = new kplus.CronJob(this, 'CronJob', {
      metadata: { name: props.name, labels },
      schedule: props.schedule,
      timeZone: props.timeZone,
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      activeDeadline: props.activeDeadline ?? Duration.hours(1),
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      podMetadata: { labels: { ...this.podSelector, ...labels } },
      securityContext: defaults.podSecurity,
    });
    this.container = this.cronJob.addContainer({
      name: props.name,
      image: props.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: [...props.command],
      envVariables: { ...props.env },
      volumeMounts: [...defaults.writableMounts],
      // cdk8s-plus would ask a whole CPU and 512 MiB for a command that mostly waits on the network.
      resources: props.resources ?? CLIENT_CALL_RESOURCES,
      securityContext: defaults.containerSecurity,
    });
    defaults.harden(ApiObject.of(this.cronJob), '/spec/jobTemplate/spec/template');
    (props.connectsTo ?? []).forEach((endpoint, i) => {
      const to = Object.values(endpoint.podSelector).join('-');
      new ConnectionPolicy(this, `Connection${i}`, { name: `${props.name}-to-${to}`, from: this, to: endpoint });
    });
  }
}
