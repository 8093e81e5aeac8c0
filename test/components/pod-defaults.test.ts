import { ApiObject, Chart, Cron, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AppCronJob } from '../../lib/components/app-cron-job';
import { podDefaults } from '../../lib/components/pod-defaults';
import { Scale } from '../../lib/components/scale';
import { Workload } from '../../lib/components/workload';
import { testApp } from '../helpers';

const RUN_AS = { user: 999, group: 999 };

/** A Deployment of Workload and a CronJob of AppCronJob with the same uid and writable path, in one chart. */
function both() {
  const chart = new Chart(testApp(), 'test');
  new Workload(chart, 'Demo', {
    component: 'demo', name: 'demo', deploymentName: 'demo-deployment', containerName: 'demo', image: 'demo:1', scale: Scale.fixed(1),
    runAs: RUN_AS, writablePaths: { tmp: '/tmp' }, waitFor: [{ name: 'wait', image: 'busybox:1.36', command: ['true'] }],
    resources: { cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(20) }, memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) } },
  });
  new AppCronJob(chart, 'Job', { name: 'count', schedule: Cron.daily(), image: 'postgres:17.6', runAs: RUN_AS, command: ['true'], writablePaths: { tmp: '/tmp' } });
  const objects = chart.toJson();
  const deployment = objects.find((o) => o.kind === 'Deployment').spec.template;
  const cronJob = objects.find((o) => o.kind === 'CronJob').spec.jobTemplate.spec.template;
  return { deployment, cronJob, objects };
}

describe('podDefaults: the house defaults Workload and AppCronJob share', () => {
  test('the same restricted container settings, seccomp profile and writable emptyDir in a Deployment and a CronJob', () => {
    const { deployment, cronJob } = both();
    expect(cronJob.spec.containers[0].securityContext).toEqual(deployment.spec.containers[0].securityContext);
    expect(cronJob.spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true,
      runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, capabilities: { drop: ['ALL'] },
    });
    // An init container is held to the same rules.
    expect(deployment.spec.initContainers[0].securityContext).toEqual(deployment.spec.containers[0].securityContext);
    for (const pod of [deployment, cronJob]) {
      expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.spec.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
      expect(pod.spec.hostNetwork).toBeUndefined();
      expect(Object.keys(pod.metadata.labels).filter((key) => key.startsWith('cdk8s.io'))).toEqual([]);
    }
  });

  test('each gets its own ServiceAccount, holding no token', () => {
    const accounts = both().objects.filter((o) => o.kind === 'ServiceAccount');
    expect(accounts.map((a) => [a.metadata.name, a.automountServiceAccountToken])).toEqual([['multi-k8s-demo', false], ['multi-k8s-count', false]]);
  });

  test('a root uid or gid is refused, naming who asked', () => {
    const chart = new Chart(testApp(), 'test');
    const props = { owner: 'AppCronJob count', serviceAccountName: 'multi-k8s-count', labels: {} };
    expect(() => podDefaults(chart, { ...props, runAs: { user: 0, group: 999 } })).toThrow('AppCronJob count: runAs user and group must be non-zero (non-root), got 0:999');
    expect(() => podDefaults(chart, { ...props, runAs: { user: 999, group: 0 } })).toThrow('AppCronJob count: runAs user and group must be non-zero (non-root), got 999:0');
    expect(() => new AppCronJob(chart, 'Job', { name: 'count', schedule: Cron.daily(), image: 'postgres:17.6', runAs: { user: 0, group: 0 }, command: ['true'] }))
      .toThrow('AppCronJob count: runAs user and group must be non-zero (non-root), got 0:0');
  });

  test('harden patches the pod template at the path it is given, init containers counted', () => {
    const chart = new Chart(testApp(), 'test');
    const pod = new kplus.Pod(chart, 'Pod', { securityContext: { ensureNonRoot: true, user: 999 } });
    pod.addContainer({ name: 'main', image: 'demo:1', securityContext: { ensureNonRoot: true, user: 999 } });
    pod.addInitContainer({ name: 'init', image: 'demo:1', securityContext: { ensureNonRoot: true, user: 999 } });
    podDefaults(chart, { owner: 'pod', serviceAccountName: 'multi-k8s-pod', labels: {}, runAs: RUN_AS }).harden(ApiObject.of(pod), '', 1);
    const rendered = chart.toJson().find((o) => o.kind === 'Pod');
    expect(rendered.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect([rendered.spec.containers[0].securityContext.capabilities, rendered.spec.initContainers[0].securityContext.capabilities]).toEqual([{ drop: ['ALL'] }, { drop: ['ALL'] }]);
    expect(rendered.spec.hostNetwork).toBeUndefined();
    expect(rendered.metadata.labels?.['cdk8s.io/metadata.addr']).toBeUndefined();
  });
});
