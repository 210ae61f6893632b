import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { DiagnosticSink } from "../../src/model/diagnostics.js";
import { Evaluator } from "../../src/python/evaluator.js";
import { Program } from "../../src/python/program.js";
import { toPlain, unknown, type Value } from "../../src/python/values.js";

/**
 * The evaluator on a few lines of Python, written to a module `mod` in a fresh root. Expected
 * values are what CPython computes for the same lines (read off them by hand); where a value
 * depends on something outside the root (oslo.config's CONF), what any such value gives.
 */
function evaluate(source: string) {
  const root = mkdtempSync(join(tmpdir(), "apimap-evaluator-"));
  writeFileSync(join(root, "mod.py"), source);
  const diagnostics = new DiagnosticSink();
  const ev = new Evaluator(new Program([root], diagnostics));
  return { ev, diagnostics, get: (name: string): Value => ev.resolveDotted("mod", [name]) };
}

const plain = (v: Value) => toPlain(v, (x) => `<${x.kind}>`);
/** An argument whose truth is not known, as a request's body is not. */
const UNKNOWN_BODY = unknown("a request body");
const SITE = { file: "mod.py", line: 1 };

describe("evaluator: lambda", () => {
  const { get } = evaluate(`
def make_adder(n):
    return lambda x: x + n


ADD_TWO = make_adder(2)
FIVE = ADD_TWO(3)
DEFAULTED = (lambda a, b=10: (a, b))(1)
SPLATS = (lambda *args, **kwargs: (args, kwargs))(1, 2, k='v')


def outer():
    prefix = 'get_'

    def inner(name):
        return prefix + name
    return inner


GETTER = outer()('network')


class Proxy(object):

    def _target(self, what):
        return 'target:' + what

    def make(self, method_name):
        def _make_call(method_name, *args):
            return getattr(self, method_name)(*args)
        return lambda *args: _make_call(method_name, *args)


PROXIED = Proxy().make('_target')('x')
`);

  test("a lambda is a value; calling it binds its parameters, defaults and splats", () => {
    assert.equal(get("ADD_TWO").kind, "function");
    assert.deepEqual(plain(get("DEFAULTED")), [1, 10]);
    assert.deepEqual(plain(get("SPLATS")), [[1, 2], { k: "v" }]);
  });

  test("a lambda or a nested def sees the names of the function that made it", () => {
    assert.equal(plain(get("FIVE")), 5);
    assert.equal(plain(get("GETTER")), "get_network");
  });

  test("a lambda calling a closure that calls a method of the enclosing self (QoS's proxy)", () => {
    assert.equal(plain(get("PROXIED")), "target:x");
  });
});

describe("evaluator: re", () => {
  const { get } = evaluate(`
import re

PATTERN = re.compile(r"^(get_policy_(?P<rule_type>.*)_(rules|rule))$")
M = PATTERN.match('get_policy_bandwidth_limit_rules')
RULE_TYPE = M.group('rule_type')
WHOLE = M.group(0)
GROUPS = re.match(PATTERN, 'get_policy_dscp_marking_rule').groups()
SEARCHED = re.search(r'(?P<port>\\d+)', 'listening on 9696 now').group('port')
NO_MATCH = re.match(r'create_', 'get_network')
ANCHORED = re.match(r'network', 'get_network')


def rule_type(name):
    res = PATTERN.match(name)
    if res:
        return res.group('rule_type')
    return 'none'


FOUND = rule_type('get_policy_minimum_bandwidth_rule')
NOT_FOUND = rule_type('create_port')
`);

  test("re.compile, Pattern.match, re.match with a compiled pattern, group by name and number", () => {
    assert.equal(plain(get("RULE_TYPE")), "bandwidth_limit");
    assert.equal(plain(get("WHOLE")), "get_policy_bandwidth_limit_rules");
    assert.deepEqual(plain(get("GROUPS")), [
      "get_policy_dscp_marking_rule",
      "dscp_marking",
      "rule",
    ]);
  });

  test("re.search finds anywhere; re.match only at the start, else None", () => {
    assert.equal(plain(get("SEARCHED")), "9696");
    assert.equal(get("NO_MATCH").kind, "none");
    assert.equal(get("ANCHORED").kind, "none");
  });

  test("a match decides an `if`: truthy when found, None when not", () => {
    assert.equal(plain(get("FOUND")), "minimum_bandwidth");
    assert.equal(plain(get("NOT_FOUND")), "none");
  });
});

