import { declaredOperatorSecrets } from './annotations';
import { containersOf, isObject, namespaceOf, podTemplate, PodTemplate, selects } from './pods';
import { Finding, KubeObject, Located, locate, objectId, Problem } from './problem';

/** A Secret the operator creates before applying: pods may reference it though no manifest holds it. */
export interface OperatorSecret {
  /** The Secret's name. */
  readonly name: string;
  /** The keys pods read from it. */
  readonly keys: readonly string[];
}

/**
 * Links between objects, which a cluster accepts but which break the app: Services that select
 * no pod or target no port, Ingress backends and *_HOST variables that name no Service, claims,
 * Secrets and ConfigMaps that nothing provides, probes on ports the container does not open.
 */
export function checkLinks(items: readonly Located[], operatorSecrets: readonly OperatorSecret[]): Problem[] {
  const byKind = (kind: string) => items.filter((item) => item.object?.kind === kind);
  const named = (kind: string) => {
    const map = new Map<string, KubeObject>();
    for (const item of byKind(kind)) map.set(`${namespaceOf(item.object)}/${item.object.metadata?.name}`, item.object);
    return map;
  };
  const services = named('Service');
  const claims = named('PersistentVolumeClaim');
  const secrets = named('Secret');
  const configMaps = named('ConfigMap');
  const templates = items
    .map((item) => ({ item, template: podTemplate(item.object) }))
    .filter((t): t is { item: Located; template: PodTemplate } => t.template !== undefined);

  const problems: Problem[] = [];
  const report = (item: Located, findings: Finding[]) => problems.push(...locate(item, 'link', findings));

  const seen = new Map<string, Located>();
  for (const item of items) {
    const id = `${item.object?.kind}/${namespaceOf(item.object)}/${item.object?.metadata?.name}`;
    const first = seen.get(id);
    if (first) report(item, [{ path: 'metadata.name', message: `${objectId(item.object)} is defined twice (first in ${first.file}): the later one silently replaces the earlier`, allowed: 'one object per kind, namespace and name' }]);
    else seen.set(id, item);
  }
  for (const item of byKind('Service')) report(item, serviceLinks(item.object, templates));
  for (const item of byKind('Ingress')) report(item, ingressLinks(item.object, services));
  for (const { item, template } of templates) {
    // Secrets an object declares it reads from the operator count for that object only.
    const declared = declaredOperatorSecrets(item.object);
    report(item, podLinks(item.object, template, { services, claims, secrets, configMaps, operatorSecrets: declared.length ? [...operatorSecrets, ...declared] : operatorSecrets }));
  }
  return problems;
}

function portsOf(template: PodTemplate): { number: number; name?: string; container: string }[] {
  return containersOf(template).flatMap(({ container }) => (Array.isArray(container.ports) ? container.ports : [])
    .map((port: KubeObject) => ({ number: port.containerPort, name: port.name, container: container.name })));
}

function serviceLinks(service: KubeObject, templates: readonly { item: Located; template: PodTemplate }[]): Finding[] {
  const spec = service.spec;
  if (!isObject(spec) || spec.type === 'ExternalName' || !isObject(spec.selector)) return [];
  const namespace = namespaceOf(service);
  const selected = templates.filter(({ item, template }) => namespaceOf(item.object) === namespace && selects(spec.selector, template.labels));
  if (selected.length === 0) {
    return [{
      path: 'spec.selector',
      message: `selector ${JSON.stringify(spec.selector)} selects no pod template in the output`,
      allowed: `labels of a workload's pods; the output has ${describeTemplates(templates, namespace)}`,
    }];
  }
  const findings: Finding[] = [];
  (Array.isArray(spec.ports) ? spec.ports : []).forEach((port: KubeObject, i: number) => {
    const target = port.targetPort ?? port.port;
    const podPorts = selected.flatMap(({ template }) => portsOf(template));
    const found = podPorts.some((p) => (typeof target === 'number' ? p.number === target : p.name === target));
    if (!found) {
      findings.push({
        path: `spec.ports[${i}].targetPort`,
        message: `targetPort ${JSON.stringify(target)} is not a port of the selected pods (${selected.map(({ item }) => objectId(item.object)).join(', ')})`,
        allowed: podPorts.length ? podPorts.map((p) => (p.name ? `${p.number} or "${p.name}"` : String(p.number))).join(', ') : 'none: the selected pods open no port',
      });
    }
  });
  return findings;
}

