// The dashboard's Ink components. `Dashboard` is a function of the loop's state, the clock and the
// terminal size: it keeps the interface state (views, cursor, filter) and answers keys through the
// pure reducer of state.ts. `WatchApp` connects it to a running refresh loop, the terminal's size
// (redrawn on resize) and a one-second clock for the countdown. Written with createElement, not
// JSX: the dependency checker's parser (swc, as dependency-cruiser runs it) reads no TSX.

import { Box, Text, useInput, useStdout } from 'ink';
import { Fragment, createElement as h, useEffect, useMemo, useRef, useState } from 'react';
import { footerLine, HELP, headerLines, tabLine } from './chrome.js';
import type { Line } from './lines.js';
import type { LoopState, RefreshLoop } from './loop.js';
import { initialState, type ListShape, reduceInput, type UiState } from './state.js';
import { RENDERERS } from './views/index.js';
import type { ViewOutput } from './views/view.js';

export function Lines({ lines, color }: { lines: Line[]; color: boolean }) {
  // Lines are positions on the screen, redrawn whole: the index is their identity.
  return h(
    Fragment,
    null,
    lines.map((line, i) =>
      h(
        Text,
        { key: i, wrap: 'truncate-end' },
        line.length === 0 || (line.length === 1 && line[0].text === '')
          ? ' '
          : line.map((s, j) =>
              h(
                Text,
                {
                  key: j,
                  color: color ? s.color : undefined,
                  bold: color ? s.bold : undefined,
                  dimColor: color ? s.dim : undefined,
                  inverse: color ? s.inverse : undefined,
                },
                s.text,
              ),
            ),
      ),
    ),
  );
}

export interface DashboardProps {
  loop: LoopState;
  now: Date;
  columns: number;
  rows: number;
  color: boolean;
  source: { profile: string; live: boolean };
  onRefresh(): void;
  /** q (`quit`) or Ctrl-C (`interrupt`). */
  onQuit(how: 'quit' | 'interrupt'): void;
}

function body(loop: LoopState, ui: UiState, width: number, height: number): ViewOutput {
  if (!loop.data || !loop.summary) {
    const lines: Line[] = loop.status.error
      ? [[{ text: 'no data yet: the first refresh failed; r tries again', color: 'red' }]]
      : [[{ text: `reading the estate… ${loop.status.progress ?? ''}`, color: 'cyan' }]];
    return { lines, listLength: 0 };
  }
  return RENDERERS[ui.view]({ data: loop.data, summary: loop.summary, ui, width, height });
}

export function Dashboard(props: DashboardProps) {
  const { loop, columns, rows, color, onRefresh, onQuit } = props;
  const [ui, setUi] = useState<UiState>(initialState);
  const header = headerLines(loop.data, loop.status, props.now, props.source);
  // One line short of the terminal: a frame as tall as the screen makes Ink clear it on every render.
  const height = Math.max(3, rows - 1 - header.length - 2);
  const width = Math.max(20, columns);
  const view = useMemo(() => body(loop, ui, width, height), [loop, ui, width, height]);
  const list = useRef<ListShape>({ length: 0, pageSize: 1 });
  list.current = { length: view.listLength, pageSize: Math.max(1, height - 4) };

  // Keys can arrive faster than React renders (a paste, a burst from tmux): each is reduced
  // against the state the previous key left, not the last one drawn.
  const current = useRef(ui);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      onQuit('interrupt');
      return;
    }
    current.current = reduceInput(current.current, input, key, list.current, onRefresh);
    setUi(current.current);
  });
  useEffect(() => {
    if (ui.quit) onQuit('quit');
  }, [ui.quit, onQuit]);

  const lines = ui.help ? HELP.slice(0, height) : view.lines;
  return h(
    Box,
    { flexDirection: 'column', width },
    h(Lines, { lines: header, color }),
    h(Lines, { lines: [tabLine(ui, width)], color }),
    h(Box, { flexDirection: 'column', height }, h(Lines, { lines: lines.slice(0, height), color })),
    h(Lines, { lines: [footerLine(ui, view.dropped, width)], color }),
  );
}

export interface WatchAppProps {
  loop: RefreshLoop;
  clock(): Date;
  color: boolean;
  source: { profile: string; live: boolean };
  onQuit(how: 'quit' | 'interrupt'): void;
}

function useTerminalSize() {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  });
  return size;
}

export function WatchApp({ loop, clock, color, source, onQuit }: WatchAppProps) {
  const [state, setState] = useState(loop.state());
  const [now, setNow] = useState(clock);
  const size = useTerminalSize();
  useEffect(() => loop.subscribe(setState), [loop]);
  useEffect(() => {
    const tick = setInterval(() => setNow(clock()), 1000);
    return () => clearInterval(tick);
  }, [clock]);
  return h(Dashboard, {
    loop: state,
    now,
    columns: size.columns,
    rows: size.rows,
    color,
    source,
    onRefresh: loop.refreshNow,
    onQuit,
  });
}
