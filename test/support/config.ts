import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, readConfig } from '../../lib/program/config';
import { tempDir } from '../helpers';

/**
 * The problems readConfig refuses `env` with (its ConfigError's list); fails the test when it
 * throws anything else, or nothing. Git is asked nothing unless `head` says.
 */
export function configProblems(env: NodeJS.ProcessEnv, head: () => string | undefined = () => undefined, dirty: () => boolean = () => false): readonly string[] {
  try {
    readConfig(env, head, dirty);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

/** `git ARGS` in `dir` as a committer named t, its output trimmed. */
export function gitIn(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim();
}

/** A new repository in a temporary folder with one commit of one tracked file, `a`. */
export function committedRepository(): string {
  const dir = tempDir();
  gitIn(dir, 'init', '-q');
  fs.writeFileSync(path.join(dir, 'a'), 'a');
  gitIn(dir, 'add', 'a');
  gitIn(dir, 'commit', '-qm', 'a');
  return dir;
}
