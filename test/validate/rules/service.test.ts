import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { apiRulesOf, BreakCase, breakValid, the } from '../../support/valid-fixtures';

const svc = (o: KubeObject[], name: string) => the(o, 'Service', name);

// core ValidateService (after SetDefaults_Service); [what is broken, how, object, path, message]
const CASES: BreakCase[] = [
  ['a ClusterIP Service without ports', (o) => { svc(o, 'cache').spec.ports = []; }, 'Service/cache', 'spec.ports', /^the Service has no ports/],
  ['a Service type outside the enum', (o) => { svc(o, 'cache').spec.type = 'Internal'; }, 'Service/cache', 'spec.type', /^"Internal" is not a supported value$/],
  ['a port protocol outside the enum', (o) => { svc(o, 'cache').spec.ports[0].protocol = 'tcp'; }, 'Service/cache', 'spec.ports[0].protocol', /^"tcp" is not a supported value$/],
  ['a targetPort written as a quoted number', (o) => { svc(o, 'cache').spec.ports[0].targetPort = '6379'; }, 'Service/cache', 'spec.ports[0].targetPort', /^port name "6379" is not valid \(a quoted number is a name/],
  ['a nodePort on a ClusterIP Service', (o) => { svc(o, 'cache').spec.ports[0].nodePort = 30079; }, 'Service/cache', 'spec.ports[0].nodePort', /^nodePort is set on a ClusterIP Service$/],
  ['a nodePort below the node port range', (o) => { svc(o, 'web').spec.ports[0].nodePort = 8080; }, 'Service/web', 'spec.ports[0].nodePort', /^nodePort 8080 is outside the node port range$/],
  ['a nodePort above the node port range', (o) => { svc(o, 'web').spec.ports[0].nodePort = 32768; }, 'Service/web', 'spec.ports[0].nodePort', /^nodePort 32768 is outside the node port range$/],
  ['one nodePort twice', (o) => { svc(o, 'web').spec.ports.push({ name: 'alt', port: 81, targetPort: 'http', nodePort: 30080 }); }, 'Service/web', 'spec.ports[1].nodePort', /^nodePort 30080\/TCP is used twice$/],
  ['a headless NodePort Service', (o) => { svc(o, 'web').spec.clusterIP = 'None'; }, 'Service/web', 'spec.clusterIP', /^clusterIP None on a NodePort Service$/],
  ['a clusterIP that is not an address', (o) => { svc(o, 'cache').spec.clusterIP = '10.0.0'; }, 'Service/cache', 'spec.clusterIP', /^clusterIP "10.0.0" is not an IP address$/],
  ['an ExternalName Service without externalName', (o) => { delete svc(o, 'mail').spec.externalName; }, 'Service/mail', 'spec.externalName', /^an ExternalName Service has no externalName$/],
  ['an externalName that is not a DNS name', (o) => { svc(o, 'mail').spec.externalName = 'smtp_relay.example.com'; }, 'Service/mail', 'spec.externalName', /^externalName "smtp_relay.example.com" is not a DNS name$/],
  ['an ExternalName Service with a clusterIP', (o) => { svc(o, 'mail').spec.clusterIP = 'None'; }, 'Service/mail', 'spec.clusterIP', /^clusterIP is set on an ExternalName Service$/],
  ['externalTrafficPolicy on a ClusterIP Service', (o) => { svc(o, 'cache').spec.externalTrafficPolicy = 'Local'; }, 'Service/cache', 'spec.externalTrafficPolicy', /^externalTrafficPolicy is set on a ClusterIP Service$/],
  ['loadBalancerSourceRanges on a NodePort Service', (o) => { svc(o, 'web').spec.loadBalancerSourceRanges = ['10.0.0.0/8']; }, 'Service/web', 'spec.loadBalancerSourceRanges', /^loadBalancerSourceRanges on a NodePort Service$/],
  ['a source range that is not a CIDR', (o) => { svc(o, 'cache-public').spec.loadBalancerSourceRanges = ['203.0.113.0/33']; }, 'Service/cache-public', 'spec.loadBalancerSourceRanges[0]', /^"203.0.113.0\/33" is not a CIDR$/],
  ['a ClientIP affinity timeout above a day', (o) => { Object.assign(svc(o, 'cache').spec, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86401 } } }); }, 'Service/cache', 'spec.sessionAffinityConfig.clientIP.timeoutSeconds', /^timeoutSeconds is 86401$/],
  ['internalTrafficPolicy outside the enum', (o) => { svc(o, 'cache').spec.internalTrafficPolicy = 'Node'; }, 'Service/cache', 'spec.internalTrafficPolicy', /^"Node" is not a supported value$/],
  ['an external IP that is not an address', (o) => { svc(o, 'cache').spec.externalIPs = ['cache.example.com']; }, 'Service/cache', 'spec.externalIPs[0]', /^"cache.example.com" is not an IP address$/],
  ['a port name that is not a string', (o) => { svc(o, 'cache').spec.ports[0].name = 7; }, 'Service/cache', 'spec.ports[0].name', /^port name "7" is not valid$/],
  ['a port name used twice', (o) => { svc(o, 'web').spec.ports.push({ name: 'http', port: 81, targetPort: 'http', nodePort: 30081 }); }, 'Service/web', 'spec.ports[1].name', /^port name "http" is used twice$/],
  ['one nodePort twice with one protocol written out', (o) => { svc(o, 'web').spec.ports.push({ name: 'alt', port: 81, targetPort: 'http', nodePort: 30080, protocol: 'TCP' }); }, 'Service/web', 'spec.ports[1].nodePort', /^nodePort 30080\/TCP is used twice$/],
  ['a headless LoadBalancer Service', (o) => { svc(o, 'cache-public').spec.clusterIP = 'None'; }, 'Service/cache-public', 'spec.clusterIP', /^clusterIP None on a LoadBalancer Service$/],
  ['an externalName that is not a string', (o) => { svc(o, 'mail').spec.externalName = 42; }, 'Service/mail', 'spec.externalName', /^an ExternalName Service has no externalName$/],
  ['an ExternalName Service with a clusterIP address', (o) => { svc(o, 'mail').spec.clusterIP = '10.96.0.10'; }, 'Service/mail', 'spec.clusterIP', /^clusterIP is set on an ExternalName Service$/],
  ['a sessionAffinity outside the enum', (o) => { svc(o, 'cache').spec.sessionAffinity = 'Cookie'; }, 'Service/cache', 'spec.sessionAffinity', /^"Cookie" is not a supported value$/],
  ['a ClientIP affinity timeout of 0', (o) => { Object.assign(svc(o, 'cache').spec, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } }); }, 'Service/cache', 'spec.sessionAffinityConfig.clientIP.timeoutSeconds', /^timeoutSeconds is 0$/],
  ['a ClientIP affinity timeout that is not whole', (o) => { Object.assign(svc(o, 'cache').spec, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 1.5 } } }); }, 'Service/cache', 'spec.sessionAffinityConfig.clientIP.timeoutSeconds', /^timeoutSeconds is 1.5$/],
  ['externalTrafficPolicy outside the enum on a LoadBalancer Service', (o) => { svc(o, 'cache-public').spec.externalTrafficPolicy = 'Nearest'; }, 'Service/cache-public', 'spec.externalTrafficPolicy', /^"Nearest" is not a supported value$/],
  ['externalTrafficPolicy on a ClusterIP Service with an empty externalIPs list', (o) => { Object.assign(svc(o, 'cache').spec, { externalTrafficPolicy: 'Cluster', externalIPs: [] }); }, 'Service/cache', 'spec.externalTrafficPolicy', /^externalTrafficPolicy is set on a ClusterIP Service$/],
  ['ipFamilyPolicy outside the enum', (o) => { svc(o, 'cache').spec.ipFamilyPolicy = 'DualStack'; }, 'Service/cache', 'spec.ipFamilyPolicy', /^"DualStack" is not a supported value$/],
  ['an external IP that is not a string', (o) => { svc(o, 'cache').spec.externalIPs = [10]; }, 'Service/cache', 'spec.externalIPs[0]', /^"10" is not an IP address$/],
  ['a source range that is not a string', (o) => { svc(o, 'cache-public').spec.loadBalancerSourceRanges = [24]; }, 'Service/cache-public', 'spec.loadBalancerSourceRanges[0]', /^"24" is not a CIDR$/],
  ['allocateLoadBalancerNodePorts on a ClusterIP Service', (o) => { svc(o, 'cache').spec.allocateLoadBalancerNodePorts = false; }, 'Service/cache', 'spec.allocateLoadBalancerNodePorts', /^allocateLoadBalancerNodePorts on a ClusterIP Service$/],
  ['a Service name that is not a DNS-1035 label', (o) => { o.push({ ...structuredClone(svc(o, 'cache')), metadata: { name: '7cache', namespace: 'shop' } }); }, 'Service/7cache', 'metadata.name', /^Service name "7cache" is not valid$/],
];

