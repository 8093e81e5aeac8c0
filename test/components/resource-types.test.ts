import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { Deployer } from '../../lib/components/deployer';
import { BUILTIN_RESOURCE_TYPES, resourceTypeOf } from '../../lib/components/resource-types';

/*
 * lib/components/resource-types.ts's table of built-in kinds, held to sources that need no API
 * server (so that these tests also run where the real server is not, as under Stryker).
 * test/components/deployer-cluster.test.ts holds the same table to the real server's discovery,
 * scopes included, both ways; these hold the kinds and the resource names.
 */

/** A `group/Kind` key as the table writes it (`/Kind` for the core group). */
const keyOf = (apiVersion: string, kind: string) => `${apiVersion.includes('/') ? apiVersion.split('/')[0] : ''}/${kind}`;

/**
 * Kinds an output cannot hold, so the table leaves them out (its header comment): the review
 * kinds and the subresources' kinds, which can only be created (pkg/registry/authentication,
 * pkg/registry/authorization; pods/binding, pods/eviction, serviceaccounts/token, the scale subresources),
 * ComponentStatus, which can only be read (pkg/registry/core/componentstatus/rest.go), and
 * Status, the API's error body.
 */
const NOT_AN_OUTPUT_KIND = new Set([
  '/Binding', '/ComponentStatus', '/Status', 'autoscaling/Scale', 'policy/Eviction', 'authentication.k8s.io/TokenRequest',
  'authentication.k8s.io/TokenReview', 'authentication.k8s.io/SelfSubjectReview', 'authorization.k8s.io/LocalSubjectAccessReview',
  'authorization.k8s.io/SelfSubjectAccessReview', 'authorization.k8s.io/SelfSubjectRulesReview', 'authorization.k8s.io/SubjectAccessReview',
]);

/**
 * Every apiVersion/kind pair of Kubernetes 1.34's OpenAPI, as cdk8s-plus-34's generated bindings
 * (`k8s.KubeXxx.GVK`) name them, by `group/Kind`. The bindings name every kind the OpenAPI
 * defines, alpha and beta ones too, which a default API server does not all serve.
 */
function bindingKinds(): Record<string, string[]> {
  const bindings = (require('cdk8s-plus-34') as { k8s: Record<string, { GVK?: { apiVersion: string; kind: string } }> }).k8s;
  const kinds: Record<string, string[]> = {};
  for (const binding of Object.values(bindings)) {
    if (!binding?.GVK) continue;
    (kinds[keyOf(binding.GVK.apiVersion, binding.GVK.kind)] ??= []).push(binding.GVK.apiVersion);
  }
  return kinds;
}

/** A generally available version (`v1`, `autoscaling/v2`), served by every API server of its release. */
const isGa = (apiVersion: string) => /^v\d+$/.test(apiVersion.split('/').pop()!);

/**
 * The group and resource cdk8s-plus-34's `ApiResource` gives each kind, by `group/Kind`. Its
 * constants name the kind only in their documentation ("API resource information for
 * ConfigMap."), which the package's `.jsii` manifest carries as each constant's summary.
 */
function apiResources(): Record<string, { group: string; resource: string }> {
  const dir = path.dirname(require.resolve('cdk8s-plus-34/package.json'));
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.jsii'), 'utf8')) as {
    types: Record<string, { properties?: { name: string; static?: boolean; docs?: { summary?: string } }[] }>;
  };
  const { ApiResource } = require('cdk8s-plus-34') as { ApiResource: Record<string, { apiGroup: string; resourceType: string }> };
  const found: Record<string, { group: string; resource: string }> = {};
  for (const property of manifest.types['cdk8s-plus-34.ApiResource'].properties ?? []) {
    if (!property.static) continue;
    const kind = /^API resource information for (\w+)\.$/.exec(property.docs?.summary ?? '')?.[1];
    if (!kind) throw new Error(`cdk8s-plus-34 ApiResource.${property.name}: its summary "${property.docs?.summary}" names no kind`);
    const { apiGroup, resourceType } = ApiResource[property.name];
    found[`${apiGroup}/${kind}`] = { group: apiGroup, resource: resourceType };
  }
  return found;
}

/**
 * The kinds that cdk8s-plus-34's ApiResource does not carry (it predates them or, for
 * events.k8s.io, names only the core group's Event), with their resources as the API server
 * registers them: DefaultQualifiedResource in k8s.io/kubernetes v1.34 pkg/registry/<path>.
 */
