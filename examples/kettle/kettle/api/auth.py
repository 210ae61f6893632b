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

"""Selects the paste pipeline for the configured auth strategy."""

from oslo_config import cfg
from oslo_log import log as logging

from kettle.i18n import _

auth_opts = [
    cfg.StrOpt('auth_strategy',
               default='keystone',
               choices=[('keystone', _('Validate tokens with keystone.')),
                        ('noauth', _('Trust every caller as an admin. '
                                     'Testing only.'))],
               help=_('Name of the pipeline in the [composite:kettleapi_v1] '
                      'section of api-paste.ini that serves the v1 API.')),
]

CONF = cfg.CONF
CONF.register_opts(auth_opts)

LOG = logging.getLogger(__name__)


def pipeline_factory(loader, global_conf, **local_conf):
    """A paste pipeline whose filter list is chosen by auth_strategy.

    The composite section lists one pipeline per strategy, each a
    whitespace-separated list of filter names ending with the app name.
    """
    pipeline = local_conf[CONF.auth_strategy]
    pipeline = pipeline.split()
    LOG.debug("Loading %(strategy)s pipeline: %(pipeline)s",
              {'strategy': CONF.auth_strategy, 'pipeline': pipeline})
    filters = [loader.get_filter(name) for name in pipeline[:-1]]
    app = loader.get_app(pipeline[-1])
    # The first filter listed must end up outermost.
    filters.reverse()
    for filter_ in filters:
        app = filter_(app)
    return app
