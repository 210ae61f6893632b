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

"""Read-only documents describing the house blends."""

from kettle.common import wsgi

HOUSE_BLENDS = {
    'green': {
        'name': 'Morning Mist',
        'kind': 'green',
        'steep_minutes': 2,
        'temperature_c': 80,
        'ingredients': ['sencha', 'genmaicha'],
    },
    'black': {
        'name': 'Harbour Breakfast',
        'kind': 'black',
        'steep_minutes': 4,
        'temperature_c': 95,
        'ingredients': ['assam', 'ceylon', 'kenyan'],
    },
}


class BlendsController(object):
    """One handler per blend; the router connects them in a loop."""

    @staticmethod
    def _render(req, blend):
        document = dict(HOUSE_BLENDS[blend])
        document['links'] = [{'rel': 'self', 'href': req.path_url}]
        return {'blend': document}

    def show_green(self, req):
        return self._render(req, 'green')

    def show_black(self, req):
        return self._render(req, 'black')


def create_resource():
    """Blends resource factory method."""
    deserializer = wsgi.JSONRequestDeserializer()
    serializer = wsgi.JSONResponseSerializer()
    return wsgi.Resource(BlendsController(), deserializer, serializer)
