import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Autoscaler } from './autoscaler';
import { Availability } from './availability';
import { IPodPeer, ReadyCheck } from './contracts';
import { podDefaults } from './pod-defaults';
import { Scale } from './scale';

/** The label the course's manifests select pods by; Deployment selectors are immutable. */
export const COMPONENT_LABEL = 'component';
/** The app's name, in `app.kubernetes.io/part-of` and in the names of objects the course did not have. */
export const APP_NAME = 'multi-k8s';

/** CPU and memory, requested and capped, for one container: all four, so none falls to a default. */
export interface Resources {
  /** CPU requested and its limit. */
  readonly cpu: { readonly request: kplus.Cpu; readonly limit: kplus.Cpu };
  /** Memory requested and its limit. */
  readonly memory: { readonly request: Size; readonly limit: Size };
}

/**
 * Whether a reference names the moving tag `latest` with no digest to pin it: pulled on every
 * start (imagePullPolicy Always). A digest, with or without a tag, names fixed content.
 */
export function floatsOnLatest(image: string): boolean {
  return image.endsWith(':latest');
}

/** A Linux user and group the image is known to work as. */
export interface RunAs {
  /** The numeric uid; never 0. */
  readonly user: number;
  /** The numeric gid; never 0. */
  readonly group: number;
}

/** The one port a component serves and the ClusterIP Service in front of it: they come together. */
export interface ServedPort {
  /** The Service's name (the course's, e.g. `server-cluster-ip-service`); clients use it as their host. */
  readonly serviceName: string;
  /** The port number, 1-65535, the same in the container and the Service. */
  readonly port: number;
  /** The port's name: at most 15 characters, IANA service name syntax. */
  readonly portName: string;
  /** Holds liveness and readiness back until the process answers; required, because cdk8s-plus would add a TCP probe that gives up after ~30 s. */
  readonly startupProbe: kplus.Probe;
}

/** Liveness and readiness probes of the container. */
export interface Probes {
  /** Takes the pod out of its Services while it fails. @default - none */
  readonly readiness?: kplus.Probe;
  /** Restarts the container when it fails. @default - none */
  readonly liveness?: kplus.Probe;
}

export interface WorkloadProps {
  /** The value of the `component` label, as the course's manifests have it (e.g. `web`). */
  readonly component: string;
  /** The app.kubernetes.io/name of the component (e.g. `client`). */
  readonly name: string;
  /** The Deployment's name. */
  readonly deploymentName: string;
  /** The container's name. */
  readonly containerName: string;
  /** The full image reference. */
  readonly image: string;
  /** How many pods, and how a new version replaces the old. */
  readonly scale: Scale;
  /** With a scale that may run more than one pod: a disruption budget and a spread across nodes. @default false */
  readonly availability?: boolean;
  /** The port the container serves and its Service. @default - no port and no Service */
  readonly serves?: ServedPort;
  /** The uid and gid the image runs as. */
  readonly runAs: RunAs;
  /** The group that owns mounted volumes, so the non-root user can write them. @default - runAs.group */
  readonly fsGroup?: number;
  /** Directories the image writes at run time, each backed by an emptyDir (root stays read-only). @default {} */
  readonly writablePaths?: Readonly<Record<string, string>>;
  /** Further volumes and where to mount them. @default [] */
  readonly mounts?: readonly kplus.VolumeMount[];
  /** Environment variables, all strings or secret references. @default {} */
  readonly env?: Readonly<Record<string, kplus.EnvValue>>;
  /** CPU and memory. */
  readonly resources: Resources;
  /** Readiness and liveness probes. @default - none */
  readonly probes?: Probes;
  /** Checks run as init containers, in order, before the container starts: for providers the app does not retry. @default [] */
  readonly waitFor?: readonly ReadyCheck[];
}

/** CPU and memory of a ready check: a shell loop around one client call. */
const READY_CHECK_RESOURCES: Resources = {
  cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
  memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) },
};

/**
 * The hardened Deployment of one app component, its ServiceAccount, and its Service if it serves
 * a port: course-compatible names and selector, the Pod Security "restricted" settings, explicit
 * resources and probes. cdk8s-plus-27's defaults are each overridden here. The scale decides the
 * add-ons: an autoscaler when autoscaled; a disruption budget and spread when asked for and the
 * scale may run more than one pod.
 */
