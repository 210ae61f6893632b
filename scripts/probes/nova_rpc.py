"""List the remote methods of Nova's RPC client classes, from an installed python3-nova.

Run with /usr/bin/python3. For each client class, every method defined on the class whose
source sends a message (`.cast(ctxt, 'name'` / `.call(ctxt, 'name'`, directly or through a
`rpc_method = cctxt.cast if … else cctxt.call` alias) — or calls a method of the class that does
(`object_class_action` → `self.object_class_action_versions(...)`): calling it sends that —
with the remote method name, and whether the server class really has a method of that name.
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
        methods = {name: inspect.getsource(func) for name, func in vars(client).items()
                   if inspect.isfunction(func)}

        def sends(name, seen):
            own = [m.group(3) for m in SEND.finditer(methods[name])]
            for callee in re.findall(r"\bself\.(\w+)\(", methods[name]):
                if callee in methods and callee not in seen:
                    own += sends(callee, seen | {callee})
            return own

        for name in sorted(methods):
            for remote in dict.fromkeys(sends(name, {name})):
                out.append({
                    "client": "%s.%s.%s" % (client.__module__, client.__qualname__, name),
                    "method": remote,
                    "server": "%s.%s" % (server.__module__, server.__qualname__),
                    "exists": callable(getattr(server, remote, None)),
                })
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
