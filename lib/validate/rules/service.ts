import { isDnsLabel, isDnsSubdomain } from '../names';
import { isObject } from '../pods';
import { KubeObject } from '../problem';
import { Add, checkEnum, checkLabels, checkPort, checkPortNumOrName, checkQualifiedName, isInt, LABEL_RULE, portProtocol, SUBDOMAIN_RULE } from './common';
import { ipVersion, isCidr } from './net';

/** The API server's default --service-node-port-range. */
export const NODE_PORT_RANGE = [30000, 32767] as const;
const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

// k8s.io/kubernetes pkg/apis/core/validation ValidateService (after SetDefaults_Service: type
// ClusterIP, protocol TCP, targetPort = port).
export function checkService(object: KubeObject, add: Add): void {
  // A Service without a spec is judged as an empty one, as the API server does (it needs ports).
  const spec: KubeObject = isObject(object.spec) ? object.spec : {};
  const type = spec.type ?? 'ClusterIP';
  checkEnum(spec.type, TYPES, 'spec.type', add);
  const headless = spec.clusterIP === 'None';
  const external = type === 'NodePort' || type === 'LoadBalancer';
  checkLabels(spec.selector, 'spec.selector', add);

  const ports: KubeObject[] = Array.isArray(spec.ports) ? spec.ports : [];
  // A headless Service may have no ports (DNS only), nor may an ExternalName one need any.
  if (ports.length === 0 && !headless && type !== 'ExternalName') add('spec.ports', 'the Service has no ports', 'at least one port (a headless Service, clusterIP: None, may have none)');
  const names = new Set<string>();
  const nodePorts = new Set<string>();
  const numbers = new Set<string>();
  ports.forEach((port, i) => {
    if (!isObject(port)) return;
    const at = `spec.ports[${i}]`;
    // validateServicePort
    if (port.name === undefined || port.name === null || port.name === '') {
      if (ports.length > 1) add(`${at}.name`, 'a Service with several ports must name each one', 'a port name');
    } else {
      if (typeof port.name !== 'string' || !isDnsLabel(port.name)) add(`${at}.name`, `port name "${port.name}" is not valid`, LABEL_RULE);
      if (names.has(port.name)) add(`${at}.name`, `port name "${port.name}" is used twice`, 'unique port names');
      names.add(port.name);
    }
    checkPort(port.port, `${at}.port`, add);
    // SetDefaults_Service: an empty or missing protocol becomes TCP before validation.
    const protocol = portProtocol(port.protocol);
    checkEnum(protocol, ['TCP', 'UDP', 'SCTP'], `${at}.protocol`, add);
    // validateServicePort: an appProtocol is a qualified name (e.g. kubernetes.io/h2c, http).
    if (typeof port.appProtocol === 'string') checkQualifiedName(port.appProtocol, `${at}.appProtocol`, 'appProtocol', add);
    // ValidateService (pkg/apis/core/validation/validation.go): each (port, protocol) pair once,
    // whatever the names ("spec.ports[1]: Duplicate value").
    if (isInt(port.port)) {
      const key = `${port.port}/${protocol}`;
      if (numbers.has(key)) add(at, `port ${key} is used twice`, 'each port number once per protocol');
      numbers.add(key);
    }
    // SetDefaults_Service: a targetPort of 0 or "" becomes the port.
    if (port.targetPort !== undefined && port.targetPort !== null && port.targetPort !== 0 && port.targetPort !== '') checkPortNumOrName(port.targetPort, `${at}.targetPort`, add);
    if (port.nodePort !== undefined && port.nodePort !== null && port.nodePort !== 0) {
      // ValidateService forbids a nodePort with type ClusterIP only; an ExternalName Service has
      // no node ports to allocate, so its nodePort is accepted and means nothing.
      if (type === 'ClusterIP') add(`${at}.nodePort`, 'nodePort is set on a ClusterIP Service', 'nodePort only with type NodePort or LoadBalancer');
      else if (!external) add(`${at}.nodePort`, `nodePort is set on a ${type} Service, which has no node ports: it is ignored`, 'nodePort only with type NodePort or LoadBalancer', 'warning');
      else if (isInt(port.nodePort) && (port.nodePort < NODE_PORT_RANGE[0] || port.nodePort > NODE_PORT_RANGE[1])) {
        // pkg/registry/core/service/portallocator: "provided port is not in the valid range".
        add(`${at}.nodePort`, `nodePort ${port.nodePort} is outside the node port range`, `${NODE_PORT_RANGE[0]}-${NODE_PORT_RANGE[1]} (the API server's default --service-node-port-range)`);
      } else {
        const key = `${port.nodePort}/${protocol}`;
        if (nodePorts.has(key)) add(`${at}.nodePort`, `nodePort ${key} is used twice`, 'each nodePort once per protocol');
        nodePorts.add(key);
      }
    }
  });

  // validateServiceClusterIPs / ValidateService: type-specific fields.
  const clusterIP = spec.clusterIP;
  if (typeof clusterIP === 'string' && clusterIP !== '' && clusterIP !== 'None' && ipVersion(clusterIP) === 0) add('spec.clusterIP', `clusterIP "${clusterIP}" is not an IP address`, 'an IP in the service range, "None" (headless) or unset');
  // The allocator (pkg/registry/core/service/ipallocator) takes a fixed address only from the
  // cluster's --service-cluster-ip-range of its family, and only if free: the cluster's own
  // settings, which no manifest shows (the real server here refuses 10.96.0.10 and any IPv6).
  else if (typeof clusterIP === 'string' && ipVersion(clusterIP) !== 0 && type !== 'ExternalName') {
    add('spec.clusterIP', `the fixed clusterIP ${clusterIP} is allocated only if it lies in the cluster's service range (--service-cluster-ip-range) and is free`, 'an address of the target cluster\'s service range, or no clusterIP (one is allocated)', 'warning');
  }
  if (type === 'ExternalName') {
    const name = typeof spec.externalName === 'string' ? spec.externalName.replace(/\.$/, '') : '';
    if (name === '') add('spec.externalName', 'an ExternalName Service has no externalName', 'a DNS name, e.g. db.example.com');
    else if (!isDnsSubdomain(name)) add('spec.externalName', `externalName "${spec.externalName}" is not a DNS name`, SUBDOMAIN_RULE);
    if (typeof clusterIP === 'string' && clusterIP !== '') add('spec.clusterIP', 'clusterIP is set on an ExternalName Service', 'no clusterIP');
  }
  if (external && headless) add('spec.clusterIP', `clusterIP None on a ${type} Service`, 'an allocated clusterIP (unset) for NodePort and LoadBalancer');
  checkEnum(spec.sessionAffinity, ['ClientIP', 'None'], 'spec.sessionAffinity', add);
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (spec.sessionAffinity === 'ClientIP' && timeout !== undefined && !(isInt(timeout) && timeout > 0 && timeout <= 86400)) {
    add('spec.sessionAffinityConfig.clientIP.timeoutSeconds', `timeoutSeconds is ${timeout}`, 'from 1 to 86400');
  }
  // ValidateService forbids a sessionAffinityConfig with affinity None, but SetDefaults_Service
  // (pkg/apis/core/v1/defaults.go) drops it first: it is lost, not refused.
  if ((spec.sessionAffinity === undefined || spec.sessionAffinity === 'None') && isObject(spec.sessionAffinityConfig)) {
    add('spec.sessionAffinityConfig', 'sessionAffinityConfig is set without sessionAffinity ClientIP: the API server drops it', 'sessionAffinity: ClientIP, or no sessionAffinityConfig', 'warning');
  }
  // validateServiceExternalTrafficPolicy: only for externally reachable Services.
  const hasExternalIPs = Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0;
  if (spec.externalTrafficPolicy !== undefined && spec.externalTrafficPolicy !== null) {
    if (!external && !hasExternalIPs) add('spec.externalTrafficPolicy', `externalTrafficPolicy is set on a ${type} Service`, 'externalTrafficPolicy only on NodePort or LoadBalancer Services, or with externalIPs');
    else checkEnum(spec.externalTrafficPolicy, ['Cluster', 'Local'], 'spec.externalTrafficPolicy', add);
  }
  checkEnum(spec.internalTrafficPolicy, ['Cluster', 'Local'], 'spec.internalTrafficPolicy', add);
  checkEnum(spec.ipFamilyPolicy, ['SingleStack', 'PreferDualStack', 'RequireDualStack'], 'spec.ipFamilyPolicy', add);
  // ValidateServiceClusterIPsRelatedFields refuses RequireDualStack on a single-stack cluster.
  if (spec.ipFamilyPolicy === 'RequireDualStack') add('spec.ipFamilyPolicy', 'RequireDualStack is refused by a single-stack cluster', 'PreferDualStack, or RequireDualStack only for dual-stack clusters', 'warning');
  // ValidateService: each external IP an address (ValidateEndpointIP: not unspecified, loopback or link-local).
  (Array.isArray(spec.externalIPs) ? spec.externalIPs : []).forEach((ip: unknown, i: number) => {
    if (typeof ip !== 'string' || ipVersion(ip) === 0) add(`spec.externalIPs[${i}]`, `"${ip}" is not an IP address`, 'an IPv4 or IPv6 address');
    else {
      const special = specialAddress(ip);
      if (special) add(`spec.externalIPs[${i}]`, `"${ip}" is ${special}`, 'an address nodes can be reached at (not unspecified, loopback or link-local)');
    }
  });
  // ValidateServiceClusterIPsRelatedFields: clusterIPs starts with clusterIP, and is empty without one;
  // an ExternalName Service has neither, nor IP families or a family policy.
  const clusterIPs = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  if (type === 'ExternalName') {
    if (clusterIPs.length > 0) add('spec.clusterIPs', 'clusterIPs are set on an ExternalName Service', 'no clusterIPs');
    if (Array.isArray(spec.ipFamilies) && spec.ipFamilies.length > 0) add('spec.ipFamilies', 'ipFamilies are set on an ExternalName Service', 'no ipFamilies');
    if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) add('spec.ipFamilyPolicy', 'ipFamilyPolicy is set on an ExternalName Service', 'no ipFamilyPolicy');
  } else if (clusterIPs.length > 0) {
    if (typeof clusterIP !== 'string' || clusterIP === '') add('spec.clusterIPs', 'clusterIPs are set without clusterIP', 'clusterIP set to clusterIPs[0], or neither');
    else if (clusterIPs[0] !== clusterIP) add('spec.clusterIPs', `clusterIPs[0] ${JSON.stringify(clusterIPs[0])} differs from clusterIP ${JSON.stringify(clusterIP)}`, 'clusterIPs starting with clusterIP');
  }
  if (Array.isArray(spec.ipFamilies)) {
    spec.ipFamilies.forEach((family: unknown, i: number) => {
      checkEnum(family, ['IPv4', 'IPv6'], `spec.ipFamilies[${i}]`, add);
      if (spec.ipFamilies.indexOf(family) < i) add(`spec.ipFamilies[${i}]`, `IP family ${String(family)} is listed twice`, 'each family once');
      // The allocator refuses a family the cluster has no service range for ("not configured on
      // this cluster"); most clusters are IPv4 alone, and no manifest shows a cluster's ranges.
      if (family === 'IPv6' && spec.ipFamilies.indexOf(family) === i) add(`spec.ipFamilies[${i}]`, 'IP family IPv6 is refused by a cluster without an IPv6 service range', 'IPv6 only for clusters with an IPv6 (or dual-stack) service range', 'warning');
    });
  }
  // ValidateService: a health check node port only where one is needed (LoadBalancer, Local).
  const needsHealthCheck = type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
  if (!needsHealthCheck && typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort !== 0) add('spec.healthCheckNodePort', 'healthCheckNodePort is set, but the Service needs none', 'healthCheckNodePort only with type LoadBalancer and externalTrafficPolicy Local');
  // validateLoadBalancerClassField: LoadBalancer only, a qualified name.
  if (spec.loadBalancerClass !== undefined && spec.loadBalancerClass !== null) {
    if (type !== 'LoadBalancer') add('spec.loadBalancerClass', `loadBalancerClass on a ${type} Service`, 'only with type LoadBalancer');
    else if (typeof spec.loadBalancerClass === 'string') checkQualifiedName(spec.loadBalancerClass, 'spec.loadBalancerClass', 'loadBalancerClass', add);
  }
  // validateServiceTrafficDistribution (PreferSameTrafficDistribution is on in 1.34).
  checkEnum(spec.trafficDistribution, ['PreferClose', 'PreferSameZone', 'PreferSameNode'], 'spec.trafficDistribution', add);
  const ranges = spec.loadBalancerSourceRanges;
  if (Array.isArray(ranges) && ranges.length > 0) {
    if (type !== 'LoadBalancer') add('spec.loadBalancerSourceRanges', `loadBalancerSourceRanges on a ${type} Service`, 'only with type LoadBalancer');
    ranges.forEach((r: unknown, i: number) => {
      if (typeof r !== 'string' || !isCidr(r.trim())) add(`spec.loadBalancerSourceRanges[${i}]`, `"${r}" is not a CIDR`, 'a CIDR such as 203.0.113.0/24');
    });
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null && type !== 'LoadBalancer') {
    add('spec.allocateLoadBalancerNodePorts', `allocateLoadBalancerNodePorts on a ${type} Service`, 'only with type LoadBalancer');
  }
}

