"""Live probe of Debian's neutron-server (Zed): which code answers each /v2.0 endpoint.

Run with Debian's interpreter (/usr/bin/python3) where python3-neutron is installed.
Configuration (JSON on stdin):
  {"core_plugin": "ml2", "service_plugins": [...], "extension_drivers": [...],
   "paste": "/usr/share/neutron-common/api-paste.ini"}       (paste is optional)
With "build_only": true it stops once the app is loaded (the benchmark times that).

What it does
  1. Writes a throw-away neutron.conf (in a temporary directory under /tmp) with the
     plugins, `auth_strategy = noauth`, `transport_url = fake:/`, a sqlite file for
     [database] and `api_paste_config` = the paste file, then starts the way
     neutron-server does: common_config.init([--config-file ...]),
     set_config_defaults(), every model's table created in the sqlite file, and
     common_config.load_paste_app("neutron") (= paste.deploy.loadapp(
     "config:<paste>", name="neutron")). No inner factory is called by the probe.
  2. Walks the /v2.0 pipeline (cors ... extensions -> pecan) for the
     ExtensionMiddleware and the Pecan app, and enumerates every (method, path):
     - "extensions": every route of the middleware's routes.Mapper (format-suffix
       variants dropped, `:(id)` written `{id}`);
     - "pecan": every collection controller in NeutronManager (collection, {id},
       member actions, collection actions, collection methods) and pecan's root
       (/, /extensions, /extensions/{id}).
  3. Sends one real request per pair through the whole loaded app
     (webob.Request.blank(...).get_response(app)) and records who served it
     (the mapper matched -> "extensions"; fell through and pecan routed it ->
     "pecan"; else null), the status, the handler the framework dispatched to, and
     the plugin calls the handler made.

Headers: X-User-Id and X-Roles: admin, and deliberately no X-Project-Id. In the
noauth pipeline `neutron.auth.NoauthFakeProjectId` only builds the request context
when the headers carry no project: it then sets project 'fake_project_id' and
elevates it to admin. With an X-Project-Id header it sets nothing, and both pecan's
ContextHook and neutron.wsgi.Request.context fall back to get_admin_context(),
which has no project at all.

What it neutralises, and why
  - neutron.api.v2.base.Controller.prepare_request_body (the attribute validation
    used by the legacy controllers' create/update *and* by pecan's
    BodyValidationHook) is replaced by a lenient version: it keeps the body's shape
    ({resource: {...}} or a bulk list), fills tenant_id/project_id from the context
    on create (pecan's QuotaEnforcementHook reads item['tenant_id']), and skips
    required-attribute, allow_post/allow_put, validator and converter checks, which
    would answer 400 to the probe's empty bodies before the handler reaches the
    plugin. Routing and dispatch are untouched.
  - Every public method (name not starting with "_") of every loaded plugin, of
    the quota drivers (neutron.quota.QUOTAS's and QuotaSetsController's own) and
    of any other object a live controller holds as plugin/_plugin/_driver (e.g.
    ServiceTypeManager) is replaced, on the instance, by a spy that returns a
    harmless fake (a dict with id/tenant_id/project_id/name for one object, [] for
    lists, 0 for counts, None for deletes) instead of touching the database.
    Instance attributes win over class methods, so calls routed through
    __getattr__ proxies (QoSPluginBase turns get_policy_bandwidth_limit_rules
    into get_policy_rules) land in the spy of the method really called. A spy
    records a call only while the handler's frame is on the stack and the call
    does not come from neutron.quota.QuotaEngine (quota reservations are
    bookkeeping: pecan makes them in a hook, the legacy controller inside create).
  - Two read-only spies on dispatch: the ExtensionMiddleware's RoutesMiddleware
    target (its _dispatch; sees wsgiorg.routing_args) and the Pecan app's
    handle_hooks('before'), which runs right after pecan has routed. Neither changes
    the decision.

Output (stdout): a JSON list sorted by (path, method) of
  {method, path, declared_by, served_by, status, controller, handler, handler_ran,
   implementation, plugin_calls[, error]}
where handler_ran says whether the dispatched handler's own code was entered (a pecan
hook may fail the request first: then no plugin call can be observed).
with handler/implementation/plugin_calls[].defined as coderef.code_ref objects.
A summary goes to stderr; neutron's own log goes to the temporary directory.
"""
import inspect
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import traceback
import weakref

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from coderef import code_ref  # noqa: E402

