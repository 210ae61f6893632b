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

"""Brews started by POST /v1/teas/{tea_id}/actions/steep."""

import webob.exc

from kettle.common import exception
from kettle.common import utils
from kettle.common import wsgi
from kettle.db import api as db_api
from kettle.i18n import _

BREW_STATUSES = ('steeping', 'ready', 'poured')


class BrewsController(wsgi.Controller):

    def __init__(self, db=None):
        self.db_api = db or db_api

    def index(self, req, status=None, tea_id=None):
        context = utils.get_context(req)
        filters = {}
        if status:
            filters['status'] = status
        if tea_id:
            filters['tea_id'] = tea_id
        return {'brews': self.db_api.brew_get_all(context, filters=filters)}

    def show(self, req, brew_id):
        context = utils.get_context(req)
        try:
            brew = self.db_api.brew_get(context, brew_id)
        except exception.NotFound:
            msg = _("Brew %s could not be found.") % brew_id
            raise webob.exc.HTTPNotFound(explanation=msg)
        return {'brew': brew}


class RequestDeserializer(wsgi.JSONRequestDeserializer):

    def index(self, request):
        status = request.params.get('status')
        if status is not None and status not in BREW_STATUSES:
            msg = (_("status must be one of %s.") %
                   ', '.join(BREW_STATUSES))
            raise webob.exc.HTTPBadRequest(explanation=msg)
        return {'status': status, 'tea_id': request.params.get('tea_id')}


def create_resource():
    """Brews resource factory method."""
    deserializer = RequestDeserializer()
    serializer = wsgi.JSONResponseSerializer()
    return wsgi.Resource(BrewsController(), deserializer, serializer)
