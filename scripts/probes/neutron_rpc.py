"""What Neutron's processes really serve and send on the message bus, from an installed python3-neutron.

Run with Debian's interpreter (/usr/bin/python3). Configuration (JSON on stdin):
{"service_plugins": [...], "mechanism_drivers": [...], "extension_drivers": [...]}.

Against a fake transport (`fake:/`), an sqlite database and a throw-away state directory:

1. Servers. `neutron_lib.rpc.Connection.create_consumer` is replaced by a recorder, then
   - neutron-server loads its plugins as it does (`manager.init()`) and each plugin's RPC
     listener methods run (`start_rpc_listeners`, `start_rpc_state_reports_listener`, the
     methods neutron.service.RpcWorker/RpcReportsWorker call);
   - the DHCP, L3 and metering agents are made with `neutron.service.Service.create(...)` as
     their scripts do and started (their managers' `init_host` / `after_start`, which talk to
     the system, replaced by no-ops);
   - the OVS, Linux bridge, macvtap and SR-IOV agents run the method that sets up their RPC
     (`setup_rpc` / `_setup_rpc`) on an object whose constructor is skipped (it configures
     bridges and devices), with the attributes that method reads set from configuration;
   - the metadata agent's proxy makes its RPC clients (`_init_state_reporting`, its handler).
2. Clients. Every object that called `neutron_lib.rpc.get_client` while the above ran is a
   client; every public method of its class is called twice with unittest.mock arguments
   (required ones only; all of them), and `oslo_messaging`'s call context `call`/`cast` record
   the target (topic, namespace, version, fanout, server) and the method name.
3. Pairing. Each message is handed, for each process consuming its topic (any process when
   the topic is not a string), to oslo.messaging's dispatch rule: the first endpoint whose
   target accepts the namespace, whose version is compatible and that has the method.

Prints JSON: {"consumers": [...], "sends": [...], "clients": [...], "raised": [...]}.
"""
import collections
import inspect
import json
import os
import sys
import tempfile
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from coderef import code_ref  # noqa: E402

CURRENT = {"service": None, "client": None}
CONSUMERS = []
SENDS = []
CLIENT_OBJECTS = []


def configure(conf):
    from oslo_config import cfg
    import oslo_messaging

    from neutron.common import config as common_config
    from neutron.conf.plugins.ml2 import config as ml2_config

    common_config.register_common_config_options()
    cfg.CONF([], project="neutron", default_config_files=[], default_config_dirs=[])
    oslo_messaging.get_rpc_transport(cfg.CONF, url="fake:/")
    cfg.CONF.set_override("transport_url", "fake:/")
    ml2_config.register_ml2_plugin_opts()
    cfg.CONF.set_override("core_plugin", "ml2")
    cfg.CONF.set_override("service_plugins", conf["service_plugins"])
    cfg.CONF.set_override("mechanism_drivers", conf["mechanism_drivers"], group="ml2")
    cfg.CONF.set_override("extension_drivers", conf["extension_drivers"], group="ml2")
    state = tempfile.mkdtemp()
    cfg.CONF.set_override("state_path", state)
    from oslo_db import options as db_options

    db_file = os.path.join(state, "neutron.sqlite")
    db_options.set_defaults(cfg.CONF, connection="sqlite:///" + db_file)
    common_config.setup_logging = lambda: None
    from neutron_lib import rpc as n_rpc

    n_rpc.init(cfg.CONF)
    from neutron_lib.db import api as db_api
    from neutron_lib.db import model_base

    from neutron.db.migration.models import head  # noqa: F401  (imports every model)

    model_base.BASEV2.metadata.create_all(db_api.get_context_manager().writer.get_engine())
    return cfg.CONF


def instrument():
    """Record consumers, client objects and messages instead of talking to a bus."""
    from neutron_lib import rpc as n_rpc
    from oslo_messaging.rpc import client as om_client

    def create_consumer(self, topic, endpoints, fanout=False):
        CONSUMERS.append({"service": CURRENT["service"], "topic": topic,
                          "fanout": bool(fanout), "endpoints": list(endpoints)})

    n_rpc.Connection.create_consumer = create_consumer
    n_rpc.Connection.consume_in_threads = lambda self: []

    real_get_client = n_rpc.get_client

    def get_client(target, *args, **kwargs):
        client = real_get_client(target, *args, **kwargs)
        # The object whose constructor asked: `self` of __init__, or `cls` of a singleton's __new__.
        caller = sys._getframe(1).f_locals
        owner = caller.get("self", None)
        if owner is None and inspect.isclass(caller.get("cls")):
            owner = caller["cls"]
        CLIENT_OBJECTS.append(owner)
        return client

    n_rpc.get_client = get_client

    def sender(mode):
        def send(self, ctxt, method, **kwargs):
            t = self.target
            SENDS.append({"client": CURRENT["client"], "method": method, "mode": mode,
                          "topic": t.topic if isinstance(t.topic, str) else None,
                          "namespace": t.namespace, "version": t.version,
                          "fanout": bool(t.fanout),
                          "server": t.server if isinstance(t.server, str) else None})
            return mock.MagicMock() if mode == "call" else None
        return send

    om_client._BaseCallContext.call = sender("call")
    om_client._BaseCallContext.cast = sender("cast")