DEFAULT_PASTE = "/usr/share/neutron-common/api-paste.ini"
SAMPLE_ID = "8d3f2a4c-5b6e-4f70-8a91-b2c3d4e5f607"
SAMPLE_TAG = "probe-tag"
PROBE_USER = "probe-user"
FALLBACK_PROJECT = "fake_project_id"
# No X-Project-Id on purpose: see the module docstring.
HEADERS = {"X-User-Id": PROBE_USER, "X-Roles": "admin", "Accept": "application/json"}
BODY_METHODS = ("POST", "PUT")


# --------------------------------------------------------------------------- setup

def write_config(workdir, conf, paste):
    """The neutron.conf a deployment would have, for this probe's plugins."""
    path = os.path.join(workdir, "neutron.conf")
    with open(path, "w") as f:
        f.write("[DEFAULT]\n")
        f.write("core_plugin = %s\n" % conf["core_plugin"])
        f.write("service_plugins = %s\n" % ",".join(conf.get("service_plugins", [])))
        f.write("auth_strategy = noauth\n")
        f.write("transport_url = fake:/\n")
        f.write("api_paste_config = %s\n" % paste)
        f.write("\n[database]\nconnection = sqlite:///%s\n"
                % os.path.join(workdir, "neutron.sqlite"))
        f.write("\n[ml2]\nextension_drivers = %s\n"
                % ",".join(conf.get("extension_drivers", [])))
        # oslo.messaging's RPC clients start a non-daemon metrics thread that
        # otherwise outlives the probe by this timeout (10 s by default).
        f.write("\n[oslo_messaging_metrics]\nmetrics_thread_stop_timeout = 0\n")
    return path


def start_server_app(config_file):
    """Configure and load the paste app like neutron-server (server/__init__.py, service.py)."""
    from neutron.common import config as common_config

    common_config.register_common_config_options()
    # Only the probe's file: no /etc/neutron or ~/.neutron of the machine running it.
    common_config.init(["--config-file", config_file], default_config_files=[],
                       default_config_dirs=[])
    common_config.set_config_defaults()
    # Plugins query their tables while they load, so create every model's table first.
    from neutron_lib.db import api as db_api
    from neutron_lib.db import model_base

    from neutron.db.migration.models import head  # noqa: F401  (imports every model)

    model_base.BASEV2.metadata.create_all(db_api.get_context_manager().writer.get_engine())
    return common_config.load_paste_app("neutron")


def v2_pipeline(app):
    """The filters and apps mounted at /v2.0, outermost first."""
    mounted = {prefix: sub for (_host, prefix), sub in app.applications}
    node, chain = mounted["/v2.0"], []
    while node is not None and node not in chain:
        chain.append(node)
        node = next((getattr(node, a) for a in ("application", "app")
                     if getattr(node, a, None) is not None), None)
    return chain


def find_in(chain, cls):
    found = [n for n in chain if isinstance(n, cls)]
    if len(found) != 1:
        raise SystemExit("expected one %s in the /v2.0 pipeline, found %d: %s"
                         % (cls.__name__, len(found), [type(n).__name__ for n in chain]))
    return found[0]


def qualname(cls):
    return "%s.%s" % (cls.__module__, cls.__qualname__)


def referent(obj):
    """The object behind a weakref proxy (plugins in neutron_lib's directory are proxies)."""
    if isinstance(obj, weakref.ProxyTypes):
        return obj.__init__.__self__
    return obj


# ---------------------------------------------------------------- enumeration

def normalise_route_path(routepath):
    """routes syntax -> {name}: ':(id)' and ':id' -> '{id}', '{name:regex}' -> '{name}'."""
    path = re.sub(r":\((\w+)\)", r"{\1}", routepath)
    path = re.sub(r":(\w+)", r"{\1}", path)
    return re.sub(r"\{(\w+):[^}]*\}", r"{\1}", path)


def is_format_variant(route):
    name = route.name or ""
    return (".:(format)" in route.routepath or "{.format}" in route.routepath
            or name.endswith("_format") or name.startswith("formatted_"))


def dispatch_target(app_obj):
    """The controller behind a mapper route's 'controller' (Resource closure, wsgi.Resource, or itself)."""
    inner = getattr(app_obj, "controller", None)
    return inner if inner is not None else app_obj


