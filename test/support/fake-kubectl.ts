import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { tempDir } from '../helpers';

/** What the fake kubectl answers. */
export interface FakeAnswers {
  /** `kubectl diff`: objects as live now (an object with no counterpart in merged is one pruning would delete). */
  readonly live?: readonly Record<string, any>[];
  /** `kubectl diff`: objects as the apply would leave them. */
  readonly merged?: readonly Record<string, any>[];
  /** `kubectl diff`: fail with this message on stderr and exit code 2, as kubectl does on an error. */
  readonly diffError?: string;
  /** `kubectl apply --dry-run=server`: fail with this message on stderr and exit code 1. */
  readonly dryRunError?: string;
  /** `kubectl delete`: what it prints on stdout (on stderr "No resources found" when empty). */
  readonly deleteOutput?: string;
  /**
   * `kubectl get namespace NAME [--ignore-not-found] -o json|name`: the live Namespaces by name
   * (absent: nothing printed and exit 0, as --ignore-not-found does; -o name prints `namespace/NAME`).
   */
  readonly namespaces?: Readonly<Record<string, Record<string, any>>>;
}

/** A fake `kubectl` on a PATH of its own: records every call's arguments and answers from files. */
export interface FakeKubectl {
  /** The environment to run kubectl in (PATH with the fake first). */
  readonly env: NodeJS.ProcessEnv;
  /** The argument lists of every call so far, in order. */
  calls(): string[][];
  /** What the last `kubectl delete --raw` read on stdin (its DeleteOptions), or undefined if none ran. */
  deleteInput(): string | undefined;
}

// kubectl diff names each file group.version.Kind.namespace.name (k8s.io/kubectl pkg/cmd/diff/diff.go).
function fileName(object: Record<string, any>): string {
  const [group, version] = String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/') : ['', object.apiVersion];
  return `${group ? `${group}.` : ''}${version}.${object.kind}.${object.metadata?.namespace ?? ''}.${object.metadata?.name}`;
}

function writeObjects(dir: string, objects: readonly Record<string, any>[], absent: readonly Record<string, any>[] = []): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const object of objects) fs.writeFileSync(path.join(dir, fileName(object)), stringify(object));
  // kubectl prints nothing for an object that is not live yet: an empty file on the LIVE side.
  for (const object of absent) if (!fs.existsSync(path.join(dir, fileName(object)))) fs.writeFileSync(path.join(dir, fileName(object)), '');
}

const SCRIPT = `#!/bin/sh
log="$FAKE_KUBECTL_DIR/calls.log"
for arg in "$@"; do printf '%s\\n' "$arg" >> "$log"; done
printf '%s\\n' '--end--' >> "$log"
case "$1" in
  diff)
    if [ -f "$FAKE_KUBECTL_DIR/diff-error" ]; then cat "$FAKE_KUBECTL_DIR/diff-error" >&2; exit 2; fi
    work=$(mktemp -d)
    mkdir -p "$work/LIVE" "$work/MERGED"
    cp -R "$FAKE_KUBECTL_DIR/live/." "$work/LIVE"
    cp -R "$FAKE_KUBECTL_DIR/merged/." "$work/MERGED"
    "$KUBECTL_EXTERNAL_DIFF" "$work/LIVE" "$work/MERGED"
    status=$?
    rm -rf "$work"
    exit $status ;;
  apply)
    if [ -f "$FAKE_KUBECTL_DIR/dry-run-error" ]; then cat "$FAKE_KUBECTL_DIR/dry-run-error" >&2; exit 1; fi
    echo "deployment.apps/server-deployment configured (server dry run)"
    exit 0 ;;
  get)
    if [ "$2" = namespace ]; then
      [ -f "$FAKE_KUBECTL_DIR/namespaces/$3" ] || exit 0
      case " $* " in *" -o name "*) printf 'namespace/%s\n' "$3" ;; *) cat "$FAKE_KUBECTL_DIR/namespaces/$3" ;; esac
      exit 0
    fi ;;
  delete)
    # A raw delete (close-preview's, with its DeleteOptions on stdin): the body is kept.
    if [ "$2" = --raw ]; then cat > "$FAKE_KUBECTL_DIR/delete-input"; fi
    if [ -s "$FAKE_KUBECTL_DIR/delete-output" ]; then cat "$FAKE_KUBECTL_DIR/delete-output"; else echo "No resources found" >&2; fi
    exit 0 ;;
esac
echo "fake kubectl: unexpected command $1" >&2
exit 3
`;

/** Writes a fake kubectl that answers as told. */
export function fakeKubectl(answers: FakeAnswers = {}): FakeKubectl {
  const dir = tempDir();
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'kubectl'), SCRIPT, { mode: 0o755 });
  writeObjects(path.join(dir, 'live'), answers.live ?? [], answers.merged ?? []);
  writeObjects(path.join(dir, 'merged'), answers.merged ?? []);
  if (answers.diffError) fs.writeFileSync(path.join(dir, 'diff-error'), `${answers.diffError}\n`);
  if (answers.dryRunError) fs.writeFileSync(path.join(dir, 'dry-run-error'), `${answers.dryRunError}\n`);
  fs.writeFileSync(path.join(dir, 'delete-output'), answers.deleteOutput ?? '');
  fs.mkdirSync(path.join(dir, 'namespaces'));
  for (const [name, namespace] of Object.entries(answers.namespaces ?? {})) fs.writeFileSync(path.join(dir, 'namespaces', name), JSON.stringify(namespace));
  return {
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, FAKE_KUBECTL_DIR: dir },
    deleteInput() {
      const file = path.join(dir, 'delete-input');
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    },
    calls() {
      const log = path.join(dir, 'calls.log');
      if (!fs.existsSync(log)) return [];
      const calls: string[][] = [];
      let current: string[] = [];
      for (const line of fs.readFileSync(log, 'utf8').split('\n').slice(0, -1)) {
        if (line === '--end--') {
          calls.push(current);
          current = [];
        } else current.push(line);
      }
      return calls;
    },
  };
}
