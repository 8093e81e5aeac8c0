import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { BreakCase, breakValid, the } from '../../support/valid-fixtures';

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
  ['a policy type outside the enum', (o) => { np(o, 'default-deny').spec.policyTypes = ['Ingress', 'Outbound']; }, 'NetworkPolicy/default-deny', 'spec.policyTypes[1]', /^"Outbound" is not a supported value$/],
];

describe('PodDisruptionBudget and NetworkPolicy rules', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });

  test('a budget with neither minAvailable nor maxUnavailable passes: the API server accepts it', () => {
    expect(breakValid((o) => { delete pdb(o).spec.maxUnavailable; })).toEqual([]);
  });
});
