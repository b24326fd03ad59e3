// A chat session's estate for unit tests: a snapshot of the given resources, every other part
// refusing with "no … in this test" unless the test gives it.

import type { EstateSource } from '../../src/chat/tools/index.js';
import type { Resource } from '../../src/model/resource.js';

const refuse = (what: string) => async (): Promise<never> => {
  throw new Error(`no ${what} in this test`);
};

export function snapshotEstate(resources: Resource[], parts: Partial<EstateSource> & { complete?: boolean } = {}): EstateSource {
  const { complete = true, ...given } = parts;
  return {
    mode: 'snapshot',
    inventory: async () => ({ resources, errors: [], complete, source: 'test.json' }),
    scan: refuse('scan'),
    optimize: refuse('optimize'),
    spend: refuse('billing'),
    predictCosts: refuse('forecast'),
    anomalies: refuse('anomalies'),
    capacity: refuse('capacity'),
    risk: refuse('risk'),
    ...given,
  };
}
