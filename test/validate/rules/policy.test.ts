import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { apiRulesOf, BreakCase, breakValid, the } from '../../support/valid-fixtures';

const pdb = (o: KubeObject[]) => the(o, 'PodDisruptionBudget', 'web');
const np = (o: KubeObject[], name: string) => the(o, 'NetworkPolicy', name);

// policy ValidatePodDisruptionBudgetSpec and networking ValidateNetworkPolicySpec.
const CASES: BreakCase[] = [
  ['a budget with both minAvailable and maxUnavailable', (o) => { pdb(o).spec.minAvailable = 1; }, 'PodDisruptionBudget/web', 'spec', /^minAvailable and maxUnavailable are both set$/],
  ['a budget above 100%', (o) => { pdb(o).spec.maxUnavailable = '150%'; }, 'PodDisruptionBudget/web', 'spec.maxUnavailable', /^150% is more than 100%$/],
  ['a negative minAvailable', (o) => { delete pdb(o).spec.maxUnavailable; pdb(o).spec.minAvailable = -1; }, 'PodDisruptionBudget/web', 'spec.minAvailable', /^minAvailable is -1$/],
  ['an unhealthyPodEvictionPolicy outside the enum', (o) => { pdb(o).spec.unhealthyPodEvictionPolicy = 'Always'; }, 'PodDisruptionBudget/web', 'spec.unhealthyPodEvictionPolicy', /^"Always" is not a supported value$/],
  ['an ipBlock that is not a CIDR', (o) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.cidr = '10.0.0.0'; }, 'NetworkPolicy/report-egress-smtp', 'spec.egress[0].to[0].ipBlock.cidr', /^"10.0.0.0" is not a CIDR$/],
  ['an ipBlock prefix longer than 32', (o) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.cidr = '10.0.0.0/33'; }, 'NetworkPolicy/report-egress-smtp', 'spec.egress[0].to[0].ipBlock.cidr', /^"10.0.0.0\/33" is not a CIDR$/],
  ['an except outside its cidr', (o) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.except = ['192.168.0.0/16']; }, 'NetworkPolicy/report-egress-smtp', 'spec.egress[0].to[0].ipBlock.except[0]', /^192.168.0.0\/16 is not a strict subset of 10.0.0.0\/8$/],
  ['an except equal to its cidr', (o) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.except = ['10.0.0.0/8']; }, 'NetworkPolicy/report-egress-smtp', 'spec.egress[0].to[0].ipBlock.except[0]', /is not a strict subset/],
  ['an ipBlock combined with a selector in one peer', (o) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].podSelector = {}; }, 'NetworkPolicy/report-egress-smtp', 'spec.egress[0].to[0]', /^the peer combines ipBlock with a selector$/],
  ['an empty peer', (o) => { np(o, 'db-ingress').spec.ingress[0].from.push({}); }, 'NetworkPolicy/db-ingress', 'spec.ingress[0].from[1]', /^the peer selects nothing$/],
  ['a policy port protocol outside the enum', (o) => { np(o, 'web-ingress').spec.ingress[0].ports[0].protocol = 'ICMP'; }, 'NetworkPolicy/web-ingress', 'spec.ingress[0].ports[0].protocol', /^"ICMP" is not a supported value$/],
  ['a policy port out of range', (o) => { np(o, 'report-egress-smtp').spec.egress[0].ports[0].port = 70000; }, 'NetworkPolicy/report-egress-smtp', 'spec.egress[0].ports[0].port', /^port 70000 is out of range$/],
  ['a policy port written as a quoted number', (o) => { np(o, 'report-egress-smtp').spec.egress[0].ports[0].port = '587'; }, 'NetworkPolicy/report-egress-smtp', 'spec.egress[0].ports[0].port', /^port name "587" is not valid \(a quoted number is a name/],
  ['an endPort below its port', (o) => { np(o, 'web-ingress').spec.ingress[0].ports[0].endPort = 7999; }, 'NetworkPolicy/web-ingress', 'spec.ingress[0].ports[0].endPort', /^endPort 7999 is below port 8000$/],
  ['an endPort with a named port', (o) => { np(o, 'web-ingress').spec.ingress[0].ports[0].port = 'http'; }, 'NetworkPolicy/web-ingress', 'spec.ingress[0].ports[0].endPort', /^endPort with a named port$/],
  ['three policyTypes', (o) => { np(o, 'default-deny').spec.policyTypes = ['Ingress', 'Egress', 'Ingress']; }, 'NetworkPolicy/default-deny', 'spec.policyTypes', /^3 policyTypes$/],
  ['an endPort without a port', (o) => { delete np(o, 'web-ingress').spec.ingress[0].ports[0].port; }, 'NetworkPolicy/web-ingress', 'spec.ingress[0].ports[0].endPort', /^endPort without a port$/],
  ['an endPort out of range', (o) => { np(o, 'web-ingress').spec.ingress[0].ports[0].endPort = 70000; }, 'NetworkPolicy/web-ingress', 'spec.ingress[0].ports[0].endPort', /^endPort 70000 is out of range$/],
  ['an except that is not a CIDR', (o) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.except = ['10.96.0.0']; }, 'NetworkPolicy/report-egress-smtp', 'spec.egress[0].to[0].ipBlock.except[0]', /^"10.96.0.0" is not a CIDR$/],
  ['an except that is not a string', (o) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.except = [10]; }, 'NetworkPolicy/report-egress-smtp', 'spec.egress[0].to[0].ipBlock.except[0]', /^"10" is not a CIDR$/],
  ['a smaller except below its cidr', (o) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.except = ['9.0.0.0/16']; }, 'NetworkPolicy/report-egress-smtp', 'spec.egress[0].to[0].ipBlock.except[0]', /^9.0.0.0\/16 is not a strict subset of 10.0.0.0\/8$/],
  // networking ValidateIPBlock: !cidrIPNet.Contains(exceptCIDR.IP) || cidrMaskLen >= exceptMaskLen.
  ['an IPv6 except of an IPv4 cidr', (o) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.except = ['fd00::/64']; }, 'NetworkPolicy/report-egress-smtp', 'spec.egress[0].to[0].ipBlock.except[0]', /^fd00::\/64 is not a strict subset of 10.0.0.0\/8$/],
  ['an IPv4 except of an IPv6 cidr', (o) => { Object.assign(np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock, { cidr: 'fd00::/8', except: ['10.0.0.0/16'] }); }, 'NetworkPolicy/report-egress-smtp', 'spec.egress[0].to[0].ipBlock.except[0]', /^10.0.0.0\/16 is not a strict subset of fd00::\/8$/],
  ['an except larger than its cidr', (o) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.cidr = '10.0.0.0/9'; np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.except = ['10.0.0.0/8']; }, 'NetworkPolicy/report-egress-smtp', 'spec.egress[0].to[0].ipBlock.except[0]', /^10.0.0.0\/8 is not a strict subset of 10.0.0.0\/9$/],
  ['a policy type outside the enum', (o) => { np(o, 'default-deny').spec.policyTypes = ['Ingress', 'Outbound']; }, 'NetworkPolicy/default-deny', 'spec.policyTypes[1]', /^"Outbound" is not a supported value$/],
];