const NOT_IN_API_RESOURCE: Record<string, { group: string; resource: string; source: string }> = {
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': { group: 'admissionregistration.k8s.io', resource: 'validatingadmissionpolicies', source: 'admissionregistration/validatingadmissionpolicy/storage/storage.go' },
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding': { group: 'admissionregistration.k8s.io', resource: 'validatingadmissionpolicybindings', source: 'admissionregistration/validatingadmissionpolicybinding/storage/storage.go' },
  // The events.k8s.io group serves the core Event storage under the same resource name.
  'events.k8s.io/Event': { group: 'events.k8s.io', resource: 'events', source: 'events/rest/storage_events.go, core/event/storage/storage.go' },
  'networking.k8s.io/IPAddress': { group: 'networking.k8s.io', resource: 'ipaddresses', source: 'networking/ipaddress/storage/storage.go' },
  'networking.k8s.io/ServiceCIDR': { group: 'networking.k8s.io', resource: 'servicecidrs', source: 'networking/servicecidr/storage/storage.go' },
  'resource.k8s.io/DeviceClass': { group: 'resource.k8s.io', resource: 'deviceclasses', source: 'resource/deviceclass/storage/storage.go' },
  'resource.k8s.io/ResourceClaim': { group: 'resource.k8s.io', resource: 'resourceclaims', source: 'resource/resourceclaim/storage/storage.go' },
  'resource.k8s.io/ResourceClaimTemplate': { group: 'resource.k8s.io', resource: 'resourceclaimtemplates', source: 'resource/resourceclaimtemplate/storage/storage.go' },
  'resource.k8s.io/ResourceSlice': { group: 'resource.k8s.io', resource: 'resourceslices', source: 'resource/resourceslice/storage/storage.go' },
  'storage.k8s.io/VolumeAttributesClass': { group: 'storage.k8s.io', resource: 'volumeattributesclasses', source: 'storage/volumeattributesclass/storage/storage.go' },
};

/** Every built-in kind an output can hold, with its group and resource, from the sources above. */
function expectedKinds(): Record<string, { group: string; resource: string }> {
  const fromApiResource = Object.entries(apiResources()).filter(([key]) => !NOT_AN_OUTPUT_KIND.has(key));
  const fromSource = Object.entries(NOT_IN_API_RESOURCE).map(([key, { group, resource }]) => [key, { group, resource }] as const);
  return Object.fromEntries([...fromApiResource, ...fromSource]);
}

describe('the built-in kinds of lib/components/resource-types.ts', () => {
  test('every kind a 1.34 API server serves at a generally available version (cdk8s-plus-34\'s bindings) is in the table, in its group; lists and kinds no output holds aside', () => {
    const bindings = bindingKinds();
    expect(bindings['apps/Deployment']).toEqual(['apps/v1']);
    const gaKinds = Object.entries(bindings)
      .filter(([key, versions]) => versions.some(isGa) && !NOT_AN_OUTPUT_KIND.has(key))
      // `DeploymentList` and the like: the list of a kind, never an object of its own.
      .filter(([key]) => !(key.endsWith('List') && key.slice(0, -'List'.length) in bindings))
      .map(([key]) => key).sort();
    // Each left-out kind is one the bindings have: a misspelt exclusion would hide nothing.
    for (const key of NOT_AN_OUTPUT_KIND) expect({ key, inBindings: key in bindings }).toEqual({ key, inBindings: true });
    expect(gaKinds.filter((key) => !(key in BUILTIN_RESOURCE_TYPES))).toEqual([]);
  });

  test('every kind of the table is one the bindings or ApiResource name (the core Event is ApiResource\'s only: the bindings name the events.k8s.io one)', () => {
    const named = new Set([...Object.keys(bindingKinds()), ...Object.keys(apiResources())]);
    expect(Object.keys(BUILTIN_RESOURCE_TYPES).filter((key) => !named.has(key))).toEqual([]);
  });

  test('the table holds exactly the kinds of cdk8s-plus-34\'s ApiResource (those an output can hold) and the newer ones, each with the group and resource they give', () => {
    const expected = expectedKinds();
    // The kinds that ApiResource does not carry are exactly the ones written out above, so that one missing from both shows here.
    const apiResource = apiResources();
    expect(Object.keys(NOT_IN_API_RESOURCE).filter((key) => key in apiResource)).toEqual([]);
    expect(Object.keys(BUILTIN_RESOURCE_TYPES).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, { group, resource }] of Object.entries(expected)) {
      expect({ key, group: BUILTIN_RESOURCE_TYPES[key].group, resource: BUILTIN_RESOURCE_TYPES[key].resource }).toEqual({ key, group, resource });
    }
  });

  test('resourceTypeOf finds each kind by every apiVersion the bindings give it (the group is all it reads of the apiVersion)', () => {
    const bindings = bindingKinds();
    for (const [key, type] of Object.entries(BUILTIN_RESOURCE_TYPES)) {
      const kind = key.split('/')[1];
      for (const apiVersion of bindings[key] ?? ['v1']) expect({ apiVersion, kind, type: resourceTypeOf(apiVersion, kind) }).toEqual({ apiVersion, kind, type });
    }
  });

  test('the Deployer, the table\'s reader, grants each kind under its group and resource when the chart emits an object of it', () => {
    const bindings = bindingKinds();
    for (const [key, { group, resource }] of Object.entries(expectedKinds())) {
      const kind = key.split('/')[1];
      const apiVersion = (bindings[key] ?? ['v1']).find(isGa)!;
      const chart = new Chart(Testing.app(), 'chart', { namespace: 'app' });
      new ApiObject(chart, 'object', { apiVersion, kind, metadata: { name: 'one' } });
      new Deployer(chart, 'deployer', { namespace: 'app' });
      const roles = Testing.synth(chart).filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole');
      const rules = roles.flatMap((role) => (role.rules ?? []) as { apiGroups: string[]; resources: string[] }[]);
      const granted = rules.some((rule) => rule.apiGroups.includes(group) && rule.resources.includes(resource));
      expect({ apiVersion, kind, granted }).toEqual({ apiVersion, kind, granted: true });
    }
  });
});
