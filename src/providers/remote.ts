// A provider that runs in its own worker thread. Each cloud's SDK then parses its responses on
// its own heap and, with two or more cores, in parallel with the other clouds and with the engine:
// one cloud's large XML pages no longer hold up another cloud's chain of dependent calls.

import { Worker } from 'node:worker_threads';
import type { Profile } from '../config/profile.js';
import { ConfigError, UsageError } from '../errors.js';
import type { Cloud } from '../model/resource.js';
import type { ProviderOptions } from './factory.js';
import type { FromThread, SerializedError, ThreadInit, ToThread } from './thread-protocol.js';
import type { ClassifiedError, CloudProvider, FaceCallOptions, FaceName, ListOptions, Page, ProviderFaces, ScopeListing } from './types.js';

/** A call that failed in the provider thread, already classified there by the cloud's own rules. */
export class RemoteCallError extends Error {
  /** Guardian's own error (ConfigError, UsageError) when the thread threw one, revived. */
  readonly guardian?: Error;
  constructor(
    readonly classified: ClassifiedError,
    error: SerializedError,
  ) {
    super(error.message);
    this.name = error.name;
    if (error.stack) this.stack = error.stack;
    if (error.name === 'ConfigError' || error.name === 'UsageError') this.guardian = revive(error);
  }
}

/** Guardian's own errors keep their class (and so their exit code) across the thread boundary. */
export function revive(error: SerializedError): Error {
  const Type = error.name === 'ConfigError' ? ConfigError : error.name === 'UsageError' ? UsageError : undefined;
  const revived = Type ? new Type(error.message, { hint: error.hint }) : Object.assign(new Error(error.message), { name: error.name });
  if (error.stack) revived.stack = error.stack;
  return revived;
}

/**
 * Heap limits of a provider thread (measured in BENCHMARKS.md). The bounded old generation makes
 * V8 collect sooner instead of growing the heap up to fourfold past the live set (about 100 MB per
 * cloud at 100,000 resources), and is far above what any thread was seen to keep alive. The young
 * generation stays large enough that a page's parse garbage dies young: 8 MB saved ~50 MB of RSS
 * but cost the AWS thread more collections and the run 5-10 % of its time.
 */
const THREAD_HEAP = { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 512 };

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  onRequest?: (service: string) => void;
}

export async function createThreadProvider(
  cloud: Cloud,
  profile: Profile,
  env: NodeJS.ProcessEnv,
  options: ProviderOptions,
): Promise<CloudProvider> {
  const init: ThreadInit = { cloud, profile, env: { ...env }, options };
  // process.env inside the thread is the session's environment, so SDKs that read it themselves
  // (Azure's DefaultAzureCredential) see the same variables as the rest of the provider.
  const worker = new Worker(new URL('./thread.js', import.meta.url), {
    workerData: init,
    env: init.env,
    resourceLimits: THREAD_HEAP,
  });
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let stopped: Error | undefined;

  const fail = (error: Error) => {
    stopped ??= error;
    for (const call of pending.values()) call.reject(stopped);
    pending.clear();
  };
  const crashed = (why: string) =>
    new RemoteCallError(
      { class: 'fatal', code: 'ProviderThreadStopped', message: `the ${cloud} provider thread stopped: ${why}` },
      { name: 'Error', message: `the ${cloud} provider thread stopped: ${why}` },
    );

  const ready = new Promise<FromThread & { op: 'ready' }>((resolve, reject) => {
    worker.on('message', (message: FromThread) => {
      switch (message.op) {
        case 'ready':
          resolve(message);
          return;
        case 'init-failed':
          reject(revive(message.error));
          return;
        case 'request':
          pending.get(message.id)?.onRequest?.(message.service);
          return;
        case 'done':
          pending.get(message.id)?.resolve(message.value);
          pending.delete(message.id);
          return;
        case 'failed':
          pending.get(message.id)?.reject(new RemoteCallError(message.classified, message.error));
          pending.delete(message.id);
          return;
      }
    });
    worker.on('error', (error) => {
      reject(error);
      fail(crashed(error.message));
    });
    worker.on('exit', (code) => {
      const error = crashed(`exit code ${code}`);
      reject(error);
      fail(error);
    });
  });

  function call<T>(message: ToThread, signal?: AbortSignal, onRequest?: (service: string) => void): Promise<T> {
    if (stopped) return Promise.reject(stopped);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => worker.postMessage({ op: 'abort', id: message.id } satisfies ToThread);
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal?.removeEventListener('abort', onAbort);
      pending.set(message.id, {
        resolve: (value) => {
          settle();
          resolve(value as T);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        onRequest,
      });
      worker.postMessage(message);
    });
  }

  let announced: Awaited<typeof ready>;
  try {
    announced = await ready;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  const { kinds } = announced;

  // Every face the thread's provider offers, forwarded as one call each (see FACES in types.ts).
  // Queries and answers are plain data, so one forwarder serves every face whatever its types.
  const forward = <F extends FaceName>(face: F) =>
    ((query: unknown, { signal }: FaceCallOptions) => call({ op: 'face', id: nextId++, face, query }, signal)) as ProviderFaces[F];
  const faces: Partial<Record<FaceName, unknown>> = {};
  for (const face of announced.faces) faces[face] = forward(face);

  return {
    ...(faces as Partial<ProviderFaces>),
    cloud,
    kinds: kinds.map(({ kind, scopeType, permissions }) => ({
      cloud,
      kind,
      scopeType,
      permissions,
      listPage: (scope, token, list: ListOptions) =>
        call<Page>(
          {
            op: 'listPage',
            id: nextId++,
            scope: scope.handle as string,
            kind,
            token,
            raw: list.raw,
            countRequests: list.onRequest !== undefined,
          },
          list.signal,
          list.onRequest,
        ),
    })),
    listScopes: ({ regions, signal }) => call<ScopeListing>({ op: 'listScopes', id: nextId++, regions }, signal),
    classify: (error) =>
      error instanceof RemoteCallError
        ? error.classified
        : { class: 'fatal', code: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error) },
    close: async () => {
      if (!stopped) await call({ op: 'close', id: nextId++ }).catch(() => {});
      stopped ??= new Error('closed');
      await worker.terminate();
    },
  };
}
