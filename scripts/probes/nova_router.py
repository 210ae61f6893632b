"""Dump what the live Nova v2.1 router dispatches to, from an installed python3-nova.

Run with Debian's interpreter (/usr/bin/python3) after `apt-get install python3-nova`.
Prints one object per (route, method, body action, microversion variant) of
nova.api.openstack.compute.routes.APIRouterV21: the routepath, the HTTP method, the body
action key for `.../action` routes (null otherwise), the handler (qualified name where it is
defined, file relative to dist-packages, line of its `def`) and the version range.
"""
import inspect
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from coderef import code_ref  # noqa: E402


def version(v):
    return None if v.is_null() else v.get_string()


def variants(controller, name, root, floor):
    """Every function `controller.<name>` can run: one per microversioned definition.

    An unversioned method serves every version the Resource accepts: from `floor`, the
    version a request without the header gets, when the Resource parses versions at all.
    """
    versioned = getattr(type(controller), "versioned_methods", None) or {}
    if name in versioned:
        return [
            (code_ref(vm.func, root), version(vm.start_version), version(vm.end_version))
            for vm in versioned[name]
        ]
    func = getattr(type(controller), name, None)
    if func is None:
        return []
    return [(code_ref(func, root), floor, None)]


def owner_and_name(dispatched):
    """The controller and method name behind a Resource.wsgi_actions entry.

    Plain actions are bound methods; versioned ones are Controller.__getattribute__'s
    version_select closure, which holds `self` and `key`.
    """
    if hasattr(dispatched, "__self__"):
        return dispatched.__self__, dispatched.__name__
    closure = inspect.getclosurevars(dispatched).nonlocals
    return closure["self"], closure["key"]


def main():
    from oslo_config import cfg

    cfg.CONF([], project="nova", default_config_files=[], default_config_dirs=[])
    import nova.conf  # noqa: F401  (registers the options the controllers read)
    from nova import rpc

    # Controllers create RPC clients; an in-process fake transport needs no message bus.
    import oslo_messaging

    oslo_messaging.get_rpc_transport(cfg.CONF, url="fake:/")  # registers transport_url
    cfg.CONF.set_override("transport_url", "fake:/")
    rpc.init(cfg.CONF)
    from nova.api.openstack import api_version_request
    from nova.api.openstack.compute import routes

    root = os.path.dirname(os.path.dirname(inspect.getfile(sys.modules["nova"])))
    router = routes.APIRouterV21()
    if "--build-only" in sys.argv:
        # The benchmark's yardstick: what building the live router costs.
        json.dump({"routes": len(router.map.matchlist)}, sys.stdout)
        return
    out = []
    for route in router.map.matchlist:
        path = route.routepath
        methods = (route.conditions or {}).get("method") or [None]
        resource = route.defaults.get("controller")
        action = route.defaults.get("action")
        floor = None
        if getattr(resource, "support_api_request_version", False):
            floor = api_version_request.min_api_version().get_string()
        for method in methods:
            if resource is None:
                out.append({"path": path, "method": method, "action": None,
                            "handler": None, "min": None, "max": None,
                            "redirect": True})
                continue
            if action == "action":
                for key, dispatched in sorted(resource.wsgi_actions.items()):
                    owner, method_name = owner_and_name(dispatched)
                    for ref, lo, hi in variants(owner, method_name, root, floor):
                        out.append({"path": path, "method": method, "action": key,
                                    "handler": ref, "min": lo, "max": hi})
                continue
            found = variants(resource.controller, action, root, floor)
            if not found and action in resource.wsgi_actions:
                owner, method_name = owner_and_name(resource.wsgi_actions[action])
                found = variants(owner, method_name, root, floor)
            if not found:
                out.append({"path": path, "method": method, "action": None,
                            "handler": None, "min": None, "max": None})
            for ref, lo, hi in found:
                out.append({"path": path, "method": method, "action": None,
                            "handler": ref, "min": lo, "max": hi})
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
