import { checkApiRules } from '../../../lib/validate/api-rules';
import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { apiRulesOf, BreakCase, breakValid, the } from '../../support/valid-fixtures';

const web = (o: KubeObject[]) => the(o, 'Deployment', 'web');
const db = (o: KubeObject[]) => the(o, 'StatefulSet', 'db');
const agent = (o: KubeObject[]) => the(o, 'DaemonSet', 'log-agent');
const job = (o: KubeObject[]) => the(o, 'Job', 'migrate');
const cron = (o: KubeObject[]) => the(o, 'CronJob', 'nightly-report');
const cronPod = (o: KubeObject[]) => cron(o).spec.jobTemplate.spec.template.spec;

// [what is broken, how, the one problem expected: object, path, message]
const CASES: BreakCase[] = [
  // apps ValidateDeploymentSpec
  ['Deployment selector that misses the template labels', (o) => { web(o).spec.selector.matchLabels.app = 'webb'; }, 'Deployment/web', 'spec.template.metadata.labels', /^selector \{"app":"webb"\} does not match the template labels \{"app":"web"\}$/],
  ['Deployment selector expression that misses the template labels', (o) => { web(o).spec.selector = { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }; }, 'Deployment/web', 'spec.template.metadata.labels', /does not match the template labels/],
  ['Deployment with an empty selector', (o) => { web(o).spec.selector = {}; }, 'Deployment/web', 'spec.selector', /^an empty selector is invalid for Deployment$/],
  ['selector expression In without values', (o) => { web(o).spec.selector.matchExpressions = [{ key: 'app', operator: 'In', values: [] }]; }, 'Deployment/web', 'spec.selector.matchExpressions[0].values', /^operator In has no values$/],
  ['selector expression Exists with values', (o) => { web(o).spec.selector.matchExpressions = [{ key: 'app', operator: 'Exists', values: ['web'] }]; }, 'Deployment/web', 'spec.selector.matchExpressions[0].values', /^operator Exists has values$/],
  ['Deployment with rollingUpdate settings under Recreate', (o) => { web(o).spec.strategy.rollingUpdate = { maxSurge: 1 }; }, 'Deployment/web', 'spec.strategy.rollingUpdate', /^rollingUpdate is set with type Recreate$/],
  ['Deployment maxUnavailable above 100%', (o) => { web(o).spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '120%' } }; }, 'Deployment/web', 'spec.strategy.rollingUpdate.maxUnavailable', /^120% is more than 100%$/],
  ['Deployment maxSurge that is not a percentage', (o) => { web(o).spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25 percent' } }; }, 'Deployment/web', 'spec.strategy.rollingUpdate.maxSurge', /^"25 percent" is not a number or a percentage$/],
  ['Deployment progress deadline not above minReadySeconds', (o) => { Object.assign(web(o).spec, { minReadySeconds: 30, progressDeadlineSeconds: 30 }); }, 'Deployment/web', 'spec.progressDeadlineSeconds', /^progressDeadlineSeconds 30 is not greater than minReadySeconds 30$/],
  ['Deployment negative revisionHistoryLimit', (o) => { web(o).spec.revisionHistoryLimit = -1; }, 'Deployment/web', 'spec.revisionHistoryLimit', /^revisionHistoryLimit is -1$/],
  ['Deployment pods with an activeDeadlineSeconds', (o) => { web(o).spec.template.spec.activeDeadlineSeconds = 60; }, 'Deployment/web', 'spec.template.spec.activeDeadlineSeconds', /^activeDeadlineSeconds in a Deployment is not supported$/],
  ['Deployment pods with restartPolicy Never', (o) => { web(o).spec.template.spec.restartPolicy = 'Never'; }, 'Deployment/web', 'spec.template.spec.restartPolicy', /^restartPolicy is Never$/],
  // apps ValidateStatefulSetSpec
  ['StatefulSet name that is not a DNS label', (o) => { const s = db(o); s.metadata.name = 'db.primary'; }, 'StatefulSet/db.primary', 'metadata.name', /^StatefulSet name "db.primary" is not valid$/],
  ['StatefulSet podManagementPolicy outside the enum', (o) => { db(o).spec.podManagementPolicy = 'Ordered'; }, 'StatefulSet/db', 'spec.podManagementPolicy', /^"Ordered" is not a supported value$/],
  ['StatefulSet rollingUpdate under OnDelete', (o) => { db(o).spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 0 } }; }, 'StatefulSet/db', 'spec.updateStrategy.rollingUpdate', /^rollingUpdate is set with updateStrategy OnDelete$/],
  ['StatefulSet negative partition', (o) => { db(o).spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1 } }; }, 'StatefulSet/db', 'spec.updateStrategy.rollingUpdate.partition', /^partition is -1$/],
  ['StatefulSet claim retention outside the enum', (o) => { db(o).spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Keep' }; }, 'StatefulSet/db', 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted', /^"Keep" is not a supported value$/],
  ['StatefulSet with an empty selector', (o) => { db(o).spec.selector = { matchLabels: {} }; }, 'StatefulSet/db', 'spec.selector', /^an empty selector is invalid for StatefulSet$/],
  ['mount of a claim template that does not exist', (o) => { db(o).spec.template.spec.containers[0].volumeMounts[0].name = 'datta'; }, 'StatefulSet/db', 'spec.template.spec.containers[0].volumeMounts[0].name', /^mounts volume "datta", which the pod does not have$/],
  ['claim template without access modes', (o) => { db(o).spec.volumeClaimTemplates[0].spec.accessModes = []; }, 'StatefulSet/db', 'spec.volumeClaimTemplates[0].spec.accessModes', /^no access mode$/],
  // apps ValidateDaemonSetSpec / ValidateRollingUpdateDaemonSet
  ['DaemonSet surging while also unavailable', (o) => { agent(o).spec.updateStrategy.rollingUpdate.maxUnavailable = 1; }, 'DaemonSet/log-agent', 'spec.updateStrategy.rollingUpdate.maxSurge', /^maxSurge is set while maxUnavailable is non-zero$/],
  ['DaemonSet with neither surge nor unavailability', (o) => { agent(o).spec.updateStrategy.rollingUpdate.maxSurge = 0; }, 'DaemonSet/log-agent', 'spec.updateStrategy.rollingUpdate.maxUnavailable', /^maxUnavailable and maxSurge are both 0$/],
  // batch validateJobSpec / ValidateJob
  ['Job pods without restartPolicy (the pod default, Always)', (o) => { delete job(o).spec.template.spec.restartPolicy; }, 'Job/migrate', 'spec.template.spec.restartPolicy', /^restartPolicy is unset \(Always\)$/],
  ['Job pods with restartPolicy Always', (o) => { job(o).spec.template.spec.restartPolicy = 'Always'; }, 'Job/migrate', 'spec.template.spec.restartPolicy', /^restartPolicy is Always$/],
  ['Job with negative parallelism', (o) => { job(o).spec.parallelism = -1; }, 'Job/migrate', 'spec.parallelism', /^parallelism is -1$/],
  ['Job with negative completions', (o) => { job(o).spec.completions = -2; }, 'Job/migrate', 'spec.completions', /^completions is -2$/],
  ['Job with negative backoffLimit', (o) => { job(o).spec.backoffLimit = -1; }, 'Job/migrate', 'spec.backoffLimit', /^backoffLimit is -1$/],
  ['Indexed Job without completions', (o) => { delete job(o).spec.completions; }, 'Job/migrate', 'spec.completions', /^an Indexed Job has no completions$/],
  ['Indexed Job with parallelism above 100000', (o) => { job(o).spec.parallelism = 100001; }, 'Job/migrate', 'spec.parallelism', /^parallelism 100001 is above 100000$/],
  ['completionMode outside the enum', (o) => { job(o).spec.completionMode = 'Sequential'; delete job(o).spec.completions; }, 'Job/migrate', 'spec.completionMode', /^"Sequential" is not a supported value$/],
  ['backoffLimitPerIndex on a NonIndexed Job', (o) => { job(o).spec.completionMode = 'NonIndexed'; job(o).spec.backoffLimitPerIndex = 1; }, 'Job/migrate', 'spec.backoffLimitPerIndex', /^backoffLimitPerIndex requires completionMode Indexed$/],
  ['Job selector without manualSelector', (o) => { job(o).spec.selector = { matchLabels: { app: 'migrate' } }; job(o).spec.template.metadata = { labels: { app: 'migrate' } }; }, 'Job/migrate', 'spec.selector', /^a selector is set without manualSelector: true/],
  ['manual Job selector that misses the template labels', (o) => { Object.assign(job(o).spec, { manualSelector: true, selector: { matchLabels: { app: 'migrate' } } }); }, 'Job/migrate', 'spec.template.metadata.labels', /^selector \{"app":"migrate"\} does not match the template labels \{\}$/],
  ['Job name longer than a label value', (o) => { const j = job(o); j.metadata.name = `m${'i'.repeat(63)}`; j.spec.completionMode = 'NonIndexed'; }, `Job/m${'i'.repeat(63)}`, 'metadata.name', /^Job name "mi+" is longer than a label value \(63 characters\)$/],
  ['Indexed Job whose last pod hostname is too long', (o) => { const j = job(o); j.metadata.name = 'm'.repeat(62); }, `Job/${'m'.repeat(62)}`, 'metadata.name', /^Indexed Job pods get the hostname "m{62}-2", which is not a DNS label$/],
  ['Indexed Job whose pod hostnames hold a dot', (o) => { job(o).metadata.name = 'db.migrate'; }, 'Job/db.migrate', 'metadata.name', /^Indexed Job pods get the hostname "db.migrate-2", which is not a DNS label$/],
  // batch ValidateCronJobCreate / validateCronJobSpec / ValidateJobTemplateSpec
  ['CronJob name longer than 52', (o) => { cron(o).metadata.name = 'r'.repeat(53); }, `CronJob/${'r'.repeat(53)}`, 'metadata.name', /^CronJob name "r{53}" is longer than 52 characters$/],
  ['CronJob schedule with four fields', (o) => { cron(o).spec.schedule = '30 2 * *'; }, 'CronJob/nightly-report', 'spec.schedule', /^schedule "30 2 \* \*" does not parse: expected exactly 5 fields, found 4: 30 2 \* \*$/],
  ['CronJob minute above 59', (o) => { cron(o).spec.schedule = '61 * * * *'; }, 'CronJob/nightly-report', 'spec.schedule', /does not parse: minute: end of range \(61\) above maximum \(59\): 61$/],
  ['CronJob unknown weekday name', (o) => { cron(o).spec.schedule = '0 2 * * MONDAY'; }, 'CronJob/nightly-report', 'spec.schedule', /does not parse: day of week: failed to parse int from MONDAY$/],
  ['CronJob step of 0', (o) => { cron(o).spec.schedule = '*/0 * * * *'; }, 'CronJob/nightly-report', 'spec.schedule', /step of range should be a positive number/],
  ['CronJob unknown descriptor', (o) => { cron(o).spec.schedule = '@fortnightly'; }, 'CronJob/nightly-report', 'spec.schedule', /does not parse: unrecognized descriptor: @fortnightly$/],
  ['CronJob time zone in the schedule', (o) => { cron(o).spec.schedule = 'CRON_TZ=UTC 0 2 * * *'; delete cron(o).spec.timeZone; }, 'CronJob/nightly-report', 'spec.schedule', /^the schedule names a time zone \(TZ or CRON_TZ\)$/],
  ['CronJob unknown time zone', (o) => { cron(o).spec.timeZone = 'Europe/Pariss'; }, 'CronJob/nightly-report', 'spec.timeZone', /^unknown time zone Europe\/Pariss$/],
  // batch validateTimeZone: each part is at most 14 of [A-Za-z.-_0-9+]. ICU still resolves this
  // old alias (to America/Regina), so the length alone refuses it.
  ['CronJob time zone with a part over 14 characters', (o) => { cron(o).spec.timeZone = 'Canada/East-Saskatchewan'; }, 'CronJob/nightly-report', 'spec.timeZone', /^unknown time zone Canada\/East-Saskatchewan$/],
  ['CronJob time zone Local', (o) => { cron(o).spec.timeZone = 'Local'; }, 'CronJob/nightly-report', 'spec.timeZone', /^timeZone Local is not an explicit time zone$/],
  ['CronJob concurrencyPolicy outside the enum', (o) => { cron(o).spec.concurrencyPolicy = 'Never'; }, 'CronJob/nightly-report', 'spec.concurrencyPolicy', /^"Never" is not a supported value$/],
  ['CronJob negative startingDeadlineSeconds', (o) => { cron(o).spec.startingDeadlineSeconds = -5; }, 'CronJob/nightly-report', 'spec.startingDeadlineSeconds', /^startingDeadlineSeconds is -5$/],
  ['CronJob negative history limit', (o) => { cron(o).spec.failedJobsHistoryLimit = -1; }, 'CronJob/nightly-report', 'spec.failedJobsHistoryLimit', /^failedJobsHistoryLimit is -1$/],
  ['CronJob Job template with a selector', (o) => { cron(o).spec.jobTemplate.spec.selector = { matchLabels: { app: 'report' } }; }, 'CronJob/nightly-report', 'spec.jobTemplate.spec.selector', /^a Job template sets a selector; it is always generated$/],
  ['CronJob pods with restartPolicy Always', (o) => { cronPod(o).restartPolicy = 'Always'; }, 'CronJob/nightly-report', 'spec.jobTemplate.spec.template.spec.restartPolicy', /^restartPolicy is Always$/],
  // core ValidateReplicationController, apps ValidateReplicaSetSpec
  ['ReplicationController selector that misses the template labels', (o) => { the(o, 'ReplicationController', 'legacy-worker').spec.selector = { app: 'other' }; }, 'ReplicationController/legacy-worker', 'spec.template.metadata.labels', /^selector \{"app":"other"\} does not match the template labels/],
  ['ReplicaSet with negative replicas', (o) => { the(o, 'ReplicaSet', 'legacy-web').spec.replicas = -1; }, 'ReplicaSet/legacy-web', 'spec.replicas', /^replicas is -1$/],
];

