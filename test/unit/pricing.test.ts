// The bundled price tables: well-known list prices, coverage of every type the sandbox generator
// uses in every region it uses, and how the estimate treats free and unpriceable resources.

import { describe, expect, it } from 'vitest';
import type { Resource } from '../../src/model/resource.js';
import {
  azureDiskMonth,
  azureVmHour,
  ebsSnapshotMonth,
  ebsVolumeMonth,
  ec2InstanceHour,
  gcpDiskMonth,
  gcpMachineHour,
  priceSources,
  publicIpv4Hour,
  rdsInstanceHour,
} from '../../src/pricing/catalog.js';
import { estimateEstate } from '../../src/pricing/estimate.js';
import {
  AWS_OPT_IN_REGIONS,
  AWS_STANDARD_REGIONS,
  AWS_TYPES_CURRENT,
  AWS_TYPES_PREVIOUS,
  AZURE_LOCATIONS,
  AZURE_SIZES_CURRENT,
  AZURE_SIZES_PREVIOUS,
  GCP_REGIONS,
  GCP_TYPES_CURRENT,
  GCP_TYPES_PREVIOUS,
  RDS_CLASSES,
} from '../../src/sandbox/estate/names.js';

describe('bundled list prices', () => {
  it('match well-known us-east-1 / East US / us-central1 prices', () => {
    expect(ec2InstanceHour('m5.large', 'us-east-1')).toEqual({ amount: 0.096, approximate: false, table: 'aws-ec2.json' });
    expect(ec2InstanceHour('t3.micro', 'us-east-1')?.amount).toBe(0.0104);
    expect(ebsVolumeMonth('gp3', 1, undefined, 'us-east-1')?.amount).toBe(0.08);
    expect(ebsVolumeMonth('gp2', 1, undefined, 'us-east-1')?.amount).toBe(0.1);
    expect(ebsVolumeMonth('gp3', 100, 6000, 'us-east-1')?.amount).toBeCloseTo(100 * 0.08 + 3000 * 0.005, 6);
    expect(ebsVolumeMonth('io1', 100, 1000, 'us-east-1')?.amount).toBeCloseTo(12.5 + 65, 6);
    expect(ebsSnapshotMonth(1, 'us-east-1')?.amount).toBe(0.05);
    expect(publicIpv4Hour('us-east-1')?.amount).toBe(0.005);
    expect(rdsInstanceHour('db.m5.large', 'mysql', false, 'us-east-1')?.amount).toBe(0.171);
    expect(rdsInstanceHour('db.m5.large', 'mysql', true, 'us-east-1')?.amount).toBe(0.342);
    expect(azureVmHour('Standard_D2s_v3', 'Linux', 'eastus')?.amount).toBe(0.096);
    expect(azureDiskMonth('Premium_LRS', 100, 'eastus')?.amount).toBe(19.71); // a P10
    expect(gcpMachineHour('e2-standard-2', 'us-central1-a')?.amount).toBe(0.067006);
    expect(gcpDiskMonth('pd-ssd', 1, 'us-central1')?.amount).toBe(0.17);
  });

  it('mark prices derived from a regional factor as approximate', () => {
    const price = ec2InstanceHour('m5.large', 'eu-west-1');
    expect(price?.approximate).toBe(true);
    expect(price?.amount).toBeCloseTo(0.107, 3);
    expect(ec2InstanceHour('m5.large', 'xx-nowhere-1')).toBeUndefined();
  });

  it('name a source URL and a date for every table', () => {
    for (const source of priceSources()) {
      expect(source.source).toMatch(/^https:\/\//);
      expect(source.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('cover every instance type and size the sandbox generates, in every region it uses', () => {
    const awsRegions = [...AWS_STANDARD_REGIONS, ...AWS_OPT_IN_REGIONS];
    const missing: string[] = [];
    for (const type of [...Object.values(AWS_TYPES_CURRENT).flat(), ...AWS_TYPES_PREVIOUS]) {
      for (const region of awsRegions) if (!ec2InstanceHour(type, region)) missing.push(`${type} ${region}`);
    }
    for (const cls of RDS_CLASSES) {
      for (const region of awsRegions) {
        if (!rdsInstanceHour(cls, 'postgres', false, region) || !rdsInstanceHour(cls, 'mysql', false, region))
          missing.push(`${cls} ${region}`);
      }
    }
    for (const type of ['gp2', 'gp3', 'io1', 'st1', 'sc1', 'standard']) {
      for (const region of awsRegions) if (!ebsVolumeMonth(type, 10, undefined, region)) missing.push(`${type} ${region}`);
    }
    for (const size of [...Object.values(AZURE_SIZES_CURRENT).flat(), ...AZURE_SIZES_PREVIOUS]) {
      for (const location of AZURE_LOCATIONS) if (!azureVmHour(size, 'Linux', location)) missing.push(`${size} ${location}`);
    }
    for (const sku of ['Premium_LRS', 'StandardSSD_LRS', 'Standard_LRS', 'UltraSSD_LRS']) {
      for (const location of AZURE_LOCATIONS) if (!azureDiskMonth(sku, 512, location)) missing.push(`${sku} ${location}`);
    }
    for (const type of [...Object.values(GCP_TYPES_CURRENT).flat(), ...GCP_TYPES_PREVIOUS]) {
      for (const region of GCP_REGIONS) if (!gcpMachineHour(type, `${region}-b`)) missing.push(`${type} ${region}`);
    }
    expect(missing).toEqual([]);
  });
});

function resource(partial: Partial<Resource> & Pick<Resource, 'kind'>): Resource {
  return {
    cloud: partial.kind.split('.')[0] as Resource['cloud'],
    id: partial.id ?? `${partial.kind}-1`,
    name: partial.name ?? 'r1',
    account: '111111111111',
    region: 'us-east-1',
    tags: {},
    attributes: {},
    relations: [],
    ...partial,
  };
}

describe('estimateEstate', () => {
  it('prices running instances, volumes and idle addresses at 730 hours a month and lists what it cannot price', () => {
    const estimate = estimateEstate([
      resource({ kind: 'aws.ec2.instance', id: 'i-1', state: 'running', attributes: { instanceType: 'm5.large' } }),
      resource({ kind: 'aws.ec2.instance', id: 'i-2', state: 'stopped', attributes: { instanceType: 'm5.large' } }),
      resource({ kind: 'aws.ec2.instance', id: 'i-3', state: 'running', attributes: { instanceType: 'z9.mega' } }),
      resource({ kind: 'aws.ec2.volume', id: 'vol-1', attributes: { volumeType: 'gp3', sizeGb: 100 } }),
      resource({ kind: 'aws.ec2.address', id: 'eipalloc-1', attributes: {} }),
      resource({ kind: 'aws.ec2.security-group', id: 'sg-1' }),
      resource({ kind: 'aws.s3.bucket', id: 'arn:aws:s3:::b' }),
    ]);
    expect(estimate.priced.map((p) => [p.id, Math.round(p.monthly * 100) / 100])).toEqual([
      ['i-1', 70.08],
      ['i-2', 0],
      ['vol-1', 8],
      ['eipalloc-1', 3.65],
    ]);
    expect(estimate.priced.find((p) => p.id === 'eipalloc-1')?.basis).toBe('public IPv4 (idle)');
    expect(estimate.free).toBe(1);
    expect(estimate.unpriced.map((u) => [u.id, u.reason])).toEqual([
      ['i-3', 'no list price for z9.mega in us-east-1'],
      ['arn:aws:s3:::b', 'usage-based (storage and requests are not in an inventory)'],
    ]);
    expect(Math.round(estimate.monthly * 100)).toBe(8173);
  });
});
