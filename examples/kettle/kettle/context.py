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

"""Request context for the Kettle API and the brewer service."""

from oslo_context import context

# Key under which the context middleware stores the RequestContext in the
# WSGI environment.
ENV_KEY = 'kettle.context'


class RequestContext(context.RequestContext):
    """Security context plus a read-only flag for reader-only tokens."""

    def __init__(self, read_only=False, **kwargs):
        super(RequestContext, self).__init__(**kwargs)
        self.read_only = read_only

    def to_dict(self):
        values = super(RequestContext, self).to_dict()
        values['read_only'] = self.read_only
        return values

    @classmethod
    def from_dict(cls, values, **kwargs):
        kwargs.setdefault('read_only', values.get('read_only', False))
        return super(RequestContext, cls).from_dict(values, **kwargs)


def get_admin_context(read_only=False):
    return RequestContext(is_admin=True, read_only=read_only,
                          overwrite=False)
