"""List the remote methods of Nova's RPC client classes, from an installed python3-nova.

Run with /usr/bin/python3. For each client class, every method defined on the class whose
source sends a message (`.cast(ctxt, 'name'` / `.call(ctxt, 'name'`, directly or through a
`rpc_method = cctxt.cast if … else cctxt.call` alias), with the remote method name, and
whether the server class really has a method of that name.
"""
import inspect
import json
import re
import sys

SEND = re.compile(r"(?:\.(cast|call)|\b(rpc_method))\(\s*\w+,\s*['\"](\w+)['\"]")


def main():
    from nova.compute import manager as compute_manager
    from nova.compute import rpcapi as compute_rpcapi
    from nova.conductor import manager as conductor_manager
    from nova.conductor import rpcapi as conductor_rpcapi
    from nova.scheduler import manager as scheduler_manager
    from nova.scheduler import rpcapi as scheduler_rpcapi

    pairs = [
        (compute_rpcapi.ComputeAPI, compute_manager.ComputeManager),
        (conductor_rpcapi.ConductorAPI, conductor_manager.ConductorManager),
        (conductor_rpcapi.ComputeTaskAPI, conductor_manager.ComputeTaskManager),
        (scheduler_rpcapi.SchedulerAPI, scheduler_manager.SchedulerManager),
    ]
    out = []
    for client, server in pairs:
        for name, func in sorted(vars(client).items()):
            if not inspect.isfunction(func):
                continue
            source = inspect.getsource(func)
            for m in SEND.finditer(source):
                remote = m.group(3)
                out.append({
                    "client": "%s.%s.%s" % (client.__module__, client.__qualname__, name),
                    "method": remote,
                    "server": "%s.%s" % (server.__module__, server.__qualname__),
                    "exists": callable(getattr(server, remote, None)),
                })
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
