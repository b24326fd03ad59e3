// `guardian chat` on a terminal: the interactive session driven on a pseudo-terminal (util-linux
// `script`) against the fake OpenAI server — /tools, a question answered from a tool, Ctrl-C
// cancelling an answer in progress, /exit — and the session saved.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAI, type Step, startFakeOpenAI, toolResults } from '../helpers/fake-openai.js';

let dir: string;
let snapshotFile: string;
let fake: FakeOpenAI | undefined;

const baseEnv = () => ({
  PATH: process.env.PATH ?? '',
  HOME: dir,
  TERM: 'xterm',
  GUARDIAN_CONFIG_DIR: join(dir, 'config'),
  GUARDIAN_DATA_DIR: join(dir, 'data'),
  GUARDIAN_DEMO_SIZE: '200',
  GUARDIAN_DEMO_NOW: '2026-11-25',
  OPENAI_API_KEY: 'sk-test-interactive',
});

/** The prompt, as readline draws it (then moves the cursor after it). */
const PROMPT = /guardian> (?:\u001b\[\d+G)?$/;

/** This in the output, then the prompt again. */
const prompted = (before: RegExp) => new RegExp(`${before.source}[\\s\\S]*${PROMPT.source}`);

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** Run `guardian chat` on a pseudo-terminal, typing each input once the output so far matches its cue. */
async function onTerminal(script: Step[], inputs: { after: RegExp | (() => boolean); send: string }[]) {
  fake = await startFakeOpenAI(script);
  const command = [process.execPath, 'dist/bin/guardian.js', 'chat', '--profile', 'demo', '--input', snapshotFile].map(quote).join(' ');
  const child = execa('script', ['-qfec', `stty cols 120 rows 40; ${command}`, '/dev/null'], {
    reject: false,
    extendEnv: false,
    env: { ...baseEnv(), OPENAI_BASE_URL: fake.url },
    stdin: 'pipe',
  });
  let output = '';
  let next = 0;
  const feed = () => {
    const ready = (cue: RegExp | (() => boolean)) => (typeof cue === 'function' ? cue() : cue.test(output));
    while (next < inputs.length && ready(inputs[next].after)) {
      child.stdin?.write(inputs[next].send);
      next += 1;
    }
  };
  child.stdout?.on('data', (data: Buffer) => {
    output += data.toString('utf8');
    feed();
  });
  // Some cues are not output (the fake server got the request): look again now and then.
  const poll = setInterval(feed, 100);
  const run = await child.finally(() => clearInterval(poll));
  return { run, output, fake, fed: next };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-chat-tty-'));
  const discovered = await execa(process.execPath, ['dist/bin/guardian.js', 'discover', '--profile', 'demo', '--json', '--no-save'], {
    reject: false,
    extendEnv: false,
    env: { ...baseEnv(), CI: 'true' },
  });
  expect(discovered.exitCode, discovered.stderr).toBe(0);
  snapshotFile = join(dir, 'snapshot.json');
  writeFileSync(snapshotFile, discovered.stdout);
}, 180_000);

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('guardian chat on a terminal', () => {
  it('lists the tools, streams an answer from a tool call, and leaves on /exit with the session saved', async () => {
    const { run, output, fed } = await onTerminal(
      [
        { toolCalls: [{ name: 'inventory_counts', arguments: '{"by":"cloud"}' }] },
        (request) => {
          const counts = [...toolResults(request).values()][0] as { total: number };
          return { text: `There are ${counts.total} resources.` };
        },
      ],
      [
        { after: PROMPT, send: '/tools\r' },
        { after: prompted(/optimize_totals/), send: '/reset\r' },
        { after: prompted(/\(conversation reset\)/), send: '/help\r' },
        { after: prompted(/\/exit\s+leave/), send: 'how many resources?\r' },
        { after: prompted(/There are \d+ resources\./), send: '/exit\r' },
      ],
    );
    expect(fed, output).toBe(5);
    expect(run.exitCode, output).toBe(0);
    expect(output).toMatch(/inventory_resources\s+List discovered resources/);
    const total = JSON.parse(readFileSync(snapshotFile, 'utf8')).resources.length;
    expect(output).toContain(`There are ${total} resources.`);
    expect(output).toMatch(/session saved: \d{8}-\d{6}-[0-9a-f]{6}/);
    const sessions = readdirSync(join(dir, 'data', 'chat'));
    expect(sessions).toHaveLength(1);
  }, 60_000);

  it('cancels the answer in progress on Ctrl-C and keeps the session open for the next question', async () => {
    const { run, output, fed } = await onTerminal(
      [{ hang: true }, { text: 'Still here.' }],
      [
        { after: PROMPT, send: 'a slow question\r' },
        // Ctrl-C once the request is in flight (the fake server has it).
        { after: () => fake?.requests.length === 1, send: '\u0003' },
        { after: prompted(/\(cancelled\)/), send: 'are you there?\r' },
        { after: prompted(/Still here\./), send: '\u0003' },
      ],
    );
    expect(fed, output).toBe(4);
    expect(run.exitCode, output).toBe(0);
    expect(output).toContain('(cancelled)');
    expect(output).toContain('Still here.');
  }, 60_000);

  it('brings back the questions of earlier sessions with ↑', async () => {
    const {
      run,
      output,
      fake: server,
    } = await onTerminal(
      [{ text: 'Again.' }],
      [
        { after: PROMPT, send: '\u001b[A' },
        { after: /guardian> (?:\u001b\[\d+G)?are you there\?(?:\u001b\[\d+G)?$/, send: '\r' },
        { after: prompted(/Again\./), send: '/exit\r' },
      ],
    );
    expect(run.exitCode, output).toBe(0);
    expect(server.requests[0].body.messages.at(-1)).toEqual({ role: 'user', content: 'are you there?' });
  }, 60_000);
});
