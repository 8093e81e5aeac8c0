import * as fs from 'fs';
import * as path from 'path';
import { builtinSchemas, integerFormats, numberFields } from '../../../lib/validate/schema/builtin';
import { tempDir } from '../../helpers';

/**
 * A package laid out as a cdk8s-plus one (its `.jsii` manifest's types and its `k8s` bindings), in a
 * temporary folder whose path stands for the package name: to judge what the installed packages
 * never hold (a type without docs or properties, a binding without its Props, a class in `k8s`).
 */
function fakePackage(types: Record<string, unknown>, bindings: string): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fake-plus', version: '1.0.0', main: 'index.js' }));
  fs.writeFileSync(path.join(dir, '.jsii'), JSON.stringify({ types }));
  fs.writeFileSync(path.join(dir, 'index.js'), `exports.k8s = ${bindings};\n`);
  return dir;
}

// Facts of the Kubernetes API (k8s.io/api types.go of 1.27 and 1.34) that the schemas read from the
// cdk8s-plus packages must hold. The validator's cache hides this code once it is warm, so it is
// judged here on its own, cold.
describe('builtinSchemas: the API read from a cdk8s-plus package', () => {
  // Integer widths as schema.ts gives them (from kubernetes-models); only the ones asked below.
  const formats = { 'io.k8s.api.apps.v1.DeploymentSpec#replicas': 'int32', 'io.k8s.api.core.v1.PodSpec#activeDeadlineSeconds': 'int64' } as const;
  // Read in each test, not here nor once for all: Stryker credits a mutant only to the tests that
  // reach it (with one read kept for all, only the first test to run would be).
  const v127 = () => builtinSchemas('cdk8s-plus-27', formats);

  test('each served apiVersion/kind names its Props; a kind lists its apiVersions sorted', () => {
    const api = v127();
    expect(api.kinds['apps/v1 Deployment']).toBe('KubeDeploymentProps');
    expect(api.kinds['v1 Pod']).toBe('KubePodProps');
    expect(api.kinds['policy/v1beta1 PodDisruptionBudget']).toBeUndefined(); // removed in 1.25
    expect(api.servedVersions.HorizontalPodAutoscaler).toEqual(['autoscaling/v1', 'autoscaling/v2']);
    expect(api.servedVersions.Ingress).toEqual(['networking.k8s.io/v1']);
    // Only the bindings' own interfaces (namespace k8s) are definitions: not cdk8s-plus's constructs' props.
    expect(api.definitions.DeploymentProps).toBeUndefined();
  });

  test('a top-level kind also takes apiVersion, kind and status, which the bindings leave out', () => {
    const api = v127();
    expect(api.definitions.KubeDeploymentProps).toEqual({
      type: 'object',
      properties: {
        metadata: { $ref: '#/definitions/ObjectMeta' }, spec: { $ref: '#/definitions/DeploymentSpec' },
        apiVersion: { type: 'string' }, kind: { type: 'string' }, status: { type: 'object' },
      },
    });
  });

  test('fields: required ones listed, JSON names, widths, collections, and the types the bindings name', () => {
    const api = v127();
    const property = (definition: string, name: string) => (api.definitions[definition].properties as Record<string, unknown>)[name];
    expect(api.definitions.DeploymentSpec.required).toEqual(['selector', 'template']);
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
    expect(api.definitions.ObjectMeta.required).toBeUndefined();
  });

  test('a package\'s odd parts: types without docs or properties, classes in k8s, bindings that are not kinds, kinds listed out of order', () => {
    const number = { primitive: 'number' };
    const dir = fakePackage({
      'fake.k8s.KubeWidgetProps': {
        kind: 'interface', namespace: 'k8s', name: 'KubeWidgetProps', docs: { custom: { schema: 'io.example.v1.Widget' } },
        properties: [
          { name: 'bare', optional: true, type: number }, // no docs: the JSON name is the TS name
          { name: 'emptyDocs', optional: true, type: number, docs: {} },
          { name: 'noSchema', type: number, docs: { custom: {} } },
          { name: 'hostPid', optional: true, type: { primitive: 'boolean' }, docs: { custom: { schema: 'io.example.v1.Widget#hostPID' } } },
        ],
      },
      'fake.k8s.KubeWidgetV2Props': { kind: 'interface', namespace: 'k8s', name: 'KubeWidgetV2Props', docs: { custom: { schema: 'io.example.v2.Widget' } }, properties: [] },
      'fake.k8s.KubeGadgetProps': { kind: 'interface', namespace: 'k8s', name: 'KubeGadgetProps' }, // no docs, no properties
      'fake.k8s.Nested': { kind: 'interface', namespace: 'k8s', name: 'Nested', docs: {}, properties: [{ name: 'n', optional: true, type: { primitive: 'string' } }] },
      'fake.k8s.KubeWidget': { kind: 'class', namespace: 'k8s', name: 'KubeWidget' },
      'fake.KubeOtherProps': { kind: 'interface', name: 'KubeOtherProps', properties: [] },
    }, `{
      KubeWidgetV2: { GVK: { apiVersion: 'example.com/v2', kind: 'Widget' } },
      KubeWidget: { GVK: { apiVersion: 'example.com/v1', kind: 'Widget' } },
      KubeGadget: { GVK: { apiVersion: 'example.com/v1', kind: 'Gadget' } },
      KubeOrphan: { GVK: { apiVersion: 'example.com/v1', kind: 'Orphan' } }, // no KubeOrphanProps
      KubeOther: { GVK: { apiVersion: 'example.com/v1', kind: 'Other' } }, // its Props are not in k8s
      helper: undefined,
      Helper: class {},
    }`);
    const read = builtinSchemas(dir, { 'io.example.v1.Widget#bare': 'int32' });
    expect(Object.keys(read.definitions).sort()).toEqual(['KubeGadgetProps', 'KubeWidgetProps', 'KubeWidgetV2Props', 'Nested']);
    expect(read.definitions.KubeWidgetProps).toEqual({
      type: 'object',
      properties: {
        bare: { type: 'integer', format: 'int32' }, emptyDocs: { type: 'number' }, noSchema: { type: 'number' }, hostPID: { type: 'boolean' },
        apiVersion: { type: 'string' }, kind: { type: 'string' }, status: { type: 'object' },
      },
      required: ['noSchema'],
    });
    expect(read.definitions.KubeGadgetProps).toEqual({ type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, status: { type: 'object' } } });
    expect(read.definitions.Nested).toEqual({ type: 'object', properties: { n: { type: 'string' } } });
    expect(read.kinds).toEqual({ 'example.com/v2 Widget': 'KubeWidgetV2Props', 'example.com/v1 Widget': 'KubeWidgetProps', 'example.com/v1 Gadget': 'KubeGadgetProps' });
    expect(read.servedVersions).toEqual({ Widget: ['example.com/v1', 'example.com/v2'], Gadget: ['example.com/v1'] });
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

  test('numberFields reads only the k8s namespace\'s interfaces, and passes over properties without an OpenAPI name', () => {
    const number = { primitive: 'number' };
    const dir = fakePackage({
      'fake.k8s.Widget': {
        kind: 'interface', namespace: 'k8s', name: 'Widget',
        properties: [
          { name: 'count', type: number, docs: { custom: { schema: 'io.example.v1.Widget#count' } } },
          { name: 'sizes', type: { collection: { kind: 'map', elementtype: { collection: { kind: 'array', elementtype: number } } } }, docs: { custom: { schema: 'io.example.v1.Widget#sizes' } } },
          { name: 'label', type: { primitive: 'string' }, docs: { custom: { schema: 'io.example.v1.Widget#label' } } },
          { name: 'bare', type: number },
          { name: 'emptyDocs', type: number, docs: {} },
        ],
      },
      'fake.k8s.Empty': { kind: 'interface', namespace: 'k8s', name: 'Empty' },
      'fake.k8s.KubeWidget': { kind: 'class', namespace: 'k8s', name: 'KubeWidget', properties: [{ name: 'n', type: number, docs: { custom: { schema: 'io.example.v1.KubeWidget#n' } } }] },
      'fake.WidgetProps': { kind: 'interface', namespace: 'plus', name: 'WidgetProps', properties: [{ name: 'n', type: number, docs: { custom: { schema: 'io.example.v1.WidgetProps#n' } } }] },
      'fake.Other': { kind: 'class', name: 'Other', properties: [{ name: 'n', type: number, docs: { custom: { schema: 'io.example.v1.Other#n' } } }] },
    }, '{}');
    expect(numberFields(dir)).toEqual(['io.example.v1.Widget#count', 'io.example.v1.Widget#sizes']);
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

  test('integerFormats gives nothing for a field the type lacks, though the probe misses the type\'s required fields, nor for a type that is no object', () => {
    // A binding's field that kubernetes-models' type does not have (the packages may trail each other).
    expect(integerFormats(['io.k8s.api.apps.v1.DeploymentSpec#noSuchField'])).toEqual({});
    // Time is a string: asked for a field, it refuses the whole object, not the field.
    expect(integerFormats(['io.k8s.apimachinery.pkg.apis.meta.v1.Time#seconds'])).toEqual({});
  });
});
