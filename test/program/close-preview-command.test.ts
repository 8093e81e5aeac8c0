import { run } from '../../lib/program/close-preview-command';
import { captureOutput } from '../support/cli';

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
    [[], 'error: name one preview; usage: npm run close-preview -- NAME  (NAME: a preview of PREVIEWS, e.g. pr-12)'],
    [['pr-1', 'pr-2'], 'error: name one preview; usage: npm run close-preview -- NAME  (NAME: a preview of PREVIEWS, e.g. pr-12)'],
    [['--all'], 'error: name one preview; usage: npm run close-preview -- NAME  (NAME: a preview of PREVIEWS, e.g. pr-12)'],
  ])('refuses %j before kubectl runs: exit 2', (args, message) => {
    // A kubectl that cannot run would say so: the refusal comes first.
    expect(closePreview(args, NO_KUBECTL)).toEqual({ code: 2, out: [], err: [message] });
  });

  test('without kubectl: one line saying so, exit 2, nothing deleted', () => {
    expect(closePreview(['pr-12'], NO_KUBECTL)).toEqual({ code: 2, out: [], err: ['error: kubectl was not found on PATH: install kubectl 1.27 or newer'] });
  });
});
