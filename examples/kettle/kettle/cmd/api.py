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

"""Starter script for the Kettle API service (kettle-api)."""

import sys

from oslo_config import cfg
from oslo_log import log as logging

from kettle import rpc
from kettle import service
from kettle import version

CONF = cfg.CONF


def main():
    logging.register_options(CONF)
    CONF(sys.argv[1:], project='kettle',
         version=version.version_string())
    logging.setup(CONF, 'kettle')
    rpc.init(CONF)

    # "kettle" is the [composite:kettle] section of api-paste.ini.
    server = service.WSGIService('kettle-api', app_name='kettle')
    service.serve(server, workers=server.workers)
    service.wait()


if __name__ == '__main__':
    sys.exit(main())