describe('workload rules (apps and batch validation)', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });

  test.each([
    ['a standard schedule with names and ranges', '0 9-17/2 * JAN-MAR mon,wed,FRI'],
    ['a step from a start value', '5/15 * * * *'],
    ['a question mark in day of month', '0 0 ? * 1'],
    ['@every with a Go duration', '@every 1h30m'],
    ['@midnight', '@midnight'],
  ])('a CronJob schedule of %s is accepted', (_what, schedule) => {
    expect(breakValid((o) => { cron(o).spec.schedule = schedule; })).toEqual([]);
  });

  test('a Recreate Deployment with rollingUpdate: null passes: JSON null is "not set" to the API server', () => {
    expect(breakValid((o) => { web(o).spec.strategy = { type: 'Recreate', rollingUpdate: null }; })).toEqual([]);
  });

  test('a Deployment rolling update with only maxSurge 0 passes: maxUnavailable defaults to 25%', () => {
    expect(breakValid((o) => { web(o).spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0 } }; })).toEqual([]);
  });

  test('a custom resource named Job in another group gets no batch rules', () => {
    expect(breakValid((o) => { the(o, 'Job', 'not-a-batch-job').spec.template.spec.restartPolicy = 'Always'; })).toEqual([]);
  });

  // Each finding in full: where, what, and what is allowed, for the one who fixes it.
  test.each([
    ['an empty Deployment selector', (o: KubeObject[]) => { web(o).spec.selector = {}; }, 'spec.selector: an empty selector is invalid for Deployment (allowed: matchLabels (or matchExpressions) that the template labels satisfy)'],
    ['a selector that misses the template', (o: KubeObject[]) => { web(o).spec.selector.matchLabels.app = 'webb'; }, 'spec.template.metadata.labels: selector {"app":"webb"} does not match the template labels {"app":"web"} (allowed: template labels that satisfy spec.selector)'],
    ['Deployment pods with restartPolicy OnFailure', (o: KubeObject[]) => { web(o).spec.template.spec.restartPolicy = 'OnFailure'; }, 'spec.template.spec.restartPolicy: restartPolicy is OnFailure (allowed: Always (the only value a Deployment accepts))'],
    ['Deployment pods with an activeDeadlineSeconds', (o: KubeObject[]) => { web(o).spec.template.spec.activeDeadlineSeconds = 60; }, 'spec.template.spec.activeDeadlineSeconds: activeDeadlineSeconds in a Deployment is not supported (allowed: no activeDeadlineSeconds)'],
    ['a progress deadline not above minReadySeconds', (o: KubeObject[]) => { web(o).spec.progressDeadlineSeconds = 0; }, 'spec.progressDeadlineSeconds: progressDeadlineSeconds 0 is not greater than minReadySeconds 0 (allowed: more than minReadySeconds)'],
    ['a Deployment strategy type outside the enum', (o: KubeObject[]) => { web(o).spec.strategy = { type: 'BlueGreen' }; }, 'spec.strategy.type: "BlueGreen" is not a supported value (allowed: one of Recreate, RollingUpdate)'],
    ['rollingUpdate under Recreate', (o: KubeObject[]) => { web(o).spec.strategy.rollingUpdate = { maxSurge: 1 }; }, 'spec.strategy.rollingUpdate: rollingUpdate is set with type Recreate (allowed: no rollingUpdate when type is Recreate (rollingUpdate: null clears a live one))'],
    ['maxSurge and maxUnavailable both 0', (o: KubeObject[]) => { web(o).spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }; }, 'spec.strategy.rollingUpdate: maxSurge and maxUnavailable are both 0: the rollout cannot progress (allowed: at least one of them > 0)'],
    ['a DaemonSet update strategy type outside the enum', (o: KubeObject[]) => { agent(o).spec.updateStrategy = { type: 'Recreate' }; }, 'spec.updateStrategy.type: "Recreate" is not a supported value (allowed: one of RollingUpdate, OnDelete)'],
    ['a DaemonSet surging while also unavailable', (o: KubeObject[]) => { agent(o).spec.updateStrategy.rollingUpdate.maxUnavailable = 1; }, 'spec.updateStrategy.rollingUpdate.maxSurge: maxSurge is set while maxUnavailable is non-zero (allowed: maxSurge 0, or maxUnavailable 0)'],
    ['a DaemonSet with neither surge nor unavailability', (o: KubeObject[]) => { agent(o).spec.updateStrategy.rollingUpdate.maxSurge = 0; }, 'spec.updateStrategy.rollingUpdate.maxUnavailable: maxUnavailable and maxSurge are both 0 (allowed: one of them non-zero)'],
    ['a StatefulSet podManagementPolicy outside the enum', (o: KubeObject[]) => { db(o).spec.podManagementPolicy = 'Ordered'; }, 'spec.podManagementPolicy: "Ordered" is not a supported value (allowed: one of OrderedReady, Parallel)'],
    ['a StatefulSet update strategy type outside the enum', (o: KubeObject[]) => { db(o).spec.updateStrategy = { type: 'Recreate' }; }, 'spec.updateStrategy.type: "Recreate" is not a supported value (allowed: one of RollingUpdate, OnDelete)'],
    ['a StatefulSet rollingUpdate under OnDelete', (o: KubeObject[]) => { db(o).spec.updateStrategy = { type: 'OnDelete', rollingUpdate: {} }; }, 'spec.updateStrategy.rollingUpdate: rollingUpdate is set with updateStrategy OnDelete (allowed: rollingUpdate only with type RollingUpdate)'],
    ['a claim retention whenScaled outside the enum', (o: KubeObject[]) => { db(o).spec.persistentVolumeClaimRetentionPolicy = { whenScaled: 'Keep' }; }, 'spec.persistentVolumeClaimRetentionPolicy.whenScaled: "Keep" is not a supported value (allowed: one of Retain, Delete)'],
    ['a negative ordinals start', (o: KubeObject[]) => { db(o).spec.ordinals = { start: -1 }; }, 'spec.ordinals.start: start is -1 (allowed: a whole number >= 0)'],
    ['a claim template without a name', (o: KubeObject[]) => { db(o).spec.volumeClaimTemplates.push({ metadata: {}, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }); }, 'spec.volumeClaimTemplates[1].metadata.name: the claim template has no name (allowed: a DNS label, the volume name mounts use)'],
    ['a claim template without a spec', (o: KubeObject[]) => { delete db(o).spec.volumeClaimTemplates[0].spec; }, 'spec.volumeClaimTemplates[0].spec: the claim template has no spec (allowed: accessModes and resources.requests.storage)'],
    ['maxFailedIndexes without backoffLimitPerIndex', (o: KubeObject[]) => { job(o).spec.maxFailedIndexes = 1; }, 'spec.backoffLimitPerIndex: maxFailedIndexes is set without backoffLimitPerIndex (allowed: backoffLimitPerIndex when maxFailedIndexes is set)'],
    ['a completionMode outside the enum', (o: KubeObject[]) => { job(o).spec.completionMode = 'Sequential'; delete job(o).spec.completions; }, 'spec.completionMode: "Sequential" is not a supported value (allowed: one of NonIndexed, Indexed)'],
    ['an Indexed Job without completions', (o: KubeObject[]) => { delete job(o).spec.completions; }, 'spec.completions: an Indexed Job has no completions (allowed: completions when completionMode is Indexed)'],
    ['an Indexed Job above 100000 in parallel', (o: KubeObject[]) => { job(o).spec.parallelism = 100001; }, 'spec.parallelism: parallelism 100001 is above 100000 (allowed: at most 100000 when completionMode is Indexed)'],
    ['maxFailedIndexes above completions', (o: KubeObject[]) => { Object.assign(job(o).spec, { backoffLimitPerIndex: 1, maxFailedIndexes: 4 }); }, 'spec.maxFailedIndexes: maxFailedIndexes 4 is above completions 3 (allowed: at most completions)'],
    ['backoffLimitPerIndex on a NonIndexed Job', (o: KubeObject[]) => { Object.assign(job(o).spec, { completionMode: 'NonIndexed', backoffLimitPerIndex: 1 }); }, 'spec.backoffLimitPerIndex: backoffLimitPerIndex requires completionMode Indexed (allowed: completionMode: Indexed, or no backoffLimitPerIndex)'],
    ['podReplacementPolicy TerminatingOrFailed with a podFailurePolicy', (o: KubeObject[]) => { Object.assign(job(o).spec, { podReplacementPolicy: 'TerminatingOrFailed', podFailurePolicy: { rules: [] } }); }, 'spec.podReplacementPolicy: "TerminatingOrFailed" is not a supported value (allowed: one of Failed)'],
    ['a podReplacementPolicy outside the enum', (o: KubeObject[]) => { job(o).spec.podReplacementPolicy = 'Never'; }, 'spec.podReplacementPolicy: "Never" is not a supported value (allowed: one of Failed, TerminatingOrFailed)'],
    ['Job pods with restartPolicy Always', (o: KubeObject[]) => { job(o).spec.template.spec.restartPolicy = 'Always'; }, 'spec.template.spec.restartPolicy: restartPolicy is Always (allowed: OnFailure or Never)'],
    ['Job pods with restartPolicy OnFailure and a podFailurePolicy', (o: KubeObject[]) => { Object.assign(job(o).spec, { podFailurePolicy: { rules: [] } }); job(o).spec.template.spec.restartPolicy = 'OnFailure'; }, 'spec.template.spec.restartPolicy: restartPolicy is OnFailure with a podFailurePolicy (allowed: Never when podFailurePolicy is set)'],
    ['a manual selector that is missing', (o: KubeObject[]) => { job(o).spec.manualSelector = true; }, 'spec.selector: manualSelector is true without a selector (allowed: a selector the template labels satisfy)'],
    ['a Job selector without manualSelector', (o: KubeObject[]) => { job(o).spec.selector = { matchLabels: { 'job-name': 'other' } }; }, 'spec.selector: a selector is set without manualSelector: true, and it does not match the labels the API server generates ("`selector` not auto-generated") (allowed: no selector, or manualSelector: true with it)'],
    ['a Job name longer than a label value', (o: KubeObject[]) => { const j = job(o); j.metadata.name = `m${'i'.repeat(63)}`; j.spec.completionMode = 'NonIndexed'; }, 'metadata.name: Job name "miiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii" is longer than a label value (63 characters) (allowed: at most 63 characters: the name becomes the job-name label of its pods)'],
    ['an Indexed Job whose pod hostnames are too long', (o: KubeObject[]) => { job(o).metadata.name = 'm'.repeat(62); }, 'metadata.name: Indexed Job pods get the hostname "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm-2", which is not a DNS label (allowed: a name for which <name>-<index> is a DNS-1123 label: at most 63 characters of a-z 0-9 -, starting and ending with a-z or 0-9)'],
    ['a CronJob name longer than 52', (o: KubeObject[]) => { cron(o).metadata.name = 'r'.repeat(53); }, 'metadata.name: CronJob name "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr" is longer than 52 characters (allowed: at most 52 characters (Jobs get an 11-character suffix))'],
    ['an empty CronJob schedule', (o: KubeObject[]) => { cron(o).spec.schedule = ''; }, 'spec.schedule: the CronJob has an empty schedule (allowed: five cron fields, e.g. "*/5 * * * *", or a descriptor such as @hourly)'],
    ['a schedule that does not parse', (o: KubeObject[]) => { cron(o).spec.schedule = '* * *'; }, 'spec.schedule: schedule "* * *" does not parse: expected exactly 5 fields, found 3: * * * (allowed: five cron fields (minute 0-59, hour 0-23, day 1-31, month 1-12 or JAN-DEC, weekday 0-6 or SUN-SAT), or @yearly @monthly @weekly @daily @hourly @every <duration>)'],
    ['a time zone in the schedule', (o: KubeObject[]) => { cron(o).spec.schedule = 'TZ=UTC 0 2 * * *'; }, 'spec.schedule: the schedule names a time zone (TZ or CRON_TZ) (allowed: the timeZone field instead)'],
    ['an empty timeZone', (o: KubeObject[]) => { cron(o).spec.timeZone = ''; }, 'spec.timeZone: timeZone is empty (allowed: an IANA time zone name such as Etc/UTC or Europe/Paris)'],
    ['a concurrencyPolicy outside the enum', (o: KubeObject[]) => { cron(o).spec.concurrencyPolicy = 'Never'; }, 'spec.concurrencyPolicy: "Never" is not a supported value (allowed: one of Allow, Forbid, Replace)'],
    ['a Job template with a selector', (o: KubeObject[]) => { cron(o).spec.jobTemplate.spec.selector = { matchLabels: { app: 'report' } }; }, 'spec.jobTemplate.spec.selector: a Job template sets a selector; it is always generated (allowed: no selector)'],
    ['a Job template with manualSelector', (o: KubeObject[]) => { cron(o).spec.jobTemplate.spec.manualSelector = true; }, 'spec.jobTemplate.spec.manualSelector: manualSelector is true in a Job template (allowed: false or unset)'],
    ['a ReplicationController selector that misses the template', (o: KubeObject[]) => { the(o, 'ReplicationController', 'legacy-worker').spec.selector = { app: 'other' }; }, 'spec.template.metadata.labels: selector {"app":"other"} does not match the template labels {"app":"legacy-worker"} (allowed: template labels that satisfy spec.selector)'],
  ])('%s: the finding says where, what, and what is allowed', (_what, breakIt, finding) => {
    expect(breakValid(breakIt, ['api']).map((p) => `${p.path}: ${p.message} (allowed: ${p.allowed})`)).toEqual([finding]);
  });

  test.each([
    ['a Deployment RollingUpdate strategy, progress deadline above minReadySeconds', (o: KubeObject[]) => {
      web(o).spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '0%', maxUnavailable: 1 } };
      Object.assign(web(o).spec, { minReadySeconds: 10, progressDeadlineSeconds: 11 });
    }],
    ['a DaemonSet OnDelete strategy with surge settings left over, and maxUnavailable 0 with a surge', (o: KubeObject[]) => {
      agent(o).spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } };
    }],
    ['a DaemonSet rolling update with only maxUnavailable (maxSurge defaults to 0)', (o: KubeObject[]) => { agent(o).spec.updateStrategy.rollingUpdate = { maxUnavailable: '10%' }; }],
    ['a DaemonSet rolling update with only maxSurge 0 (maxUnavailable defaults to 1)', (o: KubeObject[]) => { agent(o).spec.updateStrategy.rollingUpdate = { maxSurge: 0 }; }],
    ['a StatefulSet Parallel, RollingUpdate with maxUnavailable 1, retention Delete/Retain, ordinals from 0', (o: KubeObject[]) => {
      Object.assign(db(o).spec, {
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
        ordinals: { start: 0 },
      });
    }],
    ['a StatefulSet OrderedReady with OnDelete and rollingUpdate: null', (o: KubeObject[]) => {
      Object.assign(db(o).spec, { podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'OnDelete', rollingUpdate: null }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } });
    }],
    ['an Indexed Job at 100000 in parallel, maxFailedIndexes equal to completions', (o: KubeObject[]) => {
      Object.assign(job(o).spec, { parallelism: 100000, backoffLimitPerIndex: 1, maxFailedIndexes: 3 });
    }],
    ['a NonIndexed Job with podReplacementPolicy TerminatingOrFailed', (o: KubeObject[]) => { Object.assign(job(o).spec, { completionMode: 'NonIndexed', podReplacementPolicy: 'TerminatingOrFailed' }); }],
    ['a podFailurePolicy with restartPolicy Never and podReplacementPolicy Failed', (o: KubeObject[]) => { Object.assign(job(o).spec, { podFailurePolicy: { rules: [] }, podReplacementPolicy: 'Failed' }); }],
    ['a selector of the generated job-name labels with the Job\'s own name', (o: KubeObject[]) => {
      job(o).spec.selector = { matchLabels: { 'batch.kubernetes.io/job-name': 'migrate', 'job-name': 'migrate' } };
    }],
    ['a manual selector the template labels satisfy', (o: KubeObject[]) => {
      Object.assign(job(o).spec, { manualSelector: true, selector: { matchLabels: { app: 'migrate' } } });
      job(o).spec.template.metadata = { labels: { app: 'migrate' } };
    }],
    ['a Job name of 63 characters, NonIndexed', (o: KubeObject[]) => { const j = job(o); j.metadata.name = 'm'.repeat(63); j.spec.completionMode = 'NonIndexed'; }],
    ['an Indexed Job whose last hostname is 63 characters', (o: KubeObject[]) => { job(o).metadata.name = 'm'.repeat(61); }],
    ['a CronJob name of 52 characters, every concurrencyPolicy', (o: KubeObject[]) => {
      cron(o).metadata.name = 'r'.repeat(52);
      the(o, 'CronJob', 'hourly-cleanup').spec.concurrencyPolicy = 'Allow';
    }],
    ['concurrencyPolicy Replace and time zone Etc/UTC', (o: KubeObject[]) => { Object.assign(cron(o).spec, { concurrencyPolicy: 'Replace', timeZone: 'Etc/UTC' }); }],
    ['a CronJob Job template with manualSelector false', (o: KubeObject[]) => { cron(o).spec.jobTemplate.spec.manualSelector = false; }],
  ])('%s passes: the API server accepts it', (_what, change) => {
    expect(breakValid(change, ['api'])).toEqual([]);
  });

  // The rules read the objects as they are (apiRulesOf: null fields reach them, as written).
  test.each([
    ['null fields', (o: KubeObject[]) => {
      web(o).spec.progressDeadlineSeconds = null;
      web(o).spec.template.spec.activeDeadlineSeconds = null;
      db(o).spec.updateStrategy = { type: 'OnDelete', rollingUpdate: null };
      Object.assign(job(o).spec, { activeDeadlineSeconds: null, backoffLimit: null });
      cron(o).spec.timeZone = null;
      cron(o).spec.jobTemplate.spec.selector = null;
    }],
    ['a StatefulSet maxUnavailable of null', (o: KubeObject[]) => { db(o).spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: null } }; }],
    ['workloads without template metadata, selector, strategy or job template', (o: KubeObject[]) => {
      delete the(o, 'Deployment', 'cache').spec.template.metadata;
      delete the(o, 'Deployment', 'cache').spec.selector;
      delete agent(o).spec.updateStrategy;
      delete the(o, 'CronJob', 'hourly-cleanup').spec.jobTemplate;
      delete the(o, 'ReplicationController', 'legacy-worker').spec.selector;
    }],
    ['selector expressions with a null entry', (o: KubeObject[]) => { web(o).spec.selector.matchExpressions = [null]; }],
    ['a schedule that is not a string', (o: KubeObject[]) => { cron(o).spec.schedule = 5; }],
    ['an Indexed Job with 0 completions and a long name', (o: KubeObject[]) => { const j = job(o); j.metadata.name = 'm'.repeat(62); j.spec.completions = 0; }],
    ['a Deployment maxSurge above 100%', (o: KubeObject[]) => { web(o).spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '150%' } }; }],
    ['a Deployment rolling update with only maxUnavailable 0', (o: KubeObject[]) => { web(o).spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } }; }],
    ['a pod volume beside the claim template names', (o: KubeObject[]) => { db(o).spec.template.spec.volumes = [{ name: 'scratch', emptyDir: {} }]; }],
    ['maxFailedIndexes that is not a number', (o: KubeObject[]) => { Object.assign(job(o).spec, { backoffLimitPerIndex: 1, maxFailedIndexes: '5' }); }],
    ['a Job selector on the generated labels', (o: KubeObject[]) => { job(o).spec.selector = { matchLabels: { 'batch.kubernetes.io/job-name': 'migrate' } }; }],
    ['a Job selector on the generated labels with an empty expression list', (o: KubeObject[]) => { job(o).spec.selector = { matchLabels: { 'job-name': 'migrate' }, matchExpressions: [] }; }],
    ['a null pod volume beside claim templates', (o: KubeObject[]) => { db(o).spec.template.spec.volumes = [null]; }],
    ['a null maxFailedIndexes without backoffLimitPerIndex', (o: KubeObject[]) => { job(o).spec.maxFailedIndexes = null; }],
    // The generated selector (controller-uid=<uid> added) still matches the generated labels.
    ['a Job selector with expressions the generated labels satisfy', (o: KubeObject[]) => { job(o).spec.selector = { matchExpressions: [{ key: 'job-name', operator: 'Exists' }] }; }],
  ])('%s: no finding', (_what, change) => {
    expect(apiRulesOf(change).filter((p) => p.object !== 'Job/not-a-batch-job')).toEqual([]);
  });

  test.each([
    ['a claim template with an empty name', (o: KubeObject[]) => { db(o).spec.volumeClaimTemplates[0].metadata.name = ''; db(o).spec.template.spec.containers[0].volumeMounts = []; }, 'spec.volumeClaimTemplates[0].metadata.name: the claim template has no name'],
    ['a claim template name that is not a DNS label', (o: KubeObject[]) => { db(o).spec.volumeClaimTemplates[0].metadata.name = 'Data'; db(o).spec.template.spec.containers[0].volumeMounts[0].name = 'Data'; }, 'spec.volumeClaimTemplates[0].metadata.name: claim template name "Data" is not valid'],
    ['a selector Exists on a label the template lacks', (o: KubeObject[]) => { web(o).spec.selector = { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }; }, 'spec.template.metadata.labels: selector [{"key":"tier","operator":"Exists"}] does not match the template labels {"app":"web"}'],
    ['a selector DoesNotExist on a label the template has', (o: KubeObject[]) => { web(o).spec.selector = { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }; }, 'spec.template.metadata.labels: selector [{"key":"app","operator":"DoesNotExist"}] does not match the template labels {"app":"web"}'],
    ['a null progressDeadlineSeconds with minReadySeconds', (o: KubeObject[]) => { Object.assign(web(o).spec, { progressDeadlineSeconds: null, minReadySeconds: -1 }); }, 'spec.minReadySeconds: minReadySeconds is -1'],
    ['a null Job restartPolicy', (o: KubeObject[]) => { job(o).spec.template.spec.restartPolicy = null; }, 'spec.template.spec.restartPolicy: restartPolicy is unset (Always)'],
    ['an empty Job restartPolicy', (o: KubeObject[]) => { job(o).spec.template.spec.restartPolicy = ''; }, 'spec.template.spec.restartPolicy: "" is not a supported value | spec.template.spec.restartPolicy: restartPolicy is '],
    ['a Job selector with a generated label and another', (o: KubeObject[]) => { job(o).spec.selector = { matchLabels: { 'job-name': 'migrate', app: 'x' } }; }, 'spec.selector: a selector is set without manualSelector: true, and it does not match the labels the API server generates ("`selector` not auto-generated")'],
    ['a Job selector naming another Job', (o: KubeObject[]) => { job(o).spec.selector = { matchLabels: { 'batch.kubernetes.io/job-name': 'other' } }; }, 'spec.selector: a selector is set without manualSelector: true, and it does not match the labels the API server generates ("`selector` not auto-generated")'],
    ['a ReplicationController selector with a label the template lacks', (o: KubeObject[]) => { the(o, 'ReplicationController', 'legacy-worker').spec.selector = { app: 'legacy-worker', tier: 'x' }; }, 'spec.template.metadata.labels: selector {"app":"legacy-worker","tier":"x"} does not match the template labels {"app":"legacy-worker"}'],
    ['a selector In on values the template lacks', (o: KubeObject[]) => { web(o).spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] }; }, 'spec.template.metadata.labels: selector [{"key":"app","operator":"In","values":["api"]}] does not match the template labels {"app":"web"}'],
    ['a selector Exists with values: refused, and not matched against the template', (o: KubeObject[]) => { web(o).spec.selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['x'] }] }; }, 'spec.selector.matchExpressions[0].values: operator Exists has values'],
    ['a time zone that is not a string', (o: KubeObject[]) => { cron(o).spec.timeZone = 5; }, 'spec.timeZone: timeZone is empty'],
    ['a time zone with a .. part', (o: KubeObject[]) => { cron(o).spec.timeZone = 'Europe/../Paris'; }, 'spec.timeZone: unknown time zone Europe/../Paris'],
    ['null and nameless claim template entries', (o: KubeObject[]) => { db(o).spec.volumeClaimTemplates.push(null, { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }); },
      'spec.volumeClaimTemplates[1].metadata.name: the claim template has no name | spec.volumeClaimTemplates[1].spec: the claim template has no spec | spec.volumeClaimTemplates[2].metadata.name: the claim template has no name'],
  ])('%s is reported', (_what, change, expected) => {
    expect(apiRulesOf(change).map((p) => `${p.path}: ${p.message}`).join(' | ')).toBe(expected);
  });

  test('a Job restartPolicy outside the enum is reported by the pod rules and the Job rules', () => {
    expect(apiRulesOf((o) => { job(o).spec.template.spec.restartPolicy = 'Sometimes'; }).map((p) => `${p.path}: ${p.message} (allowed: ${p.allowed})`)).toEqual([
      'spec.template.spec.restartPolicy: "Sometimes" is not a supported value (allowed: one of Always, OnFailure, Never)',
      'spec.template.spec.restartPolicy: "Sometimes" is not a supported value (allowed: one of OnFailure, Never)',
    ]);
  });

  // Each field's finding at its own path (a path names the field to fix).
  test.each([
    ['a negative Deployment progressDeadlineSeconds', (o: KubeObject[]) => { web(o).spec.progressDeadlineSeconds = -1; }, [
      'Deployment/web spec.progressDeadlineSeconds: progressDeadlineSeconds is -1 (allowed: a whole number >= 0)',
      'Deployment/web spec.progressDeadlineSeconds: progressDeadlineSeconds -1 is not greater than minReadySeconds 0 (allowed: more than minReadySeconds)',
    ]],
    ['a negative ReplicaSet minReadySeconds', (o: KubeObject[]) => { the(o, 'ReplicaSet', 'legacy-web').spec.minReadySeconds = -1; }, [
      'ReplicaSet/legacy-web spec.minReadySeconds: minReadySeconds is -1 (allowed: a whole number >= 0)',
    ]],
    ['negative DaemonSet minReadySeconds and revisionHistoryLimit', (o: KubeObject[]) => { Object.assign(agent(o).spec, { minReadySeconds: -1, revisionHistoryLimit: -2 }); }, [
      'DaemonSet/log-agent spec.minReadySeconds: minReadySeconds is -1 (allowed: a whole number >= 0)',
      'DaemonSet/log-agent spec.revisionHistoryLimit: revisionHistoryLimit is -2 (allowed: a whole number >= 0)',
    ]],
    ['DaemonSet rolling update values that are not numbers', (o: KubeObject[]) => { agent(o).spec.updateStrategy.rollingUpdate = { maxUnavailable: 'one', maxSurge: 'two' }; }, [
      'DaemonSet/log-agent spec.updateStrategy.rollingUpdate.maxUnavailable: "one" is not a number or a percentage (allowed: a whole number >= 0, or a percentage such as 25%)',
      'DaemonSet/log-agent spec.updateStrategy.rollingUpdate.maxSurge: "two" is not a number or a percentage (allowed: a whole number >= 0, or a percentage such as 25%)',
      'DaemonSet/log-agent spec.updateStrategy.rollingUpdate.maxUnavailable: maxUnavailable and maxSurge are both 0 (allowed: one of them non-zero)',
    ]],
    ['a StatefulSet maxUnavailable that is not a number', (o: KubeObject[]) => { db(o).spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 'one' } }; }, [
      'StatefulSet/db spec.updateStrategy.rollingUpdate.maxUnavailable: "one" is not a number or a percentage (refused where the MaxUnavailableStatefulSet feature is on; dropped where it is off, as by default) (allowed: a whole number >= 0, or a percentage such as 25%)',
      'StatefulSet/db spec.updateStrategy.rollingUpdate.maxUnavailable: maxUnavailable is 0 (refused where the MaxUnavailableStatefulSet feature is on; dropped where it is off, as by default) (allowed: at least 1 or 1%)',
    ]],
    ['negative StatefulSet replicas and minReadySeconds', (o: KubeObject[]) => { Object.assign(db(o).spec, { replicas: -1, minReadySeconds: -2 }); }, [
      'StatefulSet/db spec.replicas: replicas is -1 (allowed: a whole number >= 0)',
      'StatefulSet/db spec.minReadySeconds: minReadySeconds is -2 (allowed: a whole number >= 0)',
    ]],
    ['negative Job counts', (o: KubeObject[]) => { Object.assign(job(o).spec, { activeDeadlineSeconds: -1, ttlSecondsAfterFinished: -2, backoffLimitPerIndex: -3, maxFailedIndexes: -4 }); }, [
      'Job/migrate spec.activeDeadlineSeconds: activeDeadlineSeconds is -1 (allowed: a whole number >= 0)',
      'Job/migrate spec.ttlSecondsAfterFinished: ttlSecondsAfterFinished is -2 (allowed: a whole number >= 0)',
      'Job/migrate spec.backoffLimitPerIndex: backoffLimitPerIndex is -3 (allowed: a whole number >= 0)',
      'Job/migrate spec.maxFailedIndexes: maxFailedIndexes is -4 (allowed: a whole number >= 0)',
    ]],
    ['per-index limits on a NonIndexed Job', (o: KubeObject[]) => { Object.assign(job(o).spec, { completionMode: 'NonIndexed', backoffLimitPerIndex: 1, maxFailedIndexes: 1 }); }, [
      'Job/migrate spec.backoffLimitPerIndex: backoffLimitPerIndex requires completionMode Indexed (allowed: completionMode: Indexed, or no backoffLimitPerIndex)',
      'Job/migrate spec.maxFailedIndexes: maxFailedIndexes requires completionMode Indexed (allowed: completionMode: Indexed, or no maxFailedIndexes)',
    ]],
    ['a manual Job selector with an invalid key', (o: KubeObject[]) => { Object.assign(job(o).spec, { manualSelector: true, selector: { matchLabels: { 'a b': 'x' } } }); }, [
      'Job/migrate spec.selector.matchLabels.a b: label key "a b" is not a qualified name (allowed: an optional DNS subdomain prefix and "/", then at most 63 characters of A-Z a-z 0-9 - _ ., starting and ending with an alphanumeric)',
      'Job/migrate spec.template.metadata.labels: selector {"a b":"x"} does not match the template labels {} (allowed: template labels that satisfy spec.selector)',
    ]],
    ['a negative CronJob successfulJobsHistoryLimit', (o: KubeObject[]) => { cron(o).spec.successfulJobsHistoryLimit = -1; }, [
      'CronJob/nightly-report spec.successfulJobsHistoryLimit: successfulJobsHistoryLimit is -1 (allowed: a whole number >= 0)',
    ]],
    ['an invalid annotation key on a CronJob\'s Job template', (o: KubeObject[]) => { cron(o).spec.jobTemplate.metadata = { annotations: { 'a b': 'x' } }; }, [
      'CronJob/nightly-report spec.jobTemplate.metadata.annotations.a b: annotation key "a b" is not a qualified name: the CronJob is accepted, but each Job it creates is refused (allowed: an optional DNS subdomain prefix and "/", then at most 63 characters of A-Z a-z 0-9 - _ ., starting and ending with an alphanumeric)',
    ]],
    ['a negative backoffLimit in a CronJob\'s Job template', (o: KubeObject[]) => { cron(o).spec.jobTemplate.spec.backoffLimit = -1; }, [
      'CronJob/nightly-report spec.jobTemplate.spec.backoffLimit: backoffLimit is -1 (allowed: a whole number >= 0)',
    ]],
    ['negative ReplicationController replicas and an invalid selector key', (o: KubeObject[]) => { Object.assign(the(o, 'ReplicationController', 'legacy-worker').spec, { replicas: -1, selector: { 'a b': 'x' } }); }, [
      'ReplicationController/legacy-worker spec.replicas: replicas is -1 (allowed: a whole number >= 0)',
      'ReplicationController/legacy-worker spec.selector.a b: label key "a b" is not a qualified name (allowed: an optional DNS subdomain prefix and "/", then at most 63 characters of A-Z a-z 0-9 - _ ., starting and ending with an alphanumeric)',
      'ReplicationController/legacy-worker spec.template.metadata.labels: selector {"a b":"x"} does not match the template labels {"app":"legacy-worker"} (allowed: template labels that satisfy spec.selector)',
    ]],
  ])('%s', (_what, change, expected) => {
    expect(apiRulesOf(change).map((p) => `${p.object} ${p.path}: ${p.message} (allowed: ${p.allowed})`)).toEqual(expected);
  });
});

