"""Dump the live Glance v2 router of an installed python3-glance as JSON.

Run with Debian's interpreter (/usr/bin/python3) after `apt-get install python3-glance`.
Prints one object per route of glance.api.v2.router.API, in matchlist order:
path (Routes routepath), methods (or null), action, and the handler the route dispatches
to -- the controller method's qualified name where it is defined, its file (relative to
dist-packages) and the line of its `def`.
"""
import inspect
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from coderef import code_ref  # noqa: E402


def handler_of(controller, action):
    target = getattr(controller, "controller", controller)
    func = getattr(type(target), action, None)
    if func is None:
        return None
    root = os.path.dirname(os.path.dirname(inspect.getfile(sys.modules["glance"])))
    return code_ref(func, root)


def main():
    from oslo_config import cfg

    # The router reads config files (schema-image.json); initialise an empty configuration.
    cfg.CONF([], project="glance", default_config_files=[], default_config_dirs=[])
    from glance.api.v2 import router
    from glance.common import wsgi

    api = router.API(wsgi.APIMapper())
    out = []
    for route in api.map.matchlist:
        methods = (route.conditions or {}).get("method")
        controller = route.defaults.get("controller")
        action = route.defaults.get("action")
        out.append({
            "path": route.routepath,
            "methods": list(methods) if methods else None,
            "action": action,
            "redirect": bool(getattr(route, "redirect", False)),
            "handler": handler_of(controller, action) if controller is not None and action else None,
        })
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
