import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { apiRulesOf, BreakCase, breakValid, the } from '../../support/valid-fixtures';

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

const H = 'HorizontalPodAutoscaler/web';
const metric = (o: KubeObject[], m: KubeObject) => { hpa(o).spec.metrics[0] = m; };
const down = (o: KubeObject[]) => hpa(o).spec.behavior.scaleDown;

// More of validateHorizontalPodAutoscalerSpec, judged by the API rules alone.
const API_ONLY_CASES: BreakCase[] = [
  ['a minReplicas that is not whole', (o) => { hpa(o).spec.minReplicas = 1.5; }, H, 'spec.minReplicas', /^minReplicas is 1.5$/],
  ['a maxReplicas that is not whole', (o) => { hpa(o).spec.maxReplicas = 6.5; }, H, 'spec.maxReplicas', /^maxReplicas is 6.5$/],
  ['a scale target with an empty kind', (o) => { hpa(o).spec.scaleTargetRef.kind = ''; }, H, 'spec.scaleTargetRef.kind', /^the reference has an empty kind$/],
  ['a scale target with an empty name', (o) => { hpa(o).spec.scaleTargetRef.name = ''; }, H, 'spec.scaleTargetRef.name', /^the reference has an empty name$/],
  ['a scale target kind with a slash', (o) => { hpa(o).spec.scaleTargetRef.kind = 'apps/Deployment'; }, H, 'spec.scaleTargetRef.kind', /^kind "apps\/Deployment" is not valid$/],
  ['a targetCPUUtilizationPercentage of 0', (o) => { hpa(o).spec.targetCPUUtilizationPercentage = 0; }, H, 'spec.targetCPUUtilizationPercentage', /^targetCPUUtilizationPercentage is 0$/],
  ['a targetCPUUtilizationPercentage that is not whole', (o) => { hpa(o).spec.targetCPUUtilizationPercentage = 50.5; }, H, 'spec.targetCPUUtilizationPercentage', /^targetCPUUtilizationPercentage is 50.5$/],
  ['a metric without a type', (o) => { delete cpu(o).type; }, H, `${M}.type`, /^the metric has no type$/],
  ['a metric with an empty type', (o) => { cpu(o).type = ''; }, H, `${M}.type`, /^the metric has no type$/],
  ['a Resource metric that names no resource', (o) => { delete cpu(o).resource.name; }, H, `${M}.resource.name`, /^the metric names no resource$/],
  ['a Resource metric with an empty resource name', (o) => { cpu(o).resource.name = ''; }, H, `${M}.resource.name`, /^the metric names no resource$/],
  ['a ContainerResource metric that names no container', (o) => { metric(o, { type: 'ContainerResource', containerResource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }); }, H, `${M}.containerResource.container`, /^the metric names no container$/],
  ['a ContainerResource metric with an empty container', (o) => { metric(o, { type: 'ContainerResource', containerResource: { name: 'cpu', container: '', target: { type: 'Utilization', averageUtilization: 50 } } }); }, H, `${M}.containerResource.container`, /^the metric names no container$/],
  ['a target without a type', (o) => { delete cpu(o).resource.target.type; }, H, `${M}.resource.target.type`, /^the target has no type$/],
  ['a target with an empty type', (o) => { cpu(o).resource.target.type = ''; }, H, `${M}.resource.target.type`, /^the target has no type$/],
  ['a target value of 0', (o) => { metric(o, { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '0' } } }); }, H, `${M}.external.target.value`, /^value 0 is not a positive quantity$/],
  ['a target averageValue that is not a quantity', (o) => { hpa(o).spec.metrics[1].resource.target.averageValue = 'lots'; }, H, 'spec.metrics[1].resource.target.averageValue', /^averageValue lots is not a positive quantity$/],
  ['an averageUtilization that is not whole', (o) => { cpu(o).resource.target.averageUtilization = 70.5; }, H, `${M}.resource.target.averageUtilization`, /^averageUtilization is 70.5$/],
  ['a Pods metric without a metric name', (o) => { metric(o, { type: 'Pods', pods: { metric: {}, target: { type: 'AverageValue', averageValue: '10' } } }); }, H, `${M}.pods.metric.name`, /^the metric has no name$/],
  ['an Object metric without a metric', (o) => { metric(o, { type: 'Object', object: { describedObject: { kind: 'Ingress', name: 'web' }, target: { type: 'Value', value: '10' } } }); }, H, `${M}.object.metric.name`, /^the metric has no name$/],
  ['an Object metric whose described object has an empty name', (o) => { metric(o, { type: 'Object', object: { describedObject: { kind: 'Ingress', name: '' }, metric: { name: 'rps' }, target: { type: 'Value', value: '10' } } }); }, H, `${M}.object.describedObject.name`, /^the reference has an empty name$/],
  ['an Object metric target without value or averageValue', (o) => { metric(o, { type: 'Object', object: { describedObject: { kind: 'Ingress', name: 'web' }, metric: { name: 'rps' }, target: { type: 'Value' } } }); }, H, `${M}.object.target.averageValue`, /^an Object metric target has neither value nor averageValue$/],
  ['an External metric with an empty metric name', (o) => { metric(o, { type: 'External', external: { metric: { name: '' }, target: { type: 'Value', value: '10' } } }); }, H, `${M}.external.metric.name`, /^the metric has no name$/],
  ['an External metric target without value or averageValue', (o) => { metric(o, { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: null } } }); }, H, `${M}.external.target.averageValue`, /^an External metric target has neither value nor averageValue$/],
  ['a negative stabilization window', (o) => { down(o).stabilizationWindowSeconds = -1; }, H, 'spec.behavior.scaleDown.stabilizationWindowSeconds', /^stabilizationWindowSeconds is -1$/],
  ['a selectPolicy outside the enum', (o) => { down(o).selectPolicy = 'Average'; }, H, 'spec.behavior.scaleDown.selectPolicy', /^"Average" is not a supported value$/],
  ['a scaling policy value of 0', (o) => { down(o).policies[0].value = 0; }, H, 'spec.behavior.scaleDown.policies[0].value', /^value is 0$/],
  ['a scaling policy value that is a string', (o) => { down(o).policies[0].value = '1'; }, H, 'spec.behavior.scaleDown.policies[0].value', /^value is 1$/],
  ['a scaling policy period of 0', (o) => { down(o).policies[0].periodSeconds = 0; }, H, 'spec.behavior.scaleDown.policies[0].periodSeconds', /^periodSeconds is 0$/],
  ['a scaling policy period that is a string', (o) => { down(o).policies[0].periodSeconds = '60'; }, H, 'spec.behavior.scaleDown.policies[0].periodSeconds', /^periodSeconds is 60$/],
  ['an empty scale-up policy list', (o) => { hpa(o).spec.behavior.scaleUp = { policies: [] }; }, H, 'spec.behavior.scaleUp.policies', /^no scaling policy$/],
];

