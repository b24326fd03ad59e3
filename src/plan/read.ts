// Reads `terraform show -json` output and checks it is a plan before anything maps it. Anything
// else (a state file, the binary plan, HCL, broken JSON) is a UsageError naming the file.

import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';

/** The parts of Terraform's JSON plan representation (format_version 1.x) that mapping reads. */
export interface TerraformPlan {
  format_version: string;
  terraform_version?: string;
  resource_changes?: ResourceChange[];
  configuration?: { provider_config?: Record<string, ProviderConfig>; root_module?: ConfigModule };
}

export interface ProviderConfig {
  name?: string;
  expressions?: Record<string, Expression>;
}

export interface Expression {
  constant_value?: unknown;
  references?: string[];
}

export interface ConfigModule {
  resources?: ConfigResource[];
  module_calls?: Record<string, { module?: ConfigModule }>;
}

export interface ConfigResource {
  address: string;
  mode?: string;
  type: string;
  name: string;
  expressions?: Record<string, unknown>;
}

export interface ResourceChange {
  address: string;
  module_address?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  provider_name?: string;
  change: {
    actions: string[];
    before?: unknown;
    after?: Record<string, unknown> | null;
    /** Mirrors `after`: true where the value is known only after apply. */
    after_unknown?: Record<string, unknown>;
  };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a JSON array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Validates the shape of a parsed plan; `file` is only for messages. */
export function checkPlan(data: unknown, file: string): TerraformPlan {
  const hint = "create one with 'terraform plan -out plan.out && terraform show -json plan.out > plan.json'";
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`${file} is not a Terraform plan: the top level is ${describe(data)}, not an object`, { hint });
  }
  const plan = data as Record<string, unknown>;
  if (typeof plan.format_version !== 'string') {
    throw new UsageError(`${file} is not a Terraform plan: it has no "format_version"`, { hint });
  }
  if (!/^1\./.test(plan.format_version)) {
    throw new UsageError(`${file} has plan format_version ${plan.format_version}; Guardian reads format 1.x`);
  }
  if (plan.resource_changes === undefined) {
    const what = 'values' in plan ? 'it looks like a state file (terraform show -json without a plan)' : 'it has no "resource_changes"';
    throw new UsageError(`${file} is not a Terraform plan: ${what}`, { hint });
  }
  if (!Array.isArray(plan.resource_changes))
    throw new UsageError(`${file}: "resource_changes" is ${describe(plan.resource_changes)}, not an array`);
  plan.resource_changes.forEach((change: unknown, index: number) => {
    const c = change as Partial<ResourceChange> | null;
    if (
      typeof c !== 'object' ||
      c === null ||
      typeof c.address !== 'string' ||
      typeof c.type !== 'string' ||
      typeof c.change !== 'object' ||
      c.change === null
    ) {
      throw new UsageError(`${file}: resource_changes[${index}] is not a resource change (needs address, type and change)`);
    }
    if (!Array.isArray(c.change.actions))
      throw new UsageError(`${file}: resource_changes[${index}] (${c.address}) has no change.actions list`);
  });
  return plan as unknown as TerraformPlan;
}

export async function readPlan(file: string): Promise<TerraformPlan> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read plan ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`,
    );
  }
  // `terraform plan -out` writes a zip archive; only `terraform show -json` output is readable.
  if (buffer.subarray(0, 2).toString('latin1') === 'PK') {
    throw new UsageError(`${file} is a binary Terraform plan; convert it with 'terraform show -json ${file} > plan.json'`);
  }
  let data: unknown;
  try {
    data = JSON.parse(buffer.toString('utf8'));
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return checkPlan(data, file);
}
