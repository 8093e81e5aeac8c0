import { parseCommandLine, UsageError } from '../../lib/program/command-line';

// The one reading of plan's, open-preview's and close-preview's arguments. None of those takes an
// option with a value today; the value rules are held here so a later one gets them right.
const SPEC = { '--cluster': '', '--out': 'a folder' };

describe('parseCommandLine', () => {
  test('options, operands, and -- ending the options', () => {
    const line = parseCommandLine(['a', '--cluster', '--out', 'o', '-', '--', '--cluster', '-x'], SPEC);
    expect(line).toEqual({ help: false, options: new Map([['--cluster', ''], ['--out', 'o']]), operands: ['a', '-', '--cluster', '-x'] });
  });

  test.each([[['-h']], [['--help']], [['--nope', '--help']], [['--out', '--help']]])('%j asks for the help, whatever else is wrong', (args) => {
    expect(parseCommandLine(args, SPEC).help).toBe(true);
  });

  test('the help answer carries no option and no operand of the line it came from', () => {
    expect(parseCommandLine(['a', '--cluster', '--help', '--', 'b'], SPEC)).toEqual({ help: true, options: new Map(), operands: [] });
  });

  test('--help after -- is an operand', () => {
    expect(parseCommandLine(['--', '--help'], SPEC)).toEqual({ help: false, options: new Map(), operands: ['--help'] });
  });

  test.each([
    [['--cluster', '--cluster'], '--cluster is given twice: give it once'],
    [['--out', 'a', '--out', 'b'], '--out is given twice: give it once'],
    [['--out'], '--out needs a folder: nothing follows it'],
    [['--out', '--cluster'], '--out needs a folder: --cluster follows it'],
    [['--out', '-x'], '--out needs a folder: -x follows it'],
    [['--nope'], 'unknown option --nope: allowed are --cluster, --out, -h, --help, -- (an operand starting with - goes after --)'],
    [['--out=x'], 'unknown option --out=x: allowed are --cluster, --out, -h, --help, -- (an operand starting with - goes after --)'],
    [['-\u001b[2J'], 'unknown option "-\\u001b[2J": allowed are --cluster, --out, -h, --help, -- (an operand starting with - goes after --)'],
  ])('%j is a usage error: %s', (args, message) => {
    expect(() => parseCommandLine(args, SPEC)).toThrow(new UsageError(message));
  });

  test('a lone - is a value and an operand', () => {
    expect(parseCommandLine(['--out', '-', '-'], SPEC)).toEqual({ help: false, options: new Map([['--out', '-']]), operands: ['-'] });
  });
});
