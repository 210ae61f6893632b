import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  IniSyntaxError,
  InterpolationError,
  interpolate,
  parseIni,
} from "../../src/ini/configparser.js";

const values = (text: string, opts = {}) => {
  const doc = parseIni(text, "t.ini", opts);
  return Object.fromEntries(
    doc.sections.map((s) => [s.name, Object.fromEntries(s.options.map((o) => [o.key, o.value]))]),
  );
};

/** Expected values below were checked against CPython 3.11's configparser.RawConfigParser. */
describe("parseIni: configparser syntax", () => {
  test("sections, both delimiters, the first delimiter wins, whitespace trimmed", () => {
    const text =
      "[composite:osapi_compute]\nuse = call:nova.api.openstack.urlmap:urlmap_factory\n/v2.1/+: openstack_compute_api_v21\nk2: x = y\n";
    assert.deepEqual(values(text), {
      "composite:osapi_compute": {
        use: "call:nova.api.openstack.urlmap:urlmap_factory",
        "/v2.1/+": "openstack_compute_api_v21",
        k2: "x = y",
      },
    });
  });

  test("keys keep their case unless lowercaseKeys (setup.cfg) is asked for", () => {
    const text = "[a]\nOslo_Config_Project = nova\n";
    assert.deepEqual(values(text), { a: { Oslo_Config_Project: "nova" } });
    assert.deepEqual(values(text, { lowercaseKeys: true }), { a: { oslo_config_project: "nova" } });
  });

  test("continuation lines: blank lines kept inside, comments dropped, trailing blanks trimmed", () => {
    const text = [
      "[a]",
      "k = v",
      "  cont1",
      "",
      "  cont2",
      "    # an indented comment is a comment",
      "",
      "",
      "j =",
      "    first",
      "",
      "    second",
      "",
      "[b]",
      "  indented = key",
      "    cont",
      "empty =",
      "    ",
    ].join("\n");
    const doc = parseIni(text, "t.ini");
    assert.deepEqual(values(text), {
      a: { k: "v\ncont1\n\ncont2", j: "\nfirst\n\nsecond" },
      b: { indented: "key\ncont", empty: "" },
    });
    assert.deepEqual(doc.get("a")?.get("k")?.valueLines, [2, 3, 4, 5]);
    assert.deepEqual(doc.get("a")?.get("j")?.valueLines, [9, 10, 11, 12]);
    assert.equal(doc.get("b")?.get("indented")?.line, 15);
  });

  test("comments are whole lines only; inline ; and # stay in the value", () => {
    const text =
      "; first\n  # second\n[a] trailing text is ignored\nk = v ; not a comment\nj = v # nor this\n  [notsection]\n";
    assert.deepEqual(values(text), {
      a: { k: "v ; not a comment", j: "v # nor this\n[notsection]" },
    });
  });

  test("a blank line does not end a value: a later indented line still continues it", () => {
    assert.deepEqual(values("[a]\nk = v\n\n  after blank\n"), { a: { k: "v\n\nafter blank" } });
  });

  test("CRLF and CR line ends", () => {
    assert.deepEqual(values("[a]\r\nk = v\r\n  w\r\n"), { a: { k: "v\nw" } });
    assert.deepEqual(values("[a]\rk = v\r"), { a: { k: "v" } });
  });

  test("[DEFAULT] is not a section; its options are inherited; repeated headers merge", () => {
    const doc = parseIni("[DEFAULT]\nx = 1\n[s]\nz = 3\n[DEFAULT]\ny = 2\n", "t.ini");
    assert.deepEqual(
      doc.sections.map((s) => s.name),
      ["s"],
    );
    assert.equal(doc.defaults?.line, 1);
    assert.deepEqual(
      doc.defaults?.options.map((o) => [o.key, o.value, o.line]),
      [
        ["x", "1", 2],
        ["y", "2", 6],
      ],
    );
    const s = doc.get("s");
    assert.deepEqual(
      s?.options.map((o) => o.key),
      ["z"],
    );
    assert.equal(s?.get("x")?.value, "1");
    assert.equal(s?.get("y")?.line, 6);
    assert.equal(s?.get("nope"), undefined);
    assert.equal(doc.get("DEFAULT"), undefined);
  });

  test("duplicates: kept (merged, later wins) with warnings; refused when strict", () => {
    const text = "[a]\nk = 1\nk = 2\n[b]\n[a]\nj = 3\n";
    const doc = parseIni(text, "t.ini");
    assert.deepEqual(values(text), { a: { k: "2", j: "3" }, b: {} });
    assert.equal(doc.get("a")?.get("k")?.line, 3);
    assert.deepEqual(
      doc.warnings.map((w) => `${w.file}:${w.line} ${w.level} ${w.message}`),
      [
        `t.ini:3 warning duplicate option "k" in [a] (first at line 2); the later value is used (Python's strict configparser refuses this)`,
        "t.ini:5 warning duplicate section [a] (first at line 1); its options are merged, later values win (Python's strict configparser refuses this)",
      ],
    );
    assert.throws(() => parseIni(text, "t.ini", { strict: true }), {
      name: "IniSyntaxError",
      message: 't.ini:3: duplicate option "k" in [a] (first at line 2)',
    });
    assert.throws(() => parseIni("[a]\n[b]\n[a]\n", "t.ini", { strict: true }), {
      message: "t.ini:3: duplicate section [a] (first at line 1)",
    });
  });

  test("lines configparser refuses throw IniSyntaxError naming file and line", () => {
    assert.throws(() => parseIni("# header comment\nk = v\n", "etc/x.ini"), {
      name: "IniSyntaxError",
      message: "etc/x.ini:2: no [section] header before this line",
    });
    assert.throws(() => parseIni("[a]\nk = v\nno delimiter here\n", "etc/x.ini"), {
      message:
        'etc/x.ini:3: expected "key = value", "key: value" or "[section]", got "no delimiter here"',
    });
    assert.throws(() => parseIni("[a]\n= v\n", "etc/x.ini"), {
      message: 'etc/x.ini:2: option with no name before "="',
    });
    assert.throws(
      () => parseIni("[unclosed\n", "etc/x.ini"),
      (err) => {
        assert.ok(err instanceof IniSyntaxError);
        assert.equal(err.file, "etc/x.ini");
        assert.equal(err.line, 1);
        return true;
      },
    );
  });
});

