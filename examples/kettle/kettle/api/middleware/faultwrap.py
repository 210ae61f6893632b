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

"""Turns exceptions that escape the API into JSON error responses."""

from oslo_log import log as logging
from oslo_serialization import jsonutils
import webob
import webob.dec
import webob.exc

from kettle.common import exception
from kettle.common import wsgi

LOG = logging.getLogger(__name__)


class FaultWrapper(wsgi.Middleware):
    """Last line of defence: nothing leaves the API as a bare traceback."""

    _status_for = {
        exception.NotFound: webob.exc.HTTPNotFound,
        exception.Conflict: webob.exc.HTTPConflict,
        exception.Invalid: webob.exc.HTTPBadRequest,
    }

    @classmethod
    def factory(cls, global_conf, **local_conf):
        def _filter(app):
            return cls(app)
        return _filter

    def _error(self, req, inner):
        exc_class = webob.exc.HTTPInternalServerError
        message = 'An unexpected error occurred.'
        for kettle_exc, http_exc in self._status_for.items():
            if isinstance(inner, kettle_exc):
                exc_class = http_exc
                message = inner.msg
                break
        else:
            LOG.exception("Unhandled error serving %(method)s %(path)s",
                          {'method': req.method, 'path': req.path})

        body = {'error': {'code': exc_class.code,
                          'title': exc_class.title,
                          'message': message}}
        return webob.Response(status=exc_class.code,
                              content_type='application/json',
                              charset='UTF-8',
                              body=jsonutils.dump_as_bytes(body))

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        try:
            return req.get_response(self.application)
        except Exception as inner:
            return self._error(req, inner)