def serve(service, start):
    CURRENT["service"] = service
    try:
        start()
    finally:
        CURRENT["service"] = None


def neutron_server():
    from neutron import manager
    from neutron import service as neutron_service
    from neutron_lib.plugins import directory

    manager.init()
    listeners = [w.start_listeners_method for w in (neutron_service.RpcWorker,
                                                    neutron_service.RpcReportsWorker)]
    for plugin in directory.get_unique_plugins():
        for name in listeners:
            if hasattr(plugin, name):
                try:
                    getattr(plugin, name)()
                except NotImplementedError:
                    pass


def service_agent(binary, topic, manager):
    from neutron import service as neutron_service

    def start():
        svc = neutron_service.Service.create(binary=binary, topic=topic, manager=manager,
                                             report_interval=0, periodic_interval=0)
        svc.manager.init_host = lambda: None
        svc.manager.after_start = lambda: None
        svc.start()
    return start


def dhcp_agent(conf):
    from neutron.agent import dhcp_agent as script
    from neutron_lib.agent import topics

    script.register_options(conf)
    conf.set_override("report_interval", 0, group="AGENT")
    return service_agent("neutron-dhcp-agent", topics.DHCP_AGENT,
                         "neutron.agent.dhcp.agent.DhcpAgentWithStateReport")


def l3_agent(conf):
    from neutron.agent import l3_agent as script
    from neutron_lib.agent import topics

    script.register_opts(conf)
    conf.set_override("interface_driver", "null")
    start = service_agent("neutron-l3-agent", topics.L3_AGENT,
                          "neutron.agent.l3.agent.L3NATAgentWithStateReport")

    def started():
        # Namespaces, keepalived and prefix delegation are the system's.
        with mock.patch("neutron.agent.l3.namespace_manager.NamespaceManager"), \
                mock.patch("neutron.agent.l3.agent.L3NATAgent._check_ha_router_process_status"):
            start()
    return started


def metering_agent(conf):
    from neutron.conf.agent import common as agent_config
    from neutron.conf.services import metering_agent as metering_conf
    from neutron_lib.agent import topics

    metering_conf.register_metering_agent_opts()
    agent_config.register_agent_state_opts_helper(conf)
    return service_agent("neutron-metering-agent", topics.METERING_AGENT,
                         "neutron.services.metering.agents.metering_agent."
                         "MeteringAgentWithStateReport")


def ovs_agent(conf):
    from neutron.plugins.ml2.drivers.openvswitch.agent import ovs_neutron_agent as ovs
    from neutron.conf.plugins.ml2.drivers import ovs_conf
    from neutron.conf.agent import common as agent_config

    ovs_conf.register_ovs_agent_opts(conf)
    agent_config.register_agent_state_opts_helper(conf)

    def start():
        agent = ovs.OVSNeutronAgent.__new__(ovs.OVSNeutronAgent)
        agent.conf = conf
        agent.l2_pop = conf.AGENT.l2_population
        agent.setup_rpc()
    return start


def common_agent(conf, manager_cls, binary, agent_type):
    from neutron.plugins.ml2.drivers.agent import _common_agent as ca
    from neutron_lib import context

    def start():
        mgr = manager_cls.__new__(manager_cls)
        mgr.get_agent_id = lambda: binary
        agent = ca.CommonAgentLoop(mgr, 2, None, agent_type, binary)
        agent.context = context.get_admin_context_without_session()
        agent.setup_rpc()
    return start


def linuxbridge_agent(conf):
    from neutron.conf.plugins.ml2.drivers import linuxbridge as lb_conf
    from neutron.plugins.ml2.drivers.linuxbridge.agent import linuxbridge_neutron_agent as lb
    from neutron_lib import constants

    lb_conf.register_linuxbridge_opts()
    return common_agent(conf, lb.LinuxBridgeManager, "neutron-linuxbridge-agent",
                        constants.AGENT_TYPE_LINUXBRIDGE)


