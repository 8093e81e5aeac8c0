import { formatProblem, objectId, objectPath } from '../../lib/validate/problem';

describe('problem lines', () => {
  test('read file: Kind/name: path: message (allowed: ...)', () => {
    expect(formatProblem({ file: 'k8s/a.yaml', object: 'Service/web', path: 'spec.ports[0].port', message: 'port 0 is out of range', allowed: '1 to 65535', check: 'api' }))
      .toBe('k8s/a.yaml: Service/web: spec.ports[0].port: port 0 is out of range (allowed: 1 to 65535)');
    expect(formatProblem({ file: 'f', object: 'X/y', path: '', message: 'm', allowed: 'a', check: 'link' })).toBe('f: X/y: (object): m (allowed: a)');
  });

  test('name objects without kind or name with placeholders', () => {
    expect(objectId({ kind: 'Service', metadata: { name: 'web' } })).toBe('Service/web');
    expect(objectId({})).toBe('<no kind>/<no name>');
    expect(objectId(null as any)).toBe('<no kind>/<no name>');
  });

  test('write paths the way kubectl does', () => {
    expect(objectPath(['spec', 'containers', 0, 'ports', '1', 'name'])).toBe('spec.containers[0].ports[1].name');
    expect(objectPath([])).toBe('');
  });
});
