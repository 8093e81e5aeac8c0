import { isObject, namespaceOf, podTemplate, PodTemplate } from './pods';
import { Finding, KubeObject, objectPath } from './problem';

/**
 * Pod Security admission, as the API server runs it (k8s.io/pod-security-admission): the
 * Pod Security Standards' checks (policy/check_*.go, each named below by its check ID), and the
 * admission's verdict on an object in a namespace labelled `pod-security.kubernetes.io/enforce`
 * (admission/admission.go): a Pod that violates the level is refused ("violates PodSecurity
 * \"restricted:latest\": ..."), a workload whose pod template does gets a warning ("would
 * violate PodSecurity ..."), as `warn` does for both. The real 1.34 server shows both on
 * test/fixtures/valid (test/validate/pod-security.test.ts asks it).
 *
 * Each check gives the server's reason and detail (for the admission's message) and one finding
 * per field (for the policy check `[restricted]` in policy.ts, which runs the same checks).
 */

export const LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type Level = (typeof LEVELS)[number];

/** The newest Pod Security version the validator knows: a 1.34 server's `latest` (and the newest it targets). */
export const LATEST_MINOR = 34;

/** One check's verdict: the server's words, and the fields that make it. */
export interface Violation {
  /** The check's ID (policy/check_*.go), by which the server orders its reasons. */
  readonly id: string;
  readonly reason: string;
  readonly detail: string;
  readonly findings: Finding[];
}

interface Container {
  readonly container: KubeObject;
  readonly path: string;
}

interface Pod {
  readonly spec: KubeObject;
  readonly at: string;
  readonly annotations: Record<string, unknown>;
  readonly annotationsAt: string;
  readonly containers: Container[];
  readonly windows: boolean;
  readonly minor: number;
}

interface Check {
  readonly id: string;
  readonly level: 'baseline' | 'restricted';
  readonly since: number;
  /** Baseline checks a restricted check replaces (OverrideCheckIDs). */
  readonly overrides?: string;
  readonly run: (pod: Pod) => Omit<Violation, 'id'> | undefined;
}

const list = (value: unknown): any[] => (Array.isArray(value) ? value : []);
const sc = (c: Container): KubeObject => (isObject(c.container.securityContext) ? c.container.securityContext : {});
const podSc = (pod: Pod): KubeObject => (isObject(pod.spec.securityContext) ? pod.spec.securityContext : {});
const name = (c: Container) => String(c.container.name ?? '');
// policy/helpers.go pluralize and joinQuote.
const plural = (one: string, many: string, n: number) => (n === 1 ? one : many);
const quote = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(', ');
const containersText = (names: readonly string[]) => `${plural('container', 'containers', names.length)} ${quote(names)}`;
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/**
 * Setters that each set a field (pod, containers): the findings at their paths, and the server's
 * "pod and containers "a", "b"" phrase (policy/check_runAsUser.go and its kind).
 */
function setters(pod: Pod, podBad: boolean, bad: Container[], field: string, message: string, allowed: string): { phrase: string; findings: Finding[] } {
  const phrases = [...(podBad ? ['pod'] : []), ...(bad.length ? [containersText(bad.map(name))] : [])];
  const findings = [
    ...(podBad ? [{ path: `${pod.at}.securityContext.${field}`, message, allowed }] : []),
    ...bad.map((c) => ({ path: `${c.path}.securityContext.${field}`, message, allowed })),
  ];
  return { phrase: phrases.join(' and '), findings };
}