const BAD_SELECTOR = { matchLabels: { app: 'web app' } };

// Findings whose object a broken selector also unlinks: judged by the API rules alone.
const API_ONLY_CASES: BreakCase[] = [
  ['an endPort with a null port', (o) => { np(o, 'web-ingress').spec.ingress[0].ports[0].port = null; }, 'NetworkPolicy/web-ingress', 'spec.ingress[0].ports[0].endPort', /^endPort without a port$/],
  ['a budget selector that is not valid', (o) => { pdb(o).spec.selector = BAD_SELECTOR; }, 'PodDisruptionBudget/web', 'spec.selector.matchLabels.app', /^label value "web app" is not valid$/],
  ['a policy podSelector that is not valid', (o) => { np(o, 'db-ingress').spec.podSelector = BAD_SELECTOR; }, 'NetworkPolicy/db-ingress', 'spec.podSelector.matchLabels.app', /^label value "web app" is not valid$/],
  ['a peer podSelector that is not valid', (o) => { np(o, 'db-ingress').spec.ingress[0].from[0].podSelector = BAD_SELECTOR; }, 'NetworkPolicy/db-ingress', 'spec.ingress[0].from[0].podSelector.matchLabels.app', /^label value "web app" is not valid$/],
  ['a peer namespaceSelector that is not valid', (o) => { np(o, 'allow-dns').spec.egress[0].to[0].namespaceSelector = BAD_SELECTOR; }, 'NetworkPolicy/allow-dns', 'spec.egress[0].to[0].namespaceSelector.matchLabels.app', /^label value "web app" is not valid$/],
];

// What each finding says is allowed, for the one who fixes it.
const ALLOWED: [string, (o: KubeObject[]) => void, string][] = [
  ['both budget fields', (o) => { pdb(o).spec.minAvailable = 1; }, 'one of minAvailable or maxUnavailable'],
  ['three policyTypes', (o) => { np(o, 'default-deny').spec.policyTypes = ['Ingress', 'Egress', 'Ingress']; }, 'at most Ingress and Egress'],
  ['an endPort without a port', (o) => { delete np(o, 'web-ingress').spec.ingress[0].ports[0].port; }, 'a numeric port to start the range'],
  ['an endPort with a named port', (o) => { np(o, 'web-ingress').spec.ingress[0].ports[0].port = 'http'; }, 'a numeric port to start the range'],
  ['an endPort below its port', (o) => { np(o, 'web-ingress').spec.ingress[0].ports[0].endPort = 7999; }, 'endPort >= port'],
  ['an empty peer', (o) => { np(o, 'db-ingress').spec.ingress[0].from.push({}); }, 'podSelector, namespaceSelector, or ipBlock'],
  ['an ipBlock with a selector', (o) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].podSelector = {}; }, 'ipBlock alone, or selectors without ipBlock'],
  ['a cidr that is not one', (o) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.cidr = '10.0.0.0'; }, 'a CIDR such as 10.0.0.0/8'],
  ['an except that is not a CIDR', (o) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.except = ['10.96.0.0']; }, 'a CIDR inside 10.0.0.0/8'],
  ['an except outside its cidr', (o) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.except = ['192.168.0.0/16']; }, 'a smaller CIDR inside 10.0.0.0/8'],
];

