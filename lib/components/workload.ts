import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** The label the course's manifests select pods by; Deployment selectors are immutable. */
export const COMPONENT_LABEL = 'component';
export const APP_NAME = 'multi-k8s';

/** CPU in millicores and memory in MiB, requested and capped, for one container. */
export interface ResourceBudget {
  /** CPU requested, in millicores. */
  readonly cpuRequestMillis: number;
  /** CPU limit, in millicores. */
  readonly cpuLimitMillis: number;
  /** Memory requested, in MiB. */
  readonly memoryRequestMebibytes: number;
  /** Memory limit, in MiB. */
  readonly memoryLimitMebibytes: number;
}

/** A Linux user and group the image is known to work as. */
export interface RunAs {
  /** The numeric uid; never 0. */
  readonly user: number;
  /** The numeric gid; never 0. */
  readonly group: number;
}

/** A named container port. */
export interface NamedPort {
  /** The port number, 1-65535. */
  readonly number: number;
  /** The port's name: at most 15 characters, IANA service name syntax. */
  readonly name: string;
}

/** Bounds and target of a CPU autoscaler. */
export interface Autoscale {
  /** Fewest pods. */
  readonly min: number;
  /** Most pods. */
  readonly max: number;
  /** Average CPU use, in percent of the request, that the autoscaler aims for. */
  readonly targetCpuUtilization: number;
}

/** How often to probe, how many failures to accept, and how long to wait for an answer. */
export interface ProbeTiming {
  /** Seconds between probes. */
  readonly periodSeconds: number;
  /** Failures in a row before the probe counts as failed. */
  readonly failureThreshold: number;
  /** Seconds to wait for an answer. */
  readonly timeoutSeconds: number;
}

function timing(t: ProbeTiming) {
  return { periodSeconds: Duration.seconds(t.periodSeconds), failureThreshold: t.failureThreshold, timeoutSeconds: Duration.seconds(t.timeoutSeconds) };
}

/** An HTTP GET of a path on a port of the container. */
export function httpProbe(path: string, port: number, t: ProbeTiming): kplus.Probe {
  return kplus.Probe.fromHttpGet(path, { port, ...timing(t) });
}

/** A command run inside the container; exit 0 passes. */
export function commandProbe(command: string[], t: ProbeTiming): kplus.Probe {
  return kplus.Probe.fromCommand(command, timing(t));
}

/** Liveness, readiness and startup probes of the container. */
export interface ProbeSet {
  /** Holds the other probes back until the process has started. @default - none */
  readonly startup?: kplus.Probe;
  /** Takes the pod out of its Services while it fails. @default - none */
  readonly readiness?: kplus.Probe;
  /** Restarts the container when it fails. @default - none */
  readonly liveness?: kplus.Probe;
}

export interface ComponentWorkloadProps {
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
  /** Pod count, when not autoscaled. */
  readonly replicas: number;
  /** Scale on CPU between these bounds instead; the Deployment then leaves `replicas` to the autoscaler. @default - fixed replicas */
  readonly autoscale?: Autoscale;
  /** With more than one pod: a PodDisruptionBudget and a spread across nodes. @default true */
  readonly highAvailability?: boolean;
  /** `Recreate` for a component that must never run twice at once (one volume, one writer). */
  readonly strategy: 'RollingUpdate' | 'Recreate';
  /** The one port the container serves. @default - no port and no Service */
  readonly port?: NamedPort;
  /** The ClusterIP Service's name; required with `port`. @default - no Service */
  readonly serviceName?: string;
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
  readonly resources: ResourceBudget;
  /** Probes. @default - none */
  readonly probes?: ProbeSet;
}

/**
 * The Deployment (and Service, if it serves a port) of one app component, with what every
 * component shares: course-compatible names and selector, the Pod Security "restricted"
 * settings, explicit resources and probes. cdk8s-plus-27's defaults are each overridden here.
 */
