import { ConfigError, readConfig } from '../../lib/program/config';

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