def macvtap_agent(conf):
    from neutron.conf.plugins.ml2.drivers import macvtap as macvtap_conf
    from neutron.plugins.ml2.drivers.macvtap.agent import macvtap_neutron_agent as mv
    from neutron_lib import constants

    macvtap_conf.register_macvtap_opts()
    return common_agent(conf, mv.MacvtapManager, "neutron-macvtap-agent",
                        constants.AGENT_TYPE_MACVTAP)


def sriov_agent(conf):
    from neutron.agent import securitygroups_rpc as agent_sg_rpc
    from neutron.api.rpc.handlers import securitygroups_rpc as sg_rpc
    from neutron.plugins.ml2.drivers.mech_sriov.agent import sriov_nic_agent as sriov
    from neutron.agent import rpc as agent_rpc
    from neutron_lib.agent import topics
    from neutron_lib import context

    def start():
        agent = sriov.SriovNicSwitchAgent.__new__(sriov.SriovNicSwitchAgent)
        agent.conf = conf
        agent.context = context.get_admin_context_without_session()
        agent.plugin_rpc = agent_rpc.PluginApi(topics.PLUGIN)
        agent.sg_plugin_rpc = sg_rpc.SecurityGroupServerRpcApi(topics.PLUGIN)
        agent.sg_agent = mock.MagicMock(spec=agent_sg_rpc.SecurityGroupAgentRpc)
        with mock.patch("oslo_service.loopingcall.FixedIntervalLoopingCall"):
            agent._setup_rpc()
    return start


def metadata_agent(conf):
    from neutron.agent.metadata import agent as metadata
    from neutron.conf.agent.metadata import config as meta_conf
    from neutron.conf.agent import common as agent_config
    from oslo_cache import core as cache_core

    meta_conf.register_meta_conf_opts(meta_conf.SHARED_OPTS)
    meta_conf.register_meta_conf_opts(meta_conf.UNIX_DOMAIN_METADATA_PROXY_OPTS)
    meta_conf.register_meta_conf_opts(meta_conf.METADATA_PROXY_HANDLER_OPTS)
    agent_config.register_agent_state_opts_helper(conf)
    cache_core.configure(conf)

    def start():
        with mock.patch("neutron.agent.linux.utils.ensure_directory_exists_without_file"), \
                mock.patch("oslo_service.loopingcall.FixedIntervalLoopingCall"):
            proxy = metadata.UnixDomainMetadataProxy(conf)
            proxy._init_state_reporting()
            metadata.MetadataProxyHandler(conf)
    return start


def original(func, name):
    """The function as written, under its decorators: through `__wrapped__`, or the function of
    that name a decorator's closure keeps (Neutron's `timecost`, the DB retry decorators)."""
    for _ in range(10):
        inner = getattr(func, "__wrapped__", None)
        if inner is None:
            cells = [c.cell_contents for c in (getattr(func, "__closure__", None) or ())
                     if inspect.isfunction(getattr(c, "cell_contents", None))]
            inner = next((f for f in cells if f.__name__ == name), None)
            if inner is None and "<locals>" in func.__qualname__ and cells:
                inner = cells[-1]  # a decorator's wrapper around a wrapper (expected_exceptions)
        if inner is None:
            return func
        func = inner
    return func


def method_ref(cls, name, root):
    """A method as the map names it: qualified by the class that defines it, its own `def`."""
    owner = next(k for k in cls.__mro__ if name in vars(k))
    func = vars(owner)[name]
    if isinstance(func, (staticmethod, classmethod)):
        func = func.__func__
    return code_ref(original(func, name), root)


class Permissive(mock.MagicMock):
    """A mock that iterates once (a list of one such mock) and has a length of one, as do the
    mocks it returns: a method that sends once per item sends. `CONTAINS` is what `x in mock`
    answers: both ways are tried (an extension supported by the plugin, or not)."""

    CONTAINS = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.__iter__.side_effect = lambda: iter([Permissive()])
        self.__len__.return_value = 1
        self.__contains__.return_value = Permissive.CONTAINS

    def _get_child_mock(self, **kwargs):
        name = kwargs.get("name") or ""
        if name.startswith("__") or kwargs.get("_new_name", "").startswith("__"):
            return mock.MagicMock(**kwargs)
        return Permissive(**kwargs)


