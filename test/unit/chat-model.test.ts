// The pure parts of chat's model mode and sessions: which endpoint, model and key a chat uses
// (flag, Guardian's env, the profile, then OpenAI's env), how long a 429 asks to wait, and the
// session files (0600, a torn last line ignored, a damaged one refused, the Markdown export).

import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../src/chat/model/config.js';
import { retryAfterMs } from '../../src/chat/model/loop.js';
import { listSessions, newSessionId, readSession, SessionWriter, sessionMarkdown } from '../../src/chat/sessions.js';
import { redactText } from '../../src/config/redact.js';

describe('the model endpoint', () => {
  it('is not configured without a key or an endpoint', () => {
    expect(resolveEndpoint({ env: {} })).toBeUndefined();
  });

  it("takes OpenAI's environment last, the profile before it and Guardian's environment and the flag first", () => {
    const env = { OPENAI_API_KEY: 'sk-openai-env', OPENAI_BASE_URL: 'http://openai.env/v1', OPENAI_MODEL: 'env-model' };
    expect(resolveEndpoint({ env })).toMatchObject({
      apiKey: 'sk-openai-env',
      baseUrl: 'http://openai.env/v1',
      model: 'env-model',
      keyFrom: 'OPENAI_API_KEY',
    });
    const llm = { apiKey: 'sk-profile-key', baseUrl: 'http://profile/v1/', model: 'profile-model' };
    expect(resolveEndpoint({ env, llm })).toMatchObject({ apiKey: 'sk-profile-key', baseUrl: 'http://profile/v1', model: 'profile-model' });
    const guardian = { ...env, GUARDIAN_LLM_API_KEY: 'sk-guardian-env', GUARDIAN_LLM_MODEL: 'g-model' };
    expect(resolveEndpoint({ env: guardian, llm, model: 'flag-model' })).toMatchObject({ apiKey: 'sk-guardian-env', model: 'flag-model' });
  });

  it('takes an endpoint without a key as a local server, with the default model', () => {
    expect(resolveEndpoint({ env: { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' } })).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'gpt-4o-mini',
      apiKey: undefined,
      keyFrom: undefined,
      azure: false,
    });
  });

  it('knows an Azure OpenAI host and keeps its key out of every printed line', () => {
    const endpoint = resolveEndpoint({
      env: { OPENAI_API_KEY: 'sk-azure-secret-1', OPENAI_BASE_URL: 'https://acme.openai.azure.com/openai/v1' },
    });
    expect(endpoint?.azure).toBe(true);
    expect(redactText('key sk-azure-secret-1')).not.toContain('sk-azure-secret-1');
  });
});

describe('Retry-After', () => {
  it('reads seconds, milliseconds and an HTTP date, and nothing from garbage', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }))).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '3' }))).toBe(250);
    const now = Date.parse('2026-12-02T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 02 Dec 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('chat session files', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function writer() {
    dir = mkdtempSync(join(tmpdir(), 'guardian-sessions-'));
    const env = { GUARDIAN_DATA_DIR: dir };
    const id = newSessionId(new Date('2026-12-02T01:02:03Z'));
    const header = { type: 'session' as const, id, profile: 'demo', model: 'm', startedAt: '2026-12-02T01:02:03.000Z' };
    return { env, id, w: new SessionWriter(env, header) };
  }

  const turn = (question: string, answer: string) => ({
    type: 'turn' as const,
    at: '2026-12-02T01:02:04.000Z',
    question,
    answer,
    toolCalls: [{ name: 'inventory_counts', arguments: { by: 'cloud' }, result: { total: 3 } }],
    model: 'm',
  });

  it('creates nothing until the first turn, then a 0600 file with the header and each turn', async () => {
    const { env, id, w } = writer();
    expect(id).toMatch(/^20261202-010203-[0-9a-f]{6}$/);
    expect(await listSessions(env)).toEqual([]);
    w.append(turn('how many?', 'Three.'));
    expect(statSync(w.file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir!, 'chat')).mode & 0o777).toBe(0o700);
    w.append({ type: 'failed', at: 'x', question: 'and?', error: 'cut off', partialAnswer: 'An', toolCalls: [], model: 'm' });
    expect(await listSessions(env)).toEqual([
      { id, startedAt: '2026-12-02T01:02:03.000Z', profile: 'demo', model: 'm', turns: 1, failed: 1, firstQuestion: 'how many?' },
    ]);
  });

  it('ignores a last line torn by a crash and refuses a damaged one before it', async () => {
    const { env, id, w } = writer();
    w.append(turn('one', 'One.'));
    appendFileSync(w.file, '{"type":"turn","que');
    expect((await readSession(env, id)).records).toHaveLength(1);
    const text = readFileSync(w.file, 'utf8').split('\n');
    writeFileSync(w.file, [text[0], '{broken', text[1]].join('\n'));
    await expect(readSession(env, id)).rejects.toThrow(/damaged at line 2/);
  });

  it('exports Markdown with each question, its answer or failure, and the tools called', async () => {
    const { env, id, w } = writer();
    w.append(turn('how many?', 'Three.'));
    w.append({
      type: 'failed',
      at: 'x',
      question: 'and?',
      error: 'the model endpoint failed (500)',
      partialAnswer: '',
      toolCalls: [],
      model: 'm',
    });
    const markdown = sessionMarkdown(await readSession(env, id));
    expect(markdown).toContain(`# Guardian chat ${id}`);
    expect(markdown).toContain('## how many?\n\nThree.\n');
    expect(markdown).toContain('`inventory_counts` `{"by":"cloud"}`');
    expect(markdown).toContain('## and?\n\n*Failed: the model endpoint failed (500)*');
  });
});
