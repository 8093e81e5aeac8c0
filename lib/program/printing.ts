import { escapeControls } from '../plan/text';
import { echo, MAX_ECHO } from '../validate/echo';
import { PolicyException, formatPolicyException } from '../validate/policy';
import { maskCredentials } from './config';

/**
 * A line as the commands (`plan`, `open-preview`, `close-preview`) print it: any control
 * character left is written as \uXXXX (lib/plan/text.ts) and the password of any
 * `user:password@` masked (config.ts maskCredentials, as `echo` masks values), so neither a name
 * from a manifest nor kubectl's own message can drive the terminal or show a password.
 */
export function safeLine(line: string): string {
  // The line and paragraph separators too, which some terminals and editors break lines at.
  return maskCredentials(escapeControls(line)).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/**
 * A message of several lines (a configuration error lists one problem per line) as it may reach a
 * terminal: each line as safeLine prints it, the line breaks between them kept. The values inside
 * were escaped and shortened where they were put into the message (config.ts shownValue,
 * lib/validate/echo.ts echo): no line break left is one of theirs.
 */
export function safeText(text: string): string {
  return text.split('\n').map(safeLine).join('\n');
}

/**
 * `policy exception [rule] Kind/name: reason`, as the synth lists it: exactly the validator's
 * line (`npm run validate` prints it the same way), the reason, written by whoever accepted the
 * finding, escaped, masked and shortened.
 */
export function policyExceptionLine(e: PolicyException): string {
  return echo(formatPolicyException(e), 10 * MAX_ECHO);
}