describe('PodDisruptionBudget and NetworkPolicy rules', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });

  test.each(API_ONLY_CASES)('%s is reported by the API rules, and nothing else by them', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt, ['api']), { check: 'api', object, path, message });
  });

  test('an endPort with a null port is reported by the rule itself too (validateManifests drops the null first)', () => {
    expectOnly(apiRulesOf((o) => { np(o, 'web-ingress').spec.ingress[0].ports[0].port = null; }), { object: 'NetworkPolicy/web-ingress', path: 'spec.ingress[0].ports[0].endPort', message: 'endPort without a port' });
  });

  test.each(ALLOWED)('%s: the finding names what is allowed', (_what, breakIt, allowed) => {
    expect(breakValid(breakIt, ['api']).map((p) => p.allowed)).toEqual([allowed]);
  });

  test('a budget with neither minAvailable nor maxUnavailable passes: the API server accepts it', () => {
    expect(breakValid((o) => { delete pdb(o).spec.maxUnavailable; })).toEqual([]);
  });
  test.each([
    ['unhealthyPodEvictionPolicy IfHealthyBudget', (o: KubeObject[]) => { pdb(o).spec.unhealthyPodEvictionPolicy = 'IfHealthyBudget'; }],
    ['unhealthyPodEvictionPolicy AlwaysAllow', (o: KubeObject[]) => { pdb(o).spec.unhealthyPodEvictionPolicy = 'AlwaysAllow'; }],
    ['a null minAvailable beside a maxUnavailable (null is unset)', (o: KubeObject[]) => { pdb(o).spec.minAvailable = null; }],
    ['a null maxUnavailable beside a minAvailable (null is unset)', (o: KubeObject[]) => { pdb(o).spec.maxUnavailable = null; pdb(o).spec.minAvailable = 1; }],
    ['a policy port with protocol SCTP', (o: KubeObject[]) => { np(o, 'db-ingress').spec.ingress[0].ports[0].protocol = 'SCTP'; }],
    ['a rule without ports (every port)', (o: KubeObject[]) => { delete np(o, 'db-ingress').spec.ingress[0].ports; }],
    ['an endPort equal to its port', (o: KubeObject[]) => { np(o, 'web-ingress').spec.ingress[0].ports[0].endPort = 8000; }],
    ['a null endPort', (o: KubeObject[]) => { np(o, 'web-ingress').spec.ingress[0].ports[0].endPort = null; }],
    ['a null endPort without a port', (o: KubeObject[]) => { Object.assign(np(o, 'web-ingress').spec.ingress[0].ports[0], { port: undefined, endPort: null }); }],
    ['an ipBlock cidr that is not a string (the schema check reports it)', (o: KubeObject[]) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.cidr = 10; }],
    ['a null port without an endPort', (o: KubeObject[]) => { np(o, 'db-ingress').spec.ingress[0].ports[0].port = null; }],
    ['an except that shares its cidr\'s first address', (o: KubeObject[]) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.except = ['10.0.0.0/9']; }],
    ['an except that shares its cidr\'s last address', (o: KubeObject[]) => { np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock.except = ['10.128.0.0/9']; }],
    ['an IPv6 ipBlock with an except inside it (the subset check is IPv4 only)', (o: KubeObject[]) => { Object.assign(np(o, 'report-egress-smtp').spec.egress[0].to[0].ipBlock, { cidr: 'fd00::/8', except: ['fd00:1::/32'] }); }],
    ['a peer with a namespaceSelector alone', (o: KubeObject[]) => { np(o, 'db-ingress').spec.ingress[0].from[0] = { namespaceSelector: {} }; }],
    ['a peer whose other selectors are null beside an ipBlock', (o: KubeObject[]) => { Object.assign(np(o, 'report-egress-smtp').spec.egress[0].to[0], { podSelector: null, namespaceSelector: null }); }],
    ['null entries in the rule, port, peer and except lists (the schema check reports them)', (o: KubeObject[]) => {
      const policy = np(o, 'report-egress-smtp').spec;
      policy.egress.push(null);
      policy.egress[0].ports.push(null);
      policy.egress[0].to.push(null);
    }],
    ['a budget and a policy without a spec (the schema check reports them)', (o: KubeObject[]) => { pdb(o).spec = null; np(o, 'default-deny').spec = null; }],
  ])('%s passes: the API server accepts it', (_what, change) => {
    expect(breakValid(change, ['api'])).toEqual([]);
    expect(apiRulesOf(change)).toEqual([]);
  });
});
