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

"""The brewer manager: the RPC endpoint behind the 'brewer' topic."""

import datetime

from oslo_config import cfg
from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import timeutils

from kettle.db import api as db_api

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


class BrewerManager(object):
    """Steeps teas and looks after the kettles on one brewer host."""

    target = messaging.Target(version='1.0')

    def __init__(self, host=None):
        self.host = host or CONF.host
        self.db_api = db_api

    def init_host(self):
        LOG.info("Brewer starting on %s", self.host)

    def brew(self, context, tea_id, minutes):
        ready_at = timeutils.utcnow() + datetime.timedelta(minutes=minutes)
        brew = self.db_api.brew_create(context, {
            'tea_id': tea_id,
            'host': self.host,
            'minutes': minutes,
            'status': 'steeping',
            'ready_at': ready_at,
        })
        LOG.info("Brew %(id)s of tea %(tea_id)s is steeping until "
                 "%(ready_at)s", brew)
        return brew

    def cool(self, context, kettle_id):
        kettle = self.db_api.kettle_update(context, kettle_id,
                                           {'state': 'cold'})
        LOG.info("Kettle %s cooled", kettle_id)
        return kettle

    def check_brews(self, context):
        """Periodic task: mark brews whose steeping time is up as ready."""
        now = timeutils.utcnow()
        steeping = self.db_api.brew_get_all(
            context, filters={'status': 'steeping', 'host': self.host})
        for brew in steeping:
            if brew['ready_at'] <= now:
                self.db_api.brew_update(context, brew['id'],
                                        {'status': 'ready'})
                LOG.info("Brew %s is ready", brew['id'])
