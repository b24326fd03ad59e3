// `guardian chat` without a model: the question is interpreted (intent and entities, from the
// user's words only), routed to the same read-only tools the model would call, and answered from a
// template filled with what the tools returned. Below the confidence threshold, or for anything it
// has no intent for, it declines and says what it can answer.

import { runTool } from '../tools/index.js';
import type { ChatTool, ToolContext } from '../tools/types.js';
import type { ChatTurn } from '../turn.js';
import { answerIntent, decline } from './answer.js';
import { interpret } from './interpret.js';
import { Calls, safe, type ToolCall, ToolError, type ToolRunner } from './route.js';

export interface OfflineContext extends ToolContext {
  /** The last day with data (UTC, YYYY-MM-DD): today, or the demo cloud's pinned day. */
  today: string;
}

const registryRunner: ToolRunner = async (name, args, ctx) => {
  const { arguments: _, ...outcome } = await runTool(name, args, ctx);
  return outcome;
};

/** A figure read from a partial inventory is said to be one: the tools report how complete it was. */
function incompleteNote(made: ToolCall[]): string[] {
  const partial = made.some((call) => {
    const result = call.result as { source?: { complete?: boolean }; inventoryComplete?: boolean } | null;
    return result?.source?.complete === false || result?.inventoryComplete === false;
  });
  return partial ? ['(The inventory is incomplete — some listings failed or timed out — so these figures may be low.)'] : [];
}

/** Answers one question offline; `tools` are the tools this session may call (the registry). */
export async function answerOffline(
  question: string,
  tools: readonly ChatTool<never>[],
  ctx: OfflineContext,
  run: ToolRunner = registryRunner,
): Promise<ChatTurn> {
  const { intent, entities, missing } = interpret(question, ctx.today);
  const calls = new Calls(run, ctx);
  if (intent === 'out_of_scope') return { answer: decline(missing), toolCalls: [], model: 'offline' };
  const predict = tools.find((tool) => tool.name === intent);
  try {
    const answer = await answerIntent({ calls, today: ctx.today }, intent, entities, predict?.parameters);
    return { answer: [answer, ...incompleteNote(calls.made)].join('\n'), toolCalls: calls.made, model: 'offline' };
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    return { answer: `I could not answer that: ${safe(error.message)}`, toolCalls: calls.made, model: 'offline' };
  }
}
