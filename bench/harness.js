// What the benchmarks share: numeric flags, the built entry and modules, and a sandbox started in a
// process of its own (`guardian sandbox serve`), so its CPU is not counted as the code under test's.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);

/** `--name N` from the command line, or the fallback. */
export function flag(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

export const entry = fileURLToPath(new URL('../dist/bin/guardian.js', import.meta.url));

/** The URL of a built module under dist/src. */
export const dist = (path) => new URL(`../dist/src/${path}`, import.meta.url).href;

/**
 * Start `guardian sandbox serve` in its own process and read the endpoints it prints. Node flags
 * for that process come from BENCH_SANDBOX_NODE_FLAGS (space-separated), to profile the sandbox
 * apart from the client: BENCH_SANDBOX_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/sandbox-prof'.
 */
export async function serve(size, extra = []) {
  const nodeFlags = (process.env.BENCH_SANDBOX_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeFlags, entry, 'sandbox', 'serve', '--port', '0', '--json', '--size', String(size), ...extra],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  let text = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout) {
    text += chunk;
    try {
      return { child, info: JSON.parse(text) };
    } catch {}
  }
  throw new Error(`sandbox serve exited: ${text}`);
}

/** A session on the served sandbox's profile and AWS files, as `openSession` gives the engine one. */
export function sandboxSession(info) {
  return {
    profileName: 'bench',
    profile: info.profile,
    env: { ...process.env, AWS_CONFIG_FILE: info.files.awsConfig, AWS_SHARED_CREDENTIALS_FILE: info.files.awsCredentials },
    ambient: false,
    close: async () => {},
  };
}

export async function stop(child) {
  child.kill('SIGINT');
  await once(child, 'exit');
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
