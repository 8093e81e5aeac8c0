import * as fs from 'fs';
import * as path from 'path';
import { collect, runInWorker, submit } from '../../../lib/validate/schema/esm-worker';
import { tempDir } from '../../helpers';

describe('runInWorker: a task against an ES module\'s validate export, in the worker thread', () => {
  const moduleFile = () => {
    const file = path.join(tempDir(), 'validate.mjs');
    fs.writeFileSync(file, 'export function validate(value) { return value === 1; }\n');
    return file;
  };

  test('answers each task, in any order of collection', () => {
    const module = moduleFile();
    const a = submit(module, (validate, input) => validate(input), 1);
    const b = submit(module, (validate, input) => validate(input), 2);
    expect(collect(b)).toBe(false);
    expect(collect(a)).toBe(true);
    expect(runInWorker(module, (validate, input) => [validate(input), input], 1)).toEqual([true, 1]);
  });

  test('a task that throws, or a module that is not there, is an error naming the module', () => {
    const module = moduleFile();
    expect(() => runInWorker(module, () => { throw new Error('boom'); }, 0)).toThrow(`${module} could not be run: boom`);
    const missing = path.join(path.dirname(module), 'missing.mjs');
    expect(() => runInWorker(missing, (validate) => validate(1), 0)).toThrow(new RegExp(`^${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} could not be run: Cannot find module`));
  });
});
