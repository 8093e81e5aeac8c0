import * as fs from 'fs';
import * as path from 'path';
import { KubeObject, objectId } from '../../../lib/validate/problem';
import { validItems } from '../../support/valid-fixtures';
import type { Case } from './judge';

type Break = (objects: KubeObject[]) => void;

/**
 * The API rules' own cases (test/validate/rules/*.test.ts: tables of [what, breakIt, ...] that
 * break the valid fixtures), read by loading those files with describe/test replaced by
 * collectors: their tables are what we need and their tests do not run a second time here.
 * Only `test.each` tables whose rows are [text, function, ...] are taken.
 */
export function ruleBreaks(folder: string): [string, Break][] {
  const rows: [string, Break][] = [];
  const g = globalThis as any;
  const names = ['describe', 'test', 'it', 'beforeAll', 'afterAll', 'beforeEach', 'afterEach'] as const;
  const saved = Object.fromEntries(names.map((n) => [n, g[n]]));
  const each = (table: unknown) => {
    if (Array.isArray(table)) {
      for (const row of table) if (Array.isArray(row) && typeof row[0] === 'string' && typeof row[1] === 'function') rows.push([row[0], row[1]]);
    }
    return () => undefined;
  };
  const noop = () => undefined;
  const fakeTest = Object.assign(noop, { each, skip: noop, only: noop, todo: noop, concurrent: noop });
  const fakeDescribe = Object.assign((_name: string, body: () => void) => body(), { each: () => noop, skip: noop, only: noop });
  try {
    Object.assign(g, { describe: fakeDescribe, test: fakeTest, it: fakeTest, beforeAll: noop, afterAll: noop, beforeEach: noop, afterEach: noop });
    jest.isolateModules(() => {
      for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.test.ts')).sort()) require(path.join(folder, file));
    });
  } finally {
    Object.assign(g, saved);
  }
  return rows;
}

/** Each rule case's objects that its break changed or added, judged alone. */
export function ruleCases(folder: string): Case[] {
  const cases: Case[] = [];
  const seen = new Set<string>();
  const originals = new Set(validItems().map((item) => JSON.stringify(item.object)));
  for (const [what, breakIt] of ruleBreaks(folder)) {
    const objects = validItems().map((item) => item.object);
    try {
      breakIt(objects);
    } catch {
      continue; // a break that needs what the fixtures lack is not a case here
    }
    for (const object of objects) {
      const key = JSON.stringify(object);
      if (originals.has(key) || seen.has(key)) continue;
      seen.add(key);
      cases.push({ label: `rule case "${what}": ${objectId(object)}`, object });
    }
  }
  return cases;
}
