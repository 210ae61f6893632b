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

"""Small helpers shared by the API controllers."""

import functools

import webob.exc

from kettle import context as kettle_context
from kettle.i18n import _


def get_context(req):
    """Return the RequestContext for ``req``.

    The keystone pipeline has ContextMiddleware put one in the environment.
    The noauth pipeline does not, and every caller is treated as an admin.
    """
    ctxt = req.environ.get(kettle_context.ENV_KEY)
    if ctxt is None:
        ctxt = kettle_context.get_admin_context()
        req.environ[kettle_context.ENV_KEY] = ctxt
    return ctxt


def mutating(func):
    """Refuse a state-changing controller method to read-only callers."""
    @functools.wraps(func)
    def wrapped(self, req, *args, **kwargs):
        if get_context(req).read_only:
            msg = _("This operation is not allowed with a reader token.")
            raise webob.exc.HTTPForbidden(explanation=msg)
        return func(self, req, *args, **kwargs)
    return wrapped


def int_from_param(value, name, minimum=None, maximum=None):
    """Parse an integer query/body parameter or raise a 400."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        msg = _("%s must be an integer.") % name
        raise webob.exc.HTTPBadRequest(explanation=msg)
    if ((minimum is not None and number < minimum) or
            (maximum is not None and number > maximum)):
        msg = (_("%(name)s must be between %(min)s and %(max)s.") %
               {'name': name, 'min': minimum, 'max': maximum})
        raise webob.exc.HTTPBadRequest(explanation=msg)
    return number
