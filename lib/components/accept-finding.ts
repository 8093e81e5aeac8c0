import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { POLICY_RULES, PolicyRule } from '../validate/policy';
import type { AcceptedPolicyFinding } from './validator-annotations';

/** A policy check of the validator (lib/validate/policy.ts POLICY_RULES), as its findings are tagged: `[probes]`. */
export type PolicyCheck = PolicyRule;

/** Every policy check an acceptance may name. */
export const POLICY_CHECKS = Object.keys(POLICY_RULES) as PolicyCheck[];

/** A policy finding accepted on one object, with the reason a reviewer reads. */
export interface AcceptFindingOptions {
  /** The check whose finding is accepted, e.g. `probes` (the validator prints it as `[probes]`). */
  readonly check: PolicyCheck;
  /** Why the object has this finding on purpose: listed by every synth and `npm run validate -- dist`. */
  readonly reason: string;
}

// Kept on the object's construct node, so that whatever builds the chart finds it with the object.
const METADATA_TYPE = 'multi-k8s:accept-finding';

/**
 * Accepts a policy finding on one Kubernetes object of a MultiK8sChart (which collects these when
 * it renders): `construct` is an ApiObject or a cdk8s-plus resource (`kplus.CronJob`,
 * `kplus.Deployment`...), whose object then carries the annotation
 * `accept-policy.multi-k8s.dev/<check>: "<reason>"` (validator-annotations.ts). The synth lists it
 * as `policy exception [<check>] Kind/name: <reason>`, as it lists the chart's own, and warns
 * when the object has no such finding, so an acceptance does not outlive its reason.
 * Throws for a check the validator does not have, an empty reason, a construct that is not one
 * object, or the same check accepted twice on one object.
 */
export function acceptFinding(construct: IConstruct, options: AcceptFindingOptions): void {
  const check: string = options.check;
  // The type already refuses these; JavaScript callers and casts get the same rule at run time.
  if (!Object.hasOwn(POLICY_RULES, check)) {
    throw new Error(`acceptFinding check ${JSON.stringify(check)} is not a policy check of the validator: allowed is one of ${POLICY_CHECKS.join(', ')}`);
  }
  if (typeof options.reason !== 'string' || options.reason.trim() === '') {
    throw new Error(`acceptFinding reason for [${check}] on ${construct.node.path} is empty: allowed is a sentence saying why the finding is there on purpose`);
  }
  let object: ApiObject;
  try {
    object = ApiObject.isApiObject(construct) ? construct : ApiObject.of(construct);
  } catch {
    throw new Error(`acceptFinding on ${construct.node.path}: it is not one Kubernetes object; allowed is an ApiObject or a cdk8s-plus resource (e.g. a kplus.CronJob, or AppCronJob's cronJob)`);
  }
  const earlier = acceptancesOf(object).find((e) => e.check === check);
  if (earlier) {
    throw new Error(`acceptFinding [${check}] on ${object.kind}/${object.name} was already accepted (reason: ${JSON.stringify(earlier.reason)}): allowed is one reason per check and object`);
  }
  object.node.addMetadata(METADATA_TYPE, { check, reason: options.reason });
}

function acceptancesOf(object: ApiObject): AcceptFindingOptions[] {
  return object.node.metadata.filter((entry) => entry.type === METADATA_TYPE).map((entry) => entry.data as AcceptFindingOptions);
}

/** The findings accepted with acceptFinding on the objects under `root`, as the chart lists its exceptions. */
export function acceptedFindings(root: IConstruct): AcceptedPolicyFinding[] {
  return root.node.findAll().filter(ApiObject.isApiObject).flatMap((object) => acceptancesOf(object)
    .map((e) => ({ rule: e.check, object: `${object.kind}/${object.name}`, reason: e.reason })));
}
