"""Kettle: the OpenStack tea brewing service."""