// Changes that also break links (a Service's ports and selector are what other objects reach):
// judged by the API rules alone.
const API_ONLY_CASES: BreakCase[] = [
  ['an unnamed port among several', (o) => { svc(o, 'cache').spec.ports.push({ name: 'metrics', port: 9121 }); }, 'Service/cache', 'spec.ports[0].name', /^a Service with several ports must name each one$/],
  ['a port name that is not a DNS label', (o) => { svc(o, 'web').spec.ports[0].name = 'HTTP'; svc(o, 'web').spec.ports[0].targetPort = 8080; }, 'Service/web', 'spec.ports[0].name', /^port name "HTTP" is not valid$/],
  ['a port out of range', (o) => { svc(o, 'cache').spec.ports[0].port = 0; }, 'Service/cache', 'spec.ports[0].port', /^port 0 is out of range$/],
  ['a numeric targetPort out of range', (o) => { svc(o, 'cache').spec.ports[0].targetPort = 65536; }, 'Service/cache', 'spec.ports[0].targetPort', /^port 65536 is out of range$/],
  ['a selector label value that is not valid', (o) => { svc(o, 'cache').spec.selector.app = 'cache!'; }, 'Service/cache', 'spec.selector.app', /^label value "cache!" is not valid$/],
];

describe('Service rules (core ValidateService)', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });

  test.each(API_ONLY_CASES)('%s is reported by the API rules, and nothing else by them', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt, ['api']), { check: 'api', object, path, message });
  });

  test('a headless Service may have no ports', () => {
    expect(breakValid((o) => { svc(o, 'db-headless').spec.ports = []; })).toEqual([]);
  });

  test('an externalName with a trailing dot is a DNS name', () => {
    expect(breakValid((o) => { svc(o, 'mail').spec.externalName = 'smtp.example.com.'; })).toEqual([]);
  });

  test('the edges of the node port range pass', () => {
    expect(breakValid((o) => { svc(o, 'web').spec.ports[0].nodePort = 30000; })).toEqual([]);
    expect(breakValid((o) => { svc(o, 'web').spec.ports[0].nodePort = 32767; })).toEqual([]);
  });
  test.each([
    ['an unnamed single port', (o: KubeObject[]) => { delete svc(o, 'db').spec.ports[0].name; svc(o, 'db').spec.ports[0].targetPort = 5432; }],
    ['ports named null and "" when alone', (o: KubeObject[]) => { svc(o, 'cache').spec.ports[0].name = null; svc(o, 'cache-public').spec.ports[0].name = ''; }],
    ['a targetPort of 0, "" or null (each defaults to the port)', (o: KubeObject[]) => {
      svc(o, 'cache').spec.ports[0].targetPort = 0;
      svc(o, 'cache-public').spec.ports[0].targetPort = '';
      svc(o, 'db').spec.ports[0].targetPort = null;
    }],
    ['a nodePort of 0 or null on a ClusterIP Service (0 asks for none)', (o: KubeObject[]) => { svc(o, 'cache').spec.ports[0].nodePort = 0; svc(o, 'db').spec.ports[0].nodePort = null; }],
    ['one nodePort for TCP and for UDP', (o: KubeObject[]) => { svc(o, 'web').spec.ports.push({ name: 'dns', port: 80, protocol: 'UDP', targetPort: 8080, nodePort: 30080 }); }],
    ['a nodePort on a LoadBalancer Service', (o: KubeObject[]) => { svc(o, 'cache-public').spec.ports[0].nodePort = 31379; }],
    ['an ExternalName Service with ports and an empty clusterIP', (o: KubeObject[]) => { Object.assign(svc(o, 'mail').spec, { ports: [{ port: 25 }], clusterIP: '' }); }],
    ['ClientIP affinity timeouts of 1 and 86400 seconds, and none', (o: KubeObject[]) => {
      Object.assign(svc(o, 'cache').spec, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 1 } } });
      Object.assign(svc(o, 'db').spec, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86400 } } });
      Object.assign(svc(o, 'cache-public').spec, { sessionAffinity: 'ClientIP' });
    }],
    ['externalTrafficPolicy on a NodePort Service, and on a ClusterIP one with externalIPs', (o: KubeObject[]) => {
      svc(o, 'web').spec.externalTrafficPolicy = 'Cluster';
      Object.assign(svc(o, 'cache').spec, { externalTrafficPolicy: 'Local', externalIPs: ['198.51.100.7', '2001:db8::7'] });
    }],
    ['a null externalTrafficPolicy on a ClusterIP Service', (o: KubeObject[]) => { svc(o, 'cache').spec.externalTrafficPolicy = null; }],
    ['a source range with spaces around it, and an empty list on a ClusterIP Service', (o: KubeObject[]) => {
      svc(o, 'cache-public').spec.loadBalancerSourceRanges = [' 198.51.100.0/24 '];
      svc(o, 'cache').spec.loadBalancerSourceRanges = [];
    }],
    ['allocateLoadBalancerNodePorts on a LoadBalancer Service, and null on a ClusterIP one', (o: KubeObject[]) => {
      svc(o, 'cache-public').spec.allocateLoadBalancerNodePorts = false;
      svc(o, 'cache').spec.allocateLoadBalancerNodePorts = null;
    }],
    ['a null port (the schema check reports it)', (o: KubeObject[]) => { svc(o, 'db').spec.ports.push(null); }],
  ])('%s passes: the API server accepts it', (_what, change) => {
    expect(breakValid(change, ['api'])).toEqual([]);
    expect(apiRulesOf(change)).toEqual([]);
  });
  // What each finding says is allowed, for the one who fixes it.
  test.each([
    ['no ports', (o: KubeObject[]) => { svc(o, 'cache').spec.ports = []; }, 'at least one port (a headless Service, clusterIP: None, may have none)'],
    ['an unnamed port among several', (o: KubeObject[]) => { svc(o, 'cache').spec.ports.push({ name: 'metrics', port: 9121 }); }, 'a port name'],
    ['a port name used twice', (o: KubeObject[]) => { svc(o, 'web').spec.ports.push({ name: 'http', port: 81, targetPort: 'http', nodePort: 30081 }); }, 'unique port names'],
    ['a nodePort on a ClusterIP Service', (o: KubeObject[]) => { svc(o, 'cache').spec.ports[0].nodePort = 30079; }, 'nodePort only with type NodePort or LoadBalancer'],
    ['a nodePort outside the range', (o: KubeObject[]) => { svc(o, 'web').spec.ports[0].nodePort = 8080; }, '30000-32767 (the API server\'s default --service-node-port-range)'],
    ['one nodePort twice', (o: KubeObject[]) => { svc(o, 'web').spec.ports.push({ name: 'alt', port: 81, targetPort: 'http', nodePort: 30080 }); }, 'each nodePort once per protocol'],
    ['a clusterIP that is not an address', (o: KubeObject[]) => { svc(o, 'cache').spec.clusterIP = '10.0.0'; }, 'an IP in the service range, "None" (headless) or unset'],
    ['an ExternalName Service without externalName', (o: KubeObject[]) => { delete svc(o, 'mail').spec.externalName; }, 'a DNS name, e.g. db.example.com'],
    ['an ExternalName Service with a clusterIP', (o: KubeObject[]) => { svc(o, 'mail').spec.clusterIP = 'None'; }, 'no clusterIP'],
    ['a headless NodePort Service', (o: KubeObject[]) => { svc(o, 'web').spec.clusterIP = 'None'; }, 'an allocated clusterIP (unset) for NodePort and LoadBalancer'],
    ['an affinity timeout above a day', (o: KubeObject[]) => { Object.assign(svc(o, 'cache').spec, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86401 } } }); }, 'from 1 to 86400'],
    ['an affinity config without ClientIP', (o: KubeObject[]) => { svc(o, 'cache').spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 60 } }; }, 'sessionAffinity: ClientIP, or no sessionAffinityConfig'],
    ['externalTrafficPolicy on a ClusterIP Service', (o: KubeObject[]) => { svc(o, 'cache').spec.externalTrafficPolicy = 'Local'; }, 'externalTrafficPolicy only on NodePort or LoadBalancer Services, or with externalIPs'],
    ['an external IP that is not an address', (o: KubeObject[]) => { svc(o, 'cache').spec.externalIPs = ['x']; }, 'an IPv4 or IPv6 address'],
    ['source ranges on a NodePort Service', (o: KubeObject[]) => { svc(o, 'web').spec.loadBalancerSourceRanges = ['10.0.0.0/8']; }, 'only with type LoadBalancer'],
    ['a source range that is not a CIDR', (o: KubeObject[]) => { svc(o, 'cache-public').spec.loadBalancerSourceRanges = ['x']; }, 'a CIDR such as 203.0.113.0/24'],
    ['allocateLoadBalancerNodePorts on a ClusterIP Service', (o: KubeObject[]) => { svc(o, 'cache').spec.allocateLoadBalancerNodePorts = false; }, 'only with type LoadBalancer'],
    ['a Service type outside the enum', (o: KubeObject[]) => { svc(o, 'cache').spec.type = 'Internal'; }, 'one of ClusterIP, NodePort, LoadBalancer, ExternalName'],
  ])('%s: the finding names what is allowed', (_what, breakIt, allowed) => {
    expect(breakValid(breakIt, ['api']).map((p) => p.allowed)).toEqual([allowed]);
  });

  test('an SCTP port passes', () => {
    expect(apiRulesOf((o) => { svc(o, 'cache').spec.ports[0].protocol = 'SCTP'; })).toEqual([]);
  });

  test('a ClientIP affinity with an empty sessionAffinityConfig passes: the timeout defaults', () => {
    expect(apiRulesOf((o) => { Object.assign(svc(o, 'cache').spec, { sessionAffinity: 'ClientIP', sessionAffinityConfig: {} }); })).toEqual([]);
  });

  test('an affinity config without ClientIP is one finding, its timeout not judged', () => {
    const problems = apiRulesOf((o) => { svc(o, 'cache').spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 0 } }; });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual(['spec.sessionAffinityConfig: sessionAffinityConfig is set without sessionAffinity ClientIP: the API server drops it']);
  });

  test('ports that are not a list count as none', () => {
    const problems = apiRulesOf((o) => { svc(o, 'cache').spec.ports = 'redis'; });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual(['spec.ports: the Service has no ports']);
  });
});