describe('HorizontalPodAutoscaler rules (autoscaling validation)', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });

  test.each(API_ONLY_CASES)('%s is reported by the API rules, and nothing else by them', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt, ['api']), { check: 'api', object, path, message });
  });

  test('a Resource metric without a target is two findings: no target, and nothing to aim at', () => {
    const problems = breakValid((o) => { delete cpu(o).resource.target; }, ['api']);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [`${M}.resource.target.type`, 'the metric has no target'],
      [`${M}.resource.target.averageUtilization`, 'the target sets neither averageUtilization nor averageValue'],
    ]);
    expect(problems[0].allowed).toBe('a target with type Utilization, Value or AverageValue');
  });
  test.each([
    ['minReplicas 1 and maxReplicas equal to it', (o: KubeObject[]) => { Object.assign(hpa(o).spec, { minReplicas: 1, maxReplicas: 1 }); }],
    ['a null minReplicas (defaulted to 1)', (o: KubeObject[]) => { hpa(o).spec.minReplicas = null; }],
    ['a targetCPUUtilizationPercentage of 1', (o: KubeObject[]) => { hpa(o).spec.targetCPUUtilizationPercentage = 1; }],
    ['a null targetCPUUtilizationPercentage', (o: KubeObject[]) => { hpa(o).spec.targetCPUUtilizationPercentage = null; }],
    ['a ContainerResource metric', (o: KubeObject[]) => { metric(o, { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'web', target: { type: 'Utilization', averageUtilization: 1 } } }); }],
    ['a Pods metric', (o: KubeObject[]) => { metric(o, { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } }); }],
    ['an Object metric with an averageValue alone', (o: KubeObject[]) => { metric(o, { type: 'Object', object: { describedObject: { kind: 'Ingress', name: 'web' }, metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } }); }],
    ['External metrics with a value alone and with an averageValue alone', (o: KubeObject[]) => {
      metric(o, { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '10' } } });
      hpa(o).spec.metrics[1] = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '1', value: null } } };
    }],
    ['a metric whose other sources are null', (o: KubeObject[]) => { Object.assign(cpu(o), { pods: null, external: null }); }],
    ['stabilization windows of 0 and 3600 seconds', (o: KubeObject[]) => { down(o).stabilizationWindowSeconds = 3600; hpa(o).spec.behavior.scaleUp = { stabilizationWindowSeconds: 0 }; }],
    ['a Percent policy over 1800 seconds, selectPolicy Disabled', (o: KubeObject[]) => { down(o).policies = [{ type: 'Percent', value: 10, periodSeconds: 1800 }]; down(o).selectPolicy = 'Disabled'; }],
    ['a behavior without policies (the defaults fill them)', (o: KubeObject[]) => { delete down(o).policies; }],
    ['null metrics, policies and a null scale-up (the schema check reports them)', (o: KubeObject[]) => {
      hpa(o).spec.metrics.push(null);
      down(o).policies.push(null);
      hpa(o).spec.behavior.scaleUp = null;
    }],
  ])('%s passes: the API server accepts it', (_what, change) => {
    expect(breakValid(change, ['api'])).toEqual([]);
    expect(apiRulesOf(change)).toEqual([]);
  });
  // What each finding says is allowed, for the one who fixes it.
  test.each([
    ['minReplicas of 0', (o: KubeObject[]) => { hpa(o).spec.minReplicas = 0; }, 'a whole number >= 1'],
    ['maxReplicas of 0', (o: KubeObject[]) => { delete hpa(o).spec.minReplicas; hpa(o).spec.maxReplicas = 0; }, 'a whole number >= 1'],
    ['maxReplicas below minReplicas', (o: KubeObject[]) => { hpa(o).spec.maxReplicas = 1; }, 'maxReplicas >= minReplicas'],
    ['an empty reference kind', (o: KubeObject[]) => { hpa(o).spec.scaleTargetRef.kind = ''; }, 'the kind of the target'],
    ['a reference name with a slash', (o: KubeObject[]) => { hpa(o).spec.scaleTargetRef.name = 'a/b'; }, 'any name except "." and "..", without "/" or "%"'],
    ['a targetCPUUtilizationPercentage of 0', (o: KubeObject[]) => { hpa(o).spec.targetCPUUtilizationPercentage = 0; }, 'a whole number > 0'],
    ['a metric without a type', (o: KubeObject[]) => { delete cpu(o).type; }, 'Object, Pods, Resource, ContainerResource, External'],
    ['a metric type outside the enum', (o: KubeObject[]) => { cpu(o).type = 'Cpu'; }, 'one of Object, Pods, Resource, ContainerResource, External'],
    ['a metric without its source', (o: KubeObject[]) => { metric(o, { type: 'Resource' }); }, 'resource, the source of a Resource metric'],
    ['a metric with a second source', (o: KubeObject[]) => { cpu(o).external = { metric: { name: 'q' }, target: { type: 'Value', value: '1' } }; }, 'only resource'],
    ['a Resource metric that names no resource', (o: KubeObject[]) => { delete cpu(o).resource.name; }, 'cpu or memory'],
    ['a ContainerResource metric that names no container', (o: KubeObject[]) => { metric(o, { type: 'ContainerResource', containerResource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }); }, 'a container name'],
    ['a target with neither utilization nor value', (o: KubeObject[]) => { cpu(o).resource.target = { type: 'Utilization' }; }, 'one of averageUtilization (percent of the request) or averageValue'],
    ['a target with both', (o: KubeObject[]) => { cpu(o).resource.target.averageValue = '1'; }, 'one of them'],
    ['a target without a type', (o: KubeObject[]) => { delete cpu(o).resource.target.type; }, 'Utilization, Value or AverageValue'],
    ['a target value of 0', (o: KubeObject[]) => { hpa(o).spec.metrics[1].resource.target.averageValue = '0'; }, 'a quantity > 0'],
    ['an averageUtilization of 0', (o: KubeObject[]) => { cpu(o).resource.target.averageUtilization = 0; }, 'a whole number > 0 (percent of the request)'],
    ['a Pods metric without a name', (o: KubeObject[]) => { metric(o, { type: 'Pods', pods: { metric: {}, target: { type: 'AverageValue', averageValue: '1' } } }); }, 'a metric name'],
    ['a Pods metric without averageValue', (o: KubeObject[]) => { metric(o, { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'Value', value: '1' } } }); }, 'a positive averageValue'],
    ['an Object metric without value or averageValue', (o: KubeObject[]) => { metric(o, { type: 'Object', object: { describedObject: { kind: 'Ingress', name: 'web' }, metric: { name: 'rps' }, target: { type: 'Value' } } }); }, 'value or averageValue'],
    ['an External metric without value or averageValue', (o: KubeObject[]) => { metric(o, { type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value' } } }); }, 'value or averageValue'],
    ['an External metric with both', (o: KubeObject[]) => { metric(o, { type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '1', averageValue: '1' } } }); }, 'one of them'],
    ['a stabilization window above an hour', (o: KubeObject[]) => { down(o).stabilizationWindowSeconds = 3601; }, 'from 0 to 3600'],
    ['an empty policy list', (o: KubeObject[]) => { down(o).policies = []; }, 'at least one policy'],
    ['a policy value of 0', (o: KubeObject[]) => { down(o).policies[0].value = 0; }, 'a whole number > 0'],
    ['a policy period of 0', (o: KubeObject[]) => { down(o).policies[0].periodSeconds = 0; }, 'from 1 to 1800'],
  ])('%s: the finding names what is allowed', (_what, breakIt, allowed) => {
    expect(breakValid(breakIt, ['api']).map((p) => p.allowed)).toEqual([allowed]);
  });
});

