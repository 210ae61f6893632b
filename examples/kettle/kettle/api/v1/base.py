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

"""Shared base for the v1 controllers that work on a single tea."""

import webob.exc

from kettle.common import exception
from kettle.common import utils
from kettle.common import wsgi
from kettle.db import api as db_api
from kettle.i18n import _


class BaseController(wsgi.Controller):
    """Looks teas up and renders one; subclasses add the rest."""

    def __init__(self, db=None):
        self.db_api = db or db_api

    def _get_tea(self, context, tea_id):
        try:
            return self.db_api.tea_get(context, tea_id)
        except exception.NotFound:
            msg = _("Tea %s could not be found.") % tea_id
            raise webob.exc.HTTPNotFound(explanation=msg)

    def show(self, req, tea_id):
        context = utils.get_context(req)
        return {'tea': self._get_tea(context, tea_id)}