const CAPABILITIES_BASELINE = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
const SYSCTLS: [number, string[]][] = [
  [0, ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
];
const seccompOk = (type: unknown) => type === 'RuntimeDefault' || type === 'Localhost';

const CHECK_LIST: Check[] = [
  {
    // check_allowPrivilegeEscalation.go (Windows pods exempt since 1.25).
    id: 'allowPrivilegeEscalation', level: 'restricted', since: 8,
    run: (pod) => {
      if (pod.windows && pod.minor >= 25) return undefined;
      const bad = pod.containers.filter((c) => sc(c).allowPrivilegeEscalation !== false);
      if (!bad.length) return undefined;
      return {
        reason: 'allowPrivilegeEscalation != false',
        detail: `${containersText(bad.map(name))} must set securityContext.allowPrivilegeEscalation=false`,
        findings: bad.map((c) => ({ path: `${c.path}.securityContext.allowPrivilegeEscalation`, message: 'privilege escalation is not disabled', allowed: 'allowPrivilegeEscalation: false' })),
      };
    },
  },
  {
    // check_appArmorProfile.go: a profile type other than RuntimeDefault or Localhost, or an annotation other than runtime/default or localhost/*.
    id: 'appArmorProfile', level: 'baseline', since: 0,
    run: (pod) => {
      const badType = (s: KubeObject) => isObject(s.appArmorProfile) && !['RuntimeDefault', 'Localhost'].includes(s.appArmorProfile.type);
      const podBad = badType(podSc(pod));
      const bad = pod.containers.filter((c) => badType(sc(c)));
      const values = sorted([...(podBad ? [podSc(pod).appArmorProfile.type] : []), ...bad.map((c) => sc(c).appArmorProfile.type)].map(String));
      const prefix = 'container.apparmor.security.beta.kubernetes.io/';
      const annotations = Object.entries(pod.annotations)
        .filter(([k, v]) => k.startsWith(prefix) && !(v === '' || v === 'runtime/default' || String(v).startsWith('localhost/')));
      const { phrase, findings } = setters(pod, podBad, bad, 'appArmorProfile.type', 'the AppArmor profile type is not RuntimeDefault or Localhost', 'RuntimeDefault or Localhost');
      const annotationTexts = annotations.map(([k, v]) => `${k}=${JSON.stringify(String(v))}`).sort();
      if (!findings.length && !annotationTexts.length) return undefined;
      const all = [...values, ...annotationTexts];
      const who = [phrase, ...(annotationTexts.length ? [plural('annotation', 'annotations', annotationTexts.length)] : [])].filter(Boolean).join(' and ');
      return {
        reason: plural('forbidden AppArmor profile', 'forbidden AppArmor profiles', all.length),
        detail: `${who} must not set AppArmor profile type to ${quote(all)}`,
        findings: [...findings, ...annotations.map(([k]) => ({ path: `${pod.annotationsAt}.${k}`, message: 'the AppArmor profile is not runtime/default or localhost/*', allowed: 'runtime/default or localhost/NAME' }))],
      };
    },
  },
  {
    // check_capabilities_baseline.go.
    id: 'capabilities_baseline', level: 'baseline', since: 0,
    run: (pod) => {
      const added = (c: Container) => list(sc(c).capabilities?.add).filter((cap) => !CAPABILITIES_BASELINE.includes(cap));
      const bad = pod.containers.filter((c) => added(c).length);
      if (!bad.length) return undefined;
      return {
        reason: 'non-default capabilities',
        detail: `${containersText(bad.map(name))} must not include ${quote(sorted(bad.flatMap(added)))} in securityContext.capabilities.add`,
        findings: bad.map((c) => ({ path: `${c.path}.securityContext.capabilities.add`, message: `adds ${added(c).join(', ')}`, allowed: `only ${CAPABILITIES_BASELINE.join(', ')}` })),
      };
    },
  },
  {
    // check_capabilities_restricted.go (Windows pods exempt since 1.25).
    id: 'capabilities_restricted', level: 'restricted', since: 22, overrides: 'capabilities_baseline',
    run: (pod) => {
      if (pod.windows && pod.minor >= 25) return undefined;
      const noDrop = pod.containers.filter((c) => !list(sc(c).capabilities?.drop).includes('ALL'));
      const added = (c: Container) => list(sc(c).capabilities?.add).filter((cap) => cap !== 'NET_BIND_SERVICE');
      const adding = pod.containers.filter((c) => added(c).length);
      if (!noDrop.length && !adding.length) return undefined;
      const details = [
        ...(noDrop.length ? [`${containersText(noDrop.map(name))} must set securityContext.capabilities.drop=["ALL"]`] : []),
        ...(adding.length ? [`${containersText(adding.map(name))} must not include ${quote(sorted(adding.flatMap(added)))} in securityContext.capabilities.add`] : []),
      ];
      return {
        reason: 'unrestricted capabilities',
        detail: details.join('; '),
        findings: [
          ...noDrop.map((c) => ({ path: `${c.path}.securityContext.capabilities.drop`, message: 'capabilities are not all dropped', allowed: 'drop: [ALL]' })),
          ...adding.map((c) => ({ path: `${c.path}.securityContext.capabilities.add`, message: `adds ${added(c).join(', ')}`, allowed: 'only NET_BIND_SERVICE' })),
        ],
      };
    },
  },
  {
    // check_hostNamespaces.go.
    id: 'hostNamespaces', level: 'baseline', since: 0,
    run: (pod) => {
      const on = ['hostNetwork', 'hostPID', 'hostIPC'].filter((field) => pod.spec[field] === true);
      if (!on.length) return undefined;
      return { reason: 'host namespaces', detail: on.map((f) => `${f}=true`).join(', '), findings: on.map((f) => ({ path: `${pod.at}.${f}`, message: `${f} is true`, allowed: 'false or unset' })) };
    },
  },
  {
    // check_hostPathVolumes.go.
    id: 'hostPathVolumes', level: 'baseline', since: 0,
    run: (pod) => {
      const bad = list(pod.spec.volumes).map((v, i) => ({ v, i })).filter(({ v }) => isObject(v) && v.hostPath !== undefined);
      if (!bad.length) return undefined;
      return {
        reason: 'hostPath volumes',
        detail: `${plural('volume', 'volumes', bad.length)} ${quote(bad.map(({ v }) => String(v.name ?? '')))}`,
        findings: bad.map(({ i }) => ({ path: `${pod.at}.volumes[${i}].hostPath`, message: 'volume type hostPath is not allowed', allowed: 'a volume that is not a hostPath' })),
      };
    },
  },
  {
    // check_hostPorts.go.
    id: 'hostPorts', level: 'baseline', since: 0,
    run: (pod) => {
      const ports = (c: Container) => list(c.container.ports).map((p, i) => ({ p, i })).filter(({ p }) => isObject(p) && p.hostPort !== undefined && p.hostPort !== 0);
      const bad = pod.containers.filter((c) => ports(c).length);
      if (!bad.length) return undefined;
      const all = sorted(bad.flatMap((c) => ports(c).map(({ p }) => String(p.hostPort))));
      return {
        reason: 'hostPort',
        detail: `${containersText(bad.map(name))} ${plural('uses', 'use', bad.length)} ${plural('hostPort', 'hostPorts', all.length)} ${all.join(', ')}`,
        findings: bad.flatMap((c) => ports(c).map(({ p, i }) => ({ path: `${c.path}.ports[${i}].hostPort`, message: `hostPort ${p.hostPort}`, allowed: 'no hostPort' }))),
      };
    },
  },
  {
    // check_hostProbesAndhostLifecycle.go (since 1.34): probes and lifecycle handlers may not name a host.
    id: 'hostProbesAndHostLifecycle', level: 'baseline', since: 34,
    run: (pod) => {
      const hosts = (c: Container) => [
        ...['livenessProbe', 'readinessProbe', 'startupProbe'].map((p) => [p, c.container[p]] as const),
        ...['postStart', 'preStop'].map((p) => [`lifecycle.${p}`, c.container.lifecycle?.[p]] as const),
      ].flatMap(([where, handler]) => ['httpGet', 'tcpSocket'].filter((h) => isObject(handler?.[h]) && typeof handler[h].host === 'string' && handler[h].host !== '')
        .map((h) => ({ path: `${c.path}.${where}.${h}.host`, host: String(handler[h].host) })));
      const bad = pod.containers.filter((c) => hosts(c).length);
      if (!bad.length) return undefined;
      const all = sorted(bad.flatMap((c) => hosts(c).map((h) => h.host)));
      return {
        reason: 'probe or lifecycle host',
        detail: `${containersText(sorted(bad.map(name)))} ${plural('uses', 'use', bad.length)} ${plural('probe or lifecycle host', 'probe or lifecycle hosts', all.length)} ${quote(all)}`,
        findings: bad.flatMap((c) => hosts(c).map((h) => ({ path: h.path, message: `probes the host ${h.host}`, allowed: 'no host: the pod\'s own IP' }))),
      };
    },
  },
  {
    // check_privileged.go.
    id: 'privileged', level: 'baseline', since: 0,
    run: (pod) => {
      const bad = pod.containers.filter((c) => sc(c).privileged === true);
      if (!bad.length) return undefined;
      return {
        reason: 'privileged',
        detail: `${containersText(bad.map(name))} must not set securityContext.privileged=true`,
        findings: bad.map((c) => ({ path: `${c.path}.securityContext.privileged`, message: 'the container is privileged', allowed: 'privileged: false' })),
      };
    },
  },
  {
    // check_procMount_baseline.go.
    id: 'procMount', level: 'baseline', since: 0,
    run: (pod) => {
      const bad = pod.containers.filter((c) => sc(c).procMount !== undefined && sc(c).procMount !== 'Default');
      if (!bad.length) return undefined;
      return {
        reason: 'procMount',
        detail: `${containersText(bad.map(name))} must not set securityContext.procMount to ${quote(sorted(bad.map((c) => String(sc(c).procMount))))}`,
        findings: bad.map((c) => ({ path: `${c.path}.securityContext.procMount`, message: `procMount is ${sc(c).procMount}`, allowed: 'Default or unset' })),
      };
    },
  },
  {
    // check_restrictedVolumes.go.
    id: 'restrictedVolumes', level: 'restricted', since: 0, overrides: 'hostPathVolumes',
    run: (pod) => {
      // A volume of no type is an emptyDir (the API server defaults it: core/v1 defaults.go SetDefaults_Volume).
      const typeOf = (v: KubeObject) => Object.keys(v).find((key) => key !== 'name') ?? 'emptyDir';
      const bad = list(pod.spec.volumes).map((v, i) => ({ v, i })).filter(({ v }) => isObject(v) && !RESTRICTED_VOLUMES.includes(typeOf(v)));
      if (!bad.length) return undefined;
      const types = sorted(bad.map(({ v }) => typeOf(v)));
      return {
        reason: 'restricted volume types',
        detail: `${plural('volume', 'volumes', bad.length)} ${quote(bad.map(({ v }) => String(v.name ?? '')))} ${plural('uses', 'use', bad.length)} ${plural('restricted volume type', 'restricted volume types', types.length)} ${quote(types)}`,
        findings: bad.map(({ v, i }) => ({ path: `${pod.at}.volumes[${i}].${typeOf(v)}`, message: `volume type ${typeOf(v)} is not allowed`, allowed: RESTRICTED_VOLUMES.join(', ') })),
      };
    },
  },
  {
    // check_runAsNonRoot.go: false anywhere is refused; a container that sets nothing needs the pod's true.
    id: 'runAsNonRoot', level: 'restricted', since: 0,
    run: (pod) => {
      const podValue = podSc(pod).runAsNonRoot;
      const explicit = pod.containers.filter((c) => sc(c).runAsNonRoot === false);
      const implicit = pod.containers.filter((c) => sc(c).runAsNonRoot === undefined && podValue !== true);
      const message = 'runAsNonRoot is not true';
      const allowed = 'runAsNonRoot: true (pod or container)';
      const containerFindings = [...explicit, ...implicit].map((c) => ({ path: `${c.path}.securityContext.runAsNonRoot`, message, allowed }));
      if (podValue === false || explicit.length) {
        const { phrase } = setters(pod, podValue === false, explicit, 'runAsNonRoot', message, allowed);
        // The pod's false is its own finding only where no container's finding shows it.
        const findings = containerFindings.length ? containerFindings : [{ path: `${pod.at}.securityContext.runAsNonRoot`, message, allowed }];
        return { reason: 'runAsNonRoot != true', detail: `${phrase} must not set securityContext.runAsNonRoot=false`, findings };
      }
      if (!implicit.length) return undefined;
      return { reason: 'runAsNonRoot != true', detail: `pod or ${containersText(implicit.map(name))} must set securityContext.runAsNonRoot=true`, findings: containerFindings };
    },
  },
  {
    // check_runAsUser.go (since 1.23): uid 0 set anywhere.
    id: 'runAsUser', level: 'restricted', since: 23,
    run: (pod) => {
      const podZero = podSc(pod).runAsUser === 0;
      const explicit = pod.containers.filter((c) => sc(c).runAsUser === 0);
      if (!podZero && !explicit.length) return undefined;
      const message = 'runs as uid 0';
      const allowed = 'a non-zero uid';
      const { phrase } = setters(pod, podZero, explicit, 'runAsUser', message, allowed);
      // A container that inherits the pod's 0 shows it at its own path.
      const inheriting = podZero ? pod.containers.filter((c) => sc(c).runAsUser === undefined) : [];
      const at = [...explicit, ...inheriting].map((c) => ({ path: `${c.path}.securityContext.runAsUser`, message, allowed }));
      return { reason: 'runAsUser=0', detail: `${phrase} must not set runAsUser=0`, findings: at.length ? at : [{ path: `${pod.at}.securityContext.runAsUser`, message, allowed }] };
    },
  },
  {
    // check_seLinuxOptions.go (container_engine_t since 1.31).
    id: 'seLinuxOptions', level: 'baseline', since: 0,
    run: (pod) => {
      const types = ['', 'container_t', 'container_init_t', 'container_kvm_t', ...(pod.minor >= 31 ? ['container_engine_t'] : [])];
      const problems = (s: KubeObject) => {
        const o = s.seLinuxOptions;
        if (!isObject(o)) return [];
        return [
          ...(!types.includes(String(o.type ?? '')) ? [`type ${String(o.type)}`] : []),
          ...(o.user ? ['user'] : []),
          ...(o.role ? ['role'] : []),
        ];
      };
      const podBad = problems(podSc(pod)).length > 0;
      const bad = pod.containers.filter((c) => problems(sc(c)).length);
      if (!podBad && !bad.length) return undefined;
      const all = [podSc(pod), ...bad.map(sc)].filter((s) => problems(s).length);
      const badTypes = sorted(all.filter((s) => !types.includes(String(s.seLinuxOptions.type ?? ''))).map((s) => String(s.seLinuxOptions.type)));
      const data = [
        ...(badTypes.length ? [`${plural('type', 'types', badTypes.length)} ${quote(badTypes)}`] : []),
        ...(all.some((s) => s.seLinuxOptions.user) ? ['user may not be set'] : []),
        ...(all.some((s) => s.seLinuxOptions.role) ? ['role may not be set'] : []),
      ];
      const { phrase, findings } = setters(pod, podBad, bad, 'seLinuxOptions', 'sets a forbidden SELinux type, user or role', `type ${types.filter(Boolean).join(', ')} or unset; no user or role`);
      return { reason: 'seLinuxOptions', detail: `${phrase} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`, findings };
    },
  },
  {
    // check_seccompProfile_baseline.go (fields since 1.19): no Unconfined.
    id: 'seccompProfile_baseline', level: 'baseline', since: 19,
    run: (pod) => {
      const bad = (s: KubeObject) => isObject(s.seccompProfile) && !seccompOk(s.seccompProfile.type);
      const podBad = bad(podSc(pod));
      const containers = pod.containers.filter((c) => bad(sc(c)));
      if (!podBad && !containers.length) return undefined;
      const values = sorted([...(podBad ? [podSc(pod)] : []), ...containers.map(sc)].map((s) => String(s.seccompProfile.type)));
      const { phrase, findings } = setters(pod, podBad, containers, 'seccompProfile.type', 'the seccomp profile is not RuntimeDefault or Localhost', 'RuntimeDefault or Localhost');
      return { reason: 'seccompProfile', detail: `${phrase} must not set securityContext.seccompProfile.type to ${quote(values)}`, findings };
    },
  },
  {
    // check_seccompProfile_restricted.go (Windows pods exempt since 1.25): RuntimeDefault or Localhost, on the pod or every container.
    id: 'seccompProfile_restricted', level: 'restricted', since: 19, overrides: 'seccompProfile_baseline',
    run: (pod) => {
      if (pod.windows && pod.minor >= 25) return undefined;
      const podProfile = podSc(pod).seccompProfile;
      const podBad = isObject(podProfile) && !seccompOk(podProfile.type);
      const explicit = pod.containers.filter((c) => isObject(sc(c).seccompProfile) && !seccompOk(sc(c).seccompProfile.type));
      const implicit = pod.containers.filter((c) => !isObject(sc(c).seccompProfile) && !(isObject(podProfile) && seccompOk(podProfile.type)));
      const allowed = 'RuntimeDefault or Localhost (pod or container)';
      const finding = (c: Container) => ({ path: `${c.path}.securityContext.seccompProfile.type`, message: `seccomp profile is ${sc(c).seccompProfile?.type ?? podProfile?.type ?? 'unset'}`, allowed });
      const containerFindings = [...explicit, ...implicit].map(finding);
      if (podBad || explicit.length) {
        const values = sorted([...(podBad ? [podProfile] : []), ...explicit.map((c) => sc(c).seccompProfile)].map((p) => String(p.type)));
        const { phrase } = setters(pod, podBad, explicit, 'seccompProfile.type', '', allowed);
        const findings = containerFindings.length ? containerFindings : [{ path: `${pod.at}.securityContext.seccompProfile.type`, message: `seccomp profile is ${podProfile.type}`, allowed }];
        return { reason: 'seccompProfile', detail: `${phrase} must not set securityContext.seccompProfile.type to ${quote(values)}`, findings };
      }
      if (!implicit.length) return undefined;
      return { reason: 'seccompProfile', detail: `pod or ${containersText(implicit.map(name))} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`, findings: containerFindings };
    },
  },
  {
    // check_sysctls.go: the safe sysctls of each version.
    id: 'sysctls', level: 'baseline', since: 0,
    run: (pod) => {
      const allowed = SYSCTLS.filter(([since]) => pod.minor >= since).flatMap(([, names]) => names);
      const bad = list(podSc(pod).sysctls).map((s, i) => ({ s, i })).filter(({ s }) => !allowed.includes(String(s?.name)));
      if (!bad.length) return undefined;
      return {
        reason: 'forbidden sysctls',
        detail: bad.map(({ s }) => String(s?.name)).join(', '),
        findings: bad.map(({ s, i }) => ({ path: `${pod.at}.securityContext.sysctls[${i}].name`, message: `sysctl ${String(s?.name)} is not allowed`, allowed: allowed.join(', ') })),
      };
    },
  },
  {
    // check_windowsHostProcess.go.
    id: 'windowsHostProcess', level: 'baseline', since: 0,
    run: (pod) => {
      const on = (s: KubeObject) => s.windowsOptions?.hostProcess === true;
      const podBad = on(podSc(pod));
      const bad = pod.containers.filter((c) => on(sc(c)));
      if (!podBad && !bad.length) return undefined;
      const { phrase, findings } = setters(pod, podBad, bad, 'windowsOptions.hostProcess', 'a Windows HostProcess container', 'hostProcess: false or unset');
      return { reason: 'hostProcess', detail: `${phrase} must not set securityContext.windowsOptions.hostProcess=true`, findings };
    },
  },
];
// The server lists violations by check ID, in byte order (policy/registry.go sorts them).
const CHECKS = [...CHECK_LIST].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/**
 * The Pod Security version of a `*-version` label: `latest` or `v1.N`, a newer N than the
 * server's being its latest (the 1.34 server judges `v1.40` as 1.34; the cluster test shows it).
 * `latest` is the server's own minor.
 */
export function minorOf(version: string | undefined, latest = LATEST_MINOR): number {
  const minor = /^v1\.(\d+)$/.exec(version ?? '')?.[1];
  return minor === undefined ? latest : Math.min(Number(minor), latest);
}

/**
 * The violations of a pod (spec at `specPath` of the object, annotations from its metadata) at a
 * level and version, in the server's order (by check ID).
 */
export function podSecurityViolations(template: PodTemplate, metadata: KubeObject | undefined, level: Level, minor = LATEST_MINOR): Violation[] {
  if (level === 'privileged') return [];
  const spec = template.spec;
  const at = objectPath([...template.specPath]);
  const metaAt = objectPath([...template.specPath.slice(0, -1), 'metadata', 'annotations']);
  const containers: Container[] = [];
  // policy/visitor.go visitContainers: init, then app, then ephemeral containers.
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    list(spec[field]).forEach((container, i) => {
      if (isObject(container)) containers.push({ container, path: objectPath([...template.specPath, field, i]) });
    });
  }
  const pod: Pod = {
    spec, at, containers, minor,
    annotations: isObject(metadata?.annotations) ? metadata!.annotations : {},
    annotationsAt: metaAt,
    windows: spec.os?.name === 'windows',
  };
  const active = CHECKS.filter((c) => c.since <= minor && (c.level === 'baseline' || level === 'restricted'));
  const overridden = new Set(active.map((c) => c.overrides).filter(Boolean));
  return active.filter((c) => !overridden.has(c.id)).flatMap((c) => {
    const result = c.run(pod);
    return result ? [{ id: c.id, ...result }] : [];
  });
}

