// The header's progress line while a refresh runs: discovery's events counted per cloud (listings
// done of those planned, resources found, failures), then the phase after discovery. Pure.

import type { DiscoveryEvent } from '../discovery/events.js';
import { isUnfinished } from '../model/discovery.js';
import type { Cloud } from '../model/resource.js';

interface CloudCount {
  listed: boolean;
  tasks: number;
  done: number;
  resources: number;
  failed: number;
}

export interface ProgressTracker {
  onEvent(event: DiscoveryEvent): void;
  line(): string;
}

export function trackDiscovery(): ProgressTracker {
  const clouds = new Map<Cloud, CloudCount>();
  const of = (cloud: Cloud) => {
    let count = clouds.get(cloud);
    if (!count) {
      count = { listed: false, tasks: 0, done: 0, resources: 0, failed: 0 };
      clouds.set(cloud, count);
    }
    return count;
  };
  return {
    onEvent(event) {
      const count = of('cloud' in event ? event.cloud : event.scope.cloud);
      switch (event.type) {
        case 'scopes-done':
          count.listed = true;
          count.tasks = event.tasks;
          break;
        case 'page':
          count.resources += event.resources;
          break;
        case 'task-done':
          count.done += 1;
          break;
        case 'task-failed':
          count.done += 1;
          if (!isUnfinished(event.error)) count.failed += 1;
          break;
        default:
          break;
      }
    },
    line() {
      if (clouds.size === 0) return 'discovering: finding accounts and regions…';
      const parts = [...clouds].map(([cloud, c]) =>
        c.listed
          ? `${cloud} ${c.done}/${c.tasks} listings, ${c.resources.toLocaleString('en-US')} resources${c.failed ? `, ${c.failed} failed` : ''}`
          : `${cloud} finding scopes…`,
      );
      return `discovering: ${parts.join(' · ')}`;
    },
  };
}
