import { isDnsLabel, isDnsSubdomain, isLabelValue } from '../names';
import { matchesSelector } from '../network';
import { isObject, podTemplate, PodTemplate } from '../pods';
import { KubeObject } from '../problem';
import {
  Add, checkEnum, checkIntOrPercent, checkLabels, checkLabelSelector, intOrPercentValue, isEmptySelector, isInt, LABEL_RULE, nonNegative, show,
} from './common';
import { cronScheduleProblem } from './cron';
import { checkAnnotations } from './metadata';
import { checkPodTemplate } from './pod';
import { checkBarePod } from './pod-fields';
import { checkClaimSpec } from './storage';

/**
 * The workload kinds: k8s.io/kubernetes pkg/apis/apps/validation (Deployment, ReplicaSet,
 * DaemonSet, StatefulSet) and pkg/apis/batch/validation (Job, CronJob), and core ValidatePod.
 */

const TEMPLATE_AT: Readonly<Record<string, readonly string[]>> = {
  Pod: [], CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

// A workload without a pod template (or without a spec) is judged as the API server judges it:
// its template is the zero value, whose pod spec has no containers ("spec.template.spec.containers:
// Required value"). A ReplicationController's template is optional in Go (a pointer) and
// reported missing on its own (checkReplicationController).
function template(object: KubeObject): PodTemplate | undefined {
  const found = podTemplate(object);
  if (found || (object.kind === 'ReplicationController' && !isObject(object.spec?.template))) return found;
  const at = TEMPLATE_AT[object.kind] ?? ['spec', 'template'];
  let node: unknown = object;
  for (const key of at) node = isObject(node) ? node[key] : undefined;
  const labels = isObject(node) && isObject(node.metadata) && isObject(node.metadata.labels) ? node.metadata.labels : {};
  return { labels, spec: {}, specPath: [...at, 'spec'] };
}

function templateMeta(object: KubeObject, t: PodTemplate): KubeObject | undefined {
  let node: unknown = object;
  for (const key of t.specPath.slice(0, -1)) node = isObject(node) ? node[key] : undefined;
  return isObject(node) && isObject(node.metadata) ? node.metadata : undefined;
}

function checkTemplate(object: KubeObject, add: Add, addedVolumes: readonly string[] = []): PodTemplate | undefined {
  const t = template(object);
  if (!t) return undefined;
  checkPodTemplate(t, add, { addedVolumes });
  const meta = templateMeta(object, t);
  if (meta) checkAnnotations(meta.annotations, `${t.specPath.slice(0, -1).join('.')}.metadata.annotations`, add);
  return t;
}

// apps ValidateDeploymentSpec / ValidateReplicaSetSpec / ValidateStatefulSetSpec /
// ValidateDaemonSetSpec: a selector is required, non-empty, valid, and matches the template's
// labels (ValidatePodTemplateSpecForReplicaSet: "`selector` does not match template `labels`").
function checkWorkloadSelector(object: KubeObject, t: PodTemplate | undefined, add: Add): void {
  const selector = object.spec?.selector;
  if (!isObject(selector)) {
    // Required in apps/v1: the schema's finding, unless the whole spec is missing (the schema lets
    // a spec be left out; the API server then finds no selector).
    if (!isObject(object.spec)) add('spec.selector', `the ${object.kind} has no spec, so no selector`, 'a spec with a selector that the template labels satisfy');
    return;
  }
  checkLabelSelector(selector, 'spec.selector', add);
  if (isEmptySelector(selector)) add('spec.selector', `an empty selector is invalid for ${object.kind}`, 'matchLabels (or matchExpressions) that the template labels satisfy');
  else if (t && selectorParses(selector) && !matchesSelector(selector as any, t.labels)) {
    add(`${t.specPath.slice(0, -1).join('.')}.metadata.labels`, `selector ${show(selector.matchLabels ?? selector.matchExpressions)} does not match the template labels ${show(t.labels)}`, 'template labels that satisfy spec.selector');
  }
}

// metav1 LabelSelectorAsSelector refuses unknown operators: no label match is judged then.
function selectorParses(selector: KubeObject): boolean {
  return (Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []).every((e: KubeObject) => {
    const values = Array.isArray(e?.values) ? e.values.length : 0;
    return ['In', 'NotIn'].includes(e?.operator) ? values > 0 : ['Exists', 'DoesNotExist'].includes(e?.operator) && values === 0;
  });
}

// apps: controllers that keep pods running accept only restartPolicy Always and no
// activeDeadlineSeconds (ValidatePodTemplateSpecForReplicaSet, ValidateStatefulSetSpec, ValidateDaemonSetSpec).
function checkKeepsRunning(object: KubeObject, t: PodTemplate | undefined, add: Add): void {
  if (!t) return;
  const at = t.specPath.join('.');
  // A value outside the enum is already refused by the pod rules.
  if (t.spec.restartPolicy === 'OnFailure' || t.spec.restartPolicy === 'Never') {
    add(`${at}.restartPolicy`, `restartPolicy is ${t.spec.restartPolicy}`, `Always (the only value a ${object.kind} accepts)`);
  }
  if (t.spec.activeDeadlineSeconds !== undefined && t.spec.activeDeadlineSeconds !== null) {
    add(`${at}.activeDeadlineSeconds`, `activeDeadlineSeconds in a ${object.kind} is not supported`, 'no activeDeadlineSeconds');
  }
}

export function checkDeployment(object: KubeObject, add: Add): void {
  const spec: KubeObject = isObject(object.spec) ? object.spec : {}; // a missing spec is the zero value
  const t = checkTemplate(object, add);
  nonNegative(spec.replicas, 'spec.replicas', add); // ValidateDeploymentSpec
  checkWorkloadSelector(object, t, add);
  checkKeepsRunning(object, t, add);
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds', add);
  nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit', add);
  if (spec.progressDeadlineSeconds !== undefined && spec.progressDeadlineSeconds !== null) {
    nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds', add);
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) add('spec.progressDeadlineSeconds', `progressDeadlineSeconds ${spec.progressDeadlineSeconds} is not greater than minReadySeconds ${spec.minReadySeconds ?? 0}`, 'more than minReadySeconds');
  }
  // ValidateDeploymentStrategy; SetDefaults_Deployment fills type RollingUpdate and 25%/25%.
  const strategy = spec.strategy;
  if (!isObject(strategy)) return;
  checkEnum(strategy.type, ['Recreate', 'RollingUpdate'], 'spec.strategy.type', add);
  const rolling = strategy.rollingUpdate;
  // JSON null is "not set" to the API server: `rollingUpdate: null` clears a live value on apply.
  if (strategy.type === 'Recreate' && rolling !== undefined && rolling !== null) {
    add('spec.strategy.rollingUpdate', 'rollingUpdate is set with type Recreate', 'no rollingUpdate when type is Recreate (rollingUpdate: null clears a live one)');
  }
  if (isObject(rolling)) {
    checkIntOrPercent(rolling.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable', add);
    checkIntOrPercent(rolling.maxSurge, 'spec.strategy.rollingUpdate.maxSurge', add, false);
    // ValidateRollingUpdateDeployment: both 0 cannot progress (an unset one defaults to 25%).
    if (rolling.maxSurge !== undefined && rolling.maxUnavailable !== undefined && intOrPercentValue(rolling.maxSurge) === 0 && intOrPercentValue(rolling.maxUnavailable) === 0) {
      add('spec.strategy.rollingUpdate', 'maxSurge and maxUnavailable are both 0: the rollout cannot progress', 'at least one of them > 0');
    }
  }
}

export function checkReplicaSet(object: KubeObject, add: Add): void {
  const spec: KubeObject = isObject(object.spec) ? object.spec : {}; // a missing spec is the zero value
  const t = checkTemplate(object, add);
  nonNegative(spec.replicas, 'spec.replicas', add); // ValidateReplicaSetSpec
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds', add);
  checkWorkloadSelector(object, t, add);
  checkKeepsRunning(object, t, add);
}

export function checkDaemonSet(object: KubeObject, add: Add): void {
  const spec: KubeObject = isObject(object.spec) ? object.spec : {}; // a missing spec is the zero value
  const t = checkTemplate(object, add);
  checkWorkloadSelector(object, t, add); // ValidateDaemonSetSpec
  checkKeepsRunning(object, t, add);
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds', add);
  nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit', add);
  const strategy = spec.updateStrategy;
  if (!isObject(strategy)) return;
  checkEnum(strategy.type, ['RollingUpdate', 'OnDelete'], 'spec.updateStrategy.type', add); // ValidateDaemonSetUpdateStrategy
  const rolling = strategy.rollingUpdate;
  if (isObject(rolling) && strategy.type !== 'OnDelete') {
    checkIntOrPercent(rolling.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable', add);
    checkIntOrPercent(rolling.maxSurge, 'spec.updateStrategy.rollingUpdate.maxSurge', add);
    // ValidateRollingUpdateDaemonSet: exactly one non-zero (defaults: maxUnavailable 1, maxSurge 0).
    const unavailable = intOrPercentValue(rolling.maxUnavailable ?? 1) !== 0;
    const surge = intOrPercentValue(rolling.maxSurge ?? 0) !== 0;
    if (unavailable && surge) add('spec.updateStrategy.rollingUpdate.maxSurge', 'maxSurge is set while maxUnavailable is non-zero', 'maxSurge 0, or maxUnavailable 0');
    else if (!unavailable && !surge) add('spec.updateStrategy.rollingUpdate.maxUnavailable', 'maxUnavailable and maxSurge are both 0', 'one of them non-zero');
  }
}

export function checkStatefulSet(object: KubeObject, add: Add): void {
  const spec: KubeObject = isObject(object.spec) ? object.spec : {}; // a missing spec is the zero value
  // The claim templates become volumes of every pod (the StatefulSet controller adds them), so
  // mounts of them are valid. apps ValidateStatefulSetSpec leaves the pod spec to pod creation,
  // where core ValidatePodSpec judges it: the same rules, found later.
  const claims = Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];
  const claimNames = claims.map((c: KubeObject) => c?.metadata?.name).filter((n: unknown): n is string => typeof n === 'string');
  const t = checkTemplate(object, add, claimNames);
  checkEnum(spec.podManagementPolicy, ['OrderedReady', 'Parallel'], 'spec.podManagementPolicy', add);
  // ValidateStatefulSetSpec: the governing Service's name is a DNS label (its pods' DNS subdomain).
  if (typeof spec.serviceName === 'string' && spec.serviceName !== '' && !isDnsLabel(spec.serviceName)) add('spec.serviceName', `serviceName "${spec.serviceName}" is not valid`, LABEL_RULE);
  const strategy = spec.updateStrategy;
  if (isObject(strategy)) {
    checkEnum(strategy.type, ['RollingUpdate', 'OnDelete'], 'spec.updateStrategy.type', add);
    const rolling = strategy.rollingUpdate;
    if (strategy.type === 'OnDelete' && rolling !== undefined && rolling !== null) add('spec.updateStrategy.rollingUpdate', 'rollingUpdate is set with updateStrategy OnDelete', 'rollingUpdate only with type RollingUpdate');
    else if (isObject(rolling)) {
      nonNegative(rolling.partition, 'spec.updateStrategy.rollingUpdate.partition', add); // validateRollingUpdateStatefulSet
      // maxUnavailable belongs to the MaxUnavailableStatefulSet feature (alpha, off, in 1.34): the
      // API server drops it before validation (pkg/registry/apps/statefulset/strategy.go
      // dropStatefulSetDisabledFields), so a wrong value is lost, not refused. Where the feature is
      // on, validateRollingUpdateStatefulSet refuses what is warned of here.
      if (rolling.maxUnavailable !== undefined && rolling.maxUnavailable !== null) {
        const warn: Add = (path, message, allowed) => add(path, `${message} (refused where the MaxUnavailableStatefulSet feature is on; dropped where it is off, as by default)`, allowed, 'warning');
        checkIntOrPercent(rolling.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable', warn);
        if (intOrPercentValue(rolling.maxUnavailable) === 0) warn('spec.updateStrategy.rollingUpdate.maxUnavailable', 'maxUnavailable is 0', 'at least 1 or 1%');
      }
    }
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (isObject(retention)) {
    checkEnum(retention.whenDeleted, ['Retain', 'Delete'], 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted', add);
    checkEnum(retention.whenScaled, ['Retain', 'Delete'], 'spec.persistentVolumeClaimRetentionPolicy.whenScaled', add);
  }
  nonNegative(spec.replicas, 'spec.replicas', add);
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds', add);
  if (isObject(spec.ordinals)) nonNegative(spec.ordinals.start, 'spec.ordinals.start', add);
  checkWorkloadSelector(object, t, add);
  checkKeepsRunning(object, t, add);
  // Each claim template is a claim the controller creates: core ValidatePersistentVolumeClaimSpec.
  const seen = new Set<string>();
  claims.forEach((claim: KubeObject, i: number) => {
    const at = `spec.volumeClaimTemplates[${i}]`;
    const name = claim?.metadata?.name;
    if (typeof name !== 'string' || name === '') add(`${at}.metadata.name`, 'the claim template has no name', 'a DNS label, the volume name mounts use');
    else {
      if (!isDnsLabel(name)) add(`${at}.metadata.name`, `claim template name "${name}" is not valid`, LABEL_RULE);
      // apps ValidateStatefulSetSpec does not compare claim templates with each other or with the
      // pod's volumes; the controller does (pkg/controller/statefulset/stateful_set_utils.go
      // updateStorage): a template replaces the pod volume of its name, and of two templates of
      // one name, the last wins.
      if (seen.has(name)) add(`${at}.metadata.name`, `claim template "${name}" is defined twice: the controller uses the last one`, 'unique claim template names', 'warning');
      seen.add(name);
      const volumeClash = Array.isArray(t?.spec.volumes) && t!.spec.volumes.some((v: KubeObject) => v?.name === name);
      if (volumeClash) add(`${at}.metadata.name`, `claim template "${name}" has the name of a pod volume, which the controller replaces with the claim`, 'a name no pod volume has', 'warning');
    }
    if (isObject(claim?.spec)) checkClaimSpec(claim.spec, `${at}.spec`, add);
    else add(`${at}.spec`, 'the claim template has no spec', 'accessModes and resources.requests.storage');
  });
}

// batch validateJobSpec (shared by Job and a CronJob's jobTemplate).
function checkJobSpec(spec: KubeObject, at: string, t: PodTemplate | undefined, add: Add): void {
  for (const field of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) {
    nonNegative(spec[field], `${at}.${field}`, add);
  }
  const has = (field: string) => spec[field] !== undefined && spec[field] !== null;
  if (has('maxFailedIndexes') && !has('backoffLimitPerIndex')) add(`${at}.backoffLimitPerIndex`, 'maxFailedIndexes is set without backoffLimitPerIndex', 'backoffLimitPerIndex when maxFailedIndexes is set');
  checkEnum(spec.completionMode, ['NonIndexed', 'Indexed'], `${at}.completionMode`, add);
  if (spec.completionMode === 'Indexed') {
    if (!has('completions')) add(`${at}.completions`, 'an Indexed Job has no completions', 'completions when completionMode is Indexed');
    if (isInt(spec.parallelism) && spec.parallelism > 100000) add(`${at}.parallelism`, `parallelism ${spec.parallelism} is above 100000`, 'at most 100000 when completionMode is Indexed');
    if (isInt(spec.completions) && isInt(spec.maxFailedIndexes) && spec.maxFailedIndexes > spec.completions) add(`${at}.maxFailedIndexes`, `maxFailedIndexes ${spec.maxFailedIndexes} is above completions ${spec.completions}`, 'at most completions');
  } else {
    for (const field of ['backoffLimitPerIndex', 'maxFailedIndexes']) {
      if (has(field)) add(`${at}.${field}`, `${field} requires completionMode Indexed`, 'completionMode: Indexed, or no ' + field);
    }
  }
  checkEnum(spec.podReplacementPolicy, has('podFailurePolicy') ? ['Failed'] : ['Failed', 'TerminatingOrFailed'], `${at}.podReplacementPolicy`, add);
  if (isObject(spec.podFailurePolicy)) checkPodFailurePolicy(spec, `${at}.podFailurePolicy`, t, add);
  // validateJobSpec: a successPolicy requires completionMode Indexed; only then are its rules judged.
  if (isObject(spec.successPolicy)) {
    if (spec.completionMode !== 'Indexed') add(`${at}.successPolicy`, 'successPolicy requires completionMode Indexed', 'completionMode: Indexed, or no successPolicy');
    else checkSuccessPolicy(spec, `${at}.successPolicy`, add);
  }
  // validateJobSpec: managedBy is a domain-prefixed path of at most 63 characters.
  if (typeof spec.managedBy === 'string' && (spec.managedBy.length > 63 || !isDomainPrefixedPath(spec.managedBy))) add(`${at}.managedBy`, `managedBy "${spec.managedBy}" is not a domain-prefixed path`, 'at most 63 characters: a DNS subdomain, "/", and a path, e.g. kueue.x-k8s.io/multikueue');
  if (!t) return;
  // The pod default is Always, which a Job refuses: it must say OnFailure or Never.
  const policy = t.spec.restartPolicy;
  const policyPath = `${t.specPath.join('.')}.restartPolicy`;
  if (policy === undefined || policy === null || policy === 'Always' || policy === '') add(policyPath, `restartPolicy is ${policy ?? 'unset (Always)'}`, 'OnFailure or Never');
  else if (policy !== 'OnFailure' && policy !== 'Never') add(policyPath, `"${policy}" is not a supported value`, 'one of OnFailure, Never');
  else if (has('podFailurePolicy') && policy !== 'Never') add(policyPath, 'restartPolicy is OnFailure with a podFailurePolicy', 'Never when podFailurePolicy is set');
}

export function checkJob(object: KubeObject, add: Add): void {
  const given: KubeObject = isObject(object.spec) ? object.spec : {}; // a missing spec is the zero value
  // batch SetDefaults_Job (pkg/apis/batch/v1/defaults.go): with neither completions nor
  // parallelism, both default to 1 before validation. A CronJob's job template is not defaulted so.
  const unset = (value: unknown) => value === undefined || value === null;
  const spec: KubeObject = unset(given.completions) && unset(given.parallelism) ? { ...given, completions: 1, parallelism: 1 } : given;
  const t = checkTemplate(object, add);
  checkJobSpec(spec, 'spec', t, add);
  const name = object.metadata?.name;
  if (spec.manualSelector === true) {
    // ValidateJobSpec: a manual selector is required and must match the template labels.
    if (!isObject(spec.selector)) add('spec.selector', 'manualSelector is true without a selector', 'a selector the template labels satisfy');
    else {
      checkLabelSelector(spec.selector, 'spec.selector', add);
      if (t && !matchesSelector(spec.selector as any, t.labels)) add('spec.template.metadata.labels', `selector ${show(spec.selector.matchLabels ?? spec.selector.matchExpressions)} does not match the template labels ${show(t.labels)}`, 'template labels that satisfy spec.selector');
    }
  } else if (isObject(spec.selector) && selectorParses(spec.selector) && !matchesGenerated(spec.selector, name)) {
    // pkg/registry/batch/job/strategy.go generateSelector adds controller-uid=<the new uid> to the
    // selector's matchLabels (unless it has that key), and batch validateGeneratedSelector
    // (pkg/apis/batch/validation/validation.go) requires the result to match the labels it
    // generates: the controller-uid labels (a uid no manifest can know) and the job-name labels.
    add('spec.selector', 'a selector is set without manualSelector: true, and it does not match the labels the API server generates ("`selector` not auto-generated")', 'no selector, or manualSelector: true with it');
  }
  if (typeof name === 'string' && name !== '') {
    // Job strategy adds the batch.kubernetes.io/job-name label with the Job's name to its pods,
    // and ValidatePodTemplateSpec validates it as a label value.
    if (!isLabelValue(name)) add('metadata.name', `Job name "${name}" is longer than a label value (63 characters)`, 'at most 63 characters: the name becomes the job-name label of its pods');
    // ValidateJob: an Indexed Job's pod hostnames `<name>-<index>` must be DNS labels.
    if (spec.completionMode === 'Indexed' && isInt(spec.completions) && spec.completions > 0) {
      const hostname = `${name}-${spec.completions - 1}`;
      if (!isDnsLabel(hostname)) add('metadata.name', `Indexed Job pods get the hostname "${hostname}", which is not a DNS label`, `a name for which <name>-<index> is ${LABEL_RULE}`);
    }
  }
}

// The Job's uid, unknown before it is created: no text in a manifest equals it.
const NEW_UID = '\0the uid of the new Job';

// Whether the selector, once the uid label is added, matches the labels the API server generates.
function matchesGenerated(selector: KubeObject, name: unknown): boolean {
  const generated = { 'controller-uid': NEW_UID, 'batch.kubernetes.io/controller-uid': NEW_UID, 'job-name': String(name ?? ''), 'batch.kubernetes.io/job-name': String(name ?? '') };
  const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  const completed = { ...selector, matchLabels: { 'batch.kubernetes.io/controller-uid': NEW_UID, ...matchLabels } };
  return matchesSelector(completed as any, generated);
}

const VALID_TZ_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

export function checkCronJob(object: KubeObject, add: Add): void {
  const spec: KubeObject = isObject(object.spec) ? object.spec : {}; // a missing spec is the zero value
  const name = object.metadata?.name;
  // validateCronJobSpec: a schedule is required (with a spec the schema says so; without, nothing would).
  if (!isObject(object.spec)) add('spec.schedule', 'the CronJob has no spec, so no schedule', 'a spec with a schedule and a jobTemplate');
  // ValidateCronJobCreate: the controller appends an 11-character suffix to name its Jobs.
  if (typeof name === 'string' && name.length > 52) add('metadata.name', `CronJob name "${name}" is longer than 52 characters`, 'at most 52 characters (Jobs get an 11-character suffix)');
  // validateCronJobSpec / validateScheduleFormat
  if (spec.schedule === '') add('spec.schedule', 'the CronJob has an empty schedule', 'five cron fields, e.g. "*/5 * * * *", or a descriptor such as @hourly');
  else if (typeof spec.schedule === 'string') {
    const problem = cronScheduleProblem(spec.schedule);
    if (problem) add('spec.schedule', `schedule "${spec.schedule}" does not parse: ${problem}`, 'five cron fields (minute 0-59, hour 0-23, day 1-31, month 1-12 or JAN-DEC, weekday 0-6 or SUN-SAT), or @yearly @monthly @weekly @daily @hourly @every <duration>');
    if (spec.schedule.includes('TZ')) add('spec.schedule', 'the schedule names a time zone (TZ or CRON_TZ)', 'the timeZone field instead');
  }
  nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds', add);
  checkTimeZone(spec.timeZone, add);
  checkEnum(spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace'], 'spec.concurrencyPolicy', add);
  nonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit', add);
  nonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit', add);
  // ValidateJobTemplateSpec
  const jobTemplate = spec.jobTemplate;
  if (!isObject(jobTemplate)) return;
  // batch ValidateJobTemplateSpec judges the Job spec only: the template's labels and annotations
  // are accepted here, and refused when the controller creates each Job with them.
  if (isObject(jobTemplate.metadata)) {
    const warn: Add = (path, message, allowed) => add(path, `${message}: the CronJob is accepted, but each Job it creates is refused`, allowed, 'warning');
    checkLabels(jobTemplate.metadata.labels, 'spec.jobTemplate.metadata.labels', warn);
    checkAnnotations(jobTemplate.metadata.annotations, 'spec.jobTemplate.metadata.annotations', warn);
  }
  const t = checkTemplate(object, add);
  if (!isObject(jobTemplate.spec)) return;
  checkJobSpec(jobTemplate.spec, 'spec.jobTemplate.spec', t, add);
  if (jobTemplate.spec.selector !== undefined && jobTemplate.spec.selector !== null) add('spec.jobTemplate.spec.selector', 'a Job template sets a selector; it is always generated', 'no selector');
  if (jobTemplate.spec.manualSelector === true) add('spec.jobTemplate.spec.manualSelector', 'manualSelector is true in a Job template', 'false or unset');
}

// batch validateTimeZone: IANA naming, not Local, and a zone the tz database knows.
function checkTimeZone(zone: unknown, add: Add): void {
  if (zone === undefined || zone === null) return;
  const allowed = 'an IANA time zone name such as Etc/UTC or Europe/Paris';
  if (typeof zone !== 'string' || zone === '') { add('spec.timeZone', 'timeZone is empty', allowed); return; }
  if (zone.split('/').some((part) => part === '.' || part === '..' || part.startsWith('-') || !VALID_TZ_PART.test(part))) { add('spec.timeZone', `unknown time zone ${zone}`, allowed); return; }
  if (zone.toLowerCase() === 'local') { add('spec.timeZone', 'timeZone Local is not an explicit time zone', allowed); return; }
  try {
    // Go's time.LoadLocation finds a zone by its exact name (a file of the tz database): Intl
    // accepts any case, so a name that differs from the canonical one in case alone is unknown.
    const canonical = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
    // Intl also takes a UTC offset (+05, +0530) for a zone; the tz database has no file of that name.
    if (/^[+-]/.test(canonical)) add('spec.timeZone', `unknown time zone ${zone}`, allowed);
    else if (canonical !== zone && canonical.toLowerCase() === zone.toLowerCase()) add('spec.timeZone', `unknown time zone ${zone}`, `${allowed} (names are case-sensitive: ${canonical})`);
  } catch {
    add('spec.timeZone', `unknown time zone ${zone}`, allowed);
  }
}

// core ValidatePod: a bare Pod, and what its admission adds.
export function checkPod(object: KubeObject, add: Add): void {
  checkTemplate(object, add);
  if (isObject(object.spec)) checkBarePod(object.spec, add);
}

// core ValidateReplicationController: selector (a map) must select the template.
export function checkReplicationController(object: KubeObject, add: Add): void {
  const spec: KubeObject = isObject(object.spec) ? object.spec : {}; // a missing spec is the zero value
  const t = checkTemplate(object, add);
  // ValidatePodTemplateSpecForRC: the template is required. SetDefaults_ReplicationController
  // (pkg/apis/core/v1/defaults.go) fills an empty selector from the template's labels, and
  // ValidateNonEmptySelector then requires one.
  if (!isObject(spec.template)) add('spec.template', 'the ReplicationController has no pod template', 'a template with labels and a pod spec');
  const hasSelector = isObject(spec.selector) && Object.keys(spec.selector).length > 0;
  if (!hasSelector && (!t || Object.keys(t.labels).length === 0)) add('spec.selector', 'the ReplicationController has neither a selector nor template labels to default it from', 'a selector, or template labels (the selector defaults to them)');
  nonNegative(spec.replicas, 'spec.replicas', add);
  checkLabels(spec.selector, 'spec.selector', add);
  if (t && isObject(spec.selector) && !Object.entries(spec.selector).every(([k, v]) => t.labels[k] === v)) {
    add('spec.template.metadata.labels', `selector ${show(spec.selector)} does not match the template labels ${show(t.labels)}`, 'template labels that satisfy spec.selector');
  }
  checkKeepsRunning(object, t, add);
}

// k8s.io/apimachinery IsDomainPrefixedPath: a DNS subdomain, "/", then path characters.
function isDomainPrefixedPath(value: string): boolean {
  const slash = value.indexOf('/');
  return slash > 0 && isDnsSubdomain(value.slice(0, slash)) && /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(value.slice(slash + 1));
}

const FAILURE_ACTIONS = ['FailJob', 'FailIndex', 'Ignore', 'Count'];

// batch validatePodFailurePolicyRule (pkg/apis/batch/validation/validation.go): an action, one of
// onExitCodes or onPodConditions; exit codes In never 0, each once, in order; a condition's status
// True, False or Unknown (defaulted to True when left out); a container name of the template.
function checkPodFailurePolicy(spec: KubeObject, at: string, t: PodTemplate | undefined, add: Add): void {
  const names = new Set((t ? ['initContainers', 'containers'] : []).flatMap((field) => (Array.isArray(t!.spec[field]) ? t!.spec[field] : []).map((c: KubeObject) => c?.name)));
  (Array.isArray(spec.podFailurePolicy.rules) ? spec.podFailurePolicy.rules : []).forEach((rule: KubeObject, i: number) => {
    if (!isObject(rule)) return;
    const path = `${at}.rules[${i}]`;
    if (rule.action === 'FailIndex' && (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null)) add(`${path}.action`, 'action FailIndex without backoffLimitPerIndex', 'backoffLimitPerIndex set, or another action');
    else checkEnum(rule.action, FAILURE_ACTIONS, `${path}.action`, add);
    const codes = rule.onExitCodes;
    const conditions = Array.isArray(rule.onPodConditions) ? rule.onPodConditions : [];
    if (isObject(codes) && conditions.length > 0) add(path, 'the rule has both onExitCodes and onPodConditions', 'one of onExitCodes or onPodConditions');
    if (!isObject(codes) && conditions.length === 0) add(path, 'the rule has neither onExitCodes nor onPodConditions', 'one of onExitCodes or onPodConditions');
    if (isObject(codes)) {
      checkEnum(codes.operator, ['In', 'NotIn'], `${path}.onExitCodes.operator`, add);
      if (typeof codes.containerName === 'string' && t && !names.has(codes.containerName)) add(`${path}.onExitCodes.containerName`, `no container "${codes.containerName}" in the pod template`, `one of ${[...names].join(', ')}`);
      const values: unknown[] = Array.isArray(codes.values) ? codes.values : [];
      if (values.length === 0) add(`${path}.onExitCodes.values`, 'no exit codes', 'at least one exit code');
      values.forEach((value, j) => {
        if (codes.operator === 'In' && value === 0) add(`${path}.onExitCodes.values[${j}]`, 'exit code 0 with operator In', 'non-zero exit codes (0 is success)');
        if (values.indexOf(value) < j) add(`${path}.onExitCodes.values[${j}]`, `exit code ${String(value)} is listed twice`, 'each exit code once');
      });
      if (values.some((value, j) => j > 0 && typeof value === 'number' && typeof values[j - 1] === 'number' && (values[j - 1] as number) > value)) add(`${path}.onExitCodes.values`, 'the exit codes are not in order', 'exit codes in ascending order');
    }
    conditions.forEach((pattern: KubeObject, j: number) => {
      if (isObject(pattern) && pattern.status !== undefined && pattern.status !== null && pattern.status !== '') checkEnum(pattern.status, ['True', 'False', 'Unknown'], `${path}.onPodConditions[${j}].status`, add);
    });
  });
}

// batch validateSuccessPolicy / validateSuccessPolicyRule: each rule has succeededIndexes (indexes
// below completions, in order, without overlap) or succeededCount (<= completions).
function checkSuccessPolicy(spec: KubeObject, at: string, add: Add): void {
  const completions = isInt(spec.completions) ? spec.completions : undefined;
  // validateSuccessPolicy: at least one rule (a missing list is the schema's finding: rules is required).
  if (Array.isArray(spec.successPolicy.rules) && spec.successPolicy.rules.length === 0) add(`${at}.rules`, 'the successPolicy has no rules', 'at least one rule');
  (Array.isArray(spec.successPolicy.rules) ? spec.successPolicy.rules : []).forEach((rule: KubeObject, i: number) => {
    if (!isObject(rule)) return;
    const path = `${at}.rules[${i}]`;
    if ((rule.succeededIndexes === undefined || rule.succeededIndexes === null) && (rule.succeededCount === undefined || rule.succeededCount === null)) add(path, 'the rule has neither succeededIndexes nor succeededCount', 'succeededIndexes, succeededCount, or both');
    if (typeof rule.succeededIndexes === 'string' && completions !== undefined) {
      const problem = indexesProblem(rule.succeededIndexes, completions);
      if (problem) add(`${path}.succeededIndexes`, `succeededIndexes "${rule.succeededIndexes}": ${problem}`, `comma-separated indexes and ranges from 0 to ${completions - 1}, in order, e.g. 0,2-4`);
    }
    if (isInt(rule.succeededCount) && completions !== undefined && rule.succeededCount > completions) add(`${path}.succeededCount`, `succeededCount ${rule.succeededCount} is above completions ${completions}`, 'at most completions');
  });
}

// batch validateIndexesFormat / parseIndexInterval: "0,2-4" below completions, ascending, without
// overlap; a range's end above its start ("1-1" is refused); an empty text is no index at all.
function indexesProblem(text: string, completions: number): string | undefined {
  if (text === '') return undefined;
  let last = -1;
  for (const part of text.split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!match) return `"${part}" is not an index or a range`;
    const [first, end] = [Number(match[1]), Number(match[2] ?? match[1])];
    if (end >= completions || first >= completions) return `too large index: "${part}"`;
    if (match[2] !== undefined && end <= first) return `"${part}" is not a range upwards`;
    if (first <= last) return 'the indexes are not in order, or overlap';
    last = end;
  }
  return undefined;
}
