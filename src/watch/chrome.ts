// The frame around the views: the header (profile, clouds and scopes, last refresh, countdown,
// progress, the last refresh's error), the tab line, the key hints and the help overlay. Pure.

import type { WatchData } from './estate.js';
import { type Line, text } from './lines.js';
import type { RefreshStatus } from './loop.js';
import { type UiState, VIEW_TITLES, VIEWS } from './state.js';

const clock = (at: Date) => at.toISOString().slice(11, 19);

export function headerLines(
  data: WatchData | undefined,
  status: RefreshStatus,
  now: Date,
  source: { profile: string; live: boolean },
): Line[] {
  const first: Line = [{ text: 'guardian watch', bold: true }, { text: ` · profile ${source.profile}` }];
  if (data) {
    const scopes = data.scopes.map(
      (s) => `${s.cloud} ${s.scopes} scope${s.scopes === 1 ? '' : 's'}${s.incomplete ? ` (${s.incomplete} incomplete)` : ''}`,
    );
    first.push({ text: ` · ${scopes.length ? scopes.join(', ') : data.clouds.join(', ') || 'no cloud'}` });
  }
  const second: Line = [];
  if (data)
    second.push({
      text: data.source === 'live' ? `refreshed ${clock(data.at)} UTC` : `snapshot ${data.source} taken ${clock(data.at)} UTC`,
    });
  if (status.running) second.push({ text: `${second.length ? ' · ' : ''}refreshing: ${status.progress ?? ''}`, color: 'cyan' });
  else if (status.nextAt) {
    const seconds = Math.max(0, Math.ceil((status.nextAt.getTime() - now.getTime()) / 1000));
    second.push({ text: `${second.length ? ' · ' : ''}next in ${seconds}s` });
  } else if (!source.live && data) second.push({ text: ' · not refreshed (--input)', dim: true });
  const lines = [first, second.length ? second : text('')];
  if (status.error)
    lines.push(
      text(`refresh failed${data ? ` (showing the data of ${clock(data.at)} UTC)` : ''}: ${status.error}`, { color: 'red', bold: true }),
    );
  return lines;
}

export function tabLine(ui: UiState, width: number): Line {
  const wide = width >= 72;
  const line: Line = [];
  VIEWS.forEach((view, i) => {
    const label = wide ? `${i + 1} ${VIEW_TITLES[view]}` : `${i + 1}${VIEW_TITLES[view].slice(0, 3)}`;
    if (i > 0) line.push({ text: ' ' });
    line.push(view === ui.view ? { text: `[${label}]`, bold: true, inverse: true } : { text: ` ${label} ` });
  });
  return line;
}

export function footerLine(ui: UiState, dropped: string[] | undefined, width: number): Line {
  const keys = ui.editingFilter
    ? 'type to filter · Enter keep · Esc clear'
    : ui.detail
      ? 'Esc back · ↑↓ other row · Tab/1-6 views · q quit'
      : width >= 90
        ? 'Tab/1-6 views · ↑↓ PgUp PgDn Home End move · / filter · Enter detail · r refresh · ? help · q quit'
        : 'Tab 1-6 · ↑↓ · / · Enter · r · ? · q';
  // The columns left out come first: at a narrow width they are what the reader is missing.
  return dropped?.length
    ? [{ text: `hidden at ${width} columns: ${dropped.join(', ')} · ${keys}`, dim: true }]
    : [{ text: keys, dim: true }];
}

export const HELP: Line[] = [
  text('Keys', { bold: true }),
  text('  Tab, Shift-Tab, 1-6   switch view: Overview, Resources, Costs, Security, Savings, Anomalies'),
  text('  ↑ ↓  PgUp PgDn  Home End (j k g G)   move in a list'),
  text('  /                     filter the resources (every word must match: name, id, kind, region, state, tags)'),
  text('  Esc                   clear the filter, close the detail or this help'),
  text('  Enter                 detail of the selected row (with its guardian … --json command)'),
  text('  r                     refresh now'),
  text('  ?                     this help'),
  text('  q                     quit'),
  text(''),
  text('The same data as JSON: guardian discover --json · costs --json · scan --json · optimize --json', { dim: true }),
];
