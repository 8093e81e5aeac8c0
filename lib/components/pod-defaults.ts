import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { RunAs } from './workload';

export interface PodDefaultsProps {
  /** Who the pods are, as an error names them (e.g. `client`, `AppCronJob values-count`). */
  readonly owner: string;
  /** The ServiceAccount is `<APP_NAME>-<name>`: the caller passes that whole name. */
  readonly serviceAccountName: string;
  /** The labels of the ServiceAccount. */
  readonly labels: Readonly<Record<string, string>>;
  /** The uid and gid the image works as; never 0. */
  readonly runAs: RunAs;
  /** The group that owns mounted volumes. @default - runAs.group */
  readonly fsGroup?: number;
  /** Directories the image writes, each an emptyDir (the root stays read-only). @default {} */
  readonly writablePaths?: Readonly<Record<string, string>>;
}

/** The house defaults of one app pod, for a cdk8s-plus workload to take (PodDefaults.harden adds what it cannot write). */
export interface PodDefaults {
  /** Its own ServiceAccount, holding no token: no component calls the Kubernetes API. */
  readonly serviceAccount: kplus.ServiceAccount;
  /** The pod's securityContext: a uid (cdk8s-plus sets runAsNonRoot without one, and the images start as root unless told), a gid, the volumes' group. */
  readonly podSecurity: kplus.PodSecurityContextProps;
  /** Each container's securityContext: non-root, a read-only root (writablePaths lists each directory written), no privilege escalation. */
  readonly containerSecurity: kplus.ContainerSecurityContextProps;
  /** The emptyDir mounts of writablePaths. */
  readonly writableMounts: readonly kplus.VolumeMount[];
  /**
   * Adds to the rendered workload what cdk8s-plus-27 cannot express, and drops what it writes in
   * vain, on the pod template at `templatePath` (`/spec/template` of a Deployment).
   * @param initContainers how many init containers the pod has: each is held to the same rules
   */
  harden(object: ApiObject, templatePath: string, initContainers?: number): void;
}

/**
 * The Pod Security "restricted" settings and the identity every pod of the app gets, shared by
 * Workload's Deployments and AppCronJob: one place for the house defaults. Throws, naming the
 * owner, when runAs is root.
 */
export function podDefaults(scope: Construct, props: PodDefaultsProps): PodDefaults {
  const { runAs } = props;
  if (runAs.user <= 0 || runAs.group <= 0) {
    throw new Error(`${props.owner}: runAs user and group must be non-zero (non-root), got ${runAs.user}:${runAs.group}`);
  }
  const serviceAccount = new kplus.ServiceAccount(scope, 'ServiceAccount', {
    metadata: { name: props.serviceAccountName, labels: { ...props.labels } },
    automountToken: false,
  });
  const writableMounts = Object.entries(props.writablePaths ?? {}).map(([volumeName, path]) => ({
    path,
    volume: kplus.Volume.fromEmptyDir(scope, `Writable-${volumeName}`, volumeName, { sizeLimit: Size.mebibytes(64) }),
  }));
  return {
    serviceAccount,
    podSecurity: { ensureNonRoot: true, user: runAs.user, group: runAs.group, fsGroup: props.fsGroup ?? runAs.group },
    containerSecurity: {
      ensureNonRoot: true,
      user: runAs.user,
      group: runAs.group,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
    },
    writableMounts,
    harden(object, templatePath, initContainers = 0) {
      object.addJsonPatch(
        // cdk8s-plus always adds its hashed address label to pods; the app selects by `component` only.
        JsonPatch.remove(`${templatePath}/metadata/labels/cdk8s.io~1metadata.addr`),
        // A zero value the API server stores by leaving it out (omitempty): kubectl's three-way
        // patch would re-send it and print "configured" on every apply of an unchanged output.
        JsonPatch.remove(`${templatePath}/spec/hostNetwork`),
        // cdk8s-plus-27 has no seccompProfile field; the restricted Pod Security profile requires one.
        JsonPatch.add(`${templatePath}/spec/securityContext/seccompProfile`, { type: 'RuntimeDefault' }),
        // Its Capability enum has no ALL, which the restricted profile requires dropping,
        // of init containers too.
        JsonPatch.add(`${templatePath}/spec/containers/0/securityContext/capabilities`, { drop: ['ALL'] }),
        ...Array.from({ length: initContainers }, (_, i) => JsonPatch.add(`${templatePath}/spec/initContainers/${i}/securityContext/capabilities`, { drop: ['ALL'] })),
      );
    },
  };
}
