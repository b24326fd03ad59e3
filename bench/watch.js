// The dashboard under a long watch: the real refresh (discovery, spend, scan, optimize with its
// metrics) of a 10,000-resource estate served by `guardian sandbox serve` in its own process,
// back to back, drawn by the real Ink dashboard into an in-memory terminal. Measured in one run:
// RSS after 10 refreshes against after 100 (target: under 10% growth; after a full GC when node
// runs with --expose-gc, as `npm run bench:watch` does), and the longest delay from a key to the
// frame that answers it while refreshes run (target: under 100 ms), a key every 50 ms.
// Usage: npm run build && npm run bench:watch [-- --size 10000 --refreshes 100 --early 10]

import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { dist, flag, sandboxSession, serve, stop } from './harness.js';

const SIZE = flag('size', 10_000);
const REFRESHES = flag('refreshes', 100);
const EARLY = flag('early', 10);
const KEY_EVERY_MS = 50;

/** A terminal in memory: Ink writes frames to it; it records when each write happened. */
class Terminal extends EventEmitter {
  columns = 140;
  rows = 45;
  isTTY = true;
  lastWrite = 0;
  write(_frame) {
    this.lastWrite = performance.now();
    this.emit('frame', this.lastWrite);
    return true;
  }
}
class Keyboard extends EventEmitter {
  isTTY = true;
  data = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const { data } = this;
    this.data = null;
    return data;
  };
  press(data) {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
}

const rssMb = () => {
  globalThis.gc?.();
  return process.memoryUsage().rss / 1024 / 1024;
};

async function main() {
  // As `guardian watch` does before it loads Ink: React's production build.
  process.env.NODE_ENV ??= 'production';
  const { createIo } = await import(dist('render/io.js'));
  const { openLiveSource } = await import(dist('watch/refresh.js'));
  const { createRefreshLoop } = await import(dist('watch/loop.js'));
  const { WatchApp } = await import(dist('watch/Dashboard.js'));
  const { render } = await import('ink');
  const { createElement } = await import('react');

  const dir = mkdtempSync(join(tmpdir(), 'guardian-bench-watch-'));
  const { child, info } = await serve(SIZE);
  const session = sandboxSession(info);
  const env = { ...session.env, GUARDIAN_CONFIG_DIR: join(dir, 'config'), GUARDIAN_DATA_DIR: join(dir, 'data'), NO_COLOR: '1' };
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const stdout = new Terminal();
  const stdin = new Keyboard();
  const controller = new AbortController();
  const ctx = {
    io: createIo({ stdout: sink, stderr: sink, stdin }, env, { quiet: true }),
    signal: controller.signal,
    env,
    globals: { profile: 'bench' },
    profile: 'bench',
    cwd: dir,
    now: () => new Date(),
    openStore: async () => (await import(dist('config/store.js'))).openConfigStore(env),
    openSession: async () => ({ ...session, env }),
  };
  const source = await openLiveSource(ctx, {});
  const loop = createRefreshLoop({ refresh: source.refresh, intervalMs: 1, now: ctx.now });
  const app = render(
    createElement(WatchApp, { loop, clock: ctx.now, color: false, source: { profile: 'bench', live: true }, onQuit: () => {} }),
    { stdout, stdin, stderr: stdout, exitOnCtrlC: false, patchConsole: false },
  );

  // A key every 50 ms, alternating between two views so that each one changes the frame; the delay
  // is from the key to the next frame written. Only keys pressed while a refresh runs count.
  const delays = [];
  let pending;
  stdout.on('frame', (at) => {
    if (pending?.during) delays.push(at - pending.at);
    pending = undefined;
  });
  let view = 1;
  const keys = setInterval(() => {
    if (pending) return;
    view = view === 1 ? 2 : 1;
    pending = { at: performance.now(), during: loop.state().status.running };
    stdin.press(String(view));
  }, KEY_EVERY_MS);

  let done = 0;
  let early;
  let resources = 0;
  let failures = 0;
  const started = performance.now();
  await new Promise((resolve) => {
    let wasRunning = false;
    loop.subscribe((state) => {
      if (wasRunning && !state.status.running) {
        done += 1;
        if (state.status.error) failures += 1;
        resources = state.data?.resources.length ?? 0;
        if (done === EARLY) early = rssMb();
        if (done % 10 === 0) console.error(`bench: ${done} refreshes, ${Math.round(rssMb())} MB`);
        if (done >= REFRESHES) resolve();
      }
      wasRunning = state.status.running;
    });
    loop.start();
  });
  const late = rssMb();
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(keys);
  app.unmount();
  await loop.stop();
  await source.close();
  await stop(child);
  rmSync(dir, { recursive: true, force: true });

  const growth = ((late - early) / early) * 100;
  const sorted = [...delays].sort((a, b) => a - b);
  const worst = sorted.at(-1) ?? Number.NaN;
  const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? Number.NaN;
  console.log(
    `node ${process.version}, ${resources.toLocaleString('en-US')} resources, ${done} refreshes in ${elapsed.toFixed(0)} s (${failures} failed)${globalThis.gc ? ', RSS after a full GC' : ''}`,
  );
  console.log(`RSS after ${EARLY} refreshes   ${early.toFixed(1)} MB`);
  console.log(`RSS after ${REFRESHES} refreshes  ${late.toFixed(1)} MB`);
  console.log(`growth               ${growth.toFixed(1)}% (target < 10%) ${growth < 10 ? 'OK' : 'OVER'}`);
  console.log(
    `keys during refreshes ${delays.length}, key-to-frame p99 ${p99.toFixed(1)} ms, longest ${worst.toFixed(1)} ms (target < 100 ms) ${worst < 100 ? 'OK' : 'OVER'}`,
  );
}

await main();
process.exit(0);