function describeTemplates(templates: readonly { item: Located; template: PodTemplate }[], namespace: string): string {
  const inNamespace = templates.filter(({ item }) => namespaceOf(item.object) === namespace);
  if (inNamespace.length === 0) return 'no pod templates in this namespace';
  return inNamespace.map(({ item, template }) => `${objectId(item.object)} ${JSON.stringify(template.labels)}`).join('; ');
}

function ingressLinks(ingress: KubeObject, services: Map<string, KubeObject>): Finding[] {
  const findings: Finding[] = [];
  const namespace = namespaceOf(ingress);
  const check = (backend: KubeObject | undefined, path: string) => {
    const ref = backend?.service;
    if (!isObject(ref)) return;
    const service = services.get(`${namespace}/${ref.name}`);
    if (!service) {
      findings.push({ path: `${path}.service.name`, message: `backend Service "${ref.name}" is not in the output`, allowed: `a Service in the same namespace: ${namesIn(services, namespace)}` });
      return;
    }
    const ports: KubeObject[] = Array.isArray(service.spec?.ports) ? service.spec.ports : [];
    const wanted = ref.port ?? {};
    const ok = ports.some((p) => (wanted.number !== undefined ? p.port === wanted.number : p.name === wanted.name));
    if (!ok) {
      findings.push({
        path: `${path}.service.port`,
        message: `port ${JSON.stringify(wanted.number ?? wanted.name)} is not a port of Service "${ref.name}"`,
        allowed: ports.map((p) => (p.name ? `${p.port} or "${p.name}"` : String(p.port))).join(', ') || 'none: the Service has no ports',
      });
    }
  };
  const spec = ingress.spec ?? {};
  check(spec.defaultBackend, 'spec.defaultBackend');
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: KubeObject, r: number) => {
    (Array.isArray(rule?.http?.paths) ? rule.http.paths : []).forEach((entry: KubeObject, p: number) => check(entry?.backend, `spec.rules[${r}].http.paths[${p}].backend`));
  });
  return findings;
}

function namesIn(map: Map<string, KubeObject>, namespace: string): string {
  const names = [...map.keys()].filter((key) => key.startsWith(`${namespace}/`)).map((key) => key.slice(namespace.length + 1));
  return names.length ? names.join(', ') : 'none';
}

interface Outputs {
  readonly services: Map<string, KubeObject>;
  readonly claims: Map<string, KubeObject>;
  readonly secrets: Map<string, KubeObject>;
  readonly configMaps: Map<string, KubeObject>;
  readonly operatorSecrets: readonly OperatorSecret[];
}

