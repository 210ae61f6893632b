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

"""Builds the Kettle RequestContext from keystonemiddleware's headers."""

from oslo_log import log as logging
import webob.exc

from kettle import context
from kettle.common import wsgi
from kettle.i18n import _

LOG = logging.getLogger(__name__)


class ContextMiddleware(wsgi.Middleware):
    """Attaches a RequestContext to every authenticated request.

    Must run after authtoken. A token whose only role is ``reader_role``
    yields a read-only context.
    """

    def __init__(self, application, reader_role='reader'):
        super(ContextMiddleware, self).__init__(application)
        self.reader_role = reader_role

    @classmethod
    def factory(cls, global_conf, **local_conf):
        reader_role = local_conf.get('reader_role', 'reader')

        def _filter(app):
            return cls(app, reader_role=reader_role)
        return _filter

    def process_request(self, req):
        if req.headers.get('X-Identity-Status', 'Confirmed') != 'Confirmed':
            raise webob.exc.HTTPUnauthorized(
                explanation=_('Authentication required.'))

        roles = [role.strip().lower()
                 for role in req.headers.get('X-Roles', '').split(',')
                 if role.strip()]
        read_only = bool(roles) and set(roles) == {self.reader_role}

        ctxt = context.RequestContext.from_environ(req.environ,
                                                   read_only=read_only)
        req.environ[context.ENV_KEY] = ctxt
        LOG.debug("Request context for %(project)s (read_only=%(ro)s)",
                  {'project': ctxt.project_id, 'ro': read_only})
        return None
