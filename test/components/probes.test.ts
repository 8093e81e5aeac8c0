import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { command, every, httpGet } from '../../lib/components/probes';
import { containerOf, synthIn } from '../helpers';

/** A probe as it lands in a container: kplus.Probe renders only inside one. */
function rendered(probe: kplus.Probe) {
  const objects = synthIn((chart) => new kplus.Deployment(chart, 'D', { containers: [{ image: 'x:1', portNumber: 80, readiness: probe }] }));
  return containerOf(objects.find((o) => o.kind === 'Deployment')!).readinessProbe;
}

describe('probes', () => {
  test('every(period, failures, timeout) is that timing in seconds', () => {
    const t = every(7, 3, 2);
    expect([t.period.toSeconds(), t.failureThreshold, t.timeout.toSeconds()]).toEqual([7, 3, 2]);
  });

  test('httpGet asks the path on the port at the timing given', () => {
    expect(rendered(httpGet('/health', 8080)(every(5, 2, 1)))).toEqual({
      httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 1,
    });
  });

  test('command runs the argv given at the timing given, and the caller\'s array stays its own', () => {
    const argv = ['redis-cli', 'ping'];
    const probe = command(argv)({ period: Duration.minutes(1), failureThreshold: 4, timeout: Duration.seconds(9) });
    argv.push('extra');
    expect(rendered(probe)).toEqual({ exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 60, failureThreshold: 4, timeoutSeconds: 9 });
  });
});
