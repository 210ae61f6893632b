/**
 * A Python outline without a parser: the bodies of module-level functions and methods, found
 * by scanning logical lines (strings, brackets, comments, backslash continuations) and their
 * indentation. Large modules are parsed without those bodies, and a body is parsed only when
 * something asks for it: apimap needs Nova's 550 KB compute manager
 * for its method names and lines, not for what the methods do.
 */

/** A function whose body the skeleton leaves out. Offsets are UTF-16 indexes into the text. */
export interface OutlinedDef {
  /** Start of the statement: its first decorator, or the `def` line. */
  start: number;
  /** Start of the `def` keyword's line (after any decorators). */
  defStart: number;
  /** First character of the body's first statement, and the end of its last line. */
  bodyStart: number;
  bodyEnd: number;
  /** Header lines (`class X(Base):`) of the classes around it, outermost first. */
  enclosing: { start: number; end: number }[];
}

/** A large module-level `NAME = <value>` whose value the skeleton leaves out (a policy list). */
export interface OutlinedValue {
  /** Start of the statement's line, of its value, and the end of the statement. */
  start: number;
  valueStart: number;
  end: number;
}

/** Values shorter than this are parsed with the module: a lazy parse costs more than it saves. */
const LAZY_VALUE_FROM = 2048;

export interface Outline {
  /**
   * The text with the first character of each left-out body or value replaced by `0`. Parsed
   * with the rest of them left out (tree-sitter's included ranges), every def reads
   * `def f(...): 0` and every large value `NAME = 0`, at the offsets, lines and columns of the
   * original.
   */
  skeleton: string;
  defs: OutlinedDef[];
  values: OutlinedValue[];
  /** Where each left-out part starts (its `0` placeholder) and ends, in order. */
  gaps: { at: number; end: number }[];
}

interface LogicalLine {
  /** Offset of the physical line start, of the first non-blank character, and of the end. */
  lineStart: number;
  start: number;
  end: number;
  indent: number;
  /** Ends with `:` outside brackets and strings: opens an indented block. */
  opensBlock: boolean;
}

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const FF = 12;
const HASH = 35;
const BACKSLASH = 92;
const QUOTE = 39;
const DQUOTE = 34;
const COLON = 58;

/**
 * Where the scan stops within a line: newlines, comments, escapes, quotes and brackets. The
 * scanner jumps between these with native regular expressions (`test` with `lastIndex`, no
 * match objects): it runs once over the largest modules, before the JIT has warmed up.
 */