// What ValidateEndpointIP refuses of an address (Go's net.IP IsUnspecified, IsLoopback,
// IsLinkLocalUnicast, IsLinkLocalMulticast), or undefined. These judge the address's bytes, and
// read an IPv4-mapped IPv6 address (::ffff:127.0.0.1) as its IPv4 address (net.IP To4).
function specialAddress(ip: string): string | undefined {
  const bytes = addressBytes(ip);
  const v4 = bytes.length === 4 ? bytes : bytes.slice(0, 10).every((x) => x === 0) && bytes[10] === 255 && bytes[11] === 255 ? bytes.slice(12) : undefined;
  if (v4) {
    const [a, b, c, d] = v4;
    if (a === 0 && b === 0 && c === 0 && d === 0) return 'unspecified (0.0.0.0)';
    if (a === 127) return 'in the loopback range (127.0.0.0/8)';
    if (a === 169 && b === 254) return 'in the link-local range (169.254.0.0/16)';
    if (a === 224 && b === 0 && c === 0) return 'in the link-local multicast range (224.0.0.0/24)';
    return undefined;
  }
  if (bytes.every((x) => x === 0)) return 'unspecified (::)';
  if (bytes.slice(0, 15).every((x) => x === 0) && bytes[15] === 1) return 'the loopback address (::1)';
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80) return 'in the link-local range (fe80::/10)';
  if (bytes[0] === 0xff && (bytes[1] & 0x0f) === 0x02) return 'in the link-local multicast range (ff02::/16)';
  return undefined;
}

/**
 * The bytes of an address ipVersion accepts: 16 for IPv6, whose dotted IPv4 tail (::ffff:1.2.3.4) is its
 * last 4 bytes; 4 for IPv4, which is such a tail alone.
 */
function addressBytes(ip: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)/.exec(ip);
  const text = dotted ? `${ip.slice(0, dotted.index)}${(Number(dotted[1]) * 256 + Number(dotted[2])).toString(16)}:${(Number(dotted[3]) * 256 + Number(dotted[4])).toString(16)}` : ip;
  // Each side of "::" a list of 16-bit words (an empty side one zero word), zeros filling the gap to 8.
  const words = (part: string) => part.split(':').map((g) => parseInt(g, 16) || 0);
  const [head, tail] = text.split('::').map(words);
  const all = tail === undefined ? head : [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  return all.flatMap((w) => [w >> 8, w & 255]);
}
