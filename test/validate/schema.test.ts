import * as path from 'path';
import { validateManifests } from '../../lib/validate';
import { strictDefinitions } from '../../lib/validate/schema';
import { appValidateOptions, containerOf, courseObjects, defaultItems, defaultObjects, expectOnly, find, NON_POLICY, validateBroken } from '../helpers';

const deployment = (objects: any[], name = 'server-deployment') => find(objects, 'Deployment', name);

describe('strict schema validation (Kubernetes 1.27 and 1.36)', () => {
  test('the synthesized app is clean', () => {
    expect(validateManifests(defaultItems(), appValidateOptions())).toEqual([]);
  });

  test('an unknown field is reported, for both versions at once', () => {
    const problems = validateBroken((o) => { containerOf(deployment(o)).imagePullPolicyy = 'Always'; }, NON_POLICY);
    expectOnly(problems, {
      check: 'schema', object: 'Deployment/server-deployment', path: 'spec.template.spec.containers[0].imagePullPolicyy',
      message: 'unknown field "imagePullPolicyy" (Kubernetes 1.27.0 and 1.36.0 schemas)',
    });
    expect(problems[0].file).toBe('dist/multi-k8s.k8s.yaml');
    expect(problems[0].allowed).toContain('only the fields the API defines here');
  });

  test('a field at the wrong level (mis-indented) is an unknown field', () => {
    expectOnly(validateBroken((o) => { deployment(o).spec.template.spec.image = 'x'; }, NON_POLICY), { check: 'schema', path: 'spec.template.spec.image', message: /^unknown field "image"/ });
  });

  test('a wrong type is reported with the allowed type', () => {
    const problems = validateBroken((o) => { deployment(o).spec.replicas = '3'; }, NON_POLICY);
    expectOnly(problems, { check: 'schema', path: 'spec.replicas', message: 'wrong type (Kubernetes 1.27.0 and 1.36.0 schemas)', allowed: 'type integer' });
  });

  test('int-or-string fields take either, and nothing else', () => {
    expectOnly(validateBroken((o) => { containerOf(deployment(o)).livenessProbe.httpGet.port = true; }, NON_POLICY), {
      check: 'schema', path: 'spec.template.spec.containers[0].livenessProbe.httpGet.port', allowed: 'type string or integer', message: /^wrong type/,
    });
  });

  test('a missing required field is reported', () => {
    expectOnly(validateBroken((o) => { delete containerOf(deployment(o)).name; }, NON_POLICY), {
      check: 'schema', path: 'spec.template.spec.containers[0].name', message: 'missing required field "name" (Kubernetes 1.27.0 and 1.36.0 schemas)',
    });
  });

  test('an int32 out of range is reported', () => {
    expectOnly(validateBroken((o) => { deployment(o).spec.progressDeadlineSeconds = 2 ** 31; }, NON_POLICY), {
      check: 'schema', path: 'spec.progressDeadlineSeconds', message: /^number out of range/, allowed: '<= 2147483647 (int32)',
    });
  });

  test('an apiVersion that no longer serves the kind is reported, naming the one that does', () => {
    const problems = validateBroken((o) => { find(o, 'Ingress', 'ingress-service').apiVersion = 'extensions/v1beta1'; }, NON_POLICY);
    expect(problems.filter((p) => p.check === 'schema')).toEqual([
      expect.objectContaining({ path: 'apiVersion', object: 'Ingress/ingress-service', message: 'extensions/v1beta1/Ingress is not served by Kubernetes 1.27.0 (removed or not yet added)', allowed: 'apiVersion networking.k8s.io/v1' }),
      expect.objectContaining({ path: 'apiVersion', message: 'extensions/v1beta1/Ingress is not served by Kubernetes 1.36.0 (removed or not yet added)' }),
    ]);
  });

  test('an API removed after 1.27 is caught by the 1.36 schema alone', () => {
    const problems = validateManifests([{ file: 'apf.yaml', object: {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kind: 'PriorityLevelConfiguration', metadata: { name: 'x' },
    } }]);
    expect(problems.map((p) => [p.message, p.allowed])).toEqual([[
      'flowcontrol.apiserver.k8s.io/v1beta2/PriorityLevelConfiguration is not served by Kubernetes 1.36.0 (removed or not yet added)',
      'apiVersion flowcontrol.apiserver.k8s.io/v1',
    ]]);
  });

  test('an unknown kind is reported', () => {
    const problems = validateManifests([{ file: 'x.yaml', object: { apiVersion: 'v1', kind: 'Servcie', metadata: { name: 'x' } } }]);
    expect(problems.map((p) => p.message)).toEqual([
      'kind "Servcie" is not a built-in kind of Kubernetes 1.27.0',
      'kind "Servcie" is not a built-in kind of Kubernetes 1.36.0',
    ]);
  });

  test('the course\'s hand-written manifests pass the schema', () => {
    const items = courseObjects().map((object) => ({ file: 'k8s', object }));
    expect(validateManifests(items, appValidateOptions()).filter((p) => p.check === 'schema')).toEqual([]);
  });

  test('the strict transform closes objects, types int-or-string, and bounds int32', () => {
    const defs = strictDefinitions({
      A: { type: 'object', properties: { n: { type: 'integer', format: 'int32', description: 'x' } }, 'x-kubernetes-group-version-kind': [] },
      B: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
      C: { type: 'object', additionalProperties: { type: 'string' } },
    });
    expect(defs).toEqual({
      A: { type: 'object', properties: { n: { type: 'integer', minimum: -2147483648, maximum: 2147483647 } }, additionalProperties: false },
      B: { type: ['string', 'integer'] },
      C: { type: 'object', additionalProperties: { type: 'string' } },
    });
  });
});

describe('the validator cache', () => {
  test('a cache folder that cannot be written only costs speed', () => {
    const fs = require('fs');
    const marker = `${path.sep}multi-k8s-validators${path.sep}`;
    const exists = fs.existsSync;
    const write = fs.writeFileSync;
    const existsSpy = jest.spyOn(fs, 'existsSync').mockImplementation((f: any) => (String(f).includes(marker) ? false : exists(f)));
    const writeSpy = jest.spyOn(fs, 'writeFileSync').mockImplementation((f: any, ...rest: any[]) => {
      if (String(f).includes(marker)) throw new Error('EROFS: read-only file system');
      return write(f, ...rest);
    });
    try {
      jest.isolateModules(() => {
        const { validateSchema } = require('../../lib/validate/schema');
        const service = find(defaultObjects(), 'Service', 'redis-cluster-ip-service');
        expect(validateSchema(service, '1.27.0')).toEqual([]);
        expect(validateSchema({ ...service, spec: { ...service.spec, bogus: 1 } }, '1.27.0')).toEqual([expect.objectContaining({ path: 'spec.bogus' })]);
      });
      expect(writeSpy.mock.calls.some(([f]) => String(f).includes(marker))).toBe(true);
    } finally {
      existsSpy.mockRestore();
      writeSpy.mockRestore();
    }
  });
});
