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

"""The brewer API the REST controllers call; it forwards over RPC."""

from oslo_log import log as logging

from kettle.brewer import rpcapi
from kettle.common import exception
from kettle.i18n import _

LOG = logging.getLogger(__name__)

DEFAULT_STEEP_MINUTES = 3
# Green and white teas turn bitter if left too long.
DELICATE_KINDS = {'green': 4, 'white': 5}


class API(object):
    """API for talking to the brewer service."""

    def __init__(self):
        self.brewer_rpcapi = rpcapi.BrewerAPI()

    def brew(self, context, tea, minutes=None):
        """Start steeping ``tea``; returns at once, the brewer does the rest.
        """
        minutes = (minutes or tea.get('steep_minutes') or
                   DEFAULT_STEEP_MINUTES)
        limit = DELICATE_KINDS.get(tea.get('kind'))
        if limit is not None and minutes > limit:
            reason = (_("%(kind)s tea should steep at most %(limit)d "
                        "minutes.") % {'kind': tea['kind'], 'limit': limit})
            raise exception.Invalid(reason=reason)

        LOG.debug("Asking a brewer to steep %(tea)s for %(minutes)d minutes",
                  {'tea': tea['id'], 'minutes': minutes})
        self.brewer_rpcapi.brew(context, tea['id'], minutes)
        return {'tea_id': tea['id'], 'minutes': minutes, 'status': 'steeping'}

    def cool(self, context, kettle):
        """Cool ``kettle`` down; waits for the brewer to confirm."""
        return self.brewer_rpcapi.cool(context, kettle['id'])