// What the real API server (1.34) showed the rules had wrong (test/validate/differential.test.ts).
describe('workload rules as the API server applies them', () => {
  const rc = (o: KubeObject[]) => the(o, 'ReplicationController', 'legacy-worker');
  const found = (change: (o: KubeObject[]) => void) => apiRulesOf(change).map((p) => `${p.object} ${p.path}: ${p.message}${p.severity ? ` [${p.severity}]` : ''}`);

  // Accepted by the API server; a controller or an off-by-default feature changes them: warnings.
  test.each([
    // apps: maxUnavailable is dropped while MaxUnavailableStatefulSet is off (alpha in 1.34).
    ['a StatefulSet maxUnavailable of 0', (o: KubeObject[]) => { db(o).spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } }; }, 'StatefulSet/db spec.updateStrategy.rollingUpdate.maxUnavailable: maxUnavailable is 0 (refused where the MaxUnavailableStatefulSet feature is on; dropped where it is off, as by default) [warning]'],
    ['a StatefulSet maxUnavailable of 0%', (o: KubeObject[]) => { db(o).spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0%' } }; }, 'StatefulSet/db spec.updateStrategy.rollingUpdate.maxUnavailable: maxUnavailable is 0 (refused where the MaxUnavailableStatefulSet feature is on; dropped where it is off, as by default) [warning]'],
    // The StatefulSet controller replaces the pod volume of a claim template's name (updateStorage).
    ['a claim template named like a pod volume', (o: KubeObject[]) => { db(o).spec.template.spec.volumes = [{ name: 'data', emptyDir: {} }]; }, 'StatefulSet/db spec.volumeClaimTemplates[0].metadata.name: claim template "data" has the name of a pod volume, which the controller replaces with the claim [warning]'],
    ['a claim template named like the second pod volume', (o: KubeObject[]) => { db(o).spec.template.spec.volumes = [{ name: 'scratch', emptyDir: {} }, { name: 'data', emptyDir: {} }]; }, 'StatefulSet/db spec.volumeClaimTemplates[0].metadata.name: claim template "data" has the name of a pod volume, which the controller replaces with the claim [warning]'],
    ['a claim template defined twice', (o: KubeObject[]) => { db(o).spec.volumeClaimTemplates.push(structuredClone(db(o).spec.volumeClaimTemplates[0])); }, 'StatefulSet/db spec.volumeClaimTemplates[1].metadata.name: claim template "data" is defined twice: the controller uses the last one [warning]'],
    // batch ValidateJobTemplateSpec judges the Job spec only.
    ['an invalid Job template label', (o: KubeObject[]) => { cron(o).spec.jobTemplate.metadata = { labels: { 'a b': 'x' } }; }, 'CronJob/nightly-report spec.jobTemplate.metadata.labels.a b: label key "a b" is not a qualified name: the CronJob is accepted, but each Job it creates is refused [warning]'],
  ])('%s is a warning', (_what, change, expected) => {
    expect(found(change)).toEqual([expected]);
  });

  test.each([
    ['workloads without a pod template', (o: KubeObject[]) => {
      delete the(o, 'ReplicaSet', 'legacy-web').spec.template;
      delete job(o).spec.template;
      delete cron(o).spec.jobTemplate.spec;
    }, [
      'Job/migrate spec.template.spec.containers: the pod has no containers',
      'Job/migrate spec.template.spec.restartPolicy: restartPolicy is unset (Always)',
      'CronJob/nightly-report spec.jobTemplate.spec.template.spec.containers: the pod has no containers',
      'ReplicaSet/legacy-web spec.template.spec.containers: the pod has no containers',
      'ReplicaSet/legacy-web spec.template.metadata.labels: selector [{"key":"app","operator":"In","values":["legacy-web"]}] does not match the template labels {}',
    ]],
    ['a Job and a CronJob without metadata', (o: KubeObject[]) => {
      const j = job(o);
      delete j.metadata;
      j.spec.completionMode = 'NonIndexed';
      delete the(o, 'CronJob', 'hourly-cleanup').metadata;
    }, [
      'Job/<no name> metadata.name: the object has no metadata, so no name',
      'CronJob/<no name> metadata.name: the object has no metadata, so no name',
    ]],
    ['a Deployment, a CronJob and a ReplicaSet without a spec', (o: KubeObject[]) => { delete web(o).spec; delete cron(o).spec; delete the(o, 'ReplicaSet', 'legacy-web').spec; }, [
      'Deployment/web spec.template.spec.containers: the pod has no containers',
      'Deployment/web spec.selector: the Deployment has no spec, so no selector',
      'CronJob/nightly-report spec.schedule: the CronJob has no spec, so no schedule',
      'ReplicaSet/legacy-web spec.template.spec.containers: the pod has no containers',
      'ReplicaSet/legacy-web spec.selector: the ReplicaSet has no spec, so no selector',
    ]],
    // A bare Pod's spec is its own (TEMPLATE_AT): without one, its containers are missing at spec.containers.
    ['a Pod without a spec', (o: KubeObject[]) => { delete the(o, 'Pod', 'debug').spec; }, [
      'Pod/debug spec.containers: the pod has no containers',
    ]],
    // The generated selector holds controller-uid=<the new Job's uid>, which no manifest knows.
    ['a selector of the generated labels with an empty uid', (o: KubeObject[]) => { job(o).spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': '', 'batch.kubernetes.io/job-name': 'migrate' } }; }, [
      'Job/migrate spec.selector: a selector is set without manualSelector: true, and it does not match the labels the API server generates ("`selector` not auto-generated")',
    ]],
    ['a selector of the generated labels with a uid of its own', (o: KubeObject[]) => { job(o).spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u', 'batch.kubernetes.io/job-name': 'migrate' } }; }, [
      'Job/migrate spec.selector: a selector is set without manualSelector: true, and it does not match the labels the API server generates ("`selector` not auto-generated")',
    ]],
    // core ValidateReplicationControllerSpec: a template is required, and a selector (defaulted from the template's labels).
    ['a ReplicationController without a selector or template labels', (o: KubeObject[]) => { delete rc(o).spec.selector; delete rc(o).spec.template.metadata; }, [
      'ReplicationController/legacy-worker spec.selector: the ReplicationController has neither a selector nor template labels to default it from',
    ]],
    ['a ReplicationController without a template', (o: KubeObject[]) => { delete rc(o).spec.template; }, [
      'ReplicationController/legacy-worker spec.template: the ReplicationController has no pod template',
    ]],
  ])('%s is refused', (_what, change, expected) => {
    // In any order: the fixtures' file order is not what is tested.
    expect(found(change).sort()).toEqual([...expected].sort());
  });

  test('a ReplicationController without a selector takes its template\'s labels', () => {
    expect(found((o) => { delete rc(o).spec.selector; })).toEqual([]);
  });
});