export class ComponentWorkload extends Construct {
  /** The component's Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The ClusterIP Service in front of the pods, if the component serves a port. */
  public readonly service?: kplus.Service;
  /** The port the container and the Service serve, if any. */
  public readonly port?: NamedPort;
  /** The labels that select this component's pods. */
  public readonly selector: Readonly<Record<string, string>>;
  /** The container of the pod. */
  public readonly container: kplus.Container;
  /** The identity the pods run as; it holds no token and no permission. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The labels every pod of the component carries. */
  public readonly podLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ComponentWorkloadProps) {
    super(scope, id);
    checkProps(props);
    this.port = props.port;
    this.selector = { [COMPONENT_LABEL]: props.component };
    const labels = {
      'app.kubernetes.io/name': props.name,
      'app.kubernetes.io/component': props.component,
      'app.kubernetes.io/part-of': APP_NAME,
    };

    this.podLabels = { ...this.selector, ...labels };
    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: `${APP_NAME}-${props.name}`, labels },
      // No component calls the Kubernetes API: no token anywhere, and no Role is bound.
      automountToken: false,
    });
    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: props.deploymentName, labels },
      serviceAccount: this.serviceAccount,
      // The selector must be exactly the course's `component: <x>`: it is immutable on a live Deployment.
      select: false,
      podMetadata: { labels: this.podLabels },
      replicas: props.replicas,
      strategy: props.strategy === 'Recreate'
        ? kplus.DeploymentStrategy.recreate()
        // Never fewer ready pods than asked for while a new version rolls out.
        : kplus.DeploymentStrategy.rollingUpdate({
          maxSurge: kplus.PercentOrAbsolute.absolute(1),
          maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
        }),
      automountServiceAccountToken: false,
      securityContext: {
        // cdk8s-plus sets runAsNonRoot without a uid, and every image here starts as root unless told.
        ensureNonRoot: true,
        user: props.runAs.user,
        group: props.runAs.group,
        fsGroup: props.fsGroup ?? props.runAs.group,
        // Skips a recursive chown of a large volume on every start when ownership is already right.
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
      },
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: this.selector }));
    if (props.strategy === 'Recreate') {
      // A Deployment first created with the default strategy carries the API's defaulted
      // rollingUpdate, which Recreate forbids. kubectl's apply clears it with `$retainKeys`; the
      // explicit null also clears it for clients that send no such directive (a JSON merge patch,
      // a hand-written strategic patch). The API server decodes null as "not set". Set on the
      // rendered JSON: a JsonPatch would reach cdk8s-plus-27's typed converter, which has no null.
      const apiObject = ApiObject.of(this.deployment);
      const render = apiObject.toJson.bind(apiObject);
      apiObject.toJson = () => {
        const json = render();
        json.spec.strategy = { rollingUpdate: null, ...json.spec.strategy };
        return json;
      };
    }
    ApiObject.of(this.deployment).addJsonPatch(
      // cdk8s-plus always adds its hashed address label to pods; the course selects by `component` only.
      JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'),
      // cdk8s-plus-27 has no seccompProfile field; the restricted Pod Security profile requires one.
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      // Its Capability enum has no ALL, which the restricted profile requires dropping.
      JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
    );

    const writableMounts = Object.entries(props.writablePaths ?? {}).map(([volumeName, path]) => ({
      path,
      volume: kplus.Volume.fromEmptyDir(this, `Writable-${volumeName}`, volumeName, { sizeLimit: Size.mebibytes(64) }),
    }));

    this.container = this.deployment.addContainer({
      name: props.containerName,
      image: props.image,
      // Kubernetes' own rule made explicit: a moving tag is pulled every time, a commit's tag once.
      imagePullPolicy: props.image.endsWith(':latest') ? kplus.ImagePullPolicy.ALWAYS : kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: props.port ? [{ number: props.port.number, name: props.port.name }] : [],
      envVariables: props.env ?? {},
      volumeMounts: [...writableMounts, ...(props.mounts ?? [])],
      resources: {
        // cdk8s-plus requests a whole CPU per container by default: nine pods would not fit a 2-CPU minikube.
        cpu: { request: kplus.Cpu.millis(props.resources.cpuRequestMillis), limit: kplus.Cpu.millis(props.resources.cpuLimitMillis) },
        memory: { request: Size.mebibytes(props.resources.memoryRequestMebibytes), limit: Size.mebibytes(props.resources.memoryLimitMebibytes) },
      },
      securityContext: {
        ensureNonRoot: true,
        user: props.runAs.user,
        group: props.runAs.group,
        // The root filesystem stays read-only; writablePaths lists each directory the image needs.
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
      },
      startup: props.probes?.startup,
      readiness: props.probes?.readiness,
      liveness: props.probes?.liveness,
    });

    const minimumPods = props.autoscale?.min ?? props.replicas;
    if (props.autoscale) this.autoscale(props.autoscale, labels);
    if (minimumPods > 1 && (props.highAvailability ?? true)) this.keepAvailable(props.name, labels);

    if (props.port && props.serviceName) {
      this.service = new kplus.Service(this, 'Service', {
        metadata: { name: props.serviceName, labels },
        type: kplus.ServiceType.CLUSTER_IP,
        ports: [{ name: props.port.name, port: props.port.number, targetPort: props.port.number }],
      });
      for (const [key, value] of Object.entries(this.selector)) this.service.selectLabel(key, value);
    }
  }

  private autoscale(autoscale: Autoscale, labels: Record<string, string>): void {
    // An HPA-managed Deployment must not set replicas: every `kubectl apply` would reset the HPA's choice.
    this.deployment.markHasAutoscaler();
    new kplus.k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
      metadata: { name: this.deployment.name, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.deployment.name },
        minReplicas: autoscale.min,
        maxReplicas: autoscale.max,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscale.targetCpuUtilization } } }],
      },
    });
  }

  private keepAvailable(name: string, labels: Record<string, string>): void {
    // A node drain takes at most one pod at a time.
    new kplus.k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: { name: `${name}-disruption-budget`, labels },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...this.selector } } },
    });
    ApiObject.of(this.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [{
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      // Spread when there are nodes to spread over; a one-node minikube still schedules every pod.
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { ...this.selector } },
    }]));
  }

  /** The Service of a component that serves a port; a component without one has nothing to connect to. */
  public requireService(): kplus.Service {
    if (!this.service) throw new Error(`${this.node.path} serves no port, so it has no Service`);
    return this.service;
  }
}

