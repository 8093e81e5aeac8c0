import { ConnectionPolicy } from '../../lib/components/connection-policy';
import { find, synthIn } from '../helpers';

/**
 * ConnectionPolicy through its props: the exact NetworkPolicy pair, both ends of one connection
 * (each pod is isolated in both directions, so either policy alone lets nothing through).
 */
describe('ConnectionPolicy', () => {
  const pair = () => synthIn((chart) => new ConnectionPolicy(chart, 'Conn', {
    name: 'job-to-store',
    from: { podSelector: { component: 'job', tier: 'batch' } },
    to: { podSelector: { component: 'store' }, port: 6380 },
  }));

  test('an egress policy on the connecting pods, to the provider\'s pods on its port over TCP', () => {
    expect(find(pair(), 'NetworkPolicy', 'multi-k8s-job-to-store-egress')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'multi-k8s-job-to-store-egress' },
      spec: {
        podSelector: { matchLabels: { component: 'job', tier: 'batch' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { component: 'store' } } }], ports: [{ port: 6380, protocol: 'TCP' }] }],
      },
    });
  });

  test('an ingress policy on the provider\'s pods, from the connecting pods on the same port over TCP', () => {
    expect(find(pair(), 'NetworkPolicy', 'multi-k8s-job-to-store-ingress')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'multi-k8s-job-to-store-ingress' },
      spec: {
        podSelector: { matchLabels: { component: 'store' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { component: 'job', tier: 'batch' } } }], ports: [{ port: 6380, protocol: 'TCP' }] }],
      },
    });
  });

  test('two objects, no more', () => {
    expect(pair().map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['NetworkPolicy/multi-k8s-job-to-store-egress', 'NetworkPolicy/multi-k8s-job-to-store-ingress']);
  });
});
