import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { SecretKeyReference } from '../../lib/components/postgres';
import { annotateForValidator, OPERATOR_SECRET_ANNOTATION } from '../../lib/components/validator-annotations';
import { testApp } from '../helpers';

/** A required key of the operator's Secret `pg` (a reference by name, as the chart's Postgres makes it). */
function required(key: string): SecretKeyReference {
  const chart = new Chart(testApp(), 'c');
  return { secret: kplus.Secret.fromSecretName(chart, `Pg${key}`, 'pg'), key, description: `the ${key}` };
}

/** A Deployment whose container reads the given keys of Secret `pg`, one env var each. */
function readerOf(keys: readonly string[]): any {
  const env = keys.map((key) => ({ name: key.toUpperCase(), valueFrom: { secretKeyRef: { name: 'pg', key } } }));
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'reader' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'i:1', env }] } } } };
}

describe('annotateForValidator', () => {
  test('several keys of one Secret are one annotation, sorted and comma-separated, whatever order they were required in', () => {
    const [object] = annotateForValidator([readerOf(['user', 'password'])], [required('user'), required('password')], []);
    expect(object.metadata.annotations).toEqual({ [`${OPERATOR_SECRET_ANNOTATION}pg`]: 'password,user' });
  });

  test('an object without metadata that gets no annotation is passed through untouched', () => {
    // e.g. a hand-written item of a component that has only a kind; nothing to write on it, so nothing to fail on.
    const bare = { kind: 'Status' };
    expect(annotateForValidator([bare], [required('password')], [{ rule: 'ingress-tls', object: 'Ingress/x', reason: 'r' }])).toEqual([{ kind: 'Status' }]);
  });

  test('only what the manifest writes counts: a property hung on an array (which JSON and YAML drop) reads no Secret', () => {
    const object = readerOf([]);
    const containers = object.spec.template.spec.containers;
    containers.secretKeyRef = { name: 'pg', key: 'password' };
    expect(JSON.stringify(containers)).not.toContain('secretKeyRef');
    const [annotated] = annotateForValidator([object], [required('password')], []);
    expect(annotated.metadata.annotations).toBeUndefined();
  });
});
