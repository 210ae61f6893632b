# Copyright 2025 The Kettle Authors.
# All Rights Reserved.
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""oslo.messaging setup shared by kettle-api and kettle-brewer."""

import oslo_messaging as messaging
from oslo_messaging.rpc import dispatcher

from kettle import context as kettle_context

TRANSPORT = None


def init(conf):
    global TRANSPORT
    TRANSPORT = messaging.get_rpc_transport(conf)


def cleanup():
    global TRANSPORT
    if TRANSPORT is not None:
        TRANSPORT.cleanup()
        TRANSPORT = None


class RequestContextSerializer(messaging.Serializer):
    """Carries a Kettle RequestContext across the wire."""

    def __init__(self, base=None):
        self._base = base or messaging.JsonPayloadSerializer()

    def serialize_entity(self, ctxt, entity):
        return self._base.serialize_entity(ctxt, entity)

    def deserialize_entity(self, ctxt, entity):
        return self._base.deserialize_entity(ctxt, entity)

    def serialize_context(self, ctxt):
        return ctxt.to_dict()

    def deserialize_context(self, ctxt):
        return kettle_context.RequestContext.from_dict(ctxt)


def get_client(target, version_cap=None):
    if TRANSPORT is None:
        raise RuntimeError('kettle.rpc.init() has not been called')
    return messaging.RPCClient(TRANSPORT, target,
                               version_cap=version_cap,
                               serializer=RequestContextSerializer())


def get_server(target, endpoints):
    if TRANSPORT is None:
        raise RuntimeError('kettle.rpc.init() has not been called')
    return messaging.get_rpc_server(
        TRANSPORT, target, endpoints,
        executor='threading',
        serializer=RequestContextSerializer(),
        access_policy=dispatcher.DefaultRPCAccessPolicy)