describe("evaluator: setattr on a function at module level", () => {
  const { get, ev } = evaluate(`
def APIRouter(**local_config):
    return 'router'


def _factory(global_config, **local_config):
    return 'factory'


setattr(APIRouter, 'factory', _factory)

MADE = APIRouter.factory({})
`);

  test("the attribute reads back as fn.attr, from the module and through a dotted path", () => {
    const viaPath = ev.resolveDotted("mod", ["APIRouter", "factory"]);
    assert.equal(viaPath.kind, "function");
    assert.equal((viaPath as Extract<Value, { kind: "function" }>).decl.name, "_factory");
    assert.equal(plain(get("MADE")), "factory");
  });
});

describe("evaluator: boolean operators on an unknown value", () => {
  const { get, diagnostics } = evaluate(`
from oslo_config import cfg


def or_true():
    if cfg.CONF.unknown_flag or True:
        return 'taken'
    return 'skipped'


def and_false():
    if cfg.CONF.unknown_flag and False:
        return 'taken'
    return 'skipped'


def or_false():
    if cfg.CONF.unknown_flag or False:
        return 'taken'
    else:
        return 'skipped'


OR_TRUE = or_true()
AND_FALSE = and_false()
OR_FALSE = or_false()
`);

  test("`x or True` is true and `x and False` false whatever x is: the `if` is decided", () => {
    assert.equal(plain(get("OR_TRUE")), "taken");
    assert.equal(plain(get("AND_FALSE")), "skipped");
    // Lines 6 and 12: the two `if`s.
    const undecided = diagnostics.items.filter(
      (d) => d.message.includes("not decidable") && (d.line === 6 || d.line === 12),
    );
    assert.deepEqual(undecided, []);
  });

  test("`x or False` is as unknown as x: both branches are taken and the result is not known", () => {
    assert.equal(get("OR_FALSE").kind, "unknown");
    assert.deepEqual(
      diagnostics.items.filter((d) => d.message.includes("not decidable")).map((d) => d.line),
      [18], // if cfg.CONF.unknown_flag or False:
    );
  });
});

describe("evaluator: raise in a branch that may not run", () => {
  const { get, ev } = evaluate(`
from oslo_config import cfg


def checked(body):
    if not body:
        raise ValueError('a body is required')
    return 'ok'


def either(body):
    if not body:
        return 'empty'
    else:
        return 'ok'


def raises_either_way(body):
    if not body:
        raise ValueError('a body is required')
    else:
        raise ValueError('never accepted')


def marker():
    return 'marked'


def after_raise(body):
    if not body:
        raise ValueError('a body is required')
    return marker()


def after_return(body):
    if not body:
        return 'empty'
    return marker()


def early_or_late(body):
    if not body:
        return 'early'
    return 'late'


def early_or_same(body):
    if not body:
        return 'same'
    return 'same'


CHECKED = checked(cfg.CONF.some_body)
EITHER = either(cfg.CONF.some_body)
EARLY_OR_LATE = early_or_late(cfg.CONF.some_body)
EARLY_OR_SAME = early_or_same(cfg.CONF.some_body)
NEVER = raises_either_way(cfg.CONF.some_body)
`);

  test("a raise ends only its own path: the function returns what the other path returns", () => {
    assert.equal(plain(get("CHECKED")), "ok");
  });

  test("what follows a raise surely runs; what follows a possible return may not", () => {
    // Plugin calls made where the request may not get are speculative (implementation.ts).
    const seen: boolean[] = [];
    ev.hooks = {
      functionCall: (fn) => {
        if (fn.name === "marker") seen.push(ev.isSpeculative());
        return undefined;
      },
    };
    const run = (name: string) =>
      ev.call(
        ev.resolveDotted("mod", [name]),
        { positional: [UNKNOWN_BODY], keywords: new Map() },
        SITE,
      );
    assert.equal(plain(run("after_raise")), "marked");
    run("after_return");
    assert.deepEqual(seen, [false, true]);
  });

  test("returns in both branches that disagree make the result unknown", () => {
    assert.equal(get("EITHER").kind, "unknown");
  });

  test("an undecided early return and a later one: either value, so unknown unless they agree", () => {
    assert.equal(get("EARLY_OR_LATE").kind, "unknown");
    assert.equal(plain(get("EARLY_OR_SAME")), "same");
  });

  test("when every path raises, there is no value", () => {
    assert.equal(get("NEVER").kind, "unknown");
  });
});

