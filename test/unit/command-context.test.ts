// The runtime object every command gets (commands/context.ts): the requested profile by the one
// precedence rule, the runtime's clock and working directory, and a config store opened from the
// environment the run was given.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CommandContext, contextFor, type Runtime } from '../../commands/context.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardian-context-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Parses argv with a program holding one command, and returns the context its action got. */
async function contextOf(argv: string[], runtime: Partial<Runtime>): Promise<CommandContext> {
  const streams = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough() };
  const full: Runtime = { signal: new AbortController().signal, env: {}, streams, ...runtime };
  let ctx: CommandContext | undefined;
  const program = new Command('guardian').option('-p, --profile <name>').exitOverride();
  program.command('probe').action((_options: object, command: Command) => {
    ctx = contextFor(command, full);
  });
  await program.parseAsync(['node', 'guardian', ...argv]);
  return ctx!;
}

describe('the command context', () => {
  it('asks for --profile first, then GUARDIAN_PROFILE, and leaves the choice to the store otherwise', async () => {
    expect((await contextOf(['--profile', 'prod', 'probe'], { env: { GUARDIAN_PROFILE: 'ci' } })).profile).toBe('prod');
    expect((await contextOf(['probe'], { env: { GUARDIAN_PROFILE: 'ci' } })).profile).toBe('ci');
    expect((await contextOf(['probe'], { env: {} })).profile).toBeUndefined();
  });

  it("gives the runtime's clock and working directory to the command", async () => {
    const at = new Date('2026-11-20T12:00:00Z');
    const ctx = await contextOf(['probe'], { now: () => at, cwd: dir });
    expect(ctx.now()).toBe(at);
    expect(ctx.cwd).toBe(dir);
  });

  it("opens the config store of the run's environment, afresh on every call", async () => {
    const ctx = await contextOf(['--profile', 'work', 'probe'], { env: { GUARDIAN_CONFIG_DIR: dir } });
    const store = await ctx.openStore();
    expect(store.path.startsWith(dir)).toBe(true);
    await store.setValue('work', 'aws.regions', 'eu-west-1');
    const again = await ctx.openStore();
    expect(again).not.toBe(store);
    expect(again.getValue(again.resolveProfileName(ctx.profile), 'aws.regions')).toEqual(['eu-west-1']);
  });
});
