import { builtinSchemas, integerFormats, numberFields } from '../../../lib/validate/schema/builtin';

// Facts of the Kubernetes API (k8s.io/api types.go of 1.27 and 1.34) that the schemas read from the
// cdk8s-plus packages must hold. The validator's cache hides this code once it is warm, so it is
// judged here on its own, cold.
describe('builtinSchemas: the API read from a cdk8s-plus package', () => {
  // Integer widths as schema.ts gives them (from kubernetes-models); only the ones asked below.
  const formats = { 'io.k8s.api.apps.v1.DeploymentSpec#replicas': 'int32', 'io.k8s.api.core.v1.PodSpec#activeDeadlineSeconds': 'int64' } as const;
  // Read inside the tests, not here: Stryker credits a mutant only to the tests that reach it.
  let read: ReturnType<typeof builtinSchemas> | undefined;
  const v127 = () => (read ??= builtinSchemas('cdk8s-plus-27', formats));
  const property = (definition: string, name: string) => (v127().definitions[definition].properties as Record<string, unknown>)[name];

  test('each served apiVersion/kind names its Props; a kind lists its apiVersions sorted', () => {
    expect(v127().kinds['apps/v1 Deployment']).toBe('KubeDeploymentProps');
    expect(v127().kinds['v1 Pod']).toBe('KubePodProps');
    expect(v127().kinds['policy/v1beta1 PodDisruptionBudget']).toBeUndefined(); // removed in 1.25
    expect(v127().servedVersions.HorizontalPodAutoscaler).toEqual(['autoscaling/v1', 'autoscaling/v2']);
    expect(v127().servedVersions.Ingress).toEqual(['networking.k8s.io/v1']);
    // Only the bindings' own interfaces (namespace k8s) are definitions: not cdk8s-plus's constructs' props.
    expect(v127().definitions.DeploymentProps).toBeUndefined();
  });

  test('a top-level kind also takes apiVersion, kind and status, which the bindings leave out', () => {
    expect(v127().definitions.KubeDeploymentProps).toEqual({
      type: 'object',
      properties: {
        metadata: { $ref: '#/definitions/ObjectMeta' }, spec: { $ref: '#/definitions/DeploymentSpec' },
        apiVersion: { type: 'string' }, kind: { type: 'string' }, status: { type: 'object' },
      },
    });
  });

  test('fields: required ones listed, JSON names, widths, collections, and the types the bindings name', () => {
    expect(v127().definitions.DeploymentSpec.required).toEqual(['selector', 'template']);
    expect(property('DeploymentSpec', 'replicas')).toEqual({ type: 'integer', format: 'int32' });
    expect(property('DeploymentSpec', 'minReadySeconds')).toEqual({ type: 'number' }); // no width given above
    expect(property('PodSpec', 'activeDeadlineSeconds')).toEqual({ type: 'integer', format: 'int64' });
    expect(property('PodSpec', 'hostPID')).toEqual({ type: 'boolean' });
    expect(property('PodSpec', 'hostPid')).toBeUndefined();
    expect(property('PodSpec', 'containers')).toEqual({ type: 'array', items: { $ref: '#/definitions/Container' } });
    expect(property('ObjectMeta', 'labels')).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
    expect(property('ServicePort', 'targetPort')).toEqual({ type: ['string', 'integer'] });
    expect(property('ResourceRequirements', 'limits')).toEqual({ type: 'object', additionalProperties: { type: ['string', 'number'] } });
    expect(property('LeaseSpec', 'acquireTime')).toEqual({ type: 'string' }); // a date
    expect(property('DeleteOptions', 'kind')).toEqual({ type: 'string' }); // the bindings' one enum
    expect(property('JsonSchemaProps', 'default')).toEqual({}); // JSON: anything
    expect(v127().definitions.ObjectMeta.required).toBeUndefined();
  });
});

describe('numberFields and integerFormats: which numbers are integers, and how wide', () => {
  test('numberFields lists the OpenAPI names of number fields, lists and maps of numbers included, and nothing else', () => {
    const fields = numberFields('cdk8s-plus-27');
    expect(fields).toEqual(expect.arrayContaining([
      'io.k8s.api.apps.v1.DeploymentSpec#replicas',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta#generation',
      'io.k8s.api.core.v1.PodSecurityContext#supplementalGroups', // a list of int64
    ]));
    expect(fields).not.toContain('io.k8s.api.apps.v1.DeploymentSpec#paused');
    expect(fields.every((f) => /^io\.k8s\.[\w.-]+#\w+$/.test(f))).toBe(true);
  });

  test('integerFormats asks kubernetes-models (api and apimachinery packages); a type it lacks gives nothing', () => {
    expect(integerFormats([
      'io.k8s.api.apps.v1.DeploymentSpec#replicas',
      'io.k8s.api.apps.v1.DeploymentSpec#revisionHistoryLimit',
      'io.k8s.api.core.v1.PodSpec#activeDeadlineSeconds',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta#generation',
      'io.k8s.api.core.v1.NoSuchType#field',
    ])).toEqual({
      'io.k8s.api.apps.v1.DeploymentSpec#replicas': 'int32',
      'io.k8s.api.apps.v1.DeploymentSpec#revisionHistoryLimit': 'int32',
      'io.k8s.api.core.v1.PodSpec#activeDeadlineSeconds': 'int64',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta#generation': 'int64',
    });
  });

  test('a number field that is a double is no integer: a CRD schema\'s minimum, maximum and multipleOf', () => {
    // k8s.io/apiextensions-apiserver pkg/apis/apiextensions/v1 types_jsonschema.go: Maximum, Minimum
    // and MultipleOf are *float64, MaxLength and the other counts *int64. Probed as 0.5 like every field.
    const schemaProps = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';
    expect(numberFields('cdk8s-plus-27')).toEqual(expect.arrayContaining(['minimum', 'maximum', 'multipleOf', 'maxLength'].map((f) => `${schemaProps}#${f}`)));
    expect(integerFormats(['minimum', 'maximum', 'multipleOf', 'maxLength'].map((f) => `${schemaProps}#${f}`))).toEqual({ [`${schemaProps}#maxLength`]: 'int64' });
  });
});