function checkProps(props: ComponentWorkloadProps): void {
  if (!Number.isInteger(props.replicas) || props.replicas < 1) {
    throw new Error(`${props.name}: replicas must be a whole number >= 1, got ${props.replicas}`);
  }
  const a = props.autoscale;
  if (a && (!Number.isInteger(a.min) || !Number.isInteger(a.max) || a.min < 1 || a.min > a.max)) {
    throw new Error(`${props.name}: autoscale needs whole numbers 1 <= min <= max, got min ${a.min}, max ${a.max}`);
  }
  if (a && !(a.targetCpuUtilization > 0 && a.targetCpuUtilization <= 100)) {
    throw new Error(`${props.name}: autoscale targetCpuUtilization must be a percentage from 1 to 100, got ${a.targetCpuUtilization}`);
  }
  if (props.runAs.user <= 0 || props.runAs.group <= 0) {
    throw new Error(`${props.name}: runAs user and group must be non-zero (non-root), got ${props.runAs.user}:${props.runAs.group}`);
  }
  if (props.port && !props.probes?.startup) {
    // cdk8s-plus would add its own TCP startup probe, which gives up after about 30 s.
    throw new Error(`${props.name}: a component that serves a port needs an explicit startup probe`);
  }
  if (props.port && !props.serviceName) {
    throw new Error(`${props.name}: a component that serves a port needs a serviceName`);
  }
  const r = props.resources;
  if (r.cpuRequestMillis > r.cpuLimitMillis || r.memoryRequestMebibytes > r.memoryLimitMebibytes) {
    throw new Error(`${props.name}: resource requests must not exceed limits, got ${JSON.stringify(r)}`);
  }
}