// Go's time.LoadLocation reads the tz database by exact name: the real server refuses
// europe/paris (test/validate/differential.test.ts), which Intl would accept.
test.each([
  ['europe/paris', ['spec.timeZone: unknown time zone europe/paris']],
  ['utc', ['spec.timeZone: unknown time zone utc']],
  ['Europe/Paris', []],
  ['US/Eastern', []],
  ['Etc/GMT+5', []],
])('a CronJob timeZone of %s', (zone, expected) => {
  expect(apiRulesOf((o) => { cron(o).spec.timeZone = zone; }).map((p) => `${p.path}: ${p.message}`)).toEqual(expected);
});

// More of batch and apps validation, found missing by the differential suite.
describe('Job and StatefulSet fields the real API server judges', () => {
  const found = (change: (o: KubeObject[]) => void) => apiRulesOf(change).map((p) => `${p.path}: ${p.message}`);
  const failure = (rules: KubeObject[]) => (o: KubeObject[]) => { Object.assign(job(o).spec, { podFailurePolicy: { rules } }); job(o).spec.template.spec.restartPolicy = 'Never'; };
  test.each([
    ['an onPodConditions status outside the enum', failure([{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'Maybe' }] }]), ['spec.podFailurePolicy.rules[0].onPodConditions[0].status: "Maybe" is not a supported value']],
    ['a rule with neither onExitCodes nor onPodConditions', failure([{ action: 'Ignore' }]), ['spec.podFailurePolicy.rules[0]: the rule has neither onExitCodes nor onPodConditions']],
    ['exit code 0 with In, a code twice, out of order', failure([{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0, 3, 3, 2] } }]), [
      'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: exit code 0 with operator In',
      'spec.podFailurePolicy.rules[0].onExitCodes.values[2]: exit code 3 is listed twice',
      'spec.podFailurePolicy.rules[0].onExitCodes.values: the exit codes are not in order',
    ]],
    ['FailIndex without backoffLimitPerIndex', failure([{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }]), ['spec.podFailurePolicy.rules[0].action: action FailIndex without backoffLimitPerIndex']],
    ['a containerName the template lacks', failure([{ action: 'Count', onExitCodes: { operator: 'NotIn', values: [0], containerName: 'ghost' } }]), ['spec.podFailurePolicy.rules[0].onExitCodes.containerName: no container "ghost" in the pod template']],
    ['succeededIndexes past completions', (o: KubeObject[]) => { job(o).spec.successPolicy = { rules: [{ succeededIndexes: '5' }] }; }, ['spec.successPolicy.rules[0].succeededIndexes: succeededIndexes "5": too large index: "5"']],
    ['succeededIndexes out of order', (o: KubeObject[]) => { job(o).spec.successPolicy = { rules: [{ succeededIndexes: '1,0' }] }; }, ['spec.successPolicy.rules[0].succeededIndexes: succeededIndexes "1,0": the indexes are not in order, or overlap']],
    ['a success rule with nothing', (o: KubeObject[]) => { job(o).spec.successPolicy = { rules: [{}] }; }, ['spec.successPolicy.rules[0]: the rule has neither succeededIndexes nor succeededCount']],
    ['a managedBy that is no domain-prefixed path', (o: KubeObject[]) => { job(o).spec.managedBy = 'Bad Manager'; }, ['spec.managedBy: managedBy "Bad Manager" is not a domain-prefixed path']],
    ['a StatefulSet serviceName that is no DNS label', (o: KubeObject[]) => { db(o).spec.serviceName = 'Bad_Name'; }, ['spec.serviceName: serviceName "Bad_Name" is not valid']],
  ])('%s is refused', (_what, change, expected) => {
    expect(found(change)).toEqual(expected);
  });

  test.each([
    ['a status left out (the server defaults it to True)', failure([{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }])],
    ['exit codes NotIn 0, in order', failure([{ action: 'Count', onExitCodes: { operator: 'NotIn', values: [0, 1, 2] } }])],
    ['succeededIndexes of a range and a count within it', (o: KubeObject[]) => { job(o).spec.successPolicy = { rules: [{ succeededIndexes: '0-1', succeededCount: 2 }] }; }],
    ['managedBy the Job controller', (o: KubeObject[]) => { job(o).spec.managedBy = 'kubernetes.io/job-controller'; }],
  ])('%s is accepted', (_what, change) => {
    expect(found(change)).toEqual([]);
  });
});