def resource_name_of(controller):
    """The body key a controller expects, read from the controller itself when it has one."""
    for attr in ("_resource", "_resource_name", "resource"):
        value = controller.__dict__.get(attr) if hasattr(controller, "__dict__") else None
        if isinstance(value, str) and value:
            return value
    return None


def extension_routes(mw):
    """{(method, path): body keys} for every route of the ExtensionMiddleware's mapper."""
    pairs = {}
    for route in mw._router.mapper.matchlist:
        if is_format_variant(route):
            continue
        methods = (route.conditions or {}).get("method")
        if not methods:
            print("skipped a mapper route without a method condition: %s" % route.routepath,
                  file=sys.stderr)
            continue
        if isinstance(methods, str):
            methods = [methods]
        path = normalise_route_path(route.routepath)
        key = resource_name_of(dispatch_target(route.defaults.get("controller")))
        for method in methods:
            pairs.setdefault((method.upper(), path), set()).update([key] if key else [])
    return pairs


def pecan_routes(mgr, pecan_root):
    """{(method, path): body keys} for the routes pecan's controllers answer."""
    prefixes = {}
    for prefix, collections in mgr.path_prefix_resource_mappings.items():
        for collection in collections:
            prefixes[collection] = prefix.strip("/")
    top = {key: c for key, c in mgr.resource_controller_mappings.items() if "/" not in key}

    def bases(key):
        # Pecan reaches a child collection as <parent item>/<child>, where the parent
        # is any top-level collection whose controller has that resource name.
        # V2Controller._lookup drops a known path prefix when one comes first, so a
        # prefixed collection answers with and without it.
        if "/" not in key:
            # NeutronManager.get_controller_for_resource tries '_' as '-', then '-' as
            # '_': both spellings of a collection reach its controller.
            prefix = prefixes.get(key)
            twin = key.replace("-", "_") if "-" in key else key.replace("_", "-")
            names = [key] if twin == key else [key, twin]
            return [p for n in names
                    for p in (["/%s/%s" % (prefix, n), "/" + n] if prefix else ["/" + n])]
        parent, child = key.split("/", 1)
        return ["%s/{%s_id}/%s" % (b, parent, child)
                for pkey, pctl in sorted(top.items()) if pctl.resource == parent
                for b in bases(pkey)]

    pairs = {}
    for key, ctl in sorted(mgr.resource_controller_mappings.items()):
        body_key = ctl.resource or None
        for base in bases(key):
            routes = [("GET", base), ("POST", base),
                      ("GET", base + "/{id}"), ("PUT", base + "/{id}"), ("DELETE", base + "/{id}")]
            routes += [(m, base + "/{id}/" + a) for a, m in (ctl._member_actions or {}).items()]
            routes += [(m, base + "/" + a) for a, m in (ctl._collection_actions or {}).items()]
            routes += [(m, base) for m in (getattr(ctl, "collection_methods", None) or {})]
            for method, path in routes:
                pairs.setdefault((method.upper(), path), set()).update([body_key] if body_key else [])
    # Pecan's root: the resource index and its own extensions controllers.
    if hasattr(pecan_root, "index"):
        pairs.setdefault(("GET", "/"), set())
    ext = getattr(pecan_root, "extensions", None)
    if ext is not None:
        pairs.setdefault(("GET", "/extensions"), set())
        if hasattr(ext, "_lookup"):
            pairs.setdefault(("GET", "/extensions/{id}"), set())
    return pairs


# ------------------------------------------------------------------ probe state

class Probe:
    """What the spies learn about the request in flight."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.served_by = None
        self.controller = None
        self.handler = None
        self.handler_code = None
        self.calls = []

    def dispatched(self, served_by, controller, handler):
        self.served_by = served_by
        self.controller = controller
        self.handler = handler
        self.handler_code = getattr(inspect.unwrap(handler), "__code__", None) if handler else None


def install_dispatch_spy(mw, probe):
    """Observe the mapper's decision: RoutesMiddleware hands the request to mw._dispatch."""
    original = mw._router.app

    def observed_dispatch(environ, start_response):
        match = (environ.get("wsgiorg.routing_args") or (None, None))[1]
        if match:
            target = dispatch_target(match["controller"])
            # An action the controller lacks (routes' new/edit) gets None, as the
            # dispatcher's getattr fails there too.
            try:
                handler = getattr(target, match.get("action"), None)
            except Exception:
                handler = None
            probe.dispatched("extensions", type(target), handler)
        return original(environ, start_response)

    mw._router.app = observed_dispatch