describe("interpolate: %(name)s as BasicInterpolation", () => {
  const vars = { here: "/etc/nova", a: "A", b: "%(a)s-B", pct: "100%%", self: "%(self)s" };

  test("replaces names, recursively, and %% by %", () => {
    assert.equal(interpolate("%(here)s/policy.yaml", vars), "/etc/nova/policy.yaml");
    assert.equal(interpolate("%(b)s", vars), "A-B");
    assert.equal(interpolate("%%(a)s", vars), "%(a)s");
    assert.equal(interpolate("%(pct)s", vars), "100%");
    assert.equal(interpolate("no references", vars), "no references");
    assert.equal(interpolate("%(X)s", new Map([["X", "x"]])), "x");
  });

  test("names are case-sensitive unless lowercaseKeys", () => {
    assert.throws(() => interpolate("%(A)s", vars), {
      message: '%(A)s: no option named "A"',
    });
    assert.equal(interpolate("%(A)s", vars, { lowercaseKeys: true }), "A");
  });

  test("refuses what configparser refuses", () => {
    assert.throws(() => interpolate("%(missing)s", vars), {
      name: "InterpolationError",
      message: '%(missing)s: no option named "missing"',
    });
    assert.throws(() => interpolate("50%", vars), {
      message: '"%" must be followed by "%" or "(", found: "%"',
    });
    assert.throws(() => interpolate("%(a", vars), {
      message: 'bad interpolation variable reference "%(a"',
    });
    assert.throws(
      () => interpolate("%(self)s", vars),
      (err) => err instanceof InterpolationError && /deeper than 10 levels/.test(err.message),
    );
  });
});
