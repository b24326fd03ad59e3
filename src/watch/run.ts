// `guardian watch` between its flags and the terminal: open the source (the profile's clouds, or a
// snapshot), start the refresh loop, draw the dashboard with Ink on the alternate screen, and on
// `q`, Ctrl-C or a signal stop the loop, close the session and give the terminal back as it was.

import { render } from 'ink';
import { createElement } from 'react';
import type { RunContext } from '../discovery/run.js';
import { Interrupted } from '../errors.js';
import { WatchApp } from './Dashboard.js';
import { createRefreshLoop } from './loop.js';
import { openLiveSource, openSnapshotSource, type WatchRequest } from './refresh.js';

export interface WatchOptions extends WatchRequest {
  /** Between the end of one refresh and the start of the next. */
  intervalMs: number;
}

// xterm's alternate screen (DECSET 1049): the dashboard leaves the shell's scrollback untouched.
const ALTERNATE_SCREEN = '\u001b[?1049h';
const MAIN_SCREEN = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';

export async function runWatch(ctx: RunContext & { io: RunContext['io'] }, options: WatchOptions): Promise<void> {
  const { input } = options;
  const source = input ? await openSnapshotSource(ctx, { ...options, input }) : await openLiveSource(ctx, options);
  const loop = createRefreshLoop({ refresh: source.refresh, intervalMs: input ? undefined : options.intervalMs, now: ctx.now });
  const { stdout, stdin, stderr } = ctx.io;
  const ended: { how: 'quit' | 'interrupt' } = { how: 'quit' };
  stdout.write(ALTERNATE_SCREEN);
  try {
    loop.start();
    const app = render(
      createElement(WatchApp, {
        loop,
        clock: ctx.now,
        color: ctx.io.color,
        source: { profile: source.profile, live: !input },
        onQuit: (reason) => {
          ended.how = reason;
          app.unmount();
        },
      }),
      {
        stdout: stdout as NodeJS.WriteStream,
        stdin: stdin as NodeJS.ReadStream,
        stderr: stderr as NodeJS.WriteStream,
        exitOnCtrlC: false,
        patchConsole: false,
      },
    );
    // SIGINT or SIGTERM from outside (kill, the terminal closing) ends the dashboard like Ctrl-C.
    const onSignal = () => {
      ended.how = 'interrupt';
      app.unmount();
    };
    ctx.signal.addEventListener('abort', onSignal, { once: true });
    try {
      await app.waitUntilExit();
    } finally {
      ctx.signal.removeEventListener('abort', onSignal);
    }
  } finally {
    await loop.stop();
    stdout.write(`${MAIN_SCREEN}${SHOW_CURSOR}`);
    await source.close();
  }
  if (ended.how === 'interrupt') throw new Interrupted('watch interrupted');
}
