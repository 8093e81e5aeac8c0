import { run as runValidator } from '../validate/cli';
import { APP_OPERATOR_SECRETS, APP_POLICY_EXCEPTIONS } from './app-contract';

/** `npm run validate`: the generic validator, told what the app's own output expects. */
export function run(args: readonly string[]): number {
  return runValidator(args, { operatorSecrets: APP_OPERATOR_SECRETS, policyExceptions: APP_POLICY_EXCEPTIONS });
}
