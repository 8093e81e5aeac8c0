import { formatProblem, formatSkipped, locate, objectId, objectPath } from '../../lib/validate/problem';

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

  test('a dot only after something was written (an empty key adds nothing before it)', () => {
    expect(objectPath(['', 'a', '', 'b'])).toBe('a..b');
    expect(objectPath([0, 'a'])).toBe('[0].a');
  });

  test('a number is always an index, whatever its digits', () => {
    // A numeric segment comes from an array position; an odd one still prints as an index, never as a key.
    expect(objectPath(['a', -1, 1.5, 'b'])).toBe('a[-1][1.5].b');
    expect(objectPath([-1, 'b'])).toBe('[-1].b');
  });

  test('locate gives a finding without a severity no severity field at all (not one set to undefined)', () => {
    const item = { file: 'k8s/a.yaml', object: { kind: 'Service', metadata: { name: 'web' } } };
    const problems = locate(item, 'api', [
      { path: 'spec.ports[0].port', message: 'm', allowed: 'a' },
      { path: 'metadata', message: 'w', allowed: 'b', severity: 'warning' },
    ]);
    expect(problems).toStrictEqual([
      { path: 'spec.ports[0].port', message: 'm', allowed: 'a', file: 'k8s/a.yaml', object: 'Service/web', check: 'api' },
      { path: 'metadata', message: 'w', allowed: 'b', severity: 'warning', file: 'k8s/a.yaml', object: 'Service/web', check: 'api' },
    ]);
    expect(Object.keys(problems[0])).not.toContain('severity');
  });

  test('only a segment of digits alone is an index', () => {
    expect(objectPath(['data', '12', '1a', 'x1'])).toBe('data[12].1a.x1');
  });

  test('a skipped object names its file, apiVersion and kind, and the flag that fails on it', () => {
    expect(formatSkipped({ file: 'k8s/w.yaml', object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } } }))
      .toBe('k8s/w.yaml: Widget/w: skipped: no schema for apiVersion example.com/v1 kind Widget (use --fail-on-unknown to fail)');
  });
});