describe('autoscaler rules read the object as written', () => {
  test.each([
    ['a maxReplicas written as a string, above minReplicas (the schema reports its type)', (o: KubeObject[]) => { hpa(o).spec.maxReplicas = '5'; }],
    ['a null scaleTargetRef, and a reference kind that is not a string', (o: KubeObject[]) => {
      hpa(o).spec.scaleTargetRef = null;
      o.push({ ...structuredClone(hpa(o)), metadata: { name: 'other', namespace: 'shop' }, spec: { ...structuredClone(hpa(o).spec), scaleTargetRef: { apiVersion: 'apps/v1', kind: 5, name: 'web' } } });
    }],
    ['a stabilization window written as a string', (o: KubeObject[]) => { down(o).stabilizationWindowSeconds = '5000'; }],
    ['selectPolicy Max and Min', (o: KubeObject[]) => { down(o).selectPolicy = 'Max'; hpa(o).spec.behavior.scaleUp = { selectPolicy: 'Min' }; }],
  ])('%s: no finding', (_what, change) => {
    expect(apiRulesOf(change)).toEqual([]);
  });

  test('a null averageUtilization is unset: the target then sets neither value', () => {
    expect(apiRulesOf((o) => { cpu(o).resource.target.averageUtilization = null; }).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'spec.metrics[0].resource.target.averageUtilization: the target sets neither averageUtilization nor averageValue',
    ]);
  });
});

