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

from kettle.api.v1 import blends
from kettle.api.v1 import brews
from kettle.api.v1 import kettles
from kettle.api.v1 import tea_actions
from kettle.api.v1 import teas
from kettle.common import wsgi


class API(wsgi.Router):

    """WSGI router for Kettle v1 API requests."""

    def __init__(self, mapper):
        reject_method_resource = wsgi.Resource(wsgi.RejectMethodController())

        teas_resource = teas.create_resource()
        mapper.connect('/teas',
                       controller=teas_resource,
                       action='index',
                       conditions={'method': ['GET']})
        mapper.connect('/teas',
                       controller=teas_resource,
                       action='create',
                       conditions={'method': ['POST']})
        mapper.connect('/teas',
                       controller=reject_method_resource,
                       action='reject',
                       allowed_methods='GET, POST')

        mapper.connect('/teas/{tea_id}',
                       controller=teas_resource,
                       action='show',
                       conditions={'method': ['GET']})
        mapper.connect('/teas/{tea_id}',
                       controller=teas_resource,
                       action='update',
                       conditions={'method': ['PATCH']})
        mapper.connect('/teas/{tea_id}',
                       controller=teas_resource,
                       action='delete',
                       conditions={'method': ['DELETE']})
        mapper.connect('/teas/{tea_id}',
                       controller=reject_method_resource,
                       action='reject',
                       allowed_methods='GET, PATCH, DELETE')

        tea_actions_resource = tea_actions.create_resource()
        mapper.connect('/teas/{tea_id}/actions/steep',
                       controller=tea_actions_resource,
                       action='steep',
                       conditions={'method': ['POST']})
        mapper.connect('/teas/{tea_id}/actions/steep',
                       controller=reject_method_resource,
                       action='reject',
                       allowed_methods='POST')
        mapper.connect('/teas/{tea_id}/actions/pour',
                       controller=tea_actions_resource,
                       action='pour',
                       conditions={'method': ['POST']})
        mapper.connect('/teas/{tea_id}/actions/pour',
                       controller=reject_method_resource,
                       action='reject',
                       allowed_methods='POST')

        # Kettles are plain CRUD plus two extras, so let Routes generate
        # the collection and member routes.
        mapper.resource('kettle', 'kettles',
                        controller=kettles.create_resource(),
                        member={'boil': 'POST'},
                        collection={'detail': 'GET'})

        # One read-only document per house blend.
        blends_resource = blends.create_resource()
        for name in ('green', 'black'):
            mapper.connect('/blends/%s' % name,
                           controller=blends_resource,
                           action='show_%s' % name,
                           conditions={'method': ['GET']})

        brews_resource = brews.create_resource()
        with mapper.submapper(controller=brews_resource,
                              path_prefix='/brews') as m:
            m.connect('', action='index', conditions={'method': ['GET']})
            m.connect('/{brew_id}', action='show',
                      conditions={'method': ['GET']})

        super(API, self).__init__(mapper)
