import { Cron, Duration } from 'cdk8s';
import { AppCronJob, AppCronJobProps } from '../../lib/components/app-cron-job';
import { find, synthIn } from '../helpers';

/**
 * AppCronJob through its props, in a small chart: the fields the README's own component
 * (test/components/own-component.test.ts) leaves at their defaults or cannot vary.
 */
describe('AppCronJob', () => {
  const render = (props: Partial<AppCronJobProps> = {}) => synthIn((chart) => new AppCronJob(chart, 'Task', {
    name: 'nightly', schedule: Cron.daily(), image: 'postgres:17.6', runAs: { user: 999, group: 999 }, command: ['psql', '--command', 'select 1'], ...props,
  }));
  const job = (props: Partial<AppCronJobProps> = {}) => find(render(props), 'CronJob', 'nightly');

  test('runs the command given, word for word', () => {
    const containers = job().spec.jobTemplate.spec.template.spec.containers;
    expect(containers.find((c: { name: string }) => c.name === 'nightly').command).toEqual(['psql', '--command', 'select 1']);
  });

  test('a run is stopped after an hour by default, or after the activeDeadline given', () => {
    expect(job().spec.jobTemplate.spec.activeDeadlineSeconds).toBe(3600);
    expect(job({ activeDeadline: Duration.minutes(5) }).spec.jobTemplate.spec.activeDeadlineSeconds).toBe(300);
  });

  test('its pods carry component=<name>, the label its podSelector names and its NetworkPolicies select', () => {
    const objects = render({ connectsTo: [{ podSelector: { component: 'postgres' }, port: 5432 }] });
    const pod = find(objects, 'CronJob', 'nightly').spec.jobTemplate.spec.template;
    expect(pod.metadata.labels).toEqual({
      'component': 'nightly', 'app.kubernetes.io/name': 'nightly', 'app.kubernetes.io/component': 'nightly', 'app.kubernetes.io/part-of': 'multi-k8s',
    });
    expect(find(objects, 'NetworkPolicy', 'multi-k8s-nightly-to-postgres-egress').spec.podSelector).toEqual({ matchLabels: { component: 'nightly' } });
    expect(find(objects, 'NetworkPolicy', 'multi-k8s-nightly-to-postgres-ingress').spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { component: 'nightly' } } }]);
  });

  test('each connection\'s policies are named after the provider\'s selector values, joined by "-"', () => {
    const objects = render({
      connectsTo: [{ podSelector: { component: 'cache', tier: 'hot' }, port: 6379 }, { podSelector: { component: 'postgres' }, port: 5432 }],
    });
    expect(objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name).sort()).toEqual([
      'multi-k8s-nightly-to-cache-hot-egress', 'multi-k8s-nightly-to-cache-hot-ingress',
      'multi-k8s-nightly-to-postgres-egress', 'multi-k8s-nightly-to-postgres-ingress',
    ]);
  });
});
