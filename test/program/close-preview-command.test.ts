import { run } from '../../lib/program/close-preview-command';
import { captureOutput } from '../support/cli';
import { fakeKubectl } from '../support/fake-kubectl';

function closePreview(args: string[], kubectl = {}) {
  return captureOutput(() => run(args, kubectl));
}

describe('npm run close-preview', () => {
  test('deletes the preview\'s namespace with the label check inside the one delete command', () => {
    const kubectl = fakeKubectl({ deleteOutput: 'namespace "pr-12" deleted\n' });
    const result = closePreview(['pr-12'], { env: kubectl.env });
    expect(kubectl.calls()).toEqual([
      ['delete', 'namespace', '-l', 'app.kubernetes.io/part-of=multi-k8s,app.kubernetes.io/instance=pr-12', '--field-selector', 'metadata.name=pr-12'],
    ]);
    expect(result).toEqual({
      code: 0,
      out: ['namespace "pr-12" deleted\n'],
      err: ['running: kubectl delete namespace -l app.kubernetes.io/part-of=multi-k8s,app.kubernetes.io/instance=pr-12 --field-selector metadata.name=pr-12'],
    });
  });

  test('a namespace that is not this app\'s preview of that name matches nothing: exit 1, nothing deleted', () => {
    const kubectl = fakeKubectl();
    const result = closePreview(['team-x'], { env: kubectl.env });
    expect(result.code).toBe(1);
    expect(result.err[1]).toBe('error: no Namespace "team-x" created by this app for that preview (labelled app.kubernetes.io/part-of=multi-k8s and app.kubernetes.io/instance=team-x): nothing was deleted');
  });

  test.each([
    [['prod'], 'error: "prod" is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than prod, dev'],
    [['dev'], 'error: "dev" is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than prod, dev'],
    [['kube-system;rm'], 'error: "kube-system;rm" is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than prod, dev'],
    [[], 'error: name one preview; usage: npm run close-preview -- NAME  (NAME: a preview of PREVIEWS, e.g. pr-12)'],
    [['pr-1', 'pr-2'], 'error: name one preview; usage: npm run close-preview -- NAME  (NAME: a preview of PREVIEWS, e.g. pr-12)'],
    [['--all'], 'error: name one preview; usage: npm run close-preview -- NAME  (NAME: a preview of PREVIEWS, e.g. pr-12)'],
  ])('refuses %j before kubectl runs: exit 2', (args, message) => {
    const kubectl = fakeKubectl({ deleteOutput: 'namespace deleted\n' });
    expect(closePreview(args, { env: kubectl.env })).toEqual({ code: 2, out: [], err: [message] });
    expect(kubectl.calls()).toEqual([]);
  });
});
