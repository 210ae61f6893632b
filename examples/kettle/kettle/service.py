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

"""Generic service wrappers for kettle-api and kettle-brewer."""

import os
import socket
import sys

from oslo_concurrency import processutils
from oslo_config import cfg
from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_service import service
from oslo_service import wsgi
from oslo_utils import importutils

from kettle import context
from kettle.i18n import _
from kettle import rpc

LOG = logging.getLogger(__name__)

service_opts = [
    cfg.HostDomainOpt('host',
                      default=socket.gethostname(),
                      sample_default='<current_hostname>',
                      help=_('Name of this node; brewers listen on it.')),
    cfg.IntOpt('periodic_interval',
               default=30,
               min=1,
               help=_('Seconds between runs of the brewer periodic task.')),
    cfg.HostAddressOpt('bind_host',
                       default='0.0.0.0',
                       help=_('Address kettle-api listens on.')),
    cfg.PortOpt('bind_port',
                default=9494,
                help=_('Port kettle-api listens on.')),
    cfg.IntOpt('workers',
               min=1,
               help=_('Number of kettle-api worker processes. Defaults to '
                      'the number of CPUs.')),
]

CONF = cfg.CONF
CONF.register_opts(service_opts)

# Binary name -> manager class it runs.
SERVICE_MANAGERS = {
    'kettle-brewer': 'kettle.brewer.manager.BrewerManager',
}


class Service(service.Service):
    """An RPC service hosting one manager on a topic."""

    def __init__(self, host, binary, topic, manager, periodic_interval=None):
        super(Service, self).__init__()
        self.host = host
        self.binary = binary
        self.topic = topic
        self.manager_class_name = manager
        manager_class = importutils.import_class(self.manager_class_name)
        self.manager = manager_class(host=self.host)
        self.periodic_interval = periodic_interval
        self.rpcserver = None

    def start(self):
        LOG.info("Starting %(binary)s on %(host)s (topic %(topic)s)",
                 {'binary': self.binary, 'host': self.host,
                  'topic': self.topic})
        self.manager.init_host()

        target = messaging.Target(topic=self.topic, server=self.host)
        self.rpcserver = rpc.get_server(target, [self.manager])
        self.rpcserver.start()

        if self.periodic_interval:
            self.tg.add_timer(self.periodic_interval, self.periodic_tasks,
                              initial_delay=self.periodic_interval)

    def periodic_tasks(self):
        ctxt = context.get_admin_context()
        self.manager.check_brews(ctxt)

    def stop(self, graceful=False):
        if self.rpcserver is not None:
            self.rpcserver.stop()
            self.rpcserver.wait()
        super(Service, self).stop(graceful)

    @classmethod
    def create(cls, host=None, binary=None, topic=None, manager=None,
               periodic_interval=None):
        """Instantiate a service, filling the gaps from config and argv.

        :param binary: defaults to the basename of the running executable
        :param topic: defaults to the binary name without 'kettle-'
        :param manager: defaults to SERVICE_MANAGERS[binary]
        """
        host = host or CONF.host
        binary = binary or os.path.basename(sys.argv[0])
        topic = topic or binary.rpartition('kettle-')[2]
        manager = manager or SERVICE_MANAGERS[binary]
        periodic_interval = periodic_interval or CONF.periodic_interval
        return cls(host, binary, topic, manager,
                   periodic_interval=periodic_interval)


class WSGIService(service.ServiceBase):
    """Serves one paste application from api_paste_config over HTTP."""

    def __init__(self, name, app_name=None, loader=None):
        self.name = name
        self.app_name = app_name or name
        self.loader = loader or wsgi.Loader(CONF)
        self.app = self.loader.load_app(self.app_name)
        self.workers = CONF.workers or processutils.get_worker_count()
        self.server = wsgi.Server(CONF, self.name, self.app,
                                  host=CONF.bind_host,
                                  port=CONF.bind_port)

    def start(self):
        self.server.start()

    def stop(self):
        self.server.stop()

    def wait(self):
        self.server.wait()

    def reset(self):
        self.server.reset()


_launcher = None


def serve(server, workers=None):
    global _launcher
    if _launcher is not None:
        raise RuntimeError(_('serve() can only be called once'))
    _launcher = service.launch(CONF, server, workers=workers)


def wait():
    _launcher.wait()