// A bare name: no dots, so it resolves to a Service in the pod's own namespace.
const BARE_HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function podLinks(object: KubeObject, template: PodTemplate, out: Outputs): Finding[] {
  const findings: Finding[] = [];
  const namespace = namespaceOf(object);
  const specPath = template.specPath.join('.');
  (Array.isArray(template.spec.volumes) ? template.spec.volumes : []).forEach((volume: KubeObject, i: number) => {
    const claim = volume?.persistentVolumeClaim?.claimName;
    if (claim !== undefined && !out.claims.has(`${namespace}/${claim}`)) {
      findings.push({ path: `${specPath}.volumes[${i}].persistentVolumeClaim.claimName`, message: `claim "${claim}" is not in the output: the pod stays Pending`, allowed: `a PersistentVolumeClaim in the output: ${namesIn(out.claims, namespace)}` });
    }
    const secret = volume?.secret;
    if (secret?.secretName !== undefined && !secret.optional) {
      findings.push(...secretFindings(secret.secretName, undefined, `${specPath}.volumes[${i}].secret.secretName`, namespace, out));
    }
    const configMap = volume?.configMap;
    if (configMap?.name !== undefined && !configMap.optional && !out.configMaps.has(`${namespace}/${configMap.name}`)) {
      findings.push({ path: `${specPath}.volumes[${i}].configMap.name`, message: `ConfigMap "${configMap.name}" is not in the output`, allowed: `a ConfigMap in the output: ${namesIn(out.configMaps, namespace)}` });
    }
  });

  for (const { container, path } of containersOf(template)) {
    const seen = new Set<string>();
    (Array.isArray(container.env) ? container.env : []).forEach((env: KubeObject, i: number) => {
      const at = `${path}.env[${i}]`;
      if (seen.has(env?.name)) findings.push({ path: `${at}.name`, message: `environment variable "${env.name}" is set twice; the last one wins silently`, allowed: 'each name once per container' });
      seen.add(env?.name);
      const ref = env?.valueFrom?.secretKeyRef;
      if (ref && !ref.optional) findings.push(...secretFindings(ref.name, ref.key, `${at}.valueFrom.secretKeyRef`, namespace, out));
      const mapRef = env?.valueFrom?.configMapKeyRef;
      if (mapRef && !mapRef.optional && !out.configMaps.has(`${namespace}/${mapRef.name}`)) {
        findings.push({ path: `${at}.valueFrom.configMapKeyRef.name`, message: `ConfigMap "${mapRef.name}" is not in the output`, allowed: `a ConfigMap in the output: ${namesIn(out.configMaps, namespace)}` });
      }
      if (typeof env?.name === 'string' && env.name.endsWith('_HOST') && typeof env.value === 'string' && BARE_HOST.test(env.value)
        && !out.services.has(`${namespace}/${env.value}`)) {
        findings.push({ path: `${at}.value`, message: `${env.name}="${env.value}" names no Service in the output: the name will not resolve`, allowed: `a Service in the same namespace: ${namesIn(out.services, namespace)}` });
      }
    });
    (Array.isArray(container.envFrom) ? container.envFrom : []).forEach((source: KubeObject, i: number) => {
      if (source?.secretRef?.name !== undefined && !source.secretRef.optional) {
        findings.push(...secretFindings(source.secretRef.name, undefined, `${path}.envFrom[${i}].secretRef.name`, namespace, out));
      }
    });
    const ports: KubeObject[] = Array.isArray(container.ports) ? container.ports : [];
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const handler = container[probe]?.httpGet ? 'httpGet' : container[probe]?.tcpSocket ? 'tcpSocket' : undefined;
      if (!handler) continue;
      const port = container[probe][handler].port;
      if (typeof port !== 'number' && typeof port !== 'string') continue;
      const open = ports.some((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port));
      if (!open) {
        findings.push({ path: `${path}.${probe}.${handler}.port`, message: `probe port ${JSON.stringify(port)} is not a port of container "${container.name}"`, allowed: ports.map((p) => (p.name ? `${p.containerPort} or "${p.name}"` : String(p.containerPort))).join(', ') || 'none: the container declares no port' });
      }
    }
  }
  return findings;
}

function secretFindings(name: string, key: string | undefined, path: string, namespace: string, out: Outputs): Finding[] {
  const inOutput = out.secrets.get(`${namespace}/${name}`);
  const required = out.operatorSecrets.find((s) => s.name === name);
  const listed = out.operatorSecrets.map((s) => `${s.name} (${s.keys.join(', ')})`).join(', ') || 'none';
  if (inOutput) {
    const keys = new Set([...Object.keys(inOutput.data ?? {}), ...Object.keys(inOutput.stringData ?? {})]);
    if (key !== undefined && !keys.has(key)) return [{ path, message: `Secret "${name}" in the output has no key "${key}"`, allowed: [...keys].join(', ') || 'none: the Secret is empty' }];
    return [];
  }
  if (!required) {
    return [{ path, message: `Secret "${name}" is neither in the output nor required from the operator`, allowed: `a Secret in the output or one the operator creates: ${listed}` }];
  }
  if (key !== undefined && !required.keys.includes(key)) {
    return [{ path, message: `key "${key}" of Secret "${name}" is not among the keys the operator is told to create`, allowed: required.keys.join(', ') }];
  }
  return [];
}
