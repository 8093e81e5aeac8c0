import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';

/** The type of an object that a `@kubernetes-models/*` package generated from a custom resource's definition. */
export interface TypedObject {
  /** The group/version the type is for, as a literal type. */
  readonly apiVersion: string;
  /** The kind, as a literal type. */
  readonly kind: string;
}

/**
 * An object of a custom resource (Gateway API, cert-manager) as a cdk8s ApiObject, typed by the
 * TypeScript interface (`IHTTPRoute`, `ICertificate`...) an npm package generated from the
 * resource's definitions, so a misspelt field or a wrong value type fails the compile. Only the
 * types are used: the packages' classes load ajv and its format plugins when first required
 * (100 ms and more), which every synth would pay; the objects are checked against the
 * definitions by the validator, and by the tests against the models' own schemas.
 */
export class ModelObject<T extends TypedObject> extends ApiObject {
  constructor(scope: Construct, id: string, object: T) {
    super(scope, id, object);
  }

  /**
   * Keeps any namespace off a cluster-scoped object: the chart's, and one its own metadata names
   * (which the API server drops: the output would name what the cluster never holds). Removing an
   * absent field is no error for cdk8s's JsonPatch, so it needs no condition.
   */
  public clusterScoped(): void {
    this.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}