def install_pecan_spy(pecan_app, probe):
    """Pecan runs the 'before' hooks right after routing: state.controller is its choice."""
    original = pecan_app.handle_hooks

    def observed_hooks(hooks, hook_type, *args, **kwargs):
        if hook_type == "before" and args and probe.served_by is None:
            state = args[0]
            controller = state.controller
            # A generic controller's per-method handler is a plain function; pecan
            # passes the controller instance as its first argument.
            owner = getattr(controller, "__self__", None)
            if owner is None and state.arguments.args:
                owner = state.arguments.args[0]
            probe.dispatched("pecan", type(owner) if owner is not None else None, controller)
        return original(hooks, hook_type, *args, **kwargs)

    pecan_app.handle_hooks = observed_hooks


# --------------------------------------------------------------- plugin spies

class FakeObject(dict):
    """A plugin's answer for one object; missing keys read as None, keys also as attributes
    (QuotaEngine callers read reservation.reservation_id)."""

    def __missing__(self, key):
        return None

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self.get(name)


def request_project(args):
    ctx = args[0] if args else None
    return getattr(ctx, "project_id", None) or FALLBACK_PROJECT


def fake_result(name, args):
    """A harmless return value, judged from the method's name."""
    if name.startswith("delete_") or name.startswith(("validate_", "check_")):
        return None
    if name.endswith("_count"):
        return 0
    if name.startswith(("is_", "has_")):
        return False
    if name.startswith("list_") or (name.startswith("get_") and name.endswith("s")
                                    and not name.endswith("ss")):
        return []
    project = request_project(args)
    ident = next((a for a in args[1:] if isinstance(a, str)), SAMPLE_ID)
    return FakeObject(id=ident, tenant_id=project, project_id=project, name="probe")


def defining_function(cls, name):
    for klass in cls.__mro__:
        if name in klass.__dict__:
            value = klass.__dict__[name]
            return getattr(value, "__func__", value)
    return None


def safe_code_ref(func, root):
    try:
        return code_ref(func, root) if func is not None else None
    except (TypeError, OSError):
        return None


def quota_engine_codes():
    from neutron import quota

    return {f.__code__ for f in vars(quota.QuotaEngine).values() if inspect.isfunction(f)}


def install_plugin_spies(objects, probe, root):
    engine_codes = quota_engine_codes()

    def in_handler(frame):
        if frame.f_code in engine_codes:
            return False
        while frame is not None:
            if frame.f_code is probe.handler_code:
                return True
            frame = frame.f_back
        return False

    def make_spy(obj, name, defined):
        cls = type(obj)
        record = {"name": name, "defined": safe_code_ref(defined, root), "class": qualname(cls)}

        def spy(*args, **kwargs):
            if probe.handler_code is not None and in_handler(sys._getframe(1)):
                probe.calls.append(record)
            return fake_result(name, args)

        return spy

    def install_miss_spy(cls):
        # A name the object's class does not have ends in type(obj).__getattr__ (or in
        # AttributeError): record it, so a handler asking a plugin for a method it lacks
        # (routes' `edit` action, a collection the plugin cannot list) says so.
        if cls in patched:
            return
        patched.add(cls)
        original = cls.__dict__.get("__getattr__") or next(
            (k.__dict__["__getattr__"] for k in cls.__mro__[1:] if "__getattr__" in k.__dict__),
            None)

        def missing(self, name):
            if original is not None:
                try:
                    return original(self, name)
                except AttributeError:
                    pass
            # A missing name ends the request wherever it is asked once the request is
            # routed: in the handler, or in a pecan hook before it (the policy hook fetches
            # the item before a PUT or DELETE).
            if (not name.startswith("_") and probe.handler_code is not None
                    and sys._getframe(1).f_code not in engine_codes):
                probe.calls.append({"name": name, "defined": None, "class": qualname(type(self))})
            raise AttributeError(name)

        cls.__getattr__ = missing

    patched = set()
    count = 0
    for obj in objects:
        cls = type(obj)
        install_miss_spy(cls)
        for name in dir(cls):
            if name.startswith("_"):
                continue
            static = inspect.getattr_static(obj, name, None)
            if isinstance(static, (staticmethod, classmethod)) or inspect.isfunction(static):
                setattr(obj, name, make_spy(obj, name, defining_function(cls, name)))
                count += 1
    return count


