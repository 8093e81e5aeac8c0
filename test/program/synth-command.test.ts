import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { buildApp } from '../../lib/program/app';
import { SETTINGS } from '../../lib/program/config';
import { synthCommand, synthHelp, SYNTH_USAGE } from '../../lib/program/synth-command';
import { captureOutput } from '../support/cli';
import { inEmptyFolder, SHA, tempDir } from '../helpers';

describe('synthCommand (issue 21 survivors, synth-command.ts)', () => {
  test('the help: usage, what the synth does, a blank line, then settings', () => {
    const help = synthHelp();
    expect(help.slice(0, 4)).toEqual([
      SYNTH_USAGE,
      'Renders, validates and writes the manifests to dist/ (the output it replaces is kept for npm run plan).',
      '',
      'settings:',
    ]);
    expect(help).toHaveLength(4 + 3 * SETTINGS.length);
  });

  test('a synth with a validator warning prints it, then the summary, on stderr, exit 0', () => {
    const outdir = path.join(tempDir(), 'dist');
    const command = synthCommand((config) => {
      const charts = buildApp(config);
      // A cluster-scoped object with a namespace: the server drops the field, the validator warns.
      new ApiObject(charts[0].chart, 'odd-class', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'odd', namespace: 'default' }, value: 1000 } as never);
      return charts;
    });
    const result = captureOutput(() => command([], { GIT_SHA: SHA }, outdir));
    expect(result.code).toBe(0);
    expect(result.out).toEqual([]);
    // The settings' own warnings (the course images' tag) come first; then the synth's.
    const warning = result.err.findIndex((line) => line.includes('PriorityClass/odd'));
    const wrote = result.err.findIndex((line) => line.startsWith('wrote '));
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(wrote).toBe(warning + 1);
    expect(result.err[warning]).toMatch(/^warning: .*: PriorityClass\/odd: metadata\.namespace: PriorityClass is cluster-scoped: the API server drops metadata\.namespace \(allowed: no metadata\.namespace\)$/);
    expect(result.err[wrote]).toMatch(/^wrote \d+ objects to .*\/dist\/multi-k8s\.k8s\.yaml$/);
    expect(result.err.filter((line) => line.startsWith('  image ')).length).toBeGreaterThan(0);
  });

  test('without an output folder it writes ./dist', () => {
    const command = synthCommand((config) => buildApp(config));
    const { result, dir } = inEmptyFolder(() => captureOutput(() => command([], { GIT_SHA: SHA })));
    expect(result.code).toBe(0);
    expect(result.err.find((line) => line.startsWith('wrote '))).toMatch(/^wrote \d+ objects to dist\/multi-k8s\.k8s\.yaml$/);
    expect(fs.readdirSync(path.join(dir, 'dist')).filter((f) => !f.startsWith('.'))).toEqual(['multi-k8s.k8s.yaml']);
  });

  test('a setting that fails: the error, dist/ kept, exit 1, nothing written', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    const result = captureOutput(() => synthCommand((config) => buildApp(config))([], { GIT_SHA: 'not-a-sha' }, outdir));
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(2);
    expect(result.err[0]).toMatch(/^error: invalid configuration:\n {2}- GIT_SHA=/);
    expect(result.err[1]).toBe(`${outdir}/ was left as it was.`);
    expect(fs.readdirSync(parent)).toEqual([]);
  });
});
