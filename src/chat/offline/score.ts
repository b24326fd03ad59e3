// Scoring the interpreter on the labelled utterances of test/fixtures/intents.jsonl: intent accuracy
// and micro-averaged entity F1 over (entity, value) pairs. Used by the unit test and bench/intents.js.

import type { Entities } from './entities.js';
import type { Intent } from './intents.js';
import { interpret } from './interpret.js';

export interface Utterance {
  text: string;
  intent: Intent;
  entities: Entities;
  split: 'tune' | 'test';
}

export interface Miss {
  text: string;
  expected: { intent: Intent; entities: Entities };
  got: { intent: Intent; entities: Entities };
}

export interface Score {
  utterances: number;
  intentAccuracy: number;
  entityPrecision: number;
  entityRecall: number;
  entityF1: number;
  misses: Miss[];
}

/** One (entity, value) pair as a string; arrays (a place's regions) compare as sets. */
function pairs(entities: Entities): Set<string> {
  return new Set(
    Object.entries(entities).map(([name, value]) => {
      const canonical = Array.isArray(value) ? [...value].sort() : value;
      return `${name}:${JSON.stringify(canonical)}`;
    }),
  );
}

export function score(utterances: Utterance[], today: string): Score {
  let right = 0;
  let truePositives = 0;
  let predicted = 0;
  let expected = 0;
  const misses: Miss[] = [];
  for (const utterance of utterances) {
    const got = interpret(utterance.text, today);
    const want = pairs(utterance.entities);
    const have = pairs(got.entities);
    const hits = [...have].filter((pair) => want.has(pair)).length;
    truePositives += hits;
    predicted += have.size;
    expected += want.size;
    if (got.intent === utterance.intent) right++;
    if (got.intent !== utterance.intent || hits !== want.size || hits !== have.size) {
      misses.push({
        text: utterance.text,
        expected: { intent: utterance.intent, entities: utterance.entities },
        got: { intent: got.intent, entities: got.entities },
      });
    }
  }
  const precision = predicted ? truePositives / predicted : 1;
  const recall = expected ? truePositives / expected : 1;
  return {
    utterances: utterances.length,
    intentAccuracy: utterances.length ? right / utterances.length : 0,
    entityPrecision: precision,
    entityRecall: recall,
    entityF1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    misses,
  };
}
