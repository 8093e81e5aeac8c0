import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { BreakCase, breakValid, the } from '../../support/valid-fixtures';

const hpa = (o: KubeObject[]) => the(o, 'HorizontalPodAutoscaler', 'web');
const cpu = (o: KubeObject[]) => hpa(o).spec.metrics[0];
const M = 'spec.metrics[0]';

// autoscaling validateHorizontalPodAutoscalerSpec; [what is broken, how, object, path, message]
const CASES: BreakCase[] = [
  ['minReplicas of 0', (o) => { hpa(o).spec.minReplicas = 0; }, 'HorizontalPodAutoscaler/web', 'spec.minReplicas', /^minReplicas is 0$/],
  ['maxReplicas below minReplicas', (o) => { hpa(o).spec.maxReplicas = 1; }, 'HorizontalPodAutoscaler/web', 'spec.maxReplicas', /^maxReplicas 1 is less than minReplicas 2$/],
  ['maxReplicas of 0', (o) => { delete hpa(o).spec.minReplicas; hpa(o).spec.maxReplicas = 0; }, 'HorizontalPodAutoscaler/web', 'spec.maxReplicas', /^maxReplicas is 0$/],
  ['a scale target name with a slash', (o) => { hpa(o).spec.scaleTargetRef.name = 'web/v2'; }, 'HorizontalPodAutoscaler/web', 'spec.scaleTargetRef.name', /^name "web\/v2" is not valid$/],
  ['a metric type outside the enum', (o) => { cpu(o).type = 'Cpu'; }, 'HorizontalPodAutoscaler/web', `${M}.type`, /^"Cpu" is not a supported value$/],
  ['a Resource metric without its source', (o) => { hpa(o).spec.metrics[0] = { type: 'Resource' }; }, 'HorizontalPodAutoscaler/web', `${M}.resource`, /^a Resource metric without its resource source$/],
  ['a metric with a second source', (o) => { cpu(o).pods = { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } }; }, 'HorizontalPodAutoscaler/web', `${M}.pods`, /^a Resource metric also sets pods$/],
  ['a target type outside the enum', (o) => { cpu(o).resource.target.type = 'Percent'; }, 'HorizontalPodAutoscaler/web', `${M}.resource.target.type`, /^"Percent" is not a supported value$/],
  ['a Resource target without utilization or value', (o) => { cpu(o).resource.target = { type: 'Utilization' }; }, 'HorizontalPodAutoscaler/web', `${M}.resource.target.averageUtilization`, /^the target sets neither averageUtilization nor averageValue$/],
  ['a Resource target with both utilization and value', (o) => { cpu(o).resource.target.averageValue = '500m'; }, 'HorizontalPodAutoscaler/web', `${M}.resource.target.averageValue`, /^the target sets both averageUtilization and averageValue$/],
  ['an averageUtilization of 0', (o) => { cpu(o).resource.target.averageUtilization = 0; }, 'HorizontalPodAutoscaler/web', `${M}.resource.target.averageUtilization`, /^averageUtilization is 0$/],
  ['a negative averageValue', (o) => { hpa(o).spec.metrics[1].resource.target.averageValue = '-1Mi'; }, 'HorizontalPodAutoscaler/web', 'spec.metrics[1].resource.target.averageValue', /^averageValue -1Mi is not a positive quantity$/],
  ['a Pods metric without averageValue', (o) => { hpa(o).spec.metrics[0] = { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'Value', value: '10' } } }; }, 'HorizontalPodAutoscaler/web', `${M}.pods.target.averageValue`, /^a Pods metric target has no averageValue$/],
  ['an External metric with value and averageValue', (o) => { hpa(o).spec.metrics[0] = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '10', averageValue: '1' } } }; }, 'HorizontalPodAutoscaler/web', `${M}.external.target.value`, /^an External metric target sets both value and averageValue$/],
  ['a stabilization window above an hour', (o) => { hpa(o).spec.behavior.scaleDown.stabilizationWindowSeconds = 3601; }, 'HorizontalPodAutoscaler/web', 'spec.behavior.scaleDown.stabilizationWindowSeconds', /^stabilizationWindowSeconds is 3601$/],
  ['a scaling policy period above 30 minutes', (o) => { hpa(o).spec.behavior.scaleDown.policies[0].periodSeconds = 1801; }, 'HorizontalPodAutoscaler/web', 'spec.behavior.scaleDown.policies[0].periodSeconds', /^periodSeconds is 1801$/],
  ['a scaling policy type outside the enum', (o) => { hpa(o).spec.behavior.scaleDown.policies[0].type = 'Replicas'; }, 'HorizontalPodAutoscaler/web', 'spec.behavior.scaleDown.policies[0].type', /^"Replicas" is not a supported value$/],
  ['an empty policy list', (o) => { hpa(o).spec.behavior.scaleDown.policies = []; }, 'HorizontalPodAutoscaler/web', 'spec.behavior.scaleDown.policies', /^no scaling policy$/],
];

describe('HorizontalPodAutoscaler rules (autoscaling validation)', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });
});
