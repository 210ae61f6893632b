"""Dump the resources the live Neutron pecan API serves, from an installed python3-neutron.

Run with Debian's interpreter (/usr/bin/python3) after `apt-get install python3-neutron`.
Configuration (JSON on stdin): {"core_plugin": "ml2", "service_plugins": [...],
"extension_drivers": [...]}. Builds the v2.0 app the way neutron-server does
(pecan_wsgi.app.v2_factory, which loads plugins and extensions) against an in-memory
sqlite database and a fake message bus, then prints one object per (method, path): the
plugin method the generic controller calls, qualified where it is defined.
"""
import inspect
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from coderef import code_ref  # noqa: E402


def main():
    conf = json.load(sys.stdin)
    from oslo_config import cfg
    import oslo_messaging

    from neutron.common import config as common_config
    from neutron.conf.plugins.ml2 import config as ml2_config

    common_config.register_common_config_options()
    cfg.CONF([], project="neutron", default_config_files=[], default_config_dirs=[])
    oslo_messaging.get_rpc_transport(cfg.CONF, url="fake:/")
    cfg.CONF.set_override("transport_url", "fake:/")
    ml2_config.register_ml2_plugin_opts()
    cfg.CONF.set_override("core_plugin", conf["core_plugin"])
    cfg.CONF.set_override("service_plugins", conf["service_plugins"])
    cfg.CONF.set_override("extension_drivers", conf["extension_drivers"], group="ml2")
    import tempfile

    from oslo_db import options as db_options

    # A throw-away sqlite file: plugins query their tables while loading.
    db_file = tempfile.NamedTemporaryFile(suffix=".sqlite", delete=False).name
    db_options.set_defaults(cfg.CONF, connection="sqlite:///" + db_file)
    common_config.setup_logging = lambda: None
    from neutron_lib import rpc as n_rpc

    n_rpc.init(cfg.CONF)

    from neutron_lib.db import api as db_api
    from neutron_lib.db import model_base

    from neutron import manager
    from neutron.db.migration.models import head  # noqa: F401  (imports every model)
    from neutron.pecan_wsgi import app

    model_base.BASEV2.metadata.create_all(db_api.get_context_manager().writer.get_engine())

    app.v2_factory({})
    mgr = manager.NeutronManager.get_instance()
    root = os.path.dirname(os.path.dirname(inspect.getfile(sys.modules["neutron"])))
    prefixes = {}
    for prefix, collections in mgr.path_prefix_resource_mappings.items():
        for collection in collections:
            prefixes[collection] = prefix.strip("/")
    by_resource = {}
    for key, controller in mgr.resource_controller_mappings.items():
        if "/" not in key and getattr(controller, "resource", None):
            by_resource[controller.resource] = key
    out = []
    for key, controller in sorted(mgr.resource_controller_mappings.items()):
        if "/" in key:
            parent, collection = key.split("/", 1)
            base = "/v2.0/%s/{%s_id}/%s" % (by_resource.get(parent, parent + "s"), parent, collection)
        else:
            collection = key
            prefix = prefixes.get(collection)
            base = "/v2.0/%s%s" % (prefix + "/" if prefix else "", collection)
        # Plugins are weakref proxies; __class__ goes through to the real class.
        plugin = controller.plugin
        plugin_cls = plugin.__class__ if plugin is not None else None
        shim = getattr(controller, "controller", None) if type(controller).__name__.startswith("Shim") else None
        entry = {"collection": key, "controller": type(controller).__name__,
                 "plugin": "%s.%s" % (plugin_cls.__module__, plugin_cls.__qualname__) if plugin_cls else None}
        routes = [("GET", base, "list", "index"), ("POST", base, "create", "create"),
                  ("GET", base + "/{id}", "show", "show"), ("PUT", base + "/{id}", "update", "update"),
                  ("DELETE", base + "/{id}", "delete", "delete")]
        for action, method in (getattr(controller, "_member_actions", None) or {}).items():
            routes.append((method, base + "/{id}/" + action, action, action))
        handlers = getattr(controller, "plugin_handlers", None) or {}
        for method, path, op, legacy in routes:
            if shim is not None:
                # A legacy controller answers through the shim: its own method is the handler.
                func = getattr(type(shim), legacy, None)
                out.append(dict(entry, method=method, path=path, operation=op,
                                handler=code_ref(func, root) if func else None, implementation=None))
                continue
            name = handlers.get(op, op)
            func = getattr(plugin_cls, name, None) if plugin_cls else None
            out.append(dict(entry, method=method, path=path, operation=op, plugin_method=name,
                            implementation=code_ref(func, root) if func else None))
    # The pecan root itself: the resource index and the extensions controllers.
    from neutron.pecan_wsgi.controllers import extensions as ext_ctrl
    from neutron.pecan_wsgi.controllers import root as root_ctrl

    v2 = root_ctrl.V2Controller()
    for path, func in [("/v2.0/", root_ctrl.V2Controller.index),
                       ("/v2.0/extensions", type(v2.extensions).index),
                       ("/v2.0/extensions/{id}", ext_ctrl.ExtensionController.index)]:
        out.append({"collection": None, "controller": "Root", "plugin": None, "method": "GET",
                    "path": path, "operation": "index", "handler": code_ref(func, root),
                    "implementation": None})
    json.dump(out, sys.stdout, indent=1)
    os.unlink(db_file)


if __name__ == "__main__":
    main()
