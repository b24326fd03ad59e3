// The estate store: after every change (a field updated, a resource added or removed, a change
// that lands later) the lookup tables, what the SDKs list through the sandbox and the manifest
// agree, including listings served from caches derived from the resources.

import { DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsAccount, EbsVolume, S3Bucket } from '../../src/sandbox/estate/types.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { buildManifest } from '../../src/sandbox/manifest.js';
import { indexEstate } from '../../src/sandbox/server/index-estate.js';
import { EstateStore } from '../../src/sandbox/server/store.js';
import { buildAwsEstate } from './aws-fixture.js';

let sandbox: Sandbox;
let account: AwsAccount;
let now = Date.UTC(2026, 0, 15);

const REGION = 'us-east-1';
const ec2 = () =>
  new EC2Client({
    endpoint: sandbox.awsOrigin,
    region: REGION,
    maxAttempts: 1,
    credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
  });
const s3 = () =>
  new S3Client({
    endpoint: sandbox.awsOrigin,
    region: REGION,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
  });

async function listedVolumes(): Promise<string[]> {
  const answer = await ec2().send(new DescribeVolumesCommand({}));
  return (answer.Volumes ?? []).map((v) => v.VolumeId ?? '').sort();
}

const volumesInStore = () => (sandbox.store.index.byScope.get(`aws.ec2.volume|${account.id}|${REGION}`) ?? []).map((r) => r.id).sort();

/** The index a fresh build over the estate's resources would give: the store's must equal it. */
function expectIndexCurrent(): void {
  const fresh = indexEstate(sandbox.store.estate);
  expect([...sandbox.store.index.byId.keys()].sort()).toEqual([...fresh.byId.keys()].sort());
  for (const [key, list] of fresh.byScope) expect(sandbox.store.index.byScope.get(key)).toEqual(list);
  for (const [key, list] of fresh.byAccount) expect(sandbox.store.index.byAccount.get(key)).toEqual(list);
}

function manifestVolumes(): number {
  return sandbox.manifest().counts.byAccount[account.id].byRegion[REGION]['aws.ec2.volume'] ?? 0;
}

beforeAll(async () => {
  sandbox = await createSandbox({ estate: buildAwsEstate({ instances: 12, buckets: 4 }), clock: () => now });
  account = sandbox.estate.aws.accounts[0];
});

afterAll(async () => {
  await sandbox.close();
});

describe('the estate store', () => {
  it('removes a resource from the index, the SDK listing and the manifest, and bumps the version', async () => {
    const before = await listedVolumes();
    expect(before).toEqual(volumesInStore());
    const countBefore = manifestVolumes();
    const version = sandbox.store.version;
    const victim = sandbox.store.get(before[0]) as EbsVolume;
    sandbox.store.remove(victim);
    expect(sandbox.store.version).toBe(version + 1);
    expect(sandbox.store.get(victim.id)).toBeUndefined();
    expectIndexCurrent();
    expect(await listedVolumes()).toEqual(before.slice(1));
    expect(manifestVolumes()).toBe(countBefore - 1);
    expect(sandbox.manifest().version).toBe(version + 1);
  });

  it('adds a resource that the SDK then lists and the manifest counts', async () => {
    const template = sandbox.store.get(volumesInStore()[0]) as EbsVolume;
    const added: EbsVolume = {
      ...template,
      id: 'vol-0added000000000001',
      tags: {},
      planted: ['volume-unattached'],
      spec: { ...template.spec },
    };
    const countBefore = manifestVolumes();
    sandbox.store.add(added);
    expectIndexCurrent();
    expect(await listedVolumes()).toContain(added.id);
    expect(manifestVolumes()).toBe(countBefore + 1);
    expect(sandbox.manifest().planted['volume-unattached']).toContain(added.id);
  });

  it('updates a field that the next SDK answer shows', async () => {
    const volume = sandbox.store.get(volumesInStore()[0]) as EbsVolume;
    sandbox.store.update(volume, (v) => {
      v.spec.sizeGb = 777;
    });
    const answer = await ec2().send(new DescribeVolumesCommand({ VolumeIds: [volume.id] }));
    expect(answer.Volumes?.[0]?.Size).toBe(777);
  });

  it('rebuilds caches derived from the resources (S3 bucket listing) after a change', async () => {
    const first = ((await s3().send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);
    expect(first.length).toBeGreaterThan(1);
    const bucket = sandbox.store.estate.resources.find((r): r is S3Bucket => r.kind === 'aws.s3.bucket' && r.name === first[0]);
    sandbox.store.remove(bucket!);
    const second = ((await s3().send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);
    expect(second).toEqual(first.slice(1));
  });

  it('lands a scheduled change once the clock passes it, before the next request reads the estate', async () => {
    const volume = sandbox.store.get(volumesInStore()[0]) as EbsVolume;
    sandbox.store.schedule(volume, 5000, (v) => {
      v.spec.sizeGb = 999;
    });
    expect(sandbox.store.pending(volume.id)).toBe(true);
    now += 4999;
    expect((await ec2().send(new DescribeVolumesCommand({ VolumeIds: [volume.id] }))).Volumes?.[0]?.Size).not.toBe(999);
    now += 1;
    expect((await ec2().send(new DescribeVolumesCommand({ VolumeIds: [volume.id] }))).Volumes?.[0]?.Size).toBe(999);
    expect(sandbox.store.pending(volume.id)).toBe(false);
  });

  it('keeps the manifest equal to one built afresh from the changed estate, with the billing history as generated', () => {
    const manifest = sandbox.manifest();
    // The bills (daily series and resource-level data) are history as generated: a change today does not rewrite them.
    const { enabled: resourceLevelData, ...resourceBilling } = manifest.resourceBilling;
    expect(manifest).toEqual(
      buildManifest(sandbox.store.estate, { version: sandbox.store.version, costs: manifest.costs, resourceBilling, resourceLevelData }),
    );
    // A volume deleted today was still billed last month: the true costs do not follow the change.
    expect(manifest.costs).toEqual(buildManifest(buildAwsEstate({ instances: 12, buckets: 4 })).costs);
  });

  it('counts a scheduled removal as one change, told once', () => {
    const store = new EstateStore(buildAwsEstate(), { settleMs: 0 });
    const volume = store.estate.resources.find((r) => r.kind === 'aws.ec2.volume')!;
    const changes: string[] = [];
    store.onChange((change) => changes.push(`${change.type} ${change.resource.id}`));
    store.schedule(volume, 0, (v) => store.remove(v));
    store.settle();
    expect(changes).toEqual([`remove ${volume.id}`]);
    expect(store.version).toBe(1);
    expect(store.get(volume.id)).toBeUndefined();
  });

  it('refuses an update that would move a resource out of its index keys', () => {
    const store = new EstateStore(buildAwsEstate());
    const volume = store.estate.resources.find((r) => r.kind === 'aws.ec2.volume')!;
    expect(() =>
      store.update(volume, (v) => {
        v.region = 'eu-west-1';
      }),
    ).toThrow(/may not move/);
  });
});
