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

"""Tea actions: /v1/teas/{tea_id}/actions/steep and .../pour."""

import http.client

from oslo_log import log as logging
import webob.exc

from kettle.api.v1 import base
from kettle.brewer import api as brewer
from kettle.common import exception
from kettle.common import utils
from kettle.common import wsgi
from kettle.i18n import _

LOG = logging.getLogger(__name__)


class TeaActionsController(base.BaseController):
    """Starts brews and pours them; the brewing happens in kettle-brewer."""

    def __init__(self, db=None, brewer_api=None):
        super(TeaActionsController, self).__init__(db)
        self.brewer_api = brewer_api or brewer.API()

    @utils.mutating
    def steep(self, req, tea_id, body=None):
        context = utils.get_context(req)
        tea = self._get_tea(context, tea_id)
        minutes = (body or {}).get('steep', {}).get('minutes')
        if minutes is not None:
            minutes = utils.int_from_param(minutes, 'minutes',
                                           minimum=1, maximum=15)
        try:
            brew = self.brewer_api.brew(context, tea, minutes)
        except exception.Invalid as e:
            raise webob.exc.HTTPBadRequest(explanation=e.msg)
        LOG.info("Steeping tea %(tea)s for %(minutes)d minutes",
                 {'tea': tea_id, 'minutes': brew['minutes']})
        return {'brew': brew}

    @utils.mutating
    def pour(self, req, tea_id, body=None):
        context = utils.get_context(req)
        self._get_tea(context, tea_id)
        ready = self.db_api.brew_get_all(
            context, filters={'tea_id': tea_id, 'status': 'ready'})
        if not ready:
            msg = _("No brew of tea %s is ready to pour.") % tea_id
            raise webob.exc.HTTPConflict(explanation=msg)
        brew = self.db_api.brew_update(context, ready[0]['id'],
                                       {'status': 'poured'})
        return {'brew': brew}


class ResponseSerializer(wsgi.JSONResponseSerializer):

    def steep(self, response, result):
        # Brewing is asynchronous; poll GET /v1/brews to see it finish.
        response.status_int = http.client.ACCEPTED
        self.default(response, result)


def create_resource():
    """Tea actions resource factory method."""
    deserializer = wsgi.JSONRequestDeserializer()
    serializer = ResponseSerializer()
    controller = TeaActionsController()
    return wsgi.Resource(controller, deserializer, serializer)