/** `reason (detail), reason (detail)`, as the server lists violations. */
export function describeViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.reason} (${v.detail})`).join(', ');
}

const LABEL = 'pod-security.kubernetes.io/';

/** What a namespace's labels ask of Pod Security admission. */
export interface NamespacePolicy {
  readonly enforce?: { level: Level; version: string };
  readonly warn?: { level: Level; version: string };
}

/** The policy of a Namespace object's labels (a value the server refuses counts as unset here; rules/namespace.ts reports it). */
export function namespacePolicy(namespace: KubeObject): NamespacePolicy {
  const labels = isObject(namespace?.metadata?.labels) ? namespace.metadata.labels : {};
  const mode = (name: 'enforce' | 'warn') => {
    const level = labels[`${LABEL}${name}`];
    if (!(LEVELS as readonly string[]).includes(level)) return undefined;
    const version = labels[`${LABEL}${name}-version`];
    return { level: level as Level, version: typeof version === 'string' && /^(latest|v1\.([0-9]|[1-9][0-9]*))$/.test(version) ? version : 'latest' };
  };
  return { enforce: mode('enforce'), warn: mode('warn') };
}

/**
 * Pod Security admission's verdict on one object in a namespace whose policy is known: a Pod
 * that violates `enforce` is refused (an error); a workload's template that violates `enforce`
 * or `warn`, or a Pod that violates `warn`, gets the server's warning. `latest`: the minor of the
 * newest server judged (the strictest: later versions only add checks).
 */
export function admissionFindings(object: KubeObject, policy: NamespacePolicy, latest = LATEST_MINOR): Finding[] {
  const template = podTemplate(object);
  if (!template) return [];
  const metadata = templateMetadata(object, template);
  const at = objectPath([...template.specPath]);
  const judge = (mode: { level: Level; version: string } | undefined) => (mode ? podSecurityViolations(template, metadata, mode.level, minorOf(mode.version, latest)) : []);
  const namespace = namespaceOf(object);
  // admission/admission.go: a Pod is judged by enforce (EvaluatePod), and a refused request gets no
  // warnings; a workload is judged by warn alone (EvaluatePodController: enforce=false).
  const enforced = object.kind === 'Pod' ? judge(policy.enforce) : [];
  if (enforced.length) {
    return [{
      path: at,
      message: `forbidden by Pod Security admission: namespace "${namespace}" enforces it, and the pod violates PodSecurity "${policy.enforce!.level}:${policy.enforce!.version}": ${describeViolations(enforced)}`,
      allowed: `a pod that meets the ${policy.enforce!.level} Pod Security Standard, or a lower pod-security.kubernetes.io/enforce level on the namespace`,
    }];
  }
  // Warn without a level of its own is the enforce level and version (api/helpers.go PolicyToEvaluate);
  // a Pod that enforce let pass passes it then.
  const warned = judge(policy.warn ?? policy.enforce);
  if (!warned.length) return [];
  return [policy.warn ? warning(at, namespace, policy.warn, warned, 'warns of') : warning(at, namespace, policy.enforce!, warned, 'enforces')];
}

function warning(at: string, namespace: string, mode: { level: Level; version: string }, violations: Violation[], verb: string): Finding {
  return {
    path: at,
    message: `Pod Security admission warns: namespace "${namespace}" ${verb} it, and the pods would violate PodSecurity "${mode.level}:${mode.version}": ${describeViolations(violations)}`,
    allowed: `a pod template that meets the ${mode.level} Pod Security Standard (its pods are refused where the level is enforced)`,
    severity: 'warning',
  };
}

/** The metadata of a pod template (a Pod's own), where its annotations are. */
export function templateMetadata(object: KubeObject, template: PodTemplate): KubeObject | undefined {
  if (template.specPath.length === 1) return isObject(object.metadata) ? object.metadata : undefined;
  let node: unknown = object;
  for (const key of template.specPath.slice(0, -1)) node = isObject(node) ? (node as KubeObject)[key] : undefined;
  return isObject(node) && isObject((node as KubeObject).metadata) ? (node as KubeObject).metadata : undefined;
}
