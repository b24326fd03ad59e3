// The `filter` query parameter of Compute Engine list calls (https://cloud.google.com/compute/docs/reference/rest/v1/instances/list):
// `field = value`, `!=`, `:` (has), `>`/`<`, the legacy regular-expression form `field eq 'regex'` / `ne`,
// combined with AND, OR, NOT and parentheses; `*` is a wildcard in literal comparisons.

type Node =
  | { type: 'and' | 'or'; left: Node; right: Node }
  | { type: 'not'; operand: Node }
  | { type: 'cmp'; field: string[]; op: string; value: string };

export class FilterSyntaxError extends Error {}

const TOKEN = /\s*(\(|\)|!=|>=|<=|=|:|<|>|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s()=!:<>]+)/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  while (position < expression.length) {
    if (/^\s*$/.test(expression.slice(position))) break;
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(expression);
    if (!match) throw new FilterSyntaxError(`unexpected input at ${position}`);
    tokens.push(match[1]);
    position = TOKEN.lastIndex;
  }
  return tokens;
}

function unquote(token: string): string {
  if ((token.startsWith('"') && token.endsWith('"')) || (token.startsWith("'") && token.endsWith("'"))) {
    return token.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return token;
}

const OPERATORS = new Set(['=', '!=', ':', '<', '>', '<=', '>=', 'eq', 'ne']);

export function parseFilter(expression: string): Node | undefined {
  const tokens = tokenize(expression);
  if (tokens.length === 0) return undefined;
  let position = 0;
  const peek = () => tokens[position];
  const next = () => {
    const token = tokens[position++];
    if (token === undefined) throw new FilterSyntaxError('unexpected end of filter');
    return token;
  };
  const parseOr = (): Node => {
    let left = parseAnd();
    while (peek() === 'OR') {
      position++;
      left = { type: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseUnary();
    while (peek() !== undefined && peek() !== ')' && peek() !== 'OR') {
      if (peek() === 'AND') position++;
      left = { type: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Node => {
    const token = next();
    if (token === 'NOT') return { type: 'not', operand: parseUnary() };
    if (token === '(') {
      const inner = parseOr();
      if (next() !== ')') throw new FilterSyntaxError('missing )');
      return inner;
    }
    const negated = token.startsWith('-') && token.length > 1;
    const field = (negated ? token.slice(1) : token).split('.');
    const op = next();
    if (!OPERATORS.has(op)) throw new FilterSyntaxError(`unknown operator ${op}`);
    const raw = next();
    if (raw === '(' || raw === ')') throw new FilterSyntaxError(`expected a value after ${op}`);
    const value = unquote(raw);
    const comparison: Node = { type: 'cmp', field, op, value };
    return negated ? { type: 'not', operand: comparison } : comparison;
  };
  const tree = parseOr();
  if (position !== tokens.length) throw new FilterSyntaxError(`unexpected ${tokens[position]}`);
  return tree;
}

function valuesAt(object: unknown, path: string[]): unknown[] {
  let current: unknown[] = [object];
  for (const key of path) {
    const nextValues: unknown[] = [];
    for (const value of current) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        if (item && typeof item === 'object' && key in item) nextValues.push((item as Record<string, unknown>)[key]);
      }
    }
    current = nextValues;
  }
  return current.flatMap((value) => (Array.isArray(value) ? value : [value])).filter((value) => value !== undefined && value !== null);
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

function compare(actual: unknown, op: string, expected: string): boolean {
  const text = typeof actual === 'object' ? JSON.stringify(actual) : String(actual);
  switch (op) {
    case '=':
      return wildcard(expected).test(text);
    case '!=':
      return !wildcard(expected).test(text);
    case ':':
      return expected === '*' || wildcard(expected).test(text) || text.endsWith(`/${expected}`);
    case 'eq':
      return new RegExp(`^(?:${expected})$`).test(text);
    case 'ne':
      return !new RegExp(`^(?:${expected})$`).test(text);
    default: {
      const numeric = Number(text);
      const bound = Number(expected);
      const order = Number.isFinite(numeric) && Number.isFinite(bound) ? numeric - bound : text.localeCompare(expected);
      if (op === '<') return order < 0;
      if (op === '>') return order > 0;
      if (op === '<=') return order <= 0;
      return order >= 0;
    }
  }
}

export function matchesFilter(node: Node | undefined, object: unknown): boolean {
  if (!node) return true;
  switch (node.type) {
    case 'and':
      return matchesFilter(node.left, object) && matchesFilter(node.right, object);
    case 'or':
      return matchesFilter(node.left, object) || matchesFilter(node.right, object);
    case 'not':
      return !matchesFilter(node.operand, object);
    case 'cmp': {
      const values = valuesAt(object, node.field);
      // A negative comparison on a missing field holds (the field is not equal to anything).
      if (values.length === 0) return node.op === '!=' || node.op === 'ne';
      return node.op === '!=' || node.op === 'ne'
        ? values.every((value) => compare(value, node.op, node.value))
        : values.some((value) => compare(value, node.op, node.value));
    }
  }
}
