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

"""In-memory storage driver.

The sample keeps its teas, kettles and brews in process memory, in the
spirit of the "simple" drivers services ship for functional tests; it only
makes sense when the API and the brewer share a process. Every record is a
plain dict, and callers always get copies.
"""

import copy
import functools
import threading

from oslo_utils import timeutils
from oslo_utils import uuidutils

from kettle.common import exception

_LOCK = threading.RLock()
DATA = {
    'tea': {},
    'kettle': {},
    'brew': {},
}


def _synchronized(func):
    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        with _LOCK:
            return func(*args, **kwargs)
    return wrapped


def reset():
    with _LOCK:
        for table in DATA.values():
            table.clear()


def _matches(record, filters):
    return all(record.get(key) == value for key, value in filters.items())


def _get(kind, object_id):
    try:
        return DATA[kind][object_id]
    except KeyError:
        raise exception.NotFound(kind=kind, id=object_id)


@_synchronized
def _get_all(kind, filters=None, marker=None, limit=None):
    records = sorted(DATA[kind].values(), key=lambda r: r['created_at'])
    records = [r for r in records if _matches(r, filters or {})]
    if marker is not None:
        ids = [r['id'] for r in records]
        if marker not in ids:
            raise exception.NotFound(kind=kind, id=marker)
        records = records[ids.index(marker) + 1:]
    if limit is not None:
        records = records[:limit]
    return copy.deepcopy(records)


@_synchronized
def _create(kind, values):
    record = dict(values)
    record.setdefault('id', uuidutils.generate_uuid())
    record['created_at'] = timeutils.utcnow()
    record['updated_at'] = None
    DATA[kind][record['id']] = record
    return copy.deepcopy(record)


@_synchronized
def _update(kind, object_id, values):
    record = _get(kind, object_id)
    record.update(values)
    record['updated_at'] = timeutils.utcnow()
    return copy.deepcopy(record)


@_synchronized
def _destroy(kind, object_id):
    _get(kind, object_id)
    del DATA[kind][object_id]


def tea_get_all(context, filters=None, marker=None, limit=None):
    return _get_all('tea', filters=filters, marker=marker, limit=limit)


@_synchronized
def tea_get(context, tea_id):
    return copy.deepcopy(_get('tea', tea_id))


def tea_create(context, values):
    return _create('tea', values)


def tea_update(context, tea_id, values):
    return _update('tea', tea_id, values)


def tea_destroy(context, tea_id):
    _destroy('tea', tea_id)


def kettle_get_all(context, filters=None):
    return _get_all('kettle', filters=filters)


@_synchronized
def kettle_get(context, kettle_id):
    return copy.deepcopy(_get('kettle', kettle_id))


def kettle_create(context, values):
    return _create('kettle', values)


def kettle_update(context, kettle_id, values):
    return _update('kettle', kettle_id, values)


def kettle_destroy(context, kettle_id):
    _destroy('kettle', kettle_id)


def brew_get_all(context, filters=None, marker=None, limit=None):
    return _get_all('brew', filters=filters, marker=marker, limit=limit)


@_synchronized
def brew_get(context, brew_id):
    return copy.deepcopy(_get('brew', brew_id))


def brew_create(context, values):
    return _create('brew', values)


def brew_update(context, brew_id, values):
    return _update('brew', brew_id, values)
