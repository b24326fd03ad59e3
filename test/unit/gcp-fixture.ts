// A small hand-built GCP estate and a sandbox serving it, for the GCP wire and provider tests:
// two projects, several zones (some empty, for the NO_RESULTS_ON_PAGE warnings), every kind.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Estate, EstateResource, GcpAddress, GcpDisk, GcpFirewall, GcpInstance, GcpSnapshot } from '../../src/sandbox/estate/types.js';
import { createServiceAccountKey, services } from '../../src/sandbox/gcp/index.js';
import { SandboxServer } from '../../src/sandbox/server/server.js';

export const SERVICE_ACCOUNT = 'guardian-reader@acme-prod.iam.gserviceaccount.com';

function base<K extends EstateResource['kind']>(kind: K, id: string, name: string, account: string, region: string) {
  return { kind, id, name, account, region, createdAt: '2025-06-01T12:00:00.000Z', tags: { env: 'prod', team: 'platform' }, planted: [] };
}

/** `instancesPerZone` instances in each of acme-prod's first two zones, each with a boot disk and a snapshot. */
export function buildGcpEstate(instancesPerZone = 3): Estate {
  const resources: EstateResource[] = [];
  let nextId = 4_000_000_000_000_000_000n;
  const id = () => String(nextId++);
  for (const zone of ['us-central1-a', 'europe-west1-b']) {
    for (let i = 0; i < instancesPerZone; i++) {
      const instanceId = id();
      const diskId = id();
      const name = `web-${zone.slice(0, 2)}-${i}`;
      const instance: GcpInstance = {
        ...base('gcp.compute.instance', instanceId, name, 'acme-prod', zone),
        spec: {
          machineType: i % 2 === 0 ? 'e2-medium' : 'n2-standard-4',
          status: i % 3 === 2 ? 'TERMINATED' : 'RUNNING',
          network: 'default',
          internalIp: `10.128.0.${10 + i}`,
          natIp: i % 2 === 0 ? `34.67.1.${10 + i}` : undefined,
          diskIds: [diskId],
          serviceAccountEmail: '123456789012-compute@developer.gserviceaccount.com',
          scopes: i === 0 ? ['https://www.googleapis.com/auth/cloud-platform'] : ['https://www.googleapis.com/auth/devstorage.read_only'],
          serialPortEnabled: i === 1,
          blockProjectSshKeys: i !== 0,
          networkTags: i % 2 === 0 ? ['web'] : ['db'],
          metricProfile: 'normal',
        },
      };
      const disk: GcpDisk = {
        ...base('gcp.compute.disk', diskId, name, 'acme-prod', zone),
        spec: {
          sizeGb: 10 + i * 10,
          type: i % 2 === 0 ? 'pd-balanced' : 'pd-ssd',
          status: 'READY',
          users: [instanceId],
          kmsKeyName: i === 1 ? 'projects/acme-prod/locations/global/keyRings/ring/cryptoKeys/disk' : undefined,
        },
      };
      const snapshot: GcpSnapshot = {
        ...base('gcp.compute.snapshot', id(), `${name}-snap`, 'acme-prod', 'global'),
        spec: { sourceDiskId: diskId, diskSizeGb: disk.spec.sizeGb, storageBytes: 1_234_567 * (i + 1), status: 'READY' },
      };
      resources.push(instance, disk, snapshot);
    }
  }
  const unattached: GcpDisk = {
    ...base('gcp.compute.disk', id(), 'orphan-data', 'acme-prod', 'us-central1-a'),
    spec: { sizeGb: 500, type: 'pd-standard', status: 'READY', users: [] },
  };
  const firewalls: GcpFirewall[] = [
    {
      ...base('gcp.compute.firewall', id(), 'allow-ssh-world', 'acme-prod', 'global'),
      spec: {
        network: 'default',
        direction: 'INGRESS',
        priority: 1000,
        sourceRanges: ['0.0.0.0/0'],
        allowed: [{ IPProtocol: 'tcp', ports: ['22', '8000-8080'] }, { IPProtocol: 'icmp' }],
        targetTags: ['web'],
        disabled: false,
      },
    },
    {
      ...base('gcp.compute.firewall', id(), 'allow-internal', 'acme-prod', 'global'),
      spec: {
        network: 'default',
        direction: 'INGRESS',
        priority: 65534,
        sourceRanges: ['10.128.0.0/9'],
        allowed: [{ IPProtocol: 'all' }],
        targetTags: [],
        disabled: false,
      },
    },
  ];
  const firstInstance = resources.find((resource) => resource.kind === 'gcp.compute.instance') as GcpInstance;
  const addresses: GcpAddress[] = [
    {
      ...base('gcp.compute.address', id(), 'web-ip', 'acme-prod', 'us-central1'),
      spec: { address: firstInstance.spec.natIp!, status: 'IN_USE', addressType: 'EXTERNAL', users: [firstInstance.id] },
    },
    {
      ...base('gcp.compute.address', id(), 'spare-ip', 'acme-prod', 'europe-west1'),
      spec: { address: '35.1.2.3', status: 'RESERVED', addressType: 'EXTERNAL', users: [] },
    },
  ];
  const staging: GcpInstance = {
    ...base('gcp.compute.instance', id(), 'staging-box', 'acme-staging', 'asia-east1-a'),
    tags: {},
    spec: {
      machineType: 'e2-small',
      status: 'RUNNING',
      network: 'default',
      internalIp: '10.140.0.2',
      diskIds: [],
      serviceAccountEmail: '',
      scopes: [],
      serialPortEnabled: false,
      blockProjectSshKeys: false,
      networkTags: [],
      metricProfile: 'idle',
    },
  };
  resources.push(unattached, ...firewalls, ...addresses, staging);
  return {
    seed: 1,
    size: resources.length,
    now: '2026-01-01T00:00:00.000Z',
    aws: { accounts: [], organizationRole: 'OrganizationAccountAccessRole', allRegions: [] },
    azure: { tenantId: '', clientId: '', clientSecret: '', subscriptions: [] },
    gcp: {
      serviceAccountEmail: SERVICE_ACCOUNT,
      projects: [
        {
          id: 'acme-prod',
          number: '123456789012',
          regions: ['us-central1', 'europe-west1'],
          zones: ['us-central1-a', 'us-central1-b', 'europe-west1-b'],
        },
        { id: 'acme-staging', number: '223456789012', regions: ['asia-east1'], zones: ['asia-east1-a'] },
      ],
    },
    resources,
  };
}

export interface GcpSandbox {
  server: SandboxServer;
  origin: string;
  /** A service-account key file whose token_uri points at the sandbox. */
  keyFile: string;
  close(): Promise<void>;
}

/** Start a sandbox with only the GCP services, and write a registered key file for it. */
export async function startGcpSandbox(estate: Estate): Promise<GcpSandbox> {
  const server = new SandboxServer(estate, services);
  const origin = await server.listen();
  const dir = await mkdtemp(join(tmpdir(), 'guardian-gcp-'));
  const keyFile = join(dir, 'key.json');
  await writeFile(keyFile, JSON.stringify(createServiceAccountKey(server.state, estate, `${origin}/token`)), { mode: 0o600 });
  return { server, origin, keyFile, close: () => server.close() };
}
