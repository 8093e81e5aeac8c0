/**
 * The command line of `npm run plan`, `npm run open-preview` and `npm run close-preview`, read
 * one way: `-h`/`--help` asks for the help (and nothing else runs), `--` ends the options (every
 * later argument is an operand, even one starting with -), each option may be given once (a
 * second one would silently win over the first), an option that takes a value says so when the
 * value is missing or is another option, and anything else starting with - is an unknown option.
 * A lone `-` is an operand, as for most Unix tools.
 */
import { shown } from '../plan/text';

/** A mistake on the command line: one `error:` line, then the usage; exit code 2. */
export class UsageError extends Error {}

/** The options a command takes: each with the placeholder of its value, or '' for a flag. */
export type OptionSpec = Readonly<Record<string, string>>;

export interface CommandLine {
  /** -h or --help was given: print the help, exit 0, do nothing else. */
  readonly help: boolean;
  /** The options given: a flag's value is '' . */
  readonly options: ReadonlyMap<string, string>;
  /** Every other argument, in order. */
  readonly operands: readonly string[];
}

export function parseCommandLine(args: readonly string[], spec: OptionSpec): CommandLine {
  // Help wins wherever it stands before `--`: a reader asking for it gets it, whatever else is wrong.
  const end = args.indexOf('--');
  if ((end < 0 ? args : args.slice(0, end)).some((arg) => arg === '-h' || arg === '--help')) return { help: true, options: new Map(), operands: [] };
  const options = new Map<string, string>();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    if (!Object.hasOwn(spec, arg)) {
      const known = Object.keys(spec);
      throw new UsageError(`unknown option ${shown(arg)}: allowed are ${[...known, '-h', '--help', '--'].join(', ')} (an operand starting with - goes after --)`);
    }
    if (options.has(arg)) throw new UsageError(`${arg} is given twice: give it once`);
    const placeholder = spec[arg];
    if (placeholder === '') {
      options.set(arg, '');
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || (value.startsWith('-') && value !== '-')) {
      throw new UsageError(`${arg} needs ${placeholder}: ${value === undefined ? 'nothing follows it' : `${shown(value)} follows it`}`);
    }
    options.set(arg, value);
    i += 1;
  }
  return { help: false, options, operands };
}