export class Workload extends Construct implements IPodPeer {
  /** The component's Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The ClusterIP Service in front of the pods, if the component serves a port. */
  public readonly service?: kplus.Service;
  /** The labels that select this component's pods. */
  public readonly podSelector: Readonly<Record<string, string>>;
  /** The container of the pod. */
  public readonly container: kplus.Container;
  /** The identity the pods run as; it holds no token and no permission. */
  public readonly serviceAccount: kplus.ServiceAccount;

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    this.podSelector = { [COMPONENT_LABEL]: props.component };
    const labels = {
      'app.kubernetes.io/name': props.name,
      'app.kubernetes.io/component': props.component,
      'app.kubernetes.io/part-of': APP_NAME,
    };
    // The house defaults (pod-defaults.ts): its ServiceAccount without a token, the restricted settings.
    const defaults = podDefaults(this, {
      owner: props.name, serviceAccountName: `${APP_NAME}-${props.name}`, labels,
      runAs: props.runAs, fsGroup: props.fsGroup, writablePaths: props.writablePaths,
    });
    checkProps(props);
    this.serviceAccount = defaults.serviceAccount;
    const { scale } = props;
    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: props.deploymentName, labels },
      serviceAccount: this.serviceAccount,
      // The selector must be exactly the course's `component: <x>`: it is immutable on a live Deployment.
      select: false,
      podMetadata: { labels: { ...this.podSelector, ...labels } },
      replicas: scale.minPods,
      strategy: scale.kind === 'exclusive'
        ? kplus.DeploymentStrategy.recreate()
        // Never fewer ready pods than asked for while a new version rolls out.
        : kplus.DeploymentStrategy.rollingUpdate({
          maxSurge: kplus.PercentOrAbsolute.absolute(1),
          maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
        }),
      automountServiceAccountToken: false,
      securityContext: {
        ...defaults.podSecurity,
        // Skips a recursive chown of a large volume on every start when ownership is already right.
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
      },
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: this.podSelector }));
    // Recreate is written without `rollingUpdate: null`. The API server had defaulted a
    // rollingUpdate on the course's Deployments, which Recreate forbids; kubectl's apply clears
    // it with the `$retainKeys: [type]` it sends for a strategy (test/program/apply.test.ts shows
    // it on a real server). An explicit null would be re-sent on every apply: kubectl's three-way
    // patch adds any key the live object lacks, a null one too (k8s.io/apimachinery
    // pkg/util/strategicpatch/patch.go diffMaps), so `kubectl apply` printed "configured" for
    // postgres and redis every time, with nothing to change.
    // cdk8s-plus writes this zero value; the API server stores it by leaving it out (omitempty),
    // so kubectl's three-way patch would re-send it and print "configured" on every apply of an
    // unchanged output. Without it, a repeated apply is "unchanged".
    ApiObject.of(this.deployment).addJsonPatch(JsonPatch.remove('/spec/minReadySeconds'));
    // The restricted settings cdk8s-plus-27 cannot write (the init containers' too), and its zero values.
    defaults.harden(ApiObject.of(this.deployment), '/spec/template', props.waitFor?.length ?? 0);

    const security = defaults.containerSecurity;
    (props.waitFor ?? []).forEach((check) => {
      this.deployment.addInitContainer({
        name: check.name,
        image: check.image,
        imagePullPolicy: floatsOnLatest(check.image) ? kplus.ImagePullPolicy.ALWAYS : kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: [...check.command],
        resources: READY_CHECK_RESOURCES,
        securityContext: security,
      });
    });

    const served = props.serves;
    this.container = this.deployment.addContainer({
      name: props.containerName,
      image: props.image,
      // Kubernetes' own rule made explicit: a moving tag is pulled every time, a commit's tag once.
      imagePullPolicy: floatsOnLatest(props.image) ? kplus.ImagePullPolicy.ALWAYS : kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: served ? [{ number: served.port, name: served.portName }] : [],
      envVariables: props.env ?? {},
      volumeMounts: [...defaults.writableMounts, ...(props.mounts ?? [])],
      // cdk8s-plus requests a whole CPU per container by default: nine pods would not fit a 2-CPU minikube.
      resources: props.resources,
      securityContext: security,
      startup: served?.startupProbe,
      readiness: props.probes?.readiness,
      liveness: props.probes?.liveness,
    });

    if (scale.kind === 'autoscaled') {
      new Autoscaler(this, 'Autoscaler', {
        deployment: this.deployment, min: scale.minPods, max: scale.maxPods, targetCpuUtilization: scale.targetCpuUtilization!, labels,
      });
    }
    if (props.availability && scale.maxPods > 1) {
      new Availability(this, 'Availability', { deployment: this.deployment, podSelector: this.podSelector, budgetName: `${props.name}-disruption-budget`, labels });
    }

    if (served) {
      this.service = new kplus.Service(this, 'Service', {
        metadata: { name: served.serviceName, labels },
        type: kplus.ServiceType.CLUSTER_IP,
        ports: [{ name: served.portName, port: served.port, targetPort: served.port }],
      });
      for (const [key, value] of Object.entries(this.podSelector)) this.service.selectLabel(key, value);
      // cdk8s-plus writes `externalIPs: []`, which the API server stores as absent (see above).
      ApiObject.of(this.service).addJsonPatch(JsonPatch.remove('/spec/externalIPs'));
    }
  }

  /** The Service of a component that serves a port; a component without one has nothing to connect to. */
  public requireService(): kplus.Service {
    if (!this.service) throw new Error(`${this.node.path} serves no port, so it has no Service`);
    return this.service;
  }
}

/** What podDefaults does not check (it refuses a root runAs, first). */
function checkProps(props: WorkloadProps): void {
  const port = props.serves?.port;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new Error(`${props.name}: serves.port must be a whole number from 1 to 65535, got ${port}`);
  }
  const { cpu, memory } = props.resources;
  if (millicores(cpu.request) > millicores(cpu.limit) || memory.request.toMebibytes() > memory.limit.toMebibytes()) {
    throw new Error(`${props.name}: resource requests must not exceed limits, got CPU ${cpu.request.amount}/${cpu.limit.amount}, `
      + `memory ${memory.request.toMebibytes()}Mi/${memory.limit.toMebibytes()}Mi (request/limit)`);
  }
}

/** kplus.Cpu keeps its amount as a quantity string: `250m` or a number of cores. */
function millicores(cpu: kplus.Cpu): number {
  return cpu.amount.endsWith('m') ? Number(cpu.amount.slice(0, -1)) : Number(cpu.amount) * 1000;
}