def plugin_objects(mgr, mw):
    """Every loaded plugin, the quota drivers, and what live controllers hold as their plugin."""
    from neutron_lib.plugins import directory

    from neutron import quota

    candidates = list(directory.get_plugins().values()) + [quota.QUOTAS.get_driver()]
    controllers = list(mgr.resource_controller_mappings.values())
    controllers += [getattr(c, "controller", None) for c in controllers]
    controllers += [dispatch_target(r.defaults.get("controller")) for r in mw._router.mapper.matchlist]
    for ctl in controllers:
        state = getattr(ctl, "__dict__", {})
        candidates += [state.get(a) for a in ("plugin", "_plugin", "_driver")]
    unique, seen = [], set()
    for obj in candidates:
        if obj is None or isinstance(obj, (str, type)):
            continue
        obj = referent(obj)
        if id(obj) not in seen:
            seen.add(id(obj))
            unique.append(obj)
    return unique


# ------------------------------------------------------- body validation, lenient

def neutralise_body_validation():
    """Swap base.Controller.prepare_request_body (legacy create/update and pecan's
    BodyValidationHook both call it) for one that only keeps the body's shape."""
    from neutron.api.v2 import base

    def lenient_prepare_request_body(context, body, is_create, resource, attr_info,
                                     allow_bulk=False):
        collection = resource + "s"
        if isinstance(body, dict) and isinstance(body.get(collection), list):
            return {collection: [lenient_prepare_request_body(
                context, item if resource in item else {resource: item}, is_create,
                resource, attr_info) for item in body[collection]]}
        res_dict = body.get(resource) if isinstance(body, dict) else None
        if not isinstance(res_dict, dict):
            res_dict = {}
            body = {resource: res_dict}
        if is_create:
            # What the real method fills from the context; pecan's QuotaEnforcementHook
            # reads item['tenant_id'] of every item it is given.
            res_dict.setdefault("tenant_id", context.project_id)
            res_dict.setdefault("project_id", context.project_id)
        return body

    base.Controller.prepare_request_body = staticmethod(lenient_prepare_request_body)


# ------------------------------------------------------------------- requests

def concrete_path(path):
    """Sample values for path parameters: a UUID, or a tag name where {id} is a tag."""
    def value(match):
        before = path[:match.start()].rstrip("/").rsplit("/", 1)[-1]
        return SAMPLE_TAG if match.group(1) == "id" and before == "tags" else SAMPLE_ID
    return re.sub(r"\{(\w+)\}", value, path)


def singular(word):
    return word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") else word


def request_body(path, body_keys):
    """{"<resource>": {}} for every resource name a declaring controller expects."""
    literal = [s for s in path.split("/") if s and not s.startswith("{")]
    if literal and literal[-1] == "tags":
        # The tags API's body is a list of names ({"tags": [...]}), not an object.
        return {"tags": [SAMPLE_TAG]}
    body = {k: {} for k in body_keys}
    if not body and literal:
        collection = literal[-1].replace("-", "_")
        body[singular(collection)] = {}
        # Controllers without a resource of their own (the agent schedulers) take a
        # reference instead: {"network_id": ...} for dhcp-networks,
        # {"router_id": ...} for l3-routers.
        body[singular(collection.rsplit("_", 1)[-1]) + "_id"] = SAMPLE_ID
    return body


def send(app, method, path, body_keys):
    import webob

    kwargs = {"method": method, "headers": dict(HEADERS)}
    if method in BODY_METHODS:
        kwargs["body"] = json.dumps(request_body(path, body_keys)).encode()
        kwargs["content_type"] = "application/json"
    return webob.Request.blank("/v2.0" + concrete_path(path), **kwargs).get_response(app)