const SPECIAL = /[\n#\\'"()[\]{}]/g;
/** The rest of a string literal after its opening quote(s), escapes included. */
const REST: Record<string, RegExp> = {
  "'": /(?:[^'\\\n]|\\[\s\S])*'/y,
  '"': /(?:[^"\\\n]|\\[\s\S])*"/y,
  "'''": /(?:[^'\\]|\\[\s\S]|'(?!''))*'''/y,
  '"""': /(?:[^"\\]|\\[\s\S]|"(?!""))*"""/y,
};

/**
 * Logical lines of Python source, skipping blank and comment-only lines. Returns null for text
 * the scanner cannot follow (an unclosed string or bracket): such a module is parsed whole.
 */
export function logicalLines(text: string): LogicalLine[] | null {
  const lines: LogicalLine[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const lineStart = i;
    let indent = 0;
    let c = text.charCodeAt(i);
    while (c === SPACE || c === TAB || c === FF) {
      indent = c === TAB ? indent + 8 - (indent % 8) : c === FF ? 0 : indent + 1;
      c = text.charCodeAt(++i);
    }
    if (i >= n) break;
    if (c === NL || c === CR || c === HASH) {
      const eol = text.indexOf("\n", i);
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    const start = i;
    let depth = 0;
    // Where a comment starts on the line's last physical line, if one does.
    let commentAt = -1;
    for (;;) {
      SPECIAL.lastIndex = i;
      if (!SPECIAL.test(text)) {
        if (depth > 0) return null;
        i = n;
        break;
      }
      const at = SPECIAL.lastIndex - 1;
      const ch = text.charCodeAt(at);
      if (ch === NL) {
        if (depth === 0) {
          i = at;
          break;
        }
        commentAt = -1;
        i = at + 1;
      } else if (ch === HASH) {
        commentAt = at;
        const eol = text.indexOf("\n", at);
        i = eol < 0 ? n : eol;
      } else if (ch === BACKSLASH) {
        // A continuation (a backslash before LF or CRLF) or a stray escape: the next character is no code.
        i = at + (text.charCodeAt(at + 1) === CR ? 3 : 2);
      } else if (ch === QUOTE || ch === DQUOTE) {
        const q = ch === QUOTE ? "'" : '"';
        const triple = text.charCodeAt(at + 1) === ch && text.charCodeAt(at + 2) === ch;
        const rest = REST[triple ? q + q + q : q] as RegExp;
        rest.lastIndex = at + (triple ? 3 : 1);
        if (!rest.test(text)) return null;
        i = rest.lastIndex;
      } else {
        if (ch === 40 || ch === 91 || ch === 123) depth++;
        else depth = depth > 0 ? depth - 1 : 0;
        i = at + 1;
      }
    }
    lines.push({
      lineStart,
      start,
      end: i,
      indent,
      opensBlock: endsWithColon(text, start, commentAt, i),
    });
    i++;
  }
  return lines;
}

/** The last code character of a logical line (before a comment, if any) is `:`. */
function endsWithColon(text: string, start: number, commentAt: number, end: number): boolean {
  for (let j = (commentAt >= 0 ? commentAt : end) - 1; j >= start; j--) {
    const c = text.charCodeAt(j);
    if (c !== SPACE && c !== TAB && c !== CR && c !== FF) return c === COLON;
  }
  return false;
}

/** Sticky: they test the text at a line's start without slicing it. */
const DEF = /(?:async\s+)?def\b/y;
const CLASS = /class\b/y;

function startsWith(re: RegExp, text: string, at: number): boolean {
  re.lastIndex = at;
  return re.test(text);
}

/**
 * The outline of a module, or null when it cannot be scanned. Only functions reached through
 * classes alone are outlined: a def under `if`/`try` is left for the parser, since its partial
 * parse would need the enclosing statement whole. `bodies: false` outlines large values only.
 */
export function outline(text: string, { bodies = true } = {}): Outline | null {
  const lines = logicalLines(text);
  if (!lines) return null;
  const defs: OutlinedDef[] = [];
  const values: OutlinedValue[] = [];
  // Open blocks around the current line: their indentation and whether they are all classes.
  const stack: { indent: number; line: LogicalLine; isClass: boolean }[] = [];
  let decoratorStart = -1;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k] as LogicalLine;
    while (
      stack.length > 0 &&
      (stack[stack.length - 1] as { indent: number }).indent >= line.indent
    )
      stack.pop();
    if (text.charCodeAt(line.start) === 64 /* @ */) {
      if (decoratorStart < 0) decoratorStart = line.lineStart;
      continue;
    }
    const onlyClasses = stack.every((s) => s.isClass);
    if (bodies && line.opensBlock && onlyClasses && startsWith(DEF, text, line.start)) {
      const body = bodyOf(lines, k);
      if (body) {
        defs.push({
          start: decoratorStart >= 0 ? decoratorStart : line.lineStart,
          defStart: line.lineStart,
          bodyStart: body.start,
          bodyEnd: body.end,
          enclosing: stack.map((s) => ({ start: s.line.lineStart, end: s.line.end })),
        });
        k = body.last;
        decoratorStart = -1;
        continue;
      }
    }
    decoratorStart = -1;
    if (stack.length === 0 && line.end - line.start > LAZY_VALUE_FROM) {
      const valueStart = valueStartOf(text, line);
      if (valueStart >= 0) values.push({ start: line.lineStart, valueStart, end: line.end });
    }
    if (line.opensBlock)
      stack.push({
        indent: line.indent,
        line,
        isClass: onlyClasses && startsWith(CLASS, text, line.start),
      });
  }
  const gaps = [
    ...defs.map((d) => ({ at: d.bodyStart, end: d.bodyEnd })),
    ...values.map((v) => ({ at: v.valueStart, end: v.end })),
  ].sort((a, b) => a.at - b.at);
  return { skeleton: placeholders(text, gaps), defs, values, gaps };
}

const TARGET = /[A-Za-z_]\w*[ \t]*=(?!=)[ \t]*/y;

/**
 * Where the value of `NAME = <value>` starts, or -1 for any other statement. Chained
 * assignments (`a = b = …`) are left whole: the binder needs every target.
 */
function valueStartOf(text: string, line: LogicalLine): number {
  TARGET.lastIndex = line.start;
  if (!TARGET.test(text)) return -1;
  const at = TARGET.lastIndex;
  const c = text.charCodeAt(at);
  if (at >= line.end || c === NL || c === CR || c === BACKSLASH || c === HASH) return -1;
  TARGET.lastIndex = at;
  return TARGET.test(text) ? -1 : at;
}

/** The logical lines indented under line k: its block. */
function bodyOf(
  lines: LogicalLine[],
  k: number,
): { start: number; end: number; last: number } | null {
  const header = lines[k] as LogicalLine;
  let last = -1;
  for (let j = k + 1; j < lines.length && (lines[j] as LogicalLine).indent > header.indent; j++)
    last = j;
  if (last < 0) return null;
  return {
    start: (lines[k + 1] as LogicalLine).start,
    end: (lines[last] as LogicalLine).end,
    last,
  };
}

/** The skeleton text: a `0` where each outlined body starts, the rest as it was. */
function placeholders(text: string, gaps: { at: number; end: number }[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const g of gaps) {
    parts.push(text.slice(at, g.at), "0");
    at = g.at + 1;
  }
  parts.push(text.slice(at));
  return parts.join("");
}
