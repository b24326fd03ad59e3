// The chat tool registry: every read-only capability the model and the offline interpreter may
// call, by stable name. A call's arguments are checked against the tool's JSON schema (ajv) before
// it runs; a bad call, an unknown tool or a tool that throws comes back as an error outcome, so
// the conversation goes on with the error as the tool's answer.

import type { ValidateFunction } from 'ajv';
import { costsEstimate, costsProjection, costsSpend } from './costs.js';
import { inventoryCounts, inventoryRelations, inventoryResources } from './inventory.js';
import { optimizeRecommendations, optimizeTotals } from './optimize.js';
import { predictAnomaliesTool, predictCapacityTool, predictCostsTool, predictRiskTool } from './predict.js';
import { scanFindings, scanRule } from './scan.js';
import type { ChatTool, ToolContext, ToolOutcome } from './types.js';

export { fitForModel, MAX_RESULT_CHARS } from './bound.js';
export type { ChatTool, EstateSource, SpendQuery, ToolContext, ToolOutcome } from './types.js';

export const CHAT_TOOLS: readonly ChatTool<never>[] = [
  inventoryResources,
  inventoryCounts,
  inventoryRelations,
  costsSpend,
  costsProjection,
  costsEstimate,
  scanFindings,
  scanRule,
  optimizeRecommendations,
  optimizeTotals,
  predictCostsTool,
  predictCapacityTool,
  predictAnomaliesTool,
  predictRiskTool,
] as ChatTool<never>[];

export function findTool(name: string): ChatTool | undefined {
  return CHAT_TOOLS.find((tool) => tool.name === name) as ChatTool | undefined;
}

const validators = new Map<string, ValidateFunction>();

async function validatorOf(tool: ChatTool): Promise<ValidateFunction> {
  const known = validators.get(tool.name);
  if (known) return known;
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(tool.parameters);
  validators.set(tool.name, validate);
  return validate;
}

/** Why the arguments do not fit the schema, as one line the model can correct itself from. */
function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => {
      const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'arguments';
      if (e.keyword === 'additionalProperties') return `${where}: unknown parameter '${String(e.params.additionalProperty)}'`;
      if (e.keyword === 'enum') return `${where}: must be one of ${(e.params.allowedValues as string[]).join(', ')}`;
      return `${where} ${e.message}`;
    })
    .join('; ');
}

/**
 * Run one tool call as it arrives from a model: `rawArguments` is the JSON text (or an already
 * parsed value, from the offline interpreter). Never throws for the call's own faults.
 */
export async function runTool(name: string, rawArguments: unknown, ctx: ToolContext): Promise<ToolOutcome & { arguments: unknown }> {
  let args: unknown = rawArguments;
  if (typeof rawArguments === 'string') {
    try {
      args = rawArguments.trim() === '' ? {} : JSON.parse(rawArguments);
    } catch {
      return { ok: false, error: `the arguments of ${name} are not valid JSON`, arguments: rawArguments };
    }
  }
  const tool = findTool(name);
  if (!tool) {
    const names = CHAT_TOOLS.map((t) => t.name);
    return { ok: false, error: `there is no tool '${name}'; the tools are ${names.join(', ')}`, arguments: args };
  }
  const validate = await validatorOf(tool);
  if (!validate(args)) return { ok: false, error: `invalid arguments for ${name}: ${describeErrors(validate)}`, arguments: args };
  try {
    const result = await tool.run(args as Record<string, unknown>, ctx);
    return { ok: true, result, arguments: args };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `${name} failed: ${message.split('\n')[0]}`, arguments: args };
  }
}
