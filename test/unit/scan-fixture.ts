// Builders for scan tests: a Resource with sensible defaults and the attributes a test cares about.

import type { Resource, ResourceAttributes, ResourceKind } from '../../src/model/resource.js';

let counter = 0;

export function resource(kind: ResourceKind, attributes: ResourceAttributes = {}, overrides: Partial<Resource> = {}): Resource {
  counter += 1;
  const cloud = kind.slice(0, kind.indexOf('.')) as Resource['cloud'];
  const account = cloud === 'aws' ? '111122223333' : cloud === 'azure' ? '00000000-0000-0000-0000-000000000001' : 'acme-prod';
  return {
    cloud,
    kind,
    id: `${kind.split('.').pop()}-${counter}`,
    name: `test-${counter}`,
    account,
    region: cloud === 'aws' ? 'eu-west-1' : cloud === 'azure' ? 'westeurope' : 'europe-west1-b',
    tags: {},
    attributes,
    relations: [],
    ...overrides,
  };
}

export const world = (port: number, source = '0.0.0.0/0', protocol = 'tcp') => ({
  protocol,
  fromPort: port,
  toPort: port,
  source,
  action: 'allow' as const,
});
export const internal = (port: number) => world(port, '10.0.0.0/8');
