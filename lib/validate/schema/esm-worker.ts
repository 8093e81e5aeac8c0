import { pathToFileURL } from 'url';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';

/**
 * Runs a validator from kubernetes-models' packages, synchronously, for a synchronous caller.
 * Those packages are ES modules only (their `_schemas/*` export has just the `import`
 * condition), which a CommonJS caller can only load asynchronously, and jest's module system
 * not at all. So one worker thread import()s them and runs them; the caller waits for each
 * answer (Atomics.wait on a shared flag, then receiveMessageOnPort). The worker starts on the
 * first call (~50 ms) and serves the rest of the process.
 */

export interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}
export type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

/**
 * A task the worker runs: `(validate, input) => output`, self-contained (its source is sent to
 * the worker), given the module's `validate` export.
 */
export type Task = (validate: Validator, input: unknown) => unknown;

// The worker: answers each {id, task, url, input} with {id, output} or {id, error}, then bumps
// the shared counter and wakes the caller. Answers may come out of order (import() awaits).
const WORKER_PROGRAM = `
const { workerData } = require('worker_threads');
const { port, signal } = workerData;
const validators = new Map();
const tasks = new Map();
port.on('message', async ({ id, task, url, input }) => {
  let answer;
  try {
    if (!validators.has(url)) validators.set(url, import(url).then((m) => m.validate));
    const validate = await validators.get(url);
    if (!tasks.has(task)) tasks.set(task, (0, eval)('(' + task + ')'));
    answer = { id, output: tasks.get(task)(validate, input) };
  } catch (error) {
    answer = { id, error: String((error && error.message) || error) };
  }
  port.postMessage(answer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

interface Answer {
  readonly id: number;
  readonly output?: unknown;
  readonly error?: string;
}

let worker: { port: MessagePort; signal: Int32Array; seen: number; next: number; answers: Map<number, Answer>; files: Map<number, string> } | undefined;

function start(): NonNullable<typeof worker> {
  if (!worker) {
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const thread = new Worker(WORKER_PROGRAM, { eval: true, workerData: { port: port2, signal }, transferList: [port2] });
    // Neither keeps the process alive once the caller is done.
    thread.unref();
    port1.unref();
    worker = { port: port1, signal, seen: 0, next: 0, answers: new Map(), files: new Map() };
  }
  return worker;
}

/**
 * Sends `task` to the worker, to run against the `validate` export of the ES module `file`, and
 * returns at once: the worker works while the caller does other things. `collect` waits.
 */
export function submit(file: string, task: Task, input: unknown): number {
  const w = start();
  const id = w.next++;
  w.files.set(id, file);
  w.port.postMessage({ id, task: task.toString(), url: pathToFileURL(file).href, input });
  return id;
}

/** The output of a submitted task, waiting for it if need be. */
export function collect(id: number): unknown {
  const w = start();
  for (;;) {
    for (let m = receiveMessageOnPort(w.port); m; m = receiveMessageOnPort(w.port)) w.answers.set((m.message as Answer).id, m.message as Answer);
    const answer = w.answers.get(id);
    if (answer) {
      w.answers.delete(id);
      const file = w.files.get(id);
      w.files.delete(id);
      if (answer.error !== undefined) throw new Error(`${file} could not be run: ${answer.error}`);
      return answer.output;
    }
    // Returns at once if the worker answered since we last looked; sleeps until it does otherwise.
    Atomics.wait(w.signal, 0, w.seen);
    w.seen = Atomics.load(w.signal, 0);
  }
}

/** Runs `task` in the worker against the `validate` export of the ES module `file`, and waits. */
export function runInWorker(file: string, task: Task, input: unknown): unknown {
  return collect(submit(file, task, input));
}
