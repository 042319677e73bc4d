"""The database cache with an atomic ``incr``.

Django's :class:`~django.core.cache.backends.db.DatabaseCache` increments by reading the
value and writing the sum: two workers counting the same key at once both read *n* and both
write *n + 1*, so a rate limit counted that way lets more requests through than it should.
Here ``incr`` writes the sum only if the row still holds what was read (a compare-and-set in
one ``UPDATE``) and reads again otherwise, so every increment is counted once, on SQLite and
PostgreSQL alike, across processes and servers.  Everything else is Django's.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router
from django.utils.timezone import now

# Each retry means another worker's increment landed in between; a few suffice in practice.
MAX_ATTEMPTS = 1000


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        """Add ``delta`` to the number kept under ``key`` and return the sum; ``ValueError``
        when there is none (as every Django cache does)."""
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, k, v, e = quote(self._table), quote("cache_key"), quote("value"), quote("expires")
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        with connection.cursor() as cursor:
            for _ in range(MAX_ATTEMPTS):
                cursor.execute(f"SELECT {v}, {e} FROM {table} WHERE {k} = %s", [key])
                row = cursor.fetchone()
                if row is not None:
                    expires = row[1]
                    for converter in converters:
                        expires = converter(expires, expression, connection)
                    if expires < now():
                        row = None
                if row is None:
                    raise ValueError(f"Key '{key}' not found")
                old = connection.ops.process_clob(row[0])
                total = pickle.loads(base64.b64decode(old.encode())) + delta
                new = base64.b64encode(pickle.dumps(total, self.pickle_protocol)).decode("latin1")
                cursor.execute(f"UPDATE {table} SET {v} = %s WHERE {k} = %s AND {v} = %s", [new, key, old])
                if cursor.rowcount == 1:
                    return total
        raise RuntimeError(f"cache key {key!r}: too many concurrent increments")
