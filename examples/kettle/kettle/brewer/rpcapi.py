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

"""Client side of the brewer RPC API."""

from oslo_config import cfg
import oslo_messaging as messaging

from kettle import rpc

CONF = cfg.CONF

BREWER_TOPIC = 'brewer'


class BrewerAPI(object):
    """Client side of the brewer RPC API.

    API version history:

    * 1.0 - Initial version: brew() and cool().
    """

    RPC_API_VERSION = '1.0'

    def __init__(self):
        target = messaging.Target(topic=BREWER_TOPIC,
                                  version=self.RPC_API_VERSION)
        self.client = rpc.get_client(target, version_cap=self.RPC_API_VERSION)

    def brew(self, ctxt, tea_id, minutes):
        cctxt = self.client.prepare(version='1.0')
        cctxt.cast(ctxt, 'brew', tea_id=tea_id, minutes=minutes)

    def cool(self, ctxt, kettle_id):
        cctxt = self.client.prepare(version='1.0')
        return cctxt.call(ctxt, 'cool', kettle_id=kettle_id)