def permissive():
    return Permissive()


def call_clients(root):
    """Every public method of every client object, with mock arguments, once with the
    required arguments only and once with all of them."""
    raised = set()
    seen = set()
    objects = []
    for owner in CLIENT_OBJECTS:
        if inspect.isclass(owner):
            owner = getattr(owner, "_instance", None)
        if owner is None or id(owner) in seen:
            continue
        seen.add(id(owner))
        objects.append(owner)
    for obj in objects:
        cls = type(obj)
        for name in sorted(dir(cls)):
            if name.startswith("_"):
                continue
            func = inspect.getattr_static(cls, name)
            if isinstance(func, (staticmethod, classmethod)):
                func = func.__func__
            if not inspect.isfunction(func):
                continue
            func = original(func, name)
            if not func.__module__.startswith("neutron"):
                continue
            ref = method_ref(cls, name, root)
            params = list(inspect.signature(func).parameters.values())[1:]
            required = [p for p in params if p.default is p.empty and
                        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            optional = [p for p in params if p.default is not p.empty and
                        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            for plugins, contains, arity in [(p, c, a) for a in (required, required + optional)
                                             for p, c in ((True, True), (False, True),
                                                          (False, False))]:
                Permissive.CONTAINS = contains
                args = [permissive() for _ in arity]
                CURRENT["client"] = ref
                try:
                    if plugins:
                        getattr(obj, name)(*args)
                    else:
                        # The loaded plugins stand aside: a permissive mock answers for them.
                        with mock.patch("neutron_lib.plugins.directory.get_plugin",
                                        return_value=permissive()):
                            getattr(obj, name)(*args)
                except Exception:
                    raised.add(ref["qualname"])
                finally:
                    CURRENT["client"] = None
                    Permissive.CONTAINS = True
    return objects, sorted(raised)


def dispatch(endpoints, namespace, version, method):
    """oslo.messaging's RPCDispatcher: the first endpoint that accepts the message."""
    import oslo_messaging
    from oslo_messaging import _utils as utils

    for endpoint in endpoints:
        target = getattr(endpoint, "target", None) or oslo_messaging.Target()
        if namespace not in target.accepted_namespaces:
            continue
        if not utils.version_is_compatible(target.version or "1.0", version or "1.0"):
            continue
        if not method.startswith("_") and hasattr(endpoint, method):
            return endpoint
    return None


def main():
    conf_in = json.load(sys.stdin)
    conf = configure(conf_in)
    instrument()
    root = os.path.dirname(os.path.dirname(inspect.getfile(sys.modules["neutron"])))
    serve("neutron-server", neutron_server)
    for service, setup in [("neutron-dhcp-agent", dhcp_agent),
                           ("neutron-l3-agent", l3_agent),
                           ("neutron-metering-agent", metering_agent),
                           ("neutron-openvswitch-agent", ovs_agent),
                           ("neutron-linuxbridge-agent", linuxbridge_agent),
                           ("neutron-macvtap-agent", macvtap_agent),
                           ("neutron-sriov-nic-agent", sriov_agent),
                           ("neutron-metadata-agent", metadata_agent)]:
        serve(service, setup(conf))
    objects, raised = call_clients(root)

    def cls_name(c):
        return "%s.%s" % (c.__module__, c.__qualname__)

    consumers = [{"service": c["service"], "topic": c["topic"], "fanout": c["fanout"],
                  "endpoints": [cls_name(type(e)) for e in c["endpoints"]]}
                 for c in CONSUMERS]
    sends = []
    unique = collections.OrderedDict()
    for s in SENDS:
        if s["client"] is None:
            continue  # sent while setting up (a state report), not by a client method called
        key = json.dumps(s, sort_keys=True)
        unique.setdefault(key, s)
    for s in unique.values():
        reached = collections.OrderedDict()
        for c in CONSUMERS:
            if s["topic"] is not None and c["topic"] != s["topic"]:
                continue
            endpoint = dispatch(c["endpoints"], s["namespace"], s["version"], s["method"])
            if endpoint is None:
                reached.setdefault(c["service"], None)
                continue
            if reached.get(c["service"]) is None:
                reached[c["service"]] = method_ref(type(endpoint), s["method"], root)
        servers = [{"service": k, "handler": v} for k, v in reached.items()
                   if v is not None or s["topic"] is not None]
        sends.append(dict(s, servers=servers))
    json.dump({"consumers": consumers, "sends": sends,
               "clients": sorted({cls_name(type(o)) for o in objects}),
               "raised": raised}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
