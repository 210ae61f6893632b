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

"""The unversioned root document listing the available API versions."""

import http.client

from oslo_config import cfg
from oslo_serialization import jsonutils
import webob
import webob.dec

from kettle.common import wsgi
from kettle.i18n import _

versions_opts = [
    cfg.URIOpt('public_endpoint',
               help=_('Base URL advertised in the version document. Set it '
                      'when kettle-api sits behind a proxy or load '
                      'balancer; by default the URL of the request is '
                      'used.')),
]

CONF = cfg.CONF
CONF.register_opts(versions_opts)

# (version id, path, status), newest first.
SUPPORTED_VERSIONS = (
    ('v1.0', 'v1', 'CURRENT'),
)


class Controller(object):
    """A WSGI controller that reports which API versions are supported."""

    def index(self, req):
        base_url = (CONF.public_endpoint or req.application_url).rstrip('/')
        versions = []
        for version_id, path, status in SUPPORTED_VERSIONS:
            versions.append({
                'id': version_id,
                'status': status,
                'links': [{'rel': 'self',
                           'href': '%s/%s/' % (base_url, path)}],
            })

        response = webob.Response(request=req,
                                  status=http.client.MULTIPLE_CHOICES,
                                  content_type='application/json')
        response.body = jsonutils.dump_as_bytes({'versions': versions})
        return response

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        return self.index(req)


def create_resource(conf):
    return wsgi.Resource(Controller())
