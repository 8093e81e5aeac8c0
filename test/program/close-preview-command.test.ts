import * as fs from 'fs';
import { run } from '../../lib/program/close-preview-command';
import { inEmptyFolder } from '../helpers';
import { captureOutput } from '../support/cli';
import { fakeKubectl } from '../support/fake-kubectl';

// What close-preview does with a cluster (deletes only a namespace with this app's mark, with
// the uid it checked as the delete's precondition) is tested on the real API server:
// test/program/preview-namespace-cluster.test.ts. Here: what it refuses before kubectl runs.

function closePreview(args: string[], kubectl = {}) {
  return captureOutput(() => run(args, kubectl));
}

const NO_KUBECTL = { kubectl: '/nonexistent/kubectl' };

describe('npm run close-preview', () => {
  test.each([
    [['prod'], 'error: prod is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than prod, dev'],
    [['dev'], 'error: dev is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than prod, dev'],
    [['kube-system;rm'], 'error: kube-system;rm is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than prod, dev'],
    [['pr-1\u001b[2J\nforged'], 'error: "pr-1\\u001b[2J\\nforged" is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than prod, dev'],
    [['--', '-x'], 'error: -x is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than prod, dev'],
  ])('refuses %j before kubectl runs: exit 2', (args, message) => {
    // A kubectl that cannot run would say so: the refusal comes first.
    expect(closePreview(args, NO_KUBECTL)).toEqual({ code: 2, out: [], err: [message] });
  });

  test.each([
    [[], 'error: name one preview (none was given)'],
    [['pr-1', 'pr-2'], 'error: name one preview (2 were given)'],
    [['--', 'pr-1', 'pr-2'], 'error: name one preview (2 were given)'],
    [['--all'], 'error: unknown option --all: allowed are -h, --help, -- (an operand starting with - goes after --)'],
    [['pr-1', '--force'], 'error: unknown option --force: allowed are -h, --help, -- (an operand starting with - goes after --)'],
  ])('%j: one error line, then the usage, exit 2, kubectl never runs', (args, message) => {
    const kubectl = fakeKubectl();
    expect(closePreview(args, { env: kubectl.env })).toEqual({ code: 2, out: [], err: [message, expect.stringMatching(/^usage: npm run close-preview -- NAME\n/)] });
    expect(kubectl.calls()).toEqual([]);
  });

  test.each([[['--help']], [['-h']], [['pr-12', '--help']], [['--bogus', '-h']]])('%j prints the usage on stdout, exit 0, kubectl never runs, nothing written', (args) => {
    const kubectl = fakeKubectl();
    const { result, dir } = inEmptyFolder(() => closePreview(args, { env: kubectl.env }));
    expect(result).toEqual({ code: 0, out: [expect.stringMatching(/^usage: npm run close-preview -- NAME\n/)], err: [] });
    for (const part of [/NAME +the preview to close: a name of PREVIEWS, e\.g\. pr-12 \(required; no default\)/, /-h, --help +print this help and exit 0/, /-- +ends the options/,
      /Exit codes: 0 the namespace is deleted[\s\S]*, 1 no such namespace or not this\s+app's \(nothing deleted\), 2 an error/]) {
      expect(result.out[0]).toMatch(part);
    }
    expect(kubectl.calls()).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('without kubectl: one line saying so, exit 2, nothing deleted', () => {
    expect(closePreview(['pr-12'], NO_KUBECTL)).toEqual({ code: 2, out: [], err: ['error: kubectl was not found on PATH: install kubectl 1.27 or newer'] });
  });
});
