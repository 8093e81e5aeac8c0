import { ApiObject, Chart, Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { acceptFinding, acceptedFindings } from '../../lib/components/accept-finding';
import { testApp } from '../helpers';

/**
 * acceptFinding and acceptedFindings beyond what test/components/own-component.test.ts shows:
 * JavaScript callers' odd reasons, several checks on one object, and construct metadata that is
 * not an acceptance.
 */
describe('acceptFinding, odd inputs', () => {
  const setup = () => {
    const chart = new Chart(testApp(), 'own');
    const job = new kplus.CronJob(chart, 'Count', { schedule: Cron.daily() });
    job.addContainer({ name: 'count', image: 'postgres:17.6' });
    return { chart, job, object: ApiObject.of(job) };
  };

  test.each([[undefined], [42], [null]])('a reason that is not a string (%p, from JavaScript or a cast) is refused like an empty one', (reason) => {
    const { job } = setup();
    expect(() => acceptFinding(job, { check: 'resources', reason: reason as unknown as string }))
      .toThrow('acceptFinding reason for [resources] on own/Count is empty: allowed is a sentence saying why the finding is there on purpose');
  });

  test('different checks on one object are each accepted, and listed in order', () => {
    const { chart, job, object } = setup();
    acceptFinding(job, { check: 'resources', reason: 'no CPU limit on purpose' });
    acceptFinding(object, { check: 'probes', reason: 'serves no port' });
    expect(acceptedFindings(chart)).toEqual([
      { rule: 'resources', object: `CronJob/${object.name}`, reason: 'no CPU limit on purpose' },
      { rule: 'probes', object: `CronJob/${object.name}`, reason: 'serves no port' },
    ]);
  });

  test('other metadata on the object, even shaped like an acceptance, is neither listed nor counted as an earlier acceptance', () => {
    const { chart, job, object } = setup();
    // Any library may keep metadata on a construct node; only acceptFinding's own entries are acceptances.
    object.node.addMetadata('note', 'reviewed');
    object.node.addMetadata('', { check: 'resources', reason: 'untyped entry' });
    object.node.addMetadata('other-tool:accept', { check: 'resources', reason: 'another tool' });
    expect(acceptedFindings(chart)).toEqual([]);
    acceptFinding(job, { check: 'resources', reason: 'mine' });
    expect(acceptedFindings(chart)).toEqual([{ rule: 'resources', object: `CronJob/${object.name}`, reason: 'mine' }]);
  });

  test('only Kubernetes objects are listed: metadata of the same type on a construct that is no object (no kind, no name) is not', () => {
    const { chart, job, object } = setup();
    acceptFinding(job, { check: 'resources', reason: 'mine' });
    // The entry acceptFinding writes, copied by hand onto a plain construct, which synthesizes to nothing.
    const entry = object.node.metadata.find((e) => e.data?.reason === 'mine')!;
    new Construct(chart, 'Plain').node.addMetadata(entry.type, { check: 'probes', reason: 'not an object' });
    expect(acceptedFindings(chart)).toEqual([{ rule: 'resources', object: `CronJob/${object.name}`, reason: 'mine' }]);
  });
});
