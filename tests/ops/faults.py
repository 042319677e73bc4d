"""Faults the operations tests provoke."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection


@contextmanager
def database_unreachable():
    """While inside, the default connection points at a port where nothing listens."""
    connection.close()
    saved = dict(connection.settings_dict)
    connection.settings_dict["PORT"] = 1
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
