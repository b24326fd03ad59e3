// `guardian scan --plan`: turns `terraform show -json` output into Resources so the same rules
// judge code before it ships. Values known only after apply stay unknown (never a pass).

import type { Resource } from '../model/resource.js';
import { mapAws } from './aws.js';
import { mapAzure } from './azure.js';
import { mapGcp } from './gcp.js';
import { plannedResources } from './planned.js';
import { readPlan, type TerraformPlan } from './read.js';

export interface PlanScope {
  resources: Resource[];
  /** Planned resources of types no rule reads, by type: reported so users see what was skipped. */
  skipped: Record<string, number>;
  terraformVersion?: string;
}

function awsRegion(plan: TerraformPlan): string {
  const region = plan.configuration?.provider_config?.aws?.expressions?.region?.constant_value;
  return typeof region === 'string' ? region : 'unknown';
}

export function mapPlan(plan: TerraformPlan): PlanScope {
  const planned = plannedResources(plan);
  const resources = [
    ...mapAws(
      planned.filter((p) => p.type.startsWith('aws_')),
      { account: 'plan', region: awsRegion(plan) },
    ),
    ...mapAzure(planned.filter((p) => p.type.startsWith('azurerm_'))),
    ...mapGcp(planned.filter((p) => p.type.startsWith('google_'))),
  ];
  const mapped = new Set(resources.map((r) => r.attributes.terraformAddress));
  const companions = new Set([
    'aws_vpc_security_group_ingress_rule',
    'aws_security_group_rule',
    'aws_s3_bucket_public_access_block',
    'aws_s3_bucket_server_side_encryption_configuration',
    'aws_lb_listener',
    'aws_alb_listener',
    'aws_ami_launch_permission',
    'azurerm_network_security_rule',
    'azurerm_network_interface',
  ]);
  const skipped: Record<string, number> = {};
  for (const p of planned) {
    if (mapped.has(p.address) || companions.has(p.type)) continue;
    skipped[p.type] = (skipped[p.type] ?? 0) + 1;
  }
  return { resources, skipped, terraformVersion: plan.terraform_version };
}

export async function loadPlan(file: string): Promise<PlanScope> {
  return mapPlan(await readPlan(file));
}
