// The dashboard's interface state and the keys that change it: which view is shown, the cursor of
// each list, the filter being typed, the detail pane and the help overlay. A pure reducer over
// named actions, so every key is unit-tested without a terminal; `actionOf` maps Ink's key events.

export const VIEWS = ['overview', 'resources', 'costs', 'security', 'savings', 'anomalies'] as const;
export type View = (typeof VIEWS)[number];

export const VIEW_TITLES: Record<View, string> = {
  overview: 'Overview',
  resources: 'Resources',
  costs: 'Costs',
  security: 'Security',
  savings: 'Savings',
  anomalies: 'Anomalies',
};

export interface UiState {
  view: View;
  /** The selected row of each list view. */
  cursor: Record<View, number>;
  /** The Resources filter (`/`), applied as it is typed. */
  filter: string;
  /** Keys go to the filter until Enter or Esc. */
  editingFilter: boolean;
  /** The detail pane of the selected row (Enter; Esc closes). */
  detail: boolean;
  help: boolean;
  quit: boolean;
}

export type Action =
  | { type: 'up' }
  | { type: 'down' }
  | { type: 'page-up' }
  | { type: 'page-down' }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'next-view' }
  | { type: 'previous-view' }
  | { type: 'view'; view: View }
  | { type: 'filter-start' }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'enter' }
  | { type: 'escape' }
  | { type: 'refresh' }
  | { type: 'help' }
  | { type: 'quit' };

/** What the reducer must know of the screen: how many rows the current list has and shows at once. */
export interface ListShape {
  length: number;
  pageSize: number;
}

export function initialState(): UiState {
  return {
    view: 'overview',
    cursor: { overview: 0, resources: 0, costs: 0, security: 0, savings: 0, anomalies: 0 },
    filter: '',
    editingFilter: false,
    detail: false,
    help: false,
    quit: false,
  };
}

const clamp = (value: number, length: number) => Math.max(0, Math.min(value, length - 1));

function move(state: UiState, to: number, list: ListShape): UiState {
  return { ...state, cursor: { ...state.cursor, [state.view]: clamp(to, list.length) } };
}

function show(state: UiState, view: View): UiState {
  return { ...state, view, detail: false, editingFilter: false, help: false };
}

/** The next state; `refresh` is answered by the caller (it starts a refresh), the state is unchanged. */
export function reduce(state: UiState, action: Action, list: ListShape): UiState {
  if (action.type === 'quit') return { ...state, quit: true };
  if (state.help) return action.type === 'escape' || action.type === 'help' ? { ...state, help: false } : state;
  if (state.editingFilter) {
    switch (action.type) {
      case 'type':
        return { ...state, filter: state.filter + action.text, cursor: { ...state.cursor, resources: 0 } };
      case 'erase':
        return { ...state, filter: state.filter.slice(0, -1), cursor: { ...state.cursor, resources: 0 } };
      case 'enter':
        return { ...state, editingFilter: false };
      case 'escape':
        return { ...state, editingFilter: false, filter: '', cursor: { ...state.cursor, resources: 0 } };
      default:
        break;
    }
  }
  const cursor = state.cursor[state.view];
  switch (action.type) {
    case 'up':
      return move(state, cursor - 1, list);
    case 'down':
      return move(state, cursor + 1, list);
    case 'page-up':
      return move(state, cursor - Math.max(1, list.pageSize), list);
    case 'page-down':
      return move(state, cursor + Math.max(1, list.pageSize), list);
    case 'home':
      return move(state, 0, list);
    case 'end':
      return move(state, list.length - 1, list);
    case 'next-view':
      return show(state, VIEWS[(VIEWS.indexOf(state.view) + 1) % VIEWS.length]);
    case 'previous-view':
      return show(state, VIEWS[(VIEWS.indexOf(state.view) + VIEWS.length - 1) % VIEWS.length]);
    case 'view':
      return show(state, action.view);
    case 'filter-start':
      return state.view === 'resources' ? { ...state, editingFilter: true, detail: false } : state;
    case 'enter':
      return list.length > 0 && state.view !== 'overview' && state.view !== 'costs' ? { ...state, detail: true } : state;
    case 'escape':
      if (state.detail) return { ...state, detail: false };
      if (state.view === 'resources' && state.filter) return { ...state, filter: '', cursor: { ...state.cursor, resources: 0 } };
      return state;
    case 'help':
      return { ...state, help: true };
    default:
      return state;
  }
}

/** Ink's key event, as far as the dashboard reads it. */
export interface KeyEvent {
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

/**
 * The actions of one input event, reduced in order: Ink hands a burst of characters (a paste, keys
 * sent faster than it reads) over as one string, so "/web" is the filter key and three letters.
 */
export function reduceInput(state: UiState, input: string, key: KeyEvent, list: ListShape, onRefresh: () => void): UiState {
  const special = Object.entries(key).some(([name, on]) => on && name !== 'shift' && name !== 'meta');
  const chunks = special || input.length <= 1 ? [input] : [...input];
  let next = state;
  for (const chunk of chunks) {
    const action =
      special || input.length <= 1 ? actionOf(chunk, key, next.editingFilter) : actionOf(...charKey(chunk), next.editingFilter);
    if (!action) continue;
    if (action.type === 'refresh') onRefresh();
    else next = reduce(next, action, list);
  }
  return next;
}

/** A character of a burst as the key it is (Enter, Tab, Backspace arrive as their control characters). */
function charKey(char: string): [string, KeyEvent] {
  if (char === '\r' || char === '\n') return ['', { return: true }];
  if (char === '\t') return ['', { tab: true }];
  if (char === '\u007f' || char === '\b') return ['', { backspace: true }];
  return [char, {}];
}

/** The action a key stands for, or undefined; while the filter is typed, printable keys are text. */
export function actionOf(input: string, key: KeyEvent, editingFilter: boolean): Action | undefined {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (key.upArrow) return { type: 'up' };
  if (key.downArrow) return { type: 'down' };
  if (key.pageUp) return { type: 'page-up' };
  if (key.pageDown) return { type: 'page-down' };
  if (key.home) return { type: 'home' };
  if (key.end) return { type: 'end' };
  if (key.return) return { type: 'enter' };
  if (key.escape) return { type: 'escape' };
  if (key.tab) return { type: key.shift ? 'previous-view' : 'next-view' };
  if (key.backspace || key.delete) return editingFilter ? { type: 'erase' } : undefined;
  if (key.ctrl || key.meta) return undefined;
  if (editingFilter) return input ? { type: 'type', text: input.replace(/[\u0000-\u001f\u007f]/g, '') } : undefined;
  if (/^[1-6]$/.test(input)) return { type: 'view', view: VIEWS[Number(input) - 1] };
  switch (input) {
    case '/':
      return { type: 'filter-start' };
    case 'r':
      return { type: 'refresh' };
    case '?':
      return { type: 'help' };
    case 'q':
      return { type: 'quit' };
    case 'k':
      return { type: 'up' };
    case 'j':
      return { type: 'down' };
    case 'g':
      return { type: 'home' };
    case 'G':
      return { type: 'end' };
    default:
      return undefined;
  }
}
