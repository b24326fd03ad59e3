// From a question to an intent and the entities its tool takes: normalise, extract, classify, then
// keep only the entities the intent uses (a cloud implied by "ec2" counts where the kind does, not
// where "ec2" is a billed service). Pure: the clock is passed in, and only the user's text is read.

import { type Entities, type EntityName, type Extraction, extractEntities, wordsOnly } from './entities.js';
import { CONFIDENCE_THRESHOLD, classify, INTENTS, type Intent } from './intents.js';
import { normalise } from './text.js';

export interface Interpretation {
  intent: Intent;
  confidence: number;
  entities: Entities;
  /** The entity a recognised question lacked, when that is why it was declined. */
  missing?: EntityName;
}

function keep(intent: Intent, found: Extraction): Entities {
  const wanted = new Set<EntityName>(INTENTS[intent].entities);
  const entities: Entities = {};
  for (const name of wanted) {
    if (name === 'cloud') continue;
    const value = name === 'tag' ? keptTag(intent, found) : found[name];
    if (value !== undefined) (entities as Record<string, unknown>)[name] = value;
  }
  if (wanted.has('cloud')) {
    const cloud = found.cloud ?? (wanted.has('kind') ? found.cloudOfKind : undefined) ?? found.cloudOfAccount;
    if (cloud) entities.cloud = cloud;
  }
  return entities;
}

function keptTag(intent: Intent, found: Extraction): string | undefined {
  if (intent === 'costs_by_tag' || intent === 'inventory_untagged') return found.tagKey ?? found.tag;
  return found.tag;
}

/** `today` is the injected clock's UTC day (YYYY-MM-DD): relative dates are resolved against it. */
export function interpret(question: string, today: string): Interpretation {
  const normalised = normalise(question);
  const found = extractEntities(normalised, today);
  const asked = /\?\s*$/.test(normalised.original);
  const { intent, confidence, missing } = classify(wordsOnly(normalised.tokens), found, today, asked);
  if (confidence < CONFIDENCE_THRESHOLD) return { intent: 'out_of_scope', confidence, entities: {}, ...(missing ? { missing } : {}) };
  return { intent, confidence, entities: keep(intent, found) };
}
