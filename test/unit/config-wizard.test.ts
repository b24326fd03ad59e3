// The questions of `guardian config init` on a terminal, answered by a script of replies.

import { describe, expect, it } from 'vitest';
import { askProfileSettings, type ProfileDraft } from '../../src/config/wizard.js';
import type { Dialogs } from '../../src/dialogs.js';

/** Dialogs that answer from a list, in order, and record each question. */
function scripted(replies: (string | boolean)[]): Dialogs & { asked: string[] } {
  const asked: string[] = [];
  const next = (message: string) => {
    asked.push(message);
    if (replies.length === 0) throw new Error(`no reply left for "${message}"`);
    return replies.shift() as never;
  };
  return {
    interactive: true,
    asked,
    confirm: async (message) => next(message),
    input: async (message, options) => {
      const answer = next(message) as unknown as string;
      const verdict = options?.validate?.(answer);
      if (verdict !== undefined && verdict !== true) throw new Error(`rejected: ${verdict}`);
      return answer;
    },
    select: async (message) => next(message),
  } as Dialogs & { asked: string[] };
}

describe('config init on a terminal', () => {
  it('asks cloud by cloud and keeps each answer parsed as config set would', async () => {
    const dialogs = scripted([true, 'prod,staging', 'eu-west-1, us-east-1', '', false, true, 'p-1', '', '', '64']);
    const settings: ProfileDraft = {};
    const lines: string[] = [];
    await askProfileSettings(dialogs, (line) => lines.push(line), 'work', settings);
    expect(settings).toEqual({
      aws: { profiles: ['prod', 'staging'], regions: ['eu-west-1', 'us-east-1'] },
      gcp: { projects: ['p-1'] },
      defaults: { concurrency: 64 },
    });
    expect(dialogs.asked[0]).toBe('Cover AWS?');
    expect(lines[0]).toContain("Setting up profile 'work'");
  });

  it('does not ask again for what the flags already set', async () => {
    const dialogs = scripted(['', '', false, false, '']);
    const settings: ProfileDraft = { aws: { profiles: ['given'] } };
    await askProfileSettings(dialogs, () => {}, 'work', settings);
    expect(dialogs.asked).not.toContain('Cover AWS?');
    expect(dialogs.asked.some((q) => q.startsWith('AWS named profiles'))).toBe(false);
    expect(settings.aws).toEqual({ profiles: ['given'] });
  });

  it('refuses an answer config set would refuse', async () => {
    const dialogs = scripted([true, '', 'not-a-region']);
    await expect(askProfileSettings(dialogs, () => {}, 'work', {})).rejects.toThrow(/rejected/);
  });
});
