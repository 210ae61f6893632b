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

"""Kettle exception classes."""

from kettle.i18n import _


class KettleException(Exception):
    """Base Kettle exception.

    Subclasses set ``message``; it is %-formatted with the keyword
    arguments given to the constructor.
    """

    message = _("An unknown exception occurred")

    def __init__(self, message=None, **kwargs):
        if not message:
            message = self.message % kwargs
        self.msg = message
        super(KettleException, self).__init__(message)


class NotFound(KettleException):
    message = _("%(kind)s %(id)s could not be found.")


class Conflict(KettleException):
    message = _("The request conflicts with the current state: %(reason)s")


class Invalid(KettleException):
    message = _("Invalid input: %(reason)s")