describe("evaluator: getattr with a default", () => {
  const { get, ev } = evaluate(`
class Plugin(object):
    path_prefix_known = '/qos'


PLUGIN = Plugin()
PREFIX = getattr(PLUGIN, 'path_prefix', '')
KNOWN = getattr(PLUGIN, 'path_prefix_known', '')
DIRECT = PLUGIN.path_prefix
`);

  test("a missing attribute gives the default and is not reported as a miss; obj.name is", () => {
    const missed: string[] = [];
    ev.hooks = {
      attributeMissing: (_obj, name) => {
        missed.push(name);
        return undefined;
      },
    };
    assert.equal(plain(get("PREFIX")), "");
    assert.equal(plain(get("KNOWN")), "/qos");
    assert.deepEqual(missed, []);
    assert.equal(get("DIRECT").kind, "unknown");
    assert.deepEqual(missed, ["path_prefix"]);
  });
});

describe("evaluator: a module replaced in sys.modules (Neutron's Mitaka migration shim)", () => {
  test("a name the module lacks is looked up in the module the replacement is given", () => {
    const root = mkdtempSync(join(tmpdir(), "apimap-evaluator-shim-"));
    writeFileSync(
      join(root, "lib_constants.py"),
      "L3_DISTRIBUTED_EXT_ALIAS = 'dvr'\nKEPT = 'lib'\n",
    );
    writeFileSync(
      join(root, "shim.py"),
      "class _DeprecateSubset(object):\n    def __init__(self, my_globals, other_mod):\n        self.other_mod = other_mod\n",
    );
    writeFileSync(
      join(root, "constants.py"),
      [
        "import sys",
        "",
        "import lib_constants",
        "import shim",
        "",
        "KEPT = 'own'",
        "",
        "_OLD_REF = sys.modules[__name__]",
        "sys.modules[__name__] = shim._DeprecateSubset(globals(), lib_constants)",
        "",
      ].join("\n"),
    );
    const ev = new Evaluator(new Program([root], new DiagnosticSink()));
    assert.equal(plain(ev.resolveDotted("constants", ["L3_DISTRIBUTED_EXT_ALIAS"])), "dvr");
    assert.equal(plain(ev.resolveDotted("constants", ["KEPT"])), "own");
    assert.equal(ev.resolveDotted("constants", ["NOWHERE"]).kind, "unknown");
  });
});

describe("evaluator: a property with a setter", () => {
  test("reading the name runs the @property getter, not the later @x.setter def", () => {
    const { get } = evaluate(`
class Notifying(object):
    @property
    def notifier(self):
        return 'the notifier'

    @notifier.setter
    def notifier(self, value):
        self._notifier = value


NOTIFIER = Notifying().notifier
`);
    assert.equal(plain(get("NOTIFIER")), "the notifier");
  });
});

describe("evaluator: bindings made in an except clause are fallbacks", () => {
  const { get, ev } = evaluate(`
try:
    import json as codec
    KIND = 'json'
except ImportError:
    codec = None
    KIND = 'none'


try:
    pass
except Exception:
    ONLY_FALLBACK = 1
    class Shim(object):
        try:
            MODE = 'a'
        finally:
            pass
        def run(self):
            return 1


class Config(object):
    try:
        LEVEL = 'strict'
    except KeyError:
        LEVEL = 'loose'
`);

  test("the try's binding wins over a later one in the except clause", () => {
    assert.equal(plain(get("KIND")), "json");
    assert.equal(get("codec").kind, "external");
    assert.equal(plain(ev.classAttr(classNamed(get("Config")), "LEVEL") as Value), "strict");
  });

  test("a name bound only in an except clause is still that binding", () => {
    assert.equal(plain(get("ONLY_FALLBACK")), 1);
    assert.equal(plain(ev.classAttr(classNamed(get("Shim")), "MODE") as Value), "a");
  });
});

function classNamed(v: Value) {
  assert.equal(v.kind, "class");
  return (v as Extract<Value, { kind: "class" }>).decl;
}

describe("evaluator: a class attribute defined from the enclosing scope's name", () => {
  test("`OPTS = dict(OPTS, …)` in a class body reads the module's OPTS (Cinder master)", () => {
    const { get } = evaluate(`
OPTS = {'a': 1}


class Thing(object):
    OPTS = dict(OPTS, b=2)


VALUE = Thing.OPTS
`);
    assert.deepEqual(plain(get("VALUE")), { a: 1, b: 2 });
  });
});
