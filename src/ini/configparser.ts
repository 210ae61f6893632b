/**
 * Python `configparser` file syntax, read the way CPython 3's `RawConfigParser` reads it with
 * its default settings (delimiters `=` and `:`, full-line comments `#` and `;`, no inline
 * comments, `empty_lines_in_values=True`, `[DEFAULT]` as the default section).
 *
 * PasteDeploy (`loadwsgi.NicerConfigParser`, with `optionxform = str`) and pbr / setuptools
 * (`setup.cfg`, keys lower-cased) both read their files this way, so one parser serves both.
 * Nothing is executed: interpolation is a separate, explicit step (`interpolate`).
 */
import type { Diagnostic } from "../model/diagnostics.js";

export interface IniOption {
  /** The key, case-folded to lower case only when `lowercaseKeys` was asked for. */
  key: string;
  /** The value: continuation lines joined with "\n", trailing whitespace removed. */
  value: string;
  /** 1-based line of the `key = value` line. */
  line: number;
  /** 1-based line of each line of `value` (so `value.split("\n")[i]` came from `valueLines[i]`). */
  valueLines: number[];
}

export interface IniSection {
  /** The header text between the brackets, as written (`app:main`, `DEFAULT`). */
  name: string;
  /** 1-based line of the (first) `[name]` header. */
  line: number;
  /** This section's own options, in file order (not those inherited from `[DEFAULT]`). */
  options: IniOption[];
  /** An option of this section, else the `[DEFAULT]` one of that key (as configparser's `get`). */
  get(key: string): IniOption | undefined;
}

export interface IniDocument {
  /** The file name used in messages. */
  file: string;
  /** Every section except `[DEFAULT]`, in file order. */
  sections: IniSection[];
  /** The `[DEFAULT]` section, or null when the file has none. */
  defaults: IniSection | null;
  /** A section by exact name (not `DEFAULT`: use `defaults`). */
  get(name: string): IniSection | undefined;
  /** Duplicate sections or options kept in non-strict mode. */
  warnings: Diagnostic[];
}

export interface ParseIniOptions {
  /**
   * Case-fold keys to lower case, as configparser's default `optionxform` does (setup.cfg).
   * Default false: PasteDeploy sets `optionxform = str`, and its urlmap keys (`/v2.0`) and
   * pipeline names are case-sensitive.
   */
  lowercaseKeys?: boolean;
  /**
   * Throw on a duplicate section or option, as configparser's `strict=True` does (PasteDeploy
   * runs strict). Default false: keep the last value and record a warning, so one slip in a
   * deployment's file does not hide the rest of the map.
   */
  strict?: boolean;
}

/** A line configparser would refuse. `message` is `"<file>:<line>: <what is wrong>"`. */
export class IniSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = "IniSyntaxError";
  }
}

export const DEFAULT_SECTION = "DEFAULT";

// configparser's SECTCRE ("very permissive!"): greedy, matched (not full-matched) against the
// stripped line, so `[a] trailing` is section "a".
const SECTION_RE = /^\[(.+)\]/;
// configparser's OPTCRE: the first `=` or `:` is the delimiter; the key may be empty (an error).
const OPTION_RE = /^(.*?)\s*([=:])\s*(.*)$/;
const COMMENT_PREFIXES = ["#", ";"];

interface RawOption {
  key: string;
  lines: string[];
  lineNumbers: number[];
  line: number;
}

interface RawSection {
  name: string;
  line: number;
  options: Map<string, RawOption>;
}

