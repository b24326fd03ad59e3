// A provider thread: builds one cloud's provider (its SDK loads and parses here, on its own heap
// and core) and answers the engine's scope and page calls and the faces' queries. Entry point of a worker_threads Worker.

import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { createLocalProvider } from './factory.js';
import { type FromThread, serializeError, type ThreadInit, type ToThread } from './thread-protocol.js';
import { type CloudProvider, FACES, type KindSpec, type Scope } from './types.js';

if (!parentPort) throw new Error('providers/thread.js runs only as a worker thread');
const port: MessagePort = parentPort;
const init = workerData as ThreadInit;
const send = (message: FromThread) => port.postMessage(message);

/** Scope handles stay here; the engine sees a key instead. */
const scopes = new Map<string, Scope>();
const calls = new Map<number, AbortController>();

function publicScope(scope: Scope): Scope {
  const key = `${scopes.size}`;
  scopes.set(key, scope);
  return { ...scope, handle: key };
}

/** A page normally crosses by structured clone; a --raw SDK object that cannot (a function inside) crosses as JSON. */
function reply(message: FromThread & { op: 'done' }) {
  try {
    port.postMessage(message);
  } catch (error) {
    if ((error as Error).name !== 'DataCloneError') throw error;
    port.postMessage(JSON.parse(JSON.stringify(message)));
  }
}

async function serve(provider: CloudProvider): Promise<void> {
  const kinds = new Map<string, KindSpec>(provider.kinds.map((spec) => [spec.kind, spec]));
  port.on('message', async (message: ToThread) => {
    if (message.op === 'abort') {
      calls.get(message.id)?.abort();
      return;
    }
    if (message.op === 'close') {
      await provider.close?.().catch(() => {});
      send({ op: 'done', id: message.id, value: undefined });
      return;
    }
    const controller = new AbortController();
    calls.set(message.id, controller);
    try {
      if (message.op === 'listScopes') {
        const listing = await provider.listScopes({ regions: message.regions, signal: controller.signal });
        reply({ op: 'done', id: message.id, value: { ...listing, scopes: listing.scopes.map(publicScope) } });
      } else if (message.op === 'face') {
        const reader = provider[message.face];
        if (!reader) throw new Error(`the ${provider.cloud} provider has no ${message.face} face`);
        reply({ op: 'done', id: message.id, value: await reader(message.query as never, { signal: controller.signal }) });
      } else {
        const spec = kinds.get(message.kind);
        const scope = scopes.get(message.scope);
        if (!spec || !scope) throw new Error(`unknown ${spec ? 'scope' : 'kind'} in a page call: ${spec ? message.scope : message.kind}`);
        const page = await spec.listPage(scope, message.token, {
          signal: controller.signal,
          raw: message.raw,
          ...(message.countRequests ? { onRequest: (service: string) => send({ op: 'request', id: message.id, service }) } : {}),
        });
        reply({ op: 'done', id: message.id, value: page });
      }
    } catch (error) {
      send({ op: 'failed', id: message.id, classified: provider.classify(error), error: serializeError(error) });
    } finally {
      calls.delete(message.id);
    }
  });
}

try {
  const provider = await createLocalProvider(init.cloud, init.profile, init.env, init.options);
  await serve(provider);
  send({
    op: 'ready',
    kinds: provider.kinds.map((spec) => ({ kind: spec.kind, scopeType: spec.scopeType, permissions: spec.permissions })),
    faces: FACES.filter((face) => provider[face] !== undefined),
  });
} catch (error) {
  send({ op: 'init-failed', error: serializeError(error) });
}
