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

// The worker: answers {task, url, input} with {output} or {error}, then wakes the caller.
const WORKER_PROGRAM = `
const { workerData } = require('worker_threads');
const { port, signal } = workerData;
const validators = new Map();
const tasks = new Map();
port.on('message', async ({ task, url, input }) => {
  let answer;
  try {
    if (!validators.has(url)) validators.set(url, (await import(url)).validate);
    if (!tasks.has(task)) tasks.set(task, (0, eval)('(' + task + ')'));
    answer = { output: tasks.get(task)(validators.get(url), input) };
  } catch (error) {
    answer = { error: String((error && error.message) || error) };
  }
  port.postMessage(answer);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

let worker: { port: MessagePort; signal: Int32Array } | undefined;

/** Runs `task` in the worker against the `validate` export of the ES module `file`. */
export function runInWorker(file: string, task: Task, input: unknown): unknown {
  if (!worker) {
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const thread = new Worker(WORKER_PROGRAM, { eval: true, workerData: { port: port2, signal }, transferList: [port2] });
    // Neither keeps the process alive once the caller is done.
    thread.unref();
    port1.unref();
    worker = { port: port1, signal };
  }
  Atomics.store(worker.signal, 0, 0);
  worker.port.postMessage({ task: task.toString(), url: pathToFileURL(file).href, input });
  Atomics.wait(worker.signal, 0, 0);
  const answer = receiveMessageOnPort(worker.port)?.message as { output?: unknown; error?: string } | undefined;
  if (!answer || answer.error !== undefined) throw new Error(`${file} could not be run: ${answer?.error ?? 'no answer'}`);
  return answer.output;
}
