import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Availability } from '../../lib/components/availability';
import { testApp } from '../helpers';

describe('Availability', () => {
  test('a budget that lets a drain take one pod at a time, and a spread across nodes, both by the given selector only', () => {
    const chart = new Chart(testApp(), 'test');
    const deployment = new kplus.Deployment(chart, 'D', { metadata: { name: 'web' }, replicas: 3, containers: [{ image: 'x:1' }] });
    new Availability(chart, 'A', { deployment, podSelector: { component: 'web' }, budgetName: 'web-budget', labels: { team: 'a' } });
    const objects = chart.toJson();
    const budget = objects.find((o: any) => o.kind === 'PodDisruptionBudget');
    expect(budget.metadata).toMatchObject({ name: 'web-budget', labels: { team: 'a' } });
    expect(budget.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { component: 'web' } } });
    expect(objects.find((o: any) => o.kind === 'Deployment').spec.template.spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { component: 'web' } } },
    ]);
  });
});
