// The offline chat interpreter scored on test/fixtures/intents.jsonl: intent accuracy and entity F1
// on the `test` part, which the interpreter was never tuned on (the `tune` part is printed beside it
// only to show the gap). Targets: accuracy ≥ 95 %, entity F1 ≥ 0.9. Usage: npm run bench:intents
// [-- --misses] (list the test utterances it got wrong).

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The day the fixture's relative dates were written against. */
const TODAY = '2026-11-18';
const dist = (path) => new URL(`../dist/src/${path}`, import.meta.url);
if (!existsSync(fileURLToPath(dist('chat/offline/score.js')))) {
  console.error('bench: dist/ is missing; run npm run build first');
  process.exit(2);
}
const { score } = await import(dist('chat/offline/score.js'));
const rows = readFileSync(new URL('../test/fixtures/intents.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const percent = (x) => `${(100 * x).toFixed(1)} %`;
for (const split of ['test', 'tune']) {
  const part = rows.filter((row) => row.split === split);
  const result = score(part, TODAY);
  const intents = new Set(part.map((row) => row.intent)).size;
  console.log(
    `${split}: ${result.utterances} utterances, ${intents} intents — intent accuracy ${percent(result.intentAccuracy)}, ` +
      `entity F1 ${result.entityF1.toFixed(3)} (precision ${result.entityPrecision.toFixed(3)}, recall ${result.entityRecall.toFixed(3)})`,
  );
  if (split === 'test' && process.argv.includes('--misses')) {
    for (const miss of result.misses) {
      console.log(
        `  ${JSON.stringify(miss.text)}: wanted ${miss.expected.intent} ${JSON.stringify(miss.expected.entities)}, got ${miss.got.intent} ${JSON.stringify(miss.got.entities)}`,
      );
    }
  }
}
