import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../lib/validate/cli';

/** What one run of the validator CLI printed, and its exit code. */
export interface CliRun {
  readonly code: number;
  /** stdout lines: problems and skipped objects. */
  readonly out: string[];
  /** stderr lines: unusable inputs, exceptions applied, the summary. */
  readonly err: string[];
}

/**
 * Runs a command's `run` in process and captures what it prints: each console.log call or
 * process.stdout.write chunk is one `out` entry, each console.error call one `err` entry.
 */
export function captureOutput(run: () => number): CliRun {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out.push(a.join(' ')); });
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out.push(String(chunk)); return true; });
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { err.push(a.join(' ')); });
  try {
    return { code: run(), out, err };
  } finally {
    log.mockRestore();
    write.mockRestore();
    error.mockRestore();
  }
}

/** Runs `npm run validate -- ARGS` in process, capturing its lines. */
export function runCli(args: readonly string[]): CliRun {
  const { code, out, err } = captureOutput(() => run(args));
  const lines = (entries: string[]) => entries.flatMap((entry) => entry.split('\n'));
  return { code, out: lines(out), err: lines(err) };
}

/** Writes a file under dir, making its folders; returns its path. */
export function write(dir: string, file: string, text: string | Buffer): string {
  const full = path.join(dir, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  return full;
}

/** A ConfigMap manifest with these lines under `data:` (each already indented by two spaces). */
export function configMap(name: string, dataLines: readonly string[] = []): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${dataLines.length ? `data:\n${dataLines.join('\n')}\n` : ''}`;
}

const root = path.join(__dirname, '..', '..');

/**
 * Runs the built CLI as `npm run validate` does, in a child process with its own environment
 * (locale) and a time limit, so that a hang (a named pipe read) fails instead of blocking jest.
 * The first call may compile the project (scripts/launch.js), which takes a while.
 */
export function runBuiltCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeout = 120_000): CliRun & { readonly signal: NodeJS.Signals | null } {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'launch.js'), 'validate', ...args], {
    cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout,
  });
  const lines = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('compiling TypeScript'));
  return { code: result.status ?? -1, signal: result.signal, out: lines(result.stdout ?? ''), err: lines(result.stderr ?? '') };
}
