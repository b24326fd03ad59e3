// Terraform plans (terraform show -json) mapped into Resources and judged by the same rules:
// companion resources merged into their owners, unknown-after-apply values kept unknown, and
// anything that is not a plan rejected with the file named.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { Resource } from '../../src/model/resource.js';
import { loadPlan } from '../../src/plan/map.js';
import { loadCatalog } from '../../src/rules/catalog.js';
import { scan } from '../../src/rules/scan.js';

const FIXTURES = 'test/fixtures/plans';
const catalog = await loadCatalog();
const now = new Date('2026-06-15T00:00:00Z');

async function judged(file: string) {
  const plan = await loadPlan(`${FIXTURES}/${file}`);
  const report = scan({ catalog, resources: plan.resources, now, planFile: `${FIXTURES}/${file}` });
  const byAddress = new Map<string, Resource>(plan.resources.map((r) => [r.id, r]));
  const verdicts = (address: string) =>
    report.findings
      .filter((f) => f.resource.id === address)
      .map((f) => `${f.ruleId}:${f.status}`)
      .sort();
  return { plan, report, byAddress, verdicts };
}

describe('AWS plans', async () => {
  const { plan, byAddress, verdicts, report } = await judged('aws-plan.json');

  it('maps the planned aws_* resources, skipping deletes, data sources and types no rule reads', () => {
    expect([...byAddress.keys()].sort()).toEqual([
      'aws_db_instance.orders',
      'aws_default_security_group.default',
      'aws_ebs_volume.logs',
      'aws_ebs_volume.scratch',
      'aws_instance.db[0]',
      'aws_instance.web',
      'aws_lb.public',
      'aws_s3_bucket.assets',
      'aws_s3_bucket.logs',
      'aws_security_group.app',
      'aws_security_group.bastion',
      'aws_security_group.db',
    ]);
    expect(plan.skipped).toEqual({ aws_iam_role: 1 });
    expect(byAddress.get('aws_instance.db[0]')).toMatchObject({
      cloud: 'aws',
      kind: 'aws.ec2.instance',
      name: 'orders-db',
      region: 'eu-west-1',
      tags: { tier: 'db' },
    });
  });

  it('merges separate ingress rules into the security group they reference', () => {
    expect(byAddress.get('aws_security_group.db')!.attributes.ingress).toEqual([
      { protocol: 'tcp', fromPort: 5432, toPort: 5432, source: '0.0.0.0/0', action: 'allow' },
    ]);
    expect(verdicts('aws_security_group.db')).toEqual(['AWS-EC2-005:fail']);
    expect(verdicts('aws_security_group.bastion')).toEqual(['AWS-EC2-001:fail']);
    expect(verdicts('aws_default_security_group.default')).toEqual(['AWS-EC2-010:fail']);
  });

  it('treats values known only after apply as unknown, never as passing', () => {
    expect(verdicts('aws_ebs_volume.scratch')).toEqual(['AWS-EC2-011:unknown']);
    const scratch = report.findings.find((f) => f.resource.id === 'aws_ebs_volume.scratch')!;
    expect(scratch.message).toMatch(/known only after apply/);
    // A rule whose source CIDR is computed leaves every port rule of its group undecided: that is
    // one unverified finding, led by the most severe rule and naming the other ten.
    expect(verdicts('aws_security_group.app')).toEqual(['AWS-EC2-001:unknown']);
    const app = report.findings.find((f) => f.resource.id === 'aws_security_group.app')!;
    expect(app).toMatchObject({ severity: 'critical', unknownAttributes: ['ingress'] });
    expect(app.undecidedRules).toEqual([
      'AWS-EC2-002',
      'AWS-EC2-003',
      'AWS-EC2-009',
      'AWS-EC2-004',
      'AWS-EC2-005',
      'AWS-EC2-006',
      'AWS-EC2-007',
      'AWS-EC2-008',
      'AWS-EC2-017',
      'AWS-EC2-018',
    ]);
    expect(app.message).toMatch(/known only after apply\. The same unknown leaves 10 more rules undecided: AWS-EC2-002, /);
    // An HTTPS listener whose TLS policy the provider picks at apply time.
    expect(verdicts('aws_lb.public')).toEqual(['AWS-ELB-001:fail', 'AWS-ELB-002:unknown']);
  });

  it('finds the planned misconfigurations of instances, databases and buckets', () => {
    expect(verdicts('aws_instance.db[0]')).toEqual(['AWS-EC2-015:fail', 'AWS-EC2-016:fail']);
    expect(verdicts('aws_instance.web')).toEqual([]);
    expect(verdicts('aws_db_instance.orders')).toEqual(['AWS-RDS-001:fail', 'AWS-RDS-002:fail', 'AWS-RDS-003:fail', 'AWS-RDS-004:fail']);
    expect(verdicts('aws_s3_bucket.logs')).toEqual(['AWS-S3-001:fail', 'AWS-S3-002:fail']);
    expect(verdicts('aws_s3_bucket.assets')).toEqual([]);
    expect(verdicts('aws_ebs_volume.logs')).toEqual(['AWS-EC2-011:fail']);
  });

  it('records the plan file and address on every finding', () => {
    for (const finding of report.findings)
      expect(finding.source).toEqual({ planFile: `${FIXTURES}/aws-plan.json`, address: finding.resource.id });
  });
});