// The real API server (1.34) judges a missing spec as the zero value (test/validate/differential.test.ts).
test('a HorizontalPodAutoscaler without a spec is refused: no target, maxReplicas 0', () => {
  const problems = apiRulesOf((o) => { o.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'empty', namespace: 'shop' } }); });
  expect(problems.map((p) => `${p.object} ${p.path}: ${p.message}`)).toEqual(['HorizontalPodAutoscaler/empty spec: the HorizontalPodAutoscaler has no spec, so no scaleTargetRef and maxReplicas 0']);
});

test('a HorizontalPodAutoscaler without a spec: the finding names what is allowed', () => {
  const problems = apiRulesOf((o) => { o.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'empty', namespace: 'shop' } }); });
  expect(problems.map((p) => p.allowed)).toEqual(['a spec with scaleTargetRef and maxReplicas >= 1']);
});

// validateMetricSpec knows five types; the names an object inherits are none of them.
test.each(['constructor', 'toString', '__proto__'])('a metric of type %j is not a supported type', (type) => {
  const problems = apiRulesOf((o) => { hpa(o).spec.metrics[0] = { type, resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }; });
  expect(problems.map((p) => `${p.path}: ${p.message} (${p.allowed})`)).toEqual([
    `spec.metrics[0].type: "${type}" is not a supported value (one of Object, Pods, Resource, ContainerResource, External)`,
  ]);
});
