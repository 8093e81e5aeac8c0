import { escapeControls } from '../plan/text';
import { maskCredentials } from './config';

/**
 * A line as the commands (`plan`, `open-preview`, `close-preview`) print it: any control
 * character left is written as \uXXXX (lib/plan/text.ts) and the password of any
 * `user:password@` masked (config.ts maskCredentials, as `echo` masks values), so neither a name
 * from a manifest nor kubectl's own message can drive the terminal or show a password.
 */
export function safeLine(line: string): string {
  return maskCredentials(escapeControls(line));
}
