// Text that came from files and clouds, made safe to print on a terminal: control characters
// (ESC and the CSI/OSC sequences it starts, NUL, BEL, CR, C1 controls) and the Unicode controls
// that reorder or hide text are shown as visible escapes instead of being acted on.

// C0 controls, DEL, C1 controls; the bidirectional overrides and isolates ("Trojan Source",
// CVE-2021-42574), the Arabic letter mark, and the line/paragraph separators some terminals break on.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u0000': '\\0' };

function visible(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The text with every control character written as an escape (`\x1b`, `\0`, `\n`, `\u202e`), so
 * it can neither drive the terminal nor break a one-line message. With `newlines`, line feeds are
 * kept (a stack trace or a graph label may span lines; each line is still safe).
 */
export function escapeControls(text: string, options: { newlines?: boolean } = {}): string {
  return text.replace(options.newlines ? UNSAFE_BUT_NEWLINE : UNSAFE, visible);
}