// What the real API server (1.34) showed the rules had wrong (test/validate/differential.test.ts).
describe('Service rules as the API server applies them', () => {
  const found = (change: (o: KubeObject[]) => void) => apiRulesOf(change).map((p) => `${p.object} ${p.path}: ${p.message}${p.severity ? ` [${p.severity}]` : ''}`);

  test.each([
    // ValidateService: each (port, protocol) pair once, "spec.ports[1]: Duplicate value".
    ['one port number and protocol twice, under two names', (o: KubeObject[]) => { svc(o, 'cache').spec.ports.push({ name: 'again', port: 6379 }); svc(o, 'cache').spec.ports[0].name = 'redis'; }, ['Service/cache spec.ports[1]: port 6379/TCP is used twice']],
    ['one port number twice with TCP written out once', (o: KubeObject[]) => { svc(o, 'cache').spec.ports.push({ name: 'again', port: 6379, protocol: 'TCP' }); svc(o, 'cache').spec.ports[0].name = 'redis'; }, ['Service/cache spec.ports[1]: port 6379/TCP is used twice']],
    // A missing spec is the zero value: no ports.
    ['a Service without a spec', (o: KubeObject[]) => { delete svc(o, 'cache').spec; }, ['Service/cache spec.ports: the Service has no ports']],
  ])('%s is refused', (_what, change, expected) => {
    expect(found(change)).toEqual(expected);
  });

  test.each([
    ['one port number under two protocols', (o: KubeObject[]) => { svc(o, 'cache').spec.ports.push({ name: 'udp', port: 6379, protocol: 'UDP' }); svc(o, 'cache').spec.ports[0].name = 'redis'; }, []],
    // ValidateService forbids a nodePort with type ClusterIP only.
    ['a nodePort on an ExternalName Service', (o: KubeObject[]) => { svc(o, 'mail').spec.ports = [{ port: 25, nodePort: 30025 }]; }, ['Service/mail spec.ports[0].nodePort: nodePort is set on a ExternalName Service, which has no node ports: it is ignored [warning]']],
    // SetDefaults_Service drops a sessionAffinityConfig unless the affinity is ClientIP.
    ['a sessionAffinityConfig with sessionAffinity None', (o: KubeObject[]) => { Object.assign(svc(o, 'cache').spec, { sessionAffinity: 'None', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }); }, ['Service/cache spec.sessionAffinityConfig: sessionAffinityConfig is set without sessionAffinity ClientIP: the API server drops it [warning]']],
    // The cluster's service range and IP families decide these (the real server here, IPv4 10.0.0.0/24,
    // refuses all three): warnings, as no manifest shows a cluster's settings.
    ['a clusterIP that is an IPv4 or IPv6 address, or empty', (o: KubeObject[]) => { svc(o, 'cache').spec.clusterIP = '10.96.0.10'; svc(o, 'db').spec.clusterIP = 'fd00::10'; svc(o, 'cache-public').spec.clusterIP = ''; }, [
      "Service/cache spec.clusterIP: the fixed clusterIP 10.96.0.10 is allocated only if it lies in the cluster's service range (--service-cluster-ip-range) and is free [warning]",
      "Service/db spec.clusterIP: the fixed clusterIP fd00::10 is allocated only if it lies in the cluster's service range (--service-cluster-ip-range) and is free [warning]",
    ]],
    ['every ipFamilyPolicy and internalTrafficPolicy', (o: KubeObject[]) => {
      Object.assign(svc(o, 'cache').spec, { ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Local' });
      Object.assign(svc(o, 'db').spec, { ipFamilyPolicy: 'PreferDualStack', internalTrafficPolicy: 'Cluster' });
      svc(o, 'web').spec.ipFamilyPolicy = 'RequireDualStack';
    }, ['Service/web spec.ipFamilyPolicy: RequireDualStack is refused by a single-stack cluster [warning]']],
  ])('%s is accepted (with any warning)', (_what, change, expected) => {
    expect(found(change).sort()).toEqual([...expected].sort());
  });
});

// More of ValidateService, found missing by the differential suite.
describe('Service fields the real API server judges', () => {
  const found = (change: (o: KubeObject[]) => void) => apiRulesOf(change).map((p) => `${p.object} ${p.path}: ${p.message}`);
  test.each([
    ['an appProtocol that is not a qualified name', (o: KubeObject[]) => { svc(o, 'cache').spec.ports[0].appProtocol = 'Bad Protocol'; }, ['Service/cache spec.ports[0].appProtocol: appProtocol "Bad Protocol" is not a qualified name']],
    ['external IPs unspecified, loopback and link-local', (o: KubeObject[]) => { svc(o, 'cache').spec.externalIPs = ['0.0.0.0', '127.0.0.1', '169.254.1.1', 'fe80::1', '::1']; }, [
      'Service/cache spec.externalIPs[0]: "0.0.0.0" is unspecified (0.0.0.0)',
      'Service/cache spec.externalIPs[1]: "127.0.0.1" is in the loopback range (127.0.0.0/8)',
      'Service/cache spec.externalIPs[2]: "169.254.1.1" is in the link-local range (169.254.0.0/16)',
      'Service/cache spec.externalIPs[3]: "fe80::1" is in the link-local range (fe80::/10)',
      'Service/cache spec.externalIPs[4]: "::1" is the loopback address (::1)',
    ]],
    ['clusterIPs without clusterIP', (o: KubeObject[]) => { svc(o, 'cache').spec.clusterIPs = ['None']; }, ['Service/cache spec.clusterIPs: clusterIPs are set without clusterIP']],
    ['clusterIPs that do not start with clusterIP', (o: KubeObject[]) => { Object.assign(svc(o, 'db-headless').spec, { clusterIPs: ['10.0.0.9'] }); }, ['Service/db-headless spec.clusterIPs: clusterIPs[0] "10.0.0.9" differs from clusterIP "None"']],
    ['IP families and a policy on an ExternalName Service', (o: KubeObject[]) => { Object.assign(svc(o, 'mail').spec, { ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }); }, ['Service/mail spec.ipFamilies: ipFamilies are set on an ExternalName Service', 'Service/mail spec.ipFamilyPolicy: ipFamilyPolicy is set on an ExternalName Service']],
    ['one IP family twice', (o: KubeObject[]) => { svc(o, 'cache').spec.ipFamilies = ['IPv4', 'IPv4']; }, ['Service/cache spec.ipFamilies[1]: IP family IPv4 is listed twice']],
    ['a health check node port where none is needed', (o: KubeObject[]) => { svc(o, 'cache').spec.healthCheckNodePort = 30000; }, ['Service/cache spec.healthCheckNodePort: healthCheckNodePort is set, but the Service needs none']],
    ['a loadBalancerClass on a ClusterIP Service', (o: KubeObject[]) => { svc(o, 'cache').spec.loadBalancerClass = 'example.com/lb'; }, ['Service/cache spec.loadBalancerClass: loadBalancerClass on a ClusterIP Service']],
    ['a loadBalancerClass that is not a qualified name', (o: KubeObject[]) => { svc(o, 'cache-public').spec.loadBalancerClass = 'Bad Class'; }, ['Service/cache-public spec.loadBalancerClass: loadBalancerClass "Bad Class" is not a qualified name']],
    ['a trafficDistribution outside the enum', (o: KubeObject[]) => { svc(o, 'cache').spec.trafficDistribution = 'Nearest'; }, ['Service/cache spec.trafficDistribution: "Nearest" is not a supported value']],
    ['one port number twice, under an empty protocol and TCP', (o: KubeObject[]) => { svc(o, 'cache').spec.ports = [{ name: 'a', port: 6379, protocol: '' }, { name: 'b', port: 6379, protocol: 'TCP' }]; }, ['Service/cache spec.ports[1]: port 6379/TCP is used twice']],
    ['one port number twice, under a null protocol and TCP', (o: KubeObject[]) => { svc(o, 'cache').spec.ports = [{ name: 'a', port: 6379, protocol: null }, { name: 'b', port: 6379, protocol: 'TCP' }]; }, ['Service/cache spec.ports[1]: port 6379/TCP is used twice']],
    ['an external IP in the link-local range with a part of two digits', (o: KubeObject[]) => { svc(o, 'cache').spec.externalIPs = ['169.254.10.1']; }, ['Service/cache spec.externalIPs[0]: "169.254.10.1" is in the link-local range (169.254.0.0/16)']],
    ['an external IP with a zone', (o: KubeObject[]) => { svc(o, 'cache').spec.externalIPs = ['2001:db8::1%eth0']; }, ['Service/cache spec.externalIPs[0]: "2001:db8::1%eth0" is not an IP address']],
  ])('%s is refused', (_what, change, expected) => {
    expect(found(change)).toEqual(expected);
  });

  test.each([
    ['an appProtocol of a domain', (o: KubeObject[]) => { svc(o, 'cache').spec.ports[0].appProtocol = 'kubernetes.io/h2c'; }],
    ['a public external IP', (o: KubeObject[]) => { svc(o, 'cache').spec.externalIPs = ['203.0.113.10', '2001:db8::1']; }],
    ['a loadBalancerClass on a LoadBalancer Service', (o: KubeObject[]) => { svc(o, 'cache-public').spec.loadBalancerClass = 'example.com/lb'; }],
    ['a health check node port for a Local LoadBalancer', (o: KubeObject[]) => { Object.assign(svc(o, 'cache-public').spec, { externalTrafficPolicy: 'Local', healthCheckNodePort: 30100 }); }],
    ['each trafficDistribution of 1.34', (o: KubeObject[]) => { svc(o, 'cache').spec.trafficDistribution = 'PreferSameNode'; svc(o, 'db').spec.trafficDistribution = 'PreferClose'; }],
    // SetDefaults_Service: an empty protocol is TCP.
    ['a port with an empty protocol', (o: KubeObject[]) => { svc(o, 'cache').spec.ports[0].protocol = ''; }],
    // IsValidIPForLegacyField / IsValidCIDRForLegacyField (ParseIPSloppy): leading zeros are accepted, with a warning.
    ['external IPs with leading zeros', (o: KubeObject[]) => { svc(o, 'cache').spec.externalIPs = ['203.0.113.010', '::ffff:203.0.113.011']; }],
    // Go's IsUnspecified is 0.0.0.0 alone: zeros in some of the parts are no special address (0.0.0.05 is 0.0.0.5).
    ['external IPs with zero parts, not all', (o: KubeObject[]) => { svc(o, 'cache').spec.externalIPs = ['10.0.0.0', '0.1.0.0', '0.0.1.0', '10.1.1.0', '10.1.0.0', '0.0.0.05']; }],
    ['loadBalancerSourceRanges with leading zeros', (o: KubeObject[]) => { svc(o, 'cache-public').spec.loadBalancerSourceRanges = ['203.0.113.000/24', '198.51.100.0/024']; }],
  ])('%s is accepted', (_what, change) => {
    expect(found(change)).toEqual([]);
  });
});

// Each finding whole (path, message, allowed, severity): the text is what the user reads.
describe('Service findings as the user reads them', () => {
  const whole = (change: (o: KubeObject[]) => void) => apiRulesOf(change).map((p) => `${p.object} ${p.path}: ${p.message} (allowed: ${p.allowed})${p.severity ? ` [${p.severity}]` : ''}`);

  test.each([
    ['one port number and protocol twice', (o: KubeObject[]) => { svc(o, 'cache').spec.ports.push({ name: 'again', port: 6379 }); svc(o, 'cache').spec.ports[0].name = 'redis'; }, [
      'Service/cache spec.ports[1]: port 6379/TCP is used twice (allowed: each port number once per protocol)',
    ]],
    // A port name of another type (a YAML list) is no DNS label, even when its text would be one.
    ['a port name that is a list', (o: KubeObject[]) => { svc(o, 'cache').spec.ports[0].name = ['redis']; }, [
      'Service/cache spec.ports[0].name: port name "redis" is not valid (allowed: a DNS-1123 label: at most 63 characters of a-z 0-9 -, starting and ending with a-z or 0-9)',
    ]],
    ['a nodePort on an ExternalName Service', (o: KubeObject[]) => { svc(o, 'mail').spec.ports = [{ port: 25, nodePort: 30025 }]; }, [
      'Service/mail spec.ports[0].nodePort: nodePort is set on a ExternalName Service, which has no node ports: it is ignored (allowed: nodePort only with type NodePort or LoadBalancer) [warning]',
    ]],
    ['a fixed clusterIP', (o: KubeObject[]) => { svc(o, 'cache').spec.clusterIP = '10.96.0.10'; }, [
      "Service/cache spec.clusterIP: the fixed clusterIP 10.96.0.10 is allocated only if it lies in the cluster's service range (--service-cluster-ip-range) and is free (allowed: an address of the target cluster's service range, or no clusterIP (one is allocated)) [warning]",
    ]],
    ['ipFamilyPolicy RequireDualStack', (o: KubeObject[]) => { svc(o, 'cache').spec.ipFamilyPolicy = 'RequireDualStack'; }, [
      'Service/cache spec.ipFamilyPolicy: RequireDualStack is refused by a single-stack cluster (allowed: PreferDualStack, or RequireDualStack only for dual-stack clusters) [warning]',
    ]],
    // ValidateService: an ExternalName Service has no clusterIPs, IP families or family policy.
    ['clusterIPs on an ExternalName Service', (o: KubeObject[]) => { svc(o, 'mail').spec.clusterIPs = ['10.0.0.9']; }, [
      'Service/mail spec.clusterIPs: clusterIPs are set on an ExternalName Service (allowed: no clusterIPs)',
    ]],
    ['IP families and a policy on an ExternalName Service', (o: KubeObject[]) => { Object.assign(svc(o, 'mail').spec, { ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }); }, [
      'Service/mail spec.ipFamilies: ipFamilies are set on an ExternalName Service (allowed: no ipFamilies)',
      'Service/mail spec.ipFamilyPolicy: ipFamilyPolicy is set on an ExternalName Service (allowed: no ipFamilyPolicy)',
    ]],
    // ValidateServiceClusterIPsRelatedFields: "must be empty when `clusterIP` is not specified"; an
    // empty clusterIP is not specified.
    ['clusterIPs with an empty clusterIP', (o: KubeObject[]) => { Object.assign(svc(o, 'cache').spec, { clusterIP: '', clusterIPs: ['10.0.0.9'] }); }, [
      'Service/cache spec.clusterIPs: clusterIPs are set without clusterIP (allowed: clusterIP set to clusterIPs[0], or neither)',
    ]],
    ['clusterIPs that do not start with clusterIP', (o: KubeObject[]) => { svc(o, 'db-headless').spec.clusterIPs = ['10.0.0.9']; }, [
      'Service/db-headless spec.clusterIPs: clusterIPs[0] "10.0.0.9" differs from clusterIP "None" (allowed: clusterIPs starting with clusterIP)',
    ]],
    ['an IP family outside the enum, and one twice', (o: KubeObject[]) => { svc(o, 'cache').spec.ipFamilies = ['IPv5', 'IPv4', 'IPv4']; }, [
      'Service/cache spec.ipFamilies[0]: "IPv5" is not a supported value (allowed: one of IPv4, IPv6)',
      'Service/cache spec.ipFamilies[2]: IP family IPv4 is listed twice (allowed: each family once)',
    ]],
    ['a health check node port on a ClusterIP Service', (o: KubeObject[]) => { svc(o, 'cache').spec.healthCheckNodePort = 30000; }, [
      'Service/cache spec.healthCheckNodePort: healthCheckNodePort is set, but the Service needs none (allowed: healthCheckNodePort only with type LoadBalancer and externalTrafficPolicy Local)',
    ]],
    // validateServiceExternalTrafficPolicy: NeedsHealthCheck is LoadBalancer *and* Local.
    ['a health check node port on a LoadBalancer Service with externalTrafficPolicy Cluster', (o: KubeObject[]) => { Object.assign(svc(o, 'cache-public').spec, { externalTrafficPolicy: 'Cluster', healthCheckNodePort: 30100 }); }, [
      'Service/cache-public spec.healthCheckNodePort: healthCheckNodePort is set, but the Service needs none (allowed: healthCheckNodePort only with type LoadBalancer and externalTrafficPolicy Local)',
    ]],
    ['a loadBalancerClass on a ClusterIP Service', (o: KubeObject[]) => { svc(o, 'cache').spec.loadBalancerClass = 'example.com/lb'; }, [
      'Service/cache spec.loadBalancerClass: loadBalancerClass on a ClusterIP Service (allowed: only with type LoadBalancer)',
    ]],
    // An external IP of another type (a YAML list) is no address, even when its text would be one.
    ['an external IP that is a list', (o: KubeObject[]) => { svc(o, 'cache').spec.externalIPs = [['203.0.113.10']]; }, [
      'Service/cache spec.externalIPs[0]: "203.0.113.10" is not an IP address (allowed: an IPv4 or IPv6 address)',
    ]],
    // ValidateEndpointIP: net.IP IsUnspecified, IsLoopback, IsLinkLocalUnicast, IsLinkLocalMulticast,
    // whatever way the address is written.
    ['external IPs unspecified, loopback and link-local multicast', (o: KubeObject[]) => {
      svc(o, 'cache').spec.externalIPs = ['224.0.0.251', 'ff02::fb', '::', '0:0:0:0:0:0:0:0', '0::', '0000::0000', '0:0:0:0:0:0:0:1'];
    }, [
      'Service/cache spec.externalIPs[0]: "224.0.0.251" is in the link-local multicast range (224.0.0.0/24) (allowed: an address nodes can be reached at (not unspecified, loopback or link-local))',
      'Service/cache spec.externalIPs[1]: "ff02::fb" is in the link-local multicast range (ff02::/16) (allowed: an address nodes can be reached at (not unspecified, loopback or link-local))',
      'Service/cache spec.externalIPs[2]: "::" is unspecified (::) (allowed: an address nodes can be reached at (not unspecified, loopback or link-local))',
      'Service/cache spec.externalIPs[3]: "0:0:0:0:0:0:0:0" is unspecified (::) (allowed: an address nodes can be reached at (not unspecified, loopback or link-local))',
      'Service/cache spec.externalIPs[4]: "0::" is unspecified (::) (allowed: an address nodes can be reached at (not unspecified, loopback or link-local))',
      'Service/cache spec.externalIPs[5]: "0000::0000" is unspecified (::) (allowed: an address nodes can be reached at (not unspecified, loopback or link-local))',
      'Service/cache spec.externalIPs[6]: "0:0:0:0:0:0:0:1" is the loopback address (::1) (allowed: an address nodes can be reached at (not unspecified, loopback or link-local))',
    ]],
  ])('%s: the whole finding', (_what, change, expected) => {
    expect(whole(change)).toEqual(expected);
  });

  test.each([
    // ValidateService checks len(ipFamilies) > 0 and ipFamilyPolicy != nil.
    ['an empty ipFamilies list and a null ipFamilyPolicy on an ExternalName Service', (o: KubeObject[]) => { Object.assign(svc(o, 'mail').spec, { ipFamilies: [], ipFamilyPolicy: null }); }],
    ['clusterIPs that start with clusterIP', (o: KubeObject[]) => { svc(o, 'db-headless').spec.clusterIPs = ['None']; }],
    ['a health check node port of 0 (none) on a ClusterIP Service', (o: KubeObject[]) => { svc(o, 'cache').spec.healthCheckNodePort = 0; }],
    ['a null loadBalancerClass on a ClusterIP Service', (o: KubeObject[]) => { svc(o, 'cache').spec.loadBalancerClass = null; }],
    // A loadBalancerClass of another type is the schema check's to report.
    ['a loadBalancerClass that is a number on a LoadBalancer Service', (o: KubeObject[]) => { svc(o, 'cache-public').spec.loadBalancerClass = 7; }],
    // Near the special ranges, but outside them (ValidateEndpointIP accepts them).
    ['external IPs next to the special ranges', (o: KubeObject[]) => {
      svc(o, 'cache').spec.externalIPs = ['10.0.0.1', '10.254.0.1', '169.1.0.1', '10.1.0.1', '224.1.0.1', '224.0.1.1', '::1:2', '2001:db8::fe80:1', '2001:db8::ff02:1'];
    }],
  ])('%s passes', (_what, change) => {
    expect(whole(change)).toEqual([]);
  });

  // Whether the cluster serves IPv6 is its own setting (kube-apiserver 1.34.2 here, IPv4 alone,
  // refuses it: "not configured on this cluster"): a warning, as no manifest shows it.
  test.each([
    ['an IPv6 family', (o: KubeObject[]) => { svc(o, 'db').spec.ipFamilies = ['IPv6']; }, [
      'Service/db spec.ipFamilies[0]: IP family IPv6 is refused by a cluster without an IPv6 service range (allowed: IPv6 only for clusters with an IPv6 (or dual-stack) service range) [warning]',
    ]],
    ['both families, IPv6 twice', (o: KubeObject[]) => { Object.assign(svc(o, 'db').spec, { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6', 'IPv6'] }); }, [
      'Service/db spec.ipFamilies[1]: IP family IPv6 is refused by a cluster without an IPv6 service range (allowed: IPv6 only for clusters with an IPv6 (or dual-stack) service range) [warning]',
      'Service/db spec.ipFamilies[2]: IP family IPv6 is listed twice (allowed: each family once)',
    ]],
  ])('%s is accepted, with a warning', (_what, change, expected) => {
    expect(whole(change)).toEqual(expected);
  });

  // ValidateService: !apiservice.NeedsHealthCheck(service) && HealthCheckNodePort != 0 is refused,
  // "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"; a
  // NodePort Service with Local needs none.
  test('a health check node port on a NodePort Service with externalTrafficPolicy Local is refused', () => {
    expect(whole((o) => { Object.assign(svc(o, 'web').spec, { externalTrafficPolicy: 'Local', healthCheckNodePort: 30100 }); })).toEqual([
      'Service/web spec.healthCheckNodePort: healthCheckNodePort is set, but the Service needs none (allowed: healthCheckNodePort only with type LoadBalancer and externalTrafficPolicy Local)',
    ]);
  });

  // validateServiceTrafficDistribution with PreferSameTrafficDistribution (on in 1.34): PreferClose,
  // PreferSameZone, PreferSameNode.
  test('each trafficDistribution of 1.34 passes, and a finding names them all', () => {
    expect(whole((o) => {
      svc(o, 'cache').spec.trafficDistribution = 'PreferClose';
      svc(o, 'db').spec.trafficDistribution = 'PreferSameZone';
      svc(o, 'web').spec.trafficDistribution = 'PreferSameNode';
    })).toEqual([]);
    expect(whole((o) => { svc(o, 'cache').spec.trafficDistribution = 'PreferSameRegion'; })).toEqual([
      'Service/cache spec.trafficDistribution: "PreferSameRegion" is not a supported value (allowed: one of PreferClose, PreferSameZone, PreferSameNode)',
    ]);
  });

  // ValidateService keys its duplicate check on (port, protocol) of int32 ports: a port that is no
  // whole number is out of range (or, missing, the schema's to report), never a duplicate.
  test('ports without a whole port number are not counted as one port used twice', () => {
    expect(whole((o) => { svc(o, 'cache').spec.ports = [{ name: 'a', targetPort: 6379 }, { name: 'b', targetPort: 6380 }]; })).toEqual([]);
    expect(whole((o) => { svc(o, 'cache').spec.ports = [{ name: 'a', port: 6379.5 }, { name: 'b', port: 6379.5 }]; })).toEqual([
      'Service/cache spec.ports[0].port: port 6379.5 is out of range (allowed: a whole number from 1 to 65535)',
      'Service/cache spec.ports[1].port: port 6379.5 is out of range (allowed: a whole number from 1 to 65535)',
    ]);
  });

  // Go's net.IP, which ValidateEndpointIP judges, is 16 bytes: it reads an IPv4-mapped IPv6 address
  // (::ffff:127.0.0.1, accepted in 1.34 as StrictIPCIDRValidation is off) as its IPv4 address, a
  // dotted tail as two groups, and a short group with its leading zeros (fe8:: is 0fe8::).
  test('external IPs special however written are refused, as Go reads their bytes', () => {
    const reach = '(allowed: an address nodes can be reached at (not unspecified, loopback or link-local))';
    expect(whole((o) => {
      svc(o, 'cache').spec.externalIPs = ['::ffff:127.0.0.1', '0:0:0:0:0:ffff:7f00:1', '::ffff:169.254.1.1', '::ffff:0.0.0.0', '::ffff:224.0.0.1', '::0.0.0.0', '::0.0.0.1', 'FE80::1', 'ff12::1'];
    })).toEqual([
      `Service/cache spec.externalIPs[0]: "::ffff:127.0.0.1" is in the loopback range (127.0.0.0/8) ${reach}`,
      `Service/cache spec.externalIPs[1]: "0:0:0:0:0:ffff:7f00:1" is in the loopback range (127.0.0.0/8) ${reach}`,
      `Service/cache spec.externalIPs[2]: "::ffff:169.254.1.1" is in the link-local range (169.254.0.0/16) ${reach}`,
      `Service/cache spec.externalIPs[3]: "::ffff:0.0.0.0" is unspecified (0.0.0.0) ${reach}`,
      `Service/cache spec.externalIPs[4]: "::ffff:224.0.0.1" is in the link-local multicast range (224.0.0.0/24) ${reach}`,
      `Service/cache spec.externalIPs[5]: "::0.0.0.0" is unspecified (::) ${reach}`,
      `Service/cache spec.externalIPs[6]: "::0.0.0.1" is the loopback address (::1) ${reach}`,
      `Service/cache spec.externalIPs[7]: "FE80::1" is in the link-local range (fe80::/10) ${reach}`,
      `Service/cache spec.externalIPs[8]: "ff12::1" is in the link-local multicast range (ff02::/16) ${reach}`,
    ]);
  });

  test('external IPs outside the special ranges pass, as Go reads their bytes', () => {
    expect(whole((o) => { svc(o, 'cache').spec.externalIPs = [
      'fe8::1', 'fec0::1', '2080::1', 'ff2::1', 'ff01::1', '::2', '1::', '0.0.0.1',
      // IPv4-mapped only with ten zero bytes, then ffff: these end in 127.0.0.1 but are not mapped.
      '::ffff:203.0.113.10', '2001:db8::ffff:7f00:1', '::ff:7f00:1', '::ff00:7f00:1',
    ]; })).toEqual([]);
  });

  // Go's net.ParseIP (ParseIPSloppy) takes no zone: "must be a valid IP address".
  test('an external IP with a zone is not an IP address', () => {
    expect(whole((o) => { svc(o, 'cache').spec.externalIPs = ['fe80::1%eth0', '2001:db8::1%eth0']; })).toEqual([
      'Service/cache spec.externalIPs[0]: "fe80::1%eth0" is not an IP address (allowed: an IPv4 or IPv6 address)',
      'Service/cache spec.externalIPs[1]: "2001:db8::1%eth0" is not an IP address (allowed: an IPv4 or IPv6 address)',
    ]);
  });

  // ValidateServiceClusterIPsRelatedFields parses clusterIPs (clusterIP copied in) the same way.
  test('a clusterIP with a zone is not an IP address', () => {
    expect(whole((o) => { svc(o, 'cache').spec.clusterIP = 'fd00::10%eth0'; })).toEqual([
      'Service/cache spec.clusterIP: clusterIP "fd00::10%eth0" is not an IP address (allowed: an IP in the service range, "None" (headless) or unset)',
    ]);
  });
});
