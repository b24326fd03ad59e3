// The dashboard's keys as the pure reducer answers them: views, cursor movement clamped to the
// list, the filter typed and cleared, the detail pane, help, quit, and bursts of keys in one event.

import { describe, expect, it } from 'vitest';
import { actionOf, initialState, reduce, reduceInput, type UiState } from '../../src/watch/state.js';

const list = { length: 50, pageSize: 10 };
const press = (state: UiState, input: string, key = {}) => reduceInput(state, input, key, list, () => {});

describe('watch keys', () => {
  it('switches views with Tab, Shift-Tab and 1-6, closing any detail', () => {
    let state = initialState();
    state = press(state, '', { tab: true });
    expect(state.view).toBe('resources');
    state = press(state, '', { tab: true, shift: true });
    expect(state.view).toBe('overview');
    state = press(state, '6');
    expect(state.view).toBe('anomalies');
    state = press(state, '', { tab: true });
    expect(state.view).toBe('overview');
    state = { ...press(state, '2'), detail: true };
    expect(press(state, '4')).toMatchObject({ view: 'security', detail: false });
  });

  it('moves the cursor by line, page and to either end, never past the list', () => {
    let state = press(initialState(), '2');
    state = press(state, '', { upArrow: true });
    expect(state.cursor.resources).toBe(0);
    state = press(state, '', { pageDown: true });
    expect(state.cursor.resources).toBe(10);
    state = press(state, '', { downArrow: true });
    expect(state.cursor.resources).toBe(11);
    state = press(state, '', { end: true });
    expect(state.cursor.resources).toBe(49);
    state = press(state, '', { pageDown: true });
    expect(state.cursor.resources).toBe(49);
    state = press(state, '', { pageUp: true });
    expect(state.cursor.resources).toBe(39);
    state = press(state, '', { home: true });
    expect(state.cursor.resources).toBe(0);
    // Each view keeps its own cursor.
    expect(press(press(state, '', { end: true }), '4').cursor).toMatchObject({ resources: 49, security: 0 });
  });

  it('types the filter after /, keeps it on Enter and clears it with Esc; q and r are text while typing', () => {
    let state = press(initialState(), '2');
    state = press(state, '/');
    expect(state.editingFilter).toBe(true);
    state = press(state, 'q');
    state = press(state, 'r');
    expect(state).toMatchObject({ filter: 'qr', quit: false });
    state = press(state, '', { backspace: true });
    expect(state.filter).toBe('q');
    state = press(state, '', { return: true });
    expect(state).toMatchObject({ editingFilter: false, filter: 'q' });
    state = press(state, '', { escape: true });
    expect(state.filter).toBe('');
  });

  it('reads a burst of characters as the keys they are: "/web" then Enter filters for web', () => {
    const state = press(press(initialState(), '2'), '/web\r');
    expect(state).toMatchObject({ filter: 'web', editingFilter: false });
  });

  it('calls for a refresh on r without changing the view, and quits on q and Ctrl-C', () => {
    let refreshed = 0;
    const state = reduceInput(initialState(), 'r', {}, list, () => refreshed++);
    expect(refreshed).toBe(1);
    expect(state).toEqual(initialState());
    expect(press(state, 'q').quit).toBe(true);
    expect(actionOf('c', { ctrl: true }, true)).toEqual({ type: 'quit' });
  });

  it('opens the detail pane on Enter only where there is a row, and Esc closes it before clearing the filter', () => {
    expect(reduce(press(initialState(), '2'), { type: 'enter' }, { length: 0, pageSize: 5 }).detail).toBe(false);
    expect(press(initialState(), '', { return: true }).detail).toBe(false);
    let state = { ...press(initialState(), '2'), filter: 'web' };
    state = press(state, '', { return: true });
    expect(state.detail).toBe(true);
    state = press(state, '', { escape: true });
    expect(state).toMatchObject({ detail: false, filter: 'web' });
    expect(press(state, '', { escape: true }).filter).toBe('');
  });

  it('shows help on ? and lets only Esc or ? close it', () => {
    let state = press(initialState(), '?');
    expect(state.help).toBe(true);
    state = press(state, '3');
    expect(state).toMatchObject({ help: true, view: 'overview' });
    expect(press(state, '', { escape: true }).help).toBe(false);
  });
});
