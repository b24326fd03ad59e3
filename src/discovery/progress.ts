// Turns engine events into what a person sees on stderr: on a TTY a live line per cloud
// (scopes done/total, resources found) that settles when the cloud finishes; off a TTY nothing
// but --verbose lines.

import { isUnfinished } from '../model/discovery.js';
import type { Cloud } from '../model/resource.js';
import type { Io } from '../render/io.js';
import { createProgress } from '../render/progress.js';
import type { DiscoveryEvent } from './events.js';

interface CloudProgress {
  tasks: number;
  done: number;
  resources: number;
  failed: number;
  /** Listings the run stopped (Ctrl-C, --timeout): not failures. */
  unfinished: number;
  listed: boolean;
}

export interface DiscoveryProgress {
  onEvent(event: DiscoveryEvent): void;
  stop(): void;
}

export async function createDiscoveryProgress(io: Io, clouds: Cloud[]): Promise<DiscoveryProgress> {
  const state = new Map<Cloud, CloudProgress>(
    clouds.map((cloud) => [cloud, { tasks: 0, done: 0, resources: 0, failed: 0, unfinished: 0, listed: false }]),
  );
  const describe = (cloud: Cloud, p: CloudProgress) =>
    p.listed
      ? `${cloud}: ${p.done}/${p.tasks} listings, ${p.resources.toLocaleString('en-US')} resources${p.failed ? `, ${p.failed} failed` : ''}${p.unfinished ? `, ${p.unfinished} not finished` : ''}`
      : `${cloud}: finding accounts and regions…`;
  const line = () => [...state].map(([cloud, p]) => describe(cloud, p)).join('  ·  ');

  // The live line needs a spinner; off a TTY only the --verbose lines below are written.
  const live = io.live ? await createProgress(io) : undefined;
  live?.start(line());
  const settle = (cloud: Cloud, p: CloudProgress) => {
    if (!live) return;
    if (p.failed || p.unfinished) live.fail(describe(cloud, p));
    else live.succeed(describe(cloud, p));
    state.delete(cloud);
    if (state.size > 0) live.start(line());
  };
  const check = (cloud: Cloud) => {
    const p = state.get(cloud);
    if (p?.listed && p.done >= p.tasks) settle(cloud, p);
  };

  return {
    onEvent(event) {
      const cloud = 'cloud' in event ? event.cloud : event.scope.cloud;
      const p = state.get(cloud);
      switch (event.type) {
        case 'scopes-done':
          if (p) {
            p.listed = true;
            p.tasks = event.tasks;
          }
          io.log.verbose(
            `${event.cloud}: ${event.scopes} scopes, ${event.tasks} listings${event.failures ? `, ${event.failures} scope failures` : ''}`,
          );
          break;
        case 'page':
          if (p) p.resources += event.resources;
          break;
        case 'task-done':
          if (p) p.done += 1;
          io.log.verbose(`${event.scope.label} ${event.kind}: ${event.resources} in ${event.pages} page(s)`);
          break;
        case 'task-failed': {
          const unfinished = isUnfinished(event.error);
          if (p) {
            p.done += 1;
            if (unfinished) p.unfinished += 1;
            else p.failed += 1;
          }
          io.log.verbose(
            unfinished
              ? `${event.scope.label} ${event.kind}: not finished (${event.error.message})`
              : `${event.scope.label} ${event.kind}: failed after ${event.attempts} attempt(s): ${event.error.code}: ${event.error.message}`,
          );
          break;
        }
        case 'retry':
          io.log.debug(`${event.label}: ${event.error.code}, retry ${event.attempt} in ${event.delayMs} ms`);
          break;
        default:
          break;
      }
      if (live && state.size > 0) live.update(line());
      check(cloud);
    },
    stop() {
      live?.stop();
    },
  };
}
