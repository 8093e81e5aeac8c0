import * as path from 'path';
import { Check, Problem, validateManifests } from '../../lib/validate';
import { loadManifests } from '../../lib/validate/load';
import { checkApiRules } from '../../lib/validate/api-rules';
import { KubeObject, Located, objectId } from '../../lib/validate/problem';

/** test/fixtures/valid: everyday manifests that must validate clean. */
export const VALID_FIXTURES = path.join(__dirname, '..', 'fixtures', 'valid');

let loaded: Located[] | undefined;

/** The valid fixtures' objects with their files: a fresh copy each call. */
export function validItems(): Located[] {
  loaded ??= loadManifests([VALID_FIXTURES]);
  return structuredClone(loaded);
}

/** The one object of this kind and name in the list; throws if there is not exactly one. */
export function the(objects: readonly KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${found.length}`);
  return found[0];
}

/**
 * Breaks the valid fixtures in one way (objects may be added or removed) and validates them with
 * the API and link checks (the schema family has its own tests). Returns every problem.
 */
export function breakValid(breakIt: (objects: KubeObject[]) => void, checks: readonly Check[] = ['api', 'link']): Problem[] {
  const items = validItems();
  const objects = items.map((item) => item.object);
  breakIt(objects);
  const files = new Map(items.map((item) => [item.object, item.file]));
  return validateManifests(objects.map((object) => ({ file: files.get(object) ?? 'added.yaml', object })), { checks });
}

/** A case: what is broken, how, and the one problem expected (object, path, message). */
export type BreakCase = [string, (objects: KubeObject[]) => void, string, string, RegExp];

/**
 * Breaks the valid fixtures in one way and runs the API rules on each object as it is. Unlike
 * breakValid, null fields reach the rules: validateManifests drops them first (lib/validate/nulls.ts,
 * as the API server's decoder does), so a rule's own handling of null is judged only here.
 */
export function apiRulesOf(breakIt: (objects: KubeObject[]) => void): Problem[] {
  const items = validItems();
  const objects = items.map((item) => item.object);
  breakIt(objects);
  return objects.flatMap((object) => checkApiRules(object).map((f) => ({ check: 'api' as const, file: '', object: objectId(object), ...f })));
}
