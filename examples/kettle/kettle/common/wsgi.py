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

"""WSGI plumbing shared by the Kettle API: routing, dispatch, (de)serializing.
"""

import http.client

from oslo_log import log as logging
from oslo_serialization import jsonutils
import routes
import routes.middleware
import webob
import webob.dec
import webob.exc

from kettle.i18n import _

LOG = logging.getLogger(__name__)


class Middleware(object):
    """Base class for WSGI middleware.

    Subclasses may hook ``process_request`` (return a response to stop the
    chain there) and ``process_response``; the wrapped application is called
    in between.
    """

    def __init__(self, application):
        self.application = application

    @classmethod
    def factory(cls, global_conf, **local_conf):
        """paste.filter_factory hook."""
        def _filter(app):
            return cls(app)
        return _filter

    def process_request(self, req):
        return None

    def process_response(self, response):
        return response

    @webob.dec.wsgify
    def __call__(self, req):
        response = self.process_request(req)
        if response is not None:
            return response
        response = req.get_response(self.application)
        response.request = req
        return self.process_response(response)


class APIMapper(routes.Mapper):
    """A routes.Mapper that can match an empty PATH_INFO.

    When the API is mounted at "/v1" a request for exactly "/v1" reaches us
    with PATH_INFO == "". routes.Mapper.routematch() rejects that outright,
    which would stop the redirect the Router installs from ever firing.
    """

    def routematch(self, url=None, environ=None):
        if url == "":
            match, route = self._match("", environ)[:2]
            return match, route
        return super(APIMapper, self).routematch(url, environ)


class RejectMethodController(object):
    """Answers 405 for a known path requested with a method it lacks."""

    def reject(self, req, allowed_methods, *args, **kwargs):
        LOG.debug("%(method)s is not allowed on %(path)s",
                  {'method': req.method, 'path': req.path})
        raise webob.exc.HTTPMethodNotAllowed(
            headers=[('Allow', allowed_methods)])


class Controller(object):
    """Base class for API controllers.

    Resource falls back to ``default`` when a route names an action the
    controller does not implement.
    """

    def default(self, req, *args, **kwargs):
        LOG.debug("No handler for %(method)s %(path)s",
                  {'method': req.method, 'path': req.path})
        raise webob.exc.HTTPNotFound()


class Router(object):
    """WSGI middleware that hands each request to the app its route names.
    """

    def __init__(self, mapper):
        """Build the router around a populated routes.Mapper.

        Every route must carry a ``controller`` that is itself a WSGI app,
        normally a :class:`Resource`, plus the ``action`` that Resource
        should invoke on the controller it wraps.
        """
        mapper.redirect("", "/")
        self.map = mapper
        self._router = routes.middleware.RoutesMiddleware(self._dispatch,
                                                          self.map)

    @classmethod
    def factory(cls, global_conf, **local_conf):
        """paste.app_factory hook; subclasses fill the mapper in __init__."""
        return cls(APIMapper())

    @webob.dec.wsgify
    def __call__(self, req):
        # RoutesMiddleware matches the request, records the result in
        # environ['wsgiorg.routing_args'] and then calls _dispatch.
        return self._router

    @staticmethod
    @webob.dec.wsgify
    def _dispatch(req):
        match = req.environ['wsgiorg.routing_args'][1]
        if not match:
            if req.method not in ('GET', 'HEAD', 'POST', 'PUT', 'PATCH',
                                  'DELETE'):
                return webob.exc.HTTPNotImplemented()
            return webob.exc.HTTPNotFound()
        return match['controller']


class Request(webob.Request):
    """webob.Request with a couple of Kettle conveniences."""

    def best_match_content_type(self):
        offers = self.accept.acceptable_offers(['application/json'])
        return offers[0][0] if offers else 'application/json'


class JSONRequestDeserializer(object):
    """Turns a JSON request body into the controller's ``body`` argument.

    Subclasses may add a method named after an action to build that
    action's arguments some other way; ``default`` is used otherwise.
    """

    methods_with_body = frozenset(['POST', 'PUT', 'PATCH'])

    def has_body(self, request):
        if request.method not in self.methods_with_body:
            return False
        return bool(request.content_length) or request.is_body_readable

    def from_json(self, datastring):
        try:
            data = jsonutils.loads(datastring)
        except ValueError:
            msg = _('Malformed JSON in request body.')
            raise webob.exc.HTTPBadRequest(explanation=msg)
        if not isinstance(data, dict):
            msg = _('Expected a JSON object as the request body.')
            raise webob.exc.HTTPBadRequest(explanation=msg)
        return data

    def default(self, request):
        if self.has_body(request):
            return {'body': self.from_json(request.body)}
        return {}


class JSONResponseSerializer(object):
    """Writes a controller's return value into the response as JSON."""

    def to_json(self, data):
        return jsonutils.dump_as_bytes(data, default=jsonutils.to_primitive)

    def default(self, response, result):
        response.content_type = 'application/json'
        response.charset = 'UTF-8'
        response.body = self.to_json(result)

    def no_content(self, response):
        response.status_int = http.client.NO_CONTENT
        response.body = b''


class Resource(object):
    """WSGI app that (de)serializes around one controller method call.

    The action comes from the route (``action=...``); the deserializer, the
    controller and the serializer are each asked for a method of that name
    and fall back to their ``default`` method when they have none.
    """

    def __init__(self, controller, deserializer=None, serializer=None):
        self.controller = controller
        self.deserializer = deserializer or JSONRequestDeserializer()
        self.serializer = serializer or JSONResponseSerializer()

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, request):
        action_args = self.get_action_args(request.environ)
        action = action_args.pop('action', None)
        if action is None:
            # Mounted straight from paste with no router in front (the
            # version document): the controller is the WSGI app.
            return self.controller(request)

        try:
            method = getattr(self.controller, action)
        except AttributeError:
            method = getattr(self.controller, 'default')

        try:
            action_args.update(self.dispatch(self.deserializer, action,
                                             request))
            result = method(request, **action_args)
        except webob.exc.HTTPException as e:
            return e

        if isinstance(result, webob.Response):
            return result

        response = webob.Response(request=request)
        self.dispatch(self.serializer, action, response, result)
        return response

    def dispatch(self, obj, action, *args, **kwargs):
        """Call ``obj.<action>``, or ``obj.default`` when there is none."""
        try:
            method = getattr(obj, action)
        except AttributeError:
            method = getattr(obj, 'default')
        return method(*args, **kwargs)

    def get_action_args(self, environ):
        """Return the routing variables for this request, minus plumbing."""
        try:
            args = environ['wsgiorg.routing_args'][1].copy()
        except (KeyError, IndexError, AttributeError):
            return {}
        args.pop('controller', None)
        args.pop('format', None)
        return args