// Each finding in full (object, path, message, allowed), and the inputs that must pass: the
// details mutation testing found unasserted.
describe('workload findings in full', () => {
  const full = (change: (o: KubeObject[]) => void) => apiRulesOf(change).map((p) => `${p.object} ${p.path}: ${p.message} (allowed: ${p.allowed})`);
  const rc = (o: KubeObject[]) => the(o, 'ReplicationController', 'legacy-worker');
  const failure = (rules: unknown[], spec: KubeObject = {}) => (o: KubeObject[]) => { Object.assign(job(o).spec, { podFailurePolicy: { rules } }, spec); };
  const success = (rules: unknown[], spec: KubeObject = {}) => (o: KubeObject[]) => { Object.assign(job(o).spec, { successPolicy: { rules } }, spec); };
  // An init container beside the Job's container, as restricted as it.
  const withInit = (o: KubeObject[]) => { const pod = job(o).spec.template.spec; pod.initContainers = [{ ...structuredClone(pod.containers[0]), name: 'wait' }]; };
  const P = 'Job/migrate spec.podFailurePolicy.rules[0]';
  const S = 'Job/migrate spec.successPolicy.rules[0]';

  test.each([
    ['a Deployment without a spec', (o: KubeObject[]) => { delete web(o).spec; }, [
      'Deployment/web spec.template.spec.containers: the pod has no containers (allowed: at least one container)',
      'Deployment/web spec.selector: the Deployment has no spec, so no selector (allowed: a spec with a selector that the template labels satisfy)',
    ]],
    ['a CronJob without a spec', (o: KubeObject[]) => { delete cron(o).spec; }, [
      'CronJob/nightly-report spec.schedule: the CronJob has no spec, so no schedule (allowed: a spec with a schedule and a jobTemplate)',
    ]],
    // The zero-value pod spec keeps the template's labels: the selector still matches them.
    ['a Deployment template with labels and no pod spec', (o: KubeObject[]) => { delete web(o).spec.template.spec; }, [
      'Deployment/web spec.template.spec.containers: the pod has no containers (allowed: at least one container)',
    ]],
    ['a StatefulSet claim template defined twice', (o: KubeObject[]) => { db(o).spec.volumeClaimTemplates.push(structuredClone(db(o).spec.volumeClaimTemplates[0])); }, [
      'StatefulSet/db spec.volumeClaimTemplates[1].metadata.name: claim template "data" is defined twice: the controller uses the last one (allowed: unique claim template names)',
    ]],
    ['a StatefulSet claim template named like a pod volume', (o: KubeObject[]) => { db(o).spec.template.spec.volumes = [{ name: 'data', emptyDir: {} }]; }, [
      'StatefulSet/db spec.volumeClaimTemplates[0].metadata.name: claim template "data" has the name of a pod volume, which the controller replaces with the claim (allowed: a name no pod volume has)',
    ]],
    // Only named claim templates become volumes a mount may name.
    ['a mount of an unknown volume beside a nameless claim template', (o: KubeObject[]) => {
      db(o).spec.volumeClaimTemplates.push({ metadata: {}, spec: structuredClone(db(o).spec.volumeClaimTemplates[0].spec) });
      db(o).spec.template.spec.containers[0].volumeMounts[0].name = 'datta';
    }, [
      'StatefulSet/db spec.template.spec.containers[0].volumeMounts[0].name: mounts volume "datta", which the pod does not have (allowed: a volume of the pod: data)',
      'StatefulSet/db spec.volumeClaimTemplates[1].metadata.name: the claim template has no name (allowed: a DNS label, the volume name mounts use)',
    ]],
    ['a ReplicationController without a template', (o: KubeObject[]) => { delete rc(o).spec.template; }, [
      'ReplicationController/legacy-worker spec.template: the ReplicationController has no pod template (allowed: a template with labels and a pod spec)',
    ]],
    // Without metadata the Job has no name: the generated job-name labels are empty, and the
    // selector of them matches (only the missing name is reported).
    ['a Job without metadata, selecting the empty generated job-name labels', (o: KubeObject[]) => {
      const j = job(o);
      delete j.metadata;
      Object.assign(j.spec, { completionMode: 'NonIndexed', selector: { matchLabels: { 'job-name': '', 'batch.kubernetes.io/job-name': '' } } });
    }, [
      'Job/<no name> metadata.name: the object has no metadata, so no name (allowed: metadata with a name: a DNS subdomain)',
    ]],
    // An empty selector map is defaulted from the template's labels, as a missing one is.
    ['a ReplicationController with an empty selector and no template labels', (o: KubeObject[]) => { rc(o).spec.selector = {}; delete rc(o).spec.template.metadata; }, [
      'ReplicationController/legacy-worker spec.selector: the ReplicationController has neither a selector nor template labels to default it from (allowed: a selector, or template labels (the selector defaults to them))',
    ]],
    ['a CronJob timeZone that differs from a zone in case alone', (o: KubeObject[]) => { cron(o).spec.timeZone = 'europe/paris'; }, [
      'CronJob/nightly-report spec.timeZone: unknown time zone europe/paris (allowed: an IANA time zone name such as Etc/UTC or Europe/Paris (names are case-sensitive: Europe/Paris))',
    ]],
    ['a managedBy over 63 characters', (o: KubeObject[]) => { job(o).spec.managedBy = `example.com/${'q'.repeat(52)}`; }, [
      `Job/migrate spec.managedBy: managedBy "example.com/${'q'.repeat(52)}" is not a domain-prefixed path (allowed: at most 63 characters: a DNS subdomain, "/", and a path, e.g. kueue.x-k8s.io/multikueue)`,
    ]],
    // batch validatePodFailurePolicyRule
    ['a FailIndex rule with a null backoffLimitPerIndex', failure([{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }], { backoffLimitPerIndex: null }), [
      `${P}.action: action FailIndex without backoffLimitPerIndex (allowed: backoffLimitPerIndex set, or another action)`,
    ]],
    ['a rule action outside the enum', failure([{ action: 'Explode', onExitCodes: { operator: 'In', values: [1] } }]), [
      `${P}.action: "Explode" is not a supported value (allowed: one of FailJob, FailIndex, Ignore, Count)`,
    ]],
    ['a rule with both onExitCodes and onPodConditions', failure([{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] }, onPodConditions: [{ type: 'DisruptionTarget' }] }]), [
      `${P}: the rule has both onExitCodes and onPodConditions (allowed: one of onExitCodes or onPodConditions)`,
    ]],
    ['a rule with neither onExitCodes nor onPodConditions', failure([{ action: 'Ignore' }]), [
      `${P}: the rule has neither onExitCodes nor onPodConditions (allowed: one of onExitCodes or onPodConditions)`,
    ]],
    ['an onExitCodes operator outside the enum', failure([{ action: 'Ignore', onExitCodes: { operator: 'Maybe', values: [1] } }]), [
      `${P}.onExitCodes.operator: "Maybe" is not a supported value (allowed: one of In, NotIn)`,
    ]],
    ['a containerName the template lacks', (o: KubeObject[]) => { withInit(o); failure([{ action: 'Count', onExitCodes: { operator: 'NotIn', values: [0], containerName: 'ghost' } }])(o); }, [
      `${P}.onExitCodes.containerName: no container "ghost" in the pod template (allowed: one of wait, migrate)`,
    ]],
    ['a containerName beside a pod without init containers', failure([{ action: 'Count', onExitCodes: { operator: 'NotIn', values: [0], containerName: 'ghost' } }]), [
      `${P}.onExitCodes.containerName: no container "ghost" in the pod template (allowed: one of migrate)`,
    ]],
    ['onExitCodes without values', failure([{ action: 'FailJob', onExitCodes: { operator: 'In' } }]), [
      `${P}.onExitCodes.values: no exit codes (allowed: at least one exit code)`,
    ]],
    ['exit code 0 with In, a code twice, out of order', failure([{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0, 3, 3, 2] } }]), [
      `${P}.onExitCodes.values[0]: exit code 0 with operator In (allowed: non-zero exit codes (0 is success))`,
      `${P}.onExitCodes.values[2]: exit code 3 is listed twice (allowed: each exit code once)`,
      `${P}.onExitCodes.values: the exit codes are not in order (allowed: exit codes in ascending order)`,
    ]],
    // A code listed twice is in order: only the duplicate is reported.
    ['an exit code twice in a row', failure([{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1, 1] } }]), [
      `${P}.onExitCodes.values[1]: exit code 1 is listed twice (allowed: each exit code once)`,
    ]],
    // batch validateSuccessPolicy / validateSuccessPolicyRule / validateIndexesFormat
    ['a success rule of null fields', success([{ succeededIndexes: null, succeededCount: null }]), [
      `${S}: the rule has neither succeededIndexes nor succeededCount (allowed: succeededIndexes, succeededCount, or both)`,
    ]],
    ['succeededIndexes past completions', success([{ succeededIndexes: '5' }]), [
      `${S}.succeededIndexes: succeededIndexes "5": too large index: "5" (allowed: comma-separated indexes and ranges from 0 to 2, in order, e.g. 0,2-4)`,
    ]],
    ['succeededCount above completions', success([{ succeededCount: 4 }]), [
      `${S}.succeededCount: succeededCount 4 is above completions 3 (allowed: at most completions)`,
    ]],
    ['succeededIndexes that are no indexes', success([{ succeededIndexes: 'x1' }, { succeededIndexes: '1x' }]), [
      `${S}.succeededIndexes: succeededIndexes "x1": "x1" is not an index or a range (allowed: comma-separated indexes and ranges from 0 to 2, in order, e.g. 0,2-4)`,
      'Job/migrate spec.successPolicy.rules[1].succeededIndexes: succeededIndexes "1x": "1x" is not an index or a range (allowed: comma-separated indexes and ranges from 0 to 2, in order, e.g. 0,2-4)',
    ]],
    ['succeededIndexes ranges that end or start past completions', success([{ succeededIndexes: '1-3' }, { succeededIndexes: '3-1' }]), [
      `${S}.succeededIndexes: succeededIndexes "1-3": too large index: "1-3" (allowed: comma-separated indexes and ranges from 0 to 2, in order, e.g. 0,2-4)`,
      'Job/migrate spec.successPolicy.rules[1].succeededIndexes: succeededIndexes "3-1": too large index: "3-1" (allowed: comma-separated indexes and ranges from 0 to 2, in order, e.g. 0,2-4)',
    ]],
    // parseIndexInterval: a range's end must be above its start ("non-increasing order").
    ['succeededIndexes ranges backwards, or of one index', success([{ succeededIndexes: '2-1' }, { succeededIndexes: '1-1' }]), [
      `${S}.succeededIndexes: succeededIndexes "2-1": "2-1" is not a range upwards (allowed: comma-separated indexes and ranges from 0 to 2, in order, e.g. 0,2-4)`,
      'Job/migrate spec.successPolicy.rules[1].succeededIndexes: succeededIndexes "1-1": "1-1" is not a range upwards (allowed: comma-separated indexes and ranges from 0 to 2, in order, e.g. 0,2-4)',
    ]],
    ['succeededIndexes ranges that overlap', success([{ succeededIndexes: '0-1,1-2' }]), [
      `${S}.succeededIndexes: succeededIndexes "0-1,1-2": the indexes are not in order, or overlap (allowed: comma-separated indexes and ranges from 0 to 2, in order, e.g. 0,2-4)`,
    ]],
    // validateJobSpec: "requires indexed completion mode" (the rules are not judged then).
    ['a successPolicy on a NonIndexed Job', success([{ succeededIndexes: '9' }], { completionMode: 'NonIndexed' }), [
      'Job/migrate spec.successPolicy: successPolicy requires completionMode Indexed (allowed: completionMode: Indexed, or no successPolicy)',
    ]],
    ['a successPolicy on a Job without completionMode (NonIndexed)', success([{ succeededCount: 1 }], { completionMode: undefined }), [
      'Job/migrate spec.successPolicy: successPolicy requires completionMode Indexed (allowed: completionMode: Indexed, or no successPolicy)',
    ]],
    ['a successPolicy without rules', success([]), [
      'Job/migrate spec.successPolicy.rules: the successPolicy has no rules (allowed: at least one rule)',
    ]],
    // Without completions the indexes are not judged: the missing completions are the finding.
    ['succeededIndexes of an Indexed Job without completions', success([{ succeededIndexes: '1,0' }], { completions: undefined }), [
      'Job/migrate spec.completions: an Indexed Job has no completions (allowed: completions when completionMode is Indexed)',
    ]],
  ])('%s', (_what, change, expected) => {
    expect(full(change)).toEqual(expected);
  });

  // apimachinery IsDomainPrefixedPath: a DNS subdomain, "/", then at least one path character.
  test.each([
    ['a host that is no DNS subdomain', 'Bad_Host/queue'],
    ['no slash', 'example.com'],
    ['an empty path', 'example.com/'],
    ['a space in the path', 'example.com/a b'],
    ['a space at the start of the path', 'example.com/ ab'],
  ])('a managedBy with %s is refused', (_what, managedBy) => {
    expect(full((o) => { job(o).spec.managedBy = managedBy; })).toEqual([
      `Job/migrate spec.managedBy: managedBy "${managedBy}" is not a domain-prefixed path (allowed: at most 63 characters: a DNS subdomain, "/", and a path, e.g. kueue.x-k8s.io/multikueue)`,
    ]);
  });

  // Go's time.LoadLocation reads tz database files; Intl also takes UTC offsets, which name none.
  test.each(['+05', '+0530', '-05', 'Etc/-05'])('a CronJob timeZone of %s is unknown', (zone) => {
    expect(full((o) => { cron(o).spec.timeZone = zone; })).toEqual([
      `CronJob/nightly-report spec.timeZone: unknown time zone ${zone} (allowed: an IANA time zone name such as Etc/UTC or Europe/Paris)`,
    ]);
  });

  test.each([
    ['a managedBy of 63 characters', (o: KubeObject[]) => { job(o).spec.managedBy = `example.com/${'q'.repeat(51)}`; }],
    ['a StatefulSet with an empty serviceName (it is optional)', (o: KubeObject[]) => { db(o).spec.serviceName = ''; }],
    // The server names it from generateName before validation: no hostname is judged here.
    ['an Indexed Job with an empty name and a generateName', (o: KubeObject[]) => { const j = job(o); j.metadata.name = ''; j.metadata.generateName = 'migrate-'; }],
    ['a FailIndex rule with backoffLimitPerIndex', failure([{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }], { backoffLimitPerIndex: 1 })],
    ['containerNames of the init container and of the container', (o: KubeObject[]) => {
      withInit(o);
      failure([{ action: 'Count', onExitCodes: { operator: 'NotIn', values: [0], containerName: 'wait' } }, { action: 'Count', onExitCodes: { operator: 'NotIn', values: [0], containerName: 'migrate' } }])(o);
    }],
    // A null container names nothing (the schema refuses it; the rules read past it).
    ['a containerName beside a null init container', (o: KubeObject[]) => {
      job(o).spec.template.spec.initContainers = [null];
      failure([{ action: 'Count', onExitCodes: { operator: 'NotIn', values: [0], containerName: 'migrate' } }])(o);
    }],
    ['a null rule', failure([null])],
    // Exit codes that are not numbers are the schema's to refuse; their order is not judged.
    ['exit codes that are not all numbers', failure([{ action: 'Count', onExitCodes: { operator: 'NotIn', values: ['5', 3, 7, '6'] } }])],
    // SetDefaults_PodFailurePolicyOnPodConditionsPattern: an empty status becomes True.
    ['an empty onPodConditions status', failure([{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: '' }] }])],
    ['onPodConditions statuses True, False and Unknown', failure([{ action: 'Ignore', onPodConditions: [{ type: 'A', status: 'True' }, { type: 'B', status: 'False' }, { type: 'C', status: 'Unknown' }] }])],
    ['a null onPodConditions pattern', failure([{ action: 'Ignore', onPodConditions: [null] }])],
    ['a success rule of succeededCount alone', success([{ succeededCount: 1 }])],
    ['a succeededCount equal to completions', success([{ succeededCount: 3 }])],
    ['a succeededCount that is not a number (the schema\'s finding)', success([{ succeededCount: '5' }])],
    ['a null success rule', success([null])],
    // validateIndexesFormat: an empty text is no index, and accepted.
    ['empty succeededIndexes', success([{ succeededIndexes: '' }])],
    ['succeededIndexes of numbers of two digits', success([{ succeededIndexes: '2,10-12' }], { completions: 20 })],
    // SetDefaults_Job: without completions and parallelism, both are 1.
    ['an Indexed Job without completions or parallelism', (o: KubeObject[]) => { delete job(o).spec.completions; delete job(o).spec.parallelism; }],
  ])('%s: no finding', (_what, change) => {
    expect(full(change).filter((p) => !p.startsWith('Job/not-a-batch-job'))).toEqual([]);
  });

  test('a CronJob Job template is not defaulted: Indexed without completions is refused', () => {
    expect(full((o) => { Object.assign(cron(o).spec.jobTemplate.spec, { completionMode: 'Indexed' }); })).toEqual([
      'CronJob/nightly-report spec.jobTemplate.spec.completions: an Indexed Job has no completions (allowed: completions when completionMode is Indexed)',
    ]);
  });
});

// batch SetDefaults_Job: completions and parallelism unset (null too) become 1; the rest of the
// spec is judged as written (kube-apiserver 1.34.2: an Indexed Job of null completions and
// parallelism is accepted, a backoffLimit of -1 refused).
describe('a Job whose completions and parallelism the server defaults', () => {
  const job = (spec: KubeObject): KubeObject => ({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'shop' },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.37.0' }] } } },
  });
  const found = (object: KubeObject) => checkApiRules(object).map((p) => `${p.path}: ${p.message}`);

  test('null completions and parallelism of an Indexed Job are unset: no finding', () => {
    expect(found(job({ completionMode: 'Indexed', completions: null, parallelism: null }))).toEqual([]);
  });

  test('the rest of the spec is still judged', () => {
    expect(found(job({ backoffLimit: -1 }))).toEqual(['spec.backoffLimit: backoffLimit is -1']);
  });
});