def probe_pair(app, probe, method, path, declared_by, body_keys, root):
    probe.reset()
    status, error = None, None
    ran = []

    def watch(frame, event, _arg):
        # Did the dispatched handler itself run? A pecan hook can fail first (the policy
        # hook's fetch, the query-parameters hook), and then no plugin call is observable.
        if event == "call" and not ran and frame.f_code is probe.handler_code:
            ran.append(True)

    sys.setprofile(watch)
    try:
        status = send(app, method, path, body_keys).status_int
    except Exception as exc:  # never abort the run on one request
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    finally:
        sys.setprofile(None)
    entry = {
        "method": method,
        "path": "/v2.0" + path,
        "declared_by": declared_by,
        "served_by": probe.served_by,
        "status": status,
        "controller": qualname(probe.controller) if probe.controller else None,
        "handler": safe_code_ref(probe.handler, root),
        "handler_ran": bool(ran),
        # The operation is the handler's last plugin call; earlier ones are usually
        # the fetch of the object before an update, delete or member action.
        "implementation": probe.calls[-1]["defined"] if probe.calls else None,
        "plugin_calls": list(probe.calls),
    }
    if error:
        entry["error"] = error
    return entry


def summarise(entries, out):
    by_served = {}
    for e in entries:
        by_served[str(e["served_by"])] = by_served.get(str(e["served_by"]), 0) + 1
    declared = {}
    for e in entries:
        key = "+".join(e["declared_by"])
        declared[key] = declared.get(key, 0) + 1
    print("pairs: %d (declared by %s)" % (
        len(entries), ", ".join("%s %d" % kv for kv in sorted(declared.items()))), file=out)
    print("served_by: %s" % ", ".join("%s %d" % kv for kv in sorted(by_served.items())), file=out)
    print("with implementation: %d" % sum(1 for e in entries if e["implementation"]), file=out)
    print("handler null: %d" % sum(1 for e in entries if e["handler"] is None), file=out)
    errors = [e for e in entries if e.get("error")]
    print("raised inside the probe: %d" % len(errors), file=out)
    for e in errors:
        print("  %s %s: %s" % (e["method"], e["path"], e["error"]), file=out)


def main():
    conf = json.load(sys.stdin)
    paste = os.path.abspath(conf.get("paste") or DEFAULT_PASTE)
    if not os.path.exists(paste):
        raise SystemExit("paste file not found: %s (install neutron-common or pass "
                         "\"paste\" in the input)" % paste)
    workdir = tempfile.mkdtemp(prefix="neutron-server-probe-", dir="/tmp")
    # Neutron logs every request; keep stderr for the summary.
    logging.basicConfig(filename=os.path.join(workdir, "neutron.log"), level=logging.INFO)
    logging.captureWarnings(True)
    try:
        app = start_server_app(write_config(workdir, conf, paste))
        if conf.get("build_only"):
            # The benchmark's yardstick: what building the live app costs, requests aside.
            json.dump({"built": type(app).__name__}, sys.stdout)
            return

        import pecan

        from neutron.api import extensions
        from neutron import manager

        chain = v2_pipeline(app)
        mw = find_in(chain, extensions.ExtensionMiddleware)
        pecan_app = find_in(chain, pecan.core.Pecan)
        mgr = manager.NeutronManager.get_instance()
        root = os.path.dirname(os.path.dirname(inspect.getfile(sys.modules["neutron"])))

        declared = {}
        for source, pairs in (("extensions", extension_routes(mw)),
                              ("pecan", pecan_routes(mgr, pecan_app.root))):
            for pair, keys in pairs.items():
                info = declared.setdefault(pair, {"by": [], "keys": set()})
                info["by"].append(source)
                info["keys"] |= keys

        probe = Probe()
        neutralise_body_validation()
        spied = install_plugin_spies(plugin_objects(mgr, mw), probe, root)
        install_dispatch_spy(mw, probe)
        install_pecan_spy(pecan_app, probe)

        entries = [probe_pair(app, probe, method, path, info["by"], info["keys"], root)
                   for (method, path), info in declared.items()]
        entries.sort(key=lambda e: (e["path"], e["method"]))
        json.dump(entries, sys.stdout, indent=1)
        sys.stdout.write("\n")
        print("spied plugin methods: %d" % spied, file=sys.stderr)
        summarise(entries, sys.stderr)
    finally:
        if not os.environ.get("PROBE_KEEP_WORKDIR"):
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print("work directory kept: %s" % workdir, file=sys.stderr)


if __name__ == "__main__":
    main()