describe('Azure plans', async () => {
  const { verdicts, byAddress } = await judged('azure-plan.json');

  it('merges azurerm_network_security_rule into its NSG and flags Internet exposure', () => {
    expect(verdicts('azurerm_network_security_group.web')).toEqual(['AZ-NET-001:fail', 'AZ-NET-002:fail']);
  });

  it('reads disk defaults and customer-managed keys', () => {
    // No network_access_policy: Azure's default is AllowAll.
    expect(verdicts('azurerm_managed_disk.data')).toEqual(['AZ-CMP-001:fail', 'AZ-CMP-002:fail']);
    expect(verdicts('azurerm_managed_disk.secure')).toEqual(['AZ-CMP-002:unknown']);
  });

  it('finds a VM public IP through its network interface', () => {
    expect(verdicts('azurerm_linux_virtual_machine.web')).toEqual(['AZ-CMP-004:fail']);
    expect(byAddress.get('azurerm_linux_virtual_machine.web')!.attributes.publicIp).toBe('azurerm_public_ip.web');
    expect(verdicts('azurerm_linux_virtual_machine.worker')).toEqual([]);
  });
});

describe('GCP plans', async () => {
  const { verdicts } = await judged('gcp-plan.json');

  it('flags world-open firewalls and leaves internal ones alone', () => {
    expect(verdicts('google_compute_firewall.ssh')).toEqual(['GCP-NET-001:fail']);
    expect(verdicts('google_compute_firewall.internal')).toEqual([]);
  });

  it('judges instance metadata, service account and access configs', () => {
    expect(verdicts('google_compute_instance.web')).toEqual([
      'GCP-CMP-001:fail',
      'GCP-CMP-002:fail',
      'GCP-CMP-003:fail',
      'GCP-CMP-004:fail',
    ]);
    // The service account email is chosen at apply time: the full-scope check cannot pass.
    expect(verdicts('google_compute_instance.batch')).toEqual(['GCP-CMP-001:unknown']);
  });

  it('flags disks without a customer-managed key', () => {
    expect(verdicts('google_compute_disk.data')).toEqual(['GCP-CMP-005:fail']);
    expect(verdicts('google_compute_disk.secure')).toEqual([]);
  });
});

describe('files that are not plans', () => {
  it.each([
    ['state.json', /state\.json is not a Terraform plan: it looks like a state file/],
    ['array.json', /array\.json is not a Terraform plan: the top level is a JSON array/],
    ['truncated.json', /truncated\.json is not valid JSON/],
    ['bad-change.json', /bad-change\.json: resource_changes\[0\] is not a resource change/],
    ['missing.json', /cannot read plan .*missing\.json: no such file/],
  ])('rejects %s with a usage error naming it', async (file, message) => {
    const attempt = loadPlan(`${FIXTURES}/${file}`);
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(loadPlan(`${FIXTURES}/${file}`)).rejects.toThrow(message);
  });
});
