import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Autoscaler } from '../../lib/components/autoscaler';
import { testApp } from '../helpers';

describe('Autoscaler', () => {
  test('scales its Deployment on CPU between the bounds, and takes replicas away from the Deployment', () => {
    const chart = new Chart(testApp(), 'test');
    const deployment = new kplus.Deployment(chart, 'D', { metadata: { name: 'web' }, replicas: 2, containers: [{ image: 'x:1' }] });
    new Autoscaler(chart, 'A', { deployment, min: 2, max: 7, targetCpuUtilization: 65, labels: { team: 'a' } });
    const objects = chart.toJson();
    const hpa = objects.find((o: any) => o.kind === 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.metadata).toMatchObject({ name: 'web', labels: { team: 'a' } });
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 7,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 65 } } }],
    });
    expect(objects.find((o: any) => o.kind === 'Deployment').spec.replicas).toBeUndefined();
  });
});
