import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { BreakCase, breakValid, the } from '../../support/valid-fixtures';

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
  ['a Service name that is not a DNS-1035 label', (o) => { o.push({ ...structuredClone(svc(o, 'cache')), metadata: { name: '7cache', namespace: 'shop' } }); }, 'Service/7cache', 'metadata.name', /^Service name "7cache" is not valid$/],
];

describe('Service rules (core ValidateService)', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
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
});
