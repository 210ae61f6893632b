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

"""The tea catalogue: /v1/teas and /v1/teas/{tea_id}."""

import http.client

from oslo_log import log as logging
import webob.exc

from kettle.api.v1 import base
from kettle.common import exception
from kettle.common import utils
from kettle.common import wsgi
from kettle.i18n import _

LOG = logging.getLogger(__name__)

TEA_KINDS = ('green', 'black', 'oolong', 'white', 'herbal')
UPDATABLE_FIELDS = frozenset(['name', 'kind', 'steep_minutes',
                              'temperature_c'])
MAX_PAGE_SIZE = 100


class TeasController(base.BaseController):
    """CRUD for teas. ``show`` is inherited from BaseController."""

    def index(self, req, limit=None, marker=None, kind=None):
        context = utils.get_context(req)
        filters = {'kind': kind} if kind else {}
        try:
            teas = self.db_api.tea_get_all(context, filters=filters,
                                           marker=marker, limit=limit)
        except exception.NotFound:
            msg = _("Marker %s could not be found.") % marker
            raise webob.exc.HTTPBadRequest(explanation=msg)
        return {'teas': teas}

    @utils.mutating
    def create(self, req, tea):
        context = utils.get_context(req)
        tea = self.db_api.tea_create(context, tea)
        LOG.info("Created tea %(id)s (%(name)s)", tea)
        return {'tea': tea}

    @utils.mutating
    def update(self, req, tea_id, changes):
        context = utils.get_context(req)
        self._get_tea(context, tea_id)
        tea = self.db_api.tea_update(context, tea_id, changes)
        return {'tea': tea}

    @utils.mutating
    def delete(self, req, tea_id):
        context = utils.get_context(req)
        self._get_tea(context, tea_id)
        self.db_api.tea_destroy(context, tea_id)
        LOG.info("Deleted tea %s", tea_id)


class RequestDeserializer(wsgi.JSONRequestDeserializer):
    """Validates tea bodies and query strings before the controller runs."""

    def _get_tea_body(self, request):
        body = self.default(request).get('body')
        tea = body.get('tea') if body else None
        if not isinstance(tea, dict):
            msg = _("Expected a 'tea' object in the request body.")
            raise webob.exc.HTTPBadRequest(explanation=msg)
        return tea

    def _validate_fields(self, tea):
        unknown = set(tea) - UPDATABLE_FIELDS
        if unknown:
            msg = (_("Unknown tea attributes: %s") %
                   ', '.join(sorted(unknown)))
            raise webob.exc.HTTPBadRequest(explanation=msg)
        if 'kind' in tea and tea['kind'] not in TEA_KINDS:
            msg = (_("kind must be one of %s.") % ', '.join(TEA_KINDS))
            raise webob.exc.HTTPBadRequest(explanation=msg)
        if 'steep_minutes' in tea:
            tea['steep_minutes'] = utils.int_from_param(
                tea['steep_minutes'], 'steep_minutes', minimum=1, maximum=15)
        if 'temperature_c' in tea:
            tea['temperature_c'] = utils.int_from_param(
                tea['temperature_c'], 'temperature_c', minimum=60,
                maximum=100)
        return tea

    def index(self, request):
        params = request.params
        query = {'marker': params.get('marker'), 'kind': params.get('kind')}
        if 'limit' in params:
            query['limit'] = utils.int_from_param(
                params['limit'], 'limit', minimum=1, maximum=MAX_PAGE_SIZE)
        return query

    def create(self, request):
        tea = self._validate_fields(self._get_tea_body(request))
        if not tea.get('name'):
            msg = _("A tea needs a name.")
            raise webob.exc.HTTPBadRequest(explanation=msg)
        tea.setdefault('kind', 'black')
        return {'tea': tea}

    def update(self, request):
        return {'changes': self._validate_fields(self._get_tea_body(request))}


class ResponseSerializer(wsgi.JSONResponseSerializer):

    def create(self, response, result):
        response.status_int = http.client.CREATED
        self.default(response, result)

    def delete(self, response, result):
        self.no_content(response)


def create_resource():
    """Teas resource factory method."""
    deserializer = RequestDeserializer()
    serializer = ResponseSerializer()
    controller = TeasController()
    return wsgi.Resource(controller, deserializer, serializer)
