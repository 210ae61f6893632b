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

"""Kettles, routed with Routes' mapper.resource() helper."""

import http.client

from oslo_log import log as logging
import webob.exc

from kettle.brewer import api as brewer
from kettle.common import exception
from kettle.common import utils
from kettle.common import wsgi
from kettle.db import api as db_api
from kettle.i18n import _

LOG = logging.getLogger(__name__)

KETTLE_DEFAULTS = {
    'name': None,
    'capacity_ml': 1700,
    'state': 'cold',
}
EDITABLE_FIELDS = ('name', 'capacity_ml')


class KettlesController(wsgi.Controller):
    """The kettles a brewer host can heat water in."""

    def __init__(self, db=None, brewer_api=None):
        self.db_api = db or db_api
        self.brewer_api = brewer_api or brewer.API()

    def _get_kettle(self, context, kettle_id):
        try:
            return self.db_api.kettle_get(context, kettle_id)
        except exception.NotFound:
            msg = _("Kettle %s could not be found.") % kettle_id
            raise webob.exc.HTTPNotFound(explanation=msg)

    @staticmethod
    def _summary(kettle):
        return {'id': kettle['id'], 'name': kettle['name']}

    def _validated(self, body):
        kettle = (body or {}).get('kettle')
        if not isinstance(kettle, dict):
            msg = _("Expected a 'kettle' object in the request body.")
            raise webob.exc.HTTPBadRequest(explanation=msg)
        values = {k: v for k, v in kettle.items() if k in EDITABLE_FIELDS}
        if 'capacity_ml' in values:
            values['capacity_ml'] = utils.int_from_param(
                values['capacity_ml'], 'capacity_ml',
                minimum=250, maximum=5000)
        return values

    def index(self, req):
        context = utils.get_context(req)
        kettles = self.db_api.kettle_get_all(context)
        return {'kettles': [self._summary(k) for k in kettles]}

    def detail(self, req):
        context = utils.get_context(req)
        return {'kettles': self.db_api.kettle_get_all(context)}

    def new(self, req):
        """Return a template a client can fill in and POST back."""
        return {'kettle': dict(KETTLE_DEFAULTS)}

    @utils.mutating
    def create(self, req, body):
        context = utils.get_context(req)
        values = dict(KETTLE_DEFAULTS, **self._validated(body))
        kettle = self.db_api.kettle_create(context, values)
        return {'kettle': kettle}

    def show(self, req, id):
        context = utils.get_context(req)
        return {'kettle': self._get_kettle(context, id)}

    def edit(self, req, id):
        """Return just the attributes PUT /kettles/{id} accepts."""
        context = utils.get_context(req)
        kettle = self._get_kettle(context, id)
        return {'kettle': {k: kettle[k] for k in EDITABLE_FIELDS}}

    @utils.mutating
    def update(self, req, id, body):
        context = utils.get_context(req)
        self._get_kettle(context, id)
        kettle = self.db_api.kettle_update(context, id, self._validated(body))
        return {'kettle': kettle}

    @utils.mutating
    def delete(self, req, id):
        context = utils.get_context(req)
        kettle = self._get_kettle(context, id)
        if kettle['state'] != 'cold':
            # Blocks until the brewer reports the kettle safe to remove.
            self.brewer_api.cool(context, kettle)
        self.db_api.kettle_destroy(context, id)
        LOG.info("Deleted kettle %s", id)

    @utils.mutating
    def boil(self, req, id, body=None):
        context = utils.get_context(req)
        kettle = self._get_kettle(context, id)
        if kettle['state'] == 'boiling':
            msg = _("Kettle %s is already boiling.") % id
            raise webob.exc.HTTPConflict(explanation=msg)
        kettle = self.db_api.kettle_update(context, id, {'state': 'boiling'})
        return {'kettle': kettle}


class ResponseSerializer(wsgi.JSONResponseSerializer):

    def create(self, response, result):
        response.status_int = http.client.CREATED
        self.default(response, result)

    def delete(self, response, result):
        self.no_content(response)

    def boil(self, response, result):
        response.status_int = http.client.ACCEPTED
        self.default(response, result)


def create_resource():
    """Kettles resource factory method."""
    deserializer = wsgi.JSONRequestDeserializer()
    serializer = ResponseSerializer()
    return wsgi.Resource(KettlesController(), deserializer, serializer)