/** Parse configparser text. Throws `IniSyntaxError` on the first line configparser refuses. */
export function parseIni(text: string, file: string, opts: ParseIniOptions = {}): IniDocument {
  const lowercase = opts.lowercaseKeys ?? false;
  const strict = opts.strict ?? false;
  const warnings: Diagnostic[] = [];
  const sections = new Map<string, RawSection>();
  let defaults: RawSection | null = null;
  let current: RawSection | null = null;
  let option: RawOption | null = null;
  let indentLevel = 0;

  // Universal newlines, as Python's text-mode file iteration gives.
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const stripped = raw.trim();
    // Full-line comments are recognised after stripping, so an indented `#` line inside a
    // multi-line value is dropped, not kept as part of the value.
    if (COMMENT_PREFIXES.some((p) => stripped.startsWith(p))) return;
    if (stripped === "") {
      // empty_lines_in_values: a blank line belongs to the value being read; trailing ones
      // are trimmed when the value is joined.
      if (current && option) {
        option.lines.push("");
        option.lineNumbers.push(lineNo);
      }
      return;
    }
    const indent = raw.search(/\S/);
    if (current && option && indent > indentLevel) {
      option.lines.push(stripped);
      option.lineNumbers.push(lineNo);
      return;
    }
    indentLevel = indent;

    const header = SECTION_RE.exec(stripped);
    if (header) {
      const name = header[1] ?? "";
      option = null;
      if (name === DEFAULT_SECTION) {
        // configparser merges repeated [DEFAULT] headers, even in strict mode.
        defaults ??= { name, line: lineNo, options: new Map() };
        current = defaults;
        return;
      }
      const existing = sections.get(name);
      if (existing) {
        const why = `duplicate section [${name}] (first at line ${existing.line})`;
        if (strict) throw new IniSyntaxError(file, lineNo, why);
        warnings.push({
          level: "warning",
          message: `${why}; its options are merged, later values win (Python's strict configparser refuses this)`,
          file,
          line: lineNo,
        });
        current = existing;
        return;
      }
      current = { name, line: lineNo, options: new Map() };
      sections.set(name, current);
      return;
    }

    if (!current) throw new IniSyntaxError(file, lineNo, "no [section] header before this line");

    const m = OPTION_RE.exec(stripped);
    if (!m) {
      throw new IniSyntaxError(
        file,
        lineNo,
        `expected "key = value", "key: value" or "[section]", got ${JSON.stringify(stripped)}`,
      );
    }
    const rawKey = (m[1] ?? "").trimEnd();
    if (rawKey === "")
      throw new IniSyntaxError(file, lineNo, `option with no name before "${m[2]}"`);
    const key = lowercase ? rawKey.toLowerCase() : rawKey;
    const previous = current.options.get(key);
    if (previous) {
      const why = `duplicate option "${key}" in [${current.name}] (first at line ${previous.line})`;
      if (strict) throw new IniSyntaxError(file, lineNo, why);
      warnings.push({
        level: "warning",
        message: `${why}; the later value is used (Python's strict configparser refuses this)`,
        file,
        line: lineNo,
      });
    }
    option = { key, lines: [(m[3] ?? "").trim()], lineNumbers: [lineNo], line: lineNo };
    // Re-setting a key keeps its place in the section, as a Python dict does.
    current.options.set(key, option);
  });

  const defaultSection = defaults ? freezeSection(defaults, null) : null;
  const frozen = [...sections.values()].map((s) => freezeSection(s, defaultSection));
  const byName = new Map(frozen.map((s) => [s.name, s]));
  return {
    file,
    sections: frozen,
    defaults: defaultSection,
    get: (name) => byName.get(name),
    warnings,
  };
}

function freezeSection(raw: RawSection, defaults: IniSection | null): IniSection {
  const options = [...raw.options.values()].map(joinValue);
  const byKey = new Map(options.map((o) => [o.key, o]));
  return {
    name: raw.name,
    line: raw.line,
    options,
    get: (key) => byKey.get(key) ?? defaults?.get(key),
  };
}

/** configparser's `_join_multiline_values`: "\n".join(lines).rstrip(). */
function joinValue(raw: RawOption): IniOption {
  const lines = [...raw.lines];
  const lineNumbers = [...raw.lineNumbers];
  while (lines.length > 1 && lines[lines.length - 1] === "") {
    lines.pop();
    lineNumbers.pop();
  }
  return {
    key: raw.key,
    value: lines.join("\n").trimEnd(),
    line: raw.line,
    valueLines: lineNumbers,
  };
}

/** A `%(name)s` reference configparser's BasicInterpolation would refuse. */
export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InterpolationError";
  }
}

/** configparser's MAX_INTERPOLATION_DEPTH. */
const MAX_DEPTH = 10;
const KEY_RE = /^%\(([^)]+)\)s/;

export interface InterpolateOptions {
  /** Case-fold `%(NAME)s` before lookup, as the parser's `optionxform` would (default false). */
  lowercaseKeys?: boolean;
}

/**
 * configparser's BasicInterpolation: `%(name)s` is replaced by `vars[name]` (itself
 * interpolated, up to 10 levels deep) and `%%` by `%`. PasteDeploy puts `here` (the file's
 * directory) and `__file__` among the defaults, which is why `%(here)s` works in paste files.
 * Throws `InterpolationError` for a missing name, a stray `%` or too deep a chain.
 */
export function interpolate(
  value: string,
  vars: Readonly<Record<string, string>> | ReadonlyMap<string, string>,
  opts: InterpolateOptions = {},
): string {
  const lookup = (name: string): string | undefined => {
    if (vars instanceof Map) return vars.get(name);
    const record = vars as Readonly<Record<string, string>>;
    return Object.hasOwn(record, name) ? record[name] : undefined;
  };
  const out: string[] = [];
  const walk = (rest: string, depth: number): void => {
    if (depth > MAX_DEPTH) {
      throw new InterpolationError(
        `interpolation deeper than ${MAX_DEPTH} levels (a value refers to itself?)`,
      );
    }
    while (rest !== "") {
      const p = rest.indexOf("%");
      if (p < 0) {
        out.push(rest);
        return;
      }
      out.push(rest.slice(0, p));
      rest = rest.slice(p);
      const next = rest.charAt(1);
      if (next === "%") {
        out.push("%");
        rest = rest.slice(2);
      } else if (next === "(") {
        const m = KEY_RE.exec(rest);
        if (!m) {
          throw new InterpolationError(
            `bad interpolation variable reference ${JSON.stringify(rest)}`,
          );
        }
        const name = opts.lowercaseKeys ? (m[1] ?? "").toLowerCase() : (m[1] ?? "");
        rest = rest.slice(m[0].length);
        const v = lookup(name);
        if (v === undefined) throw new InterpolationError(`%(${name})s: no option named "${name}"`);
        if (v.includes("%")) walk(v, depth + 1);
        else out.push(v);
      } else {
        throw new InterpolationError(
          `"%" must be followed by "%" or "(", found: ${JSON.stringify(rest)}`,
        );
      }
    }
  };
  walk(value, 1);
  return out.join("");
}
