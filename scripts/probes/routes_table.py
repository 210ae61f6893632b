"""Differential probe: build real routes.Mapper tables and dump them as JSON.

Reads a JSON list of cases on stdin:
  [{"name": str, "mapper": {"explicit": bool?}, "calls": [call, ...]}, ...]
A call is {"op": str, "args": [...]?, "kwargs": {...}?, "calls": [call, ...]?}.
A case may list "requests": [[method, url], ...]: each is matched against the built
mapper (Mapper.routematch) and reported as the index of the route in matchlist that
took it (null when none did) with the match dict.
`op` names a method on the current target (Mapper or SubMapper); nested
"calls" are applied to the value the method returned (a SubMapper for
submapper/collection). The pseudo-op "member" applies its nested calls to
the target's `.member` submapper.

Prints {"routes_version": str, "cases": [{"name", "routes"|"error"}]}.
Standard library + routes only; never touches the network.
"""

import json
import sys

try:
    import routes
    from routes.mapper import Mapper
except ImportError:  # the TS test turns this into an actionable failure
    sys.stderr.write("cannot import routes: install python3-routes\n")
    sys.exit(3)


def methods_of(conditions):
    # Routes accepts both a list and a bare string ('GET' from
    # SubMapper.link/action); normalise to a list for comparison.
    if not conditions:
        return None
    method = conditions.get("method")
    if method is None:
        return None
    if isinstance(method, str):
        return [method]
    return list(method)


def dump_route(mapper, route):
    defaults = {
        k: v for k, v in route.defaults.items() if k not in ("controller", "action")
    }
    redirect = None
    if route.redirect:
        # Mapper.redirect registers the destination as a static named route.
        gen = mapper._routenames.get("_redirect_%s" % id(route))
        redirect = gen.routepath if gen is not None else None
    return {
        "name": route.name,
        "routepath": route.routepath,
        "methods": methods_of(route.conditions),
        "conditions": route.conditions,
        "controller": route.defaults.get("controller"),
        "action": route.defaults.get("action"),
        "requirements": route.reqs,
        "defaults": defaults,
        "redirect": redirect,
        "redirect_status": getattr(route, "redirect_status", None) if route.redirect else None,
        "member_name": route.member_name,
        "collection_name": route.collection_name,
        "parent_resource": route.parent_resource,
    }


def apply_calls(target, calls):
    for call in calls:
        op = call["op"]
        if op == "member":
            apply_calls(target.member, call.get("calls", []))
            continue
        result = getattr(target, op)(*call.get("args", []), **call.get("kwargs", {}))
        if call.get("calls"):
            apply_calls(result, call["calls"])


def run_case(case):
    opts = case.get("mapper") or {}
    mapper = Mapper(controller_scan=None, register=False, **opts)
    try:
        apply_calls(mapper, case.get("calls", []))
    except Exception as exc:  # the model must fail the same way
        return {"name": case["name"], "error": type(exc).__name__, "message": str(exc)}
    out = {"name": case["name"], "routes": [dump_route(mapper, r) for r in mapper.matchlist]}
    if case.get("requests"):
        out["matches"] = [match(mapper, method, url) for method, url in case["requests"]]
    return out


def match(mapper, method, url):
    mapper.create_regs([])
    found = mapper.routematch(url, environ={"REQUEST_METHOD": method, "PATH_INFO": url})
    if not found:
        return {"route": None, "params": None}
    result, route = found
    params = {k: v for k, v in result.items() if k not in ("controller", "action")}
    keys = set(k for k in (p.get("name") for p in route.routelist if isinstance(p, dict)))
    return {
        "route": mapper.matchlist.index(route),
        "params": {k: v for k, v in params.items() if k in keys},
    }


def routes_version():
    try:
        from importlib.metadata import version

        return version("Routes")
    except Exception:
        return getattr(routes, "__version__", None)


def main():
    cases = json.load(sys.stdin)
    out = {
        "routes_version": routes_version(),
        "cases": [run_case(c) for c in cases],
    }
    json.dump(out, sys.stdout, default=repr)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
