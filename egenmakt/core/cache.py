"""The shared cache: the database by default, Redis when CACHE_URL names one.

Rate limits count in the cache, so it must be one cache for every worker process and its
increment must be atomic: Django's DatabaseCache increments by reading the value and writing
it back, so two workers counting at once lose a count (django-ratelimit's check refuses it
for that reason, django_ratelimit.E003). The subclass here increments under a row lock.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache with an atomic ``incr``."""

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)  # type: ignore[attr-defined] # set by BaseDatabaseCache
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        # On PostgreSQL the row lock makes a second incr wait for the first to commit; on
        # SQLite the transaction itself starts IMMEDIATE (settings), which locks the database.
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote_name('value')}, {quote_name('expires')} FROM {table} "  # noqa: S608 - quoted names
                f"WHERE {quote_name('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is not None:
                expires = row[1]
                expression = models.Expression(output_field=models.DateTimeField())
                converters = connection.ops.get_db_converters(
                    expression
                ) + expression.get_db_converters(connection)
                for converter in converters:
                    expires = converter(expires, expression, connection)
                if expires < tz_now():
                    row = None
            if row is None:
                raise ValueError(f"Key '{key}' not found.")
            value = pickle.loads(  # noqa: S301 - our own table, written by this class
                base64.b64decode(connection.ops.process_clob(row[0]).encode())
            )
            new_value = value + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode(
                "latin1"
            )
            cursor.execute(
                f"UPDATE {table} SET {quote_name('value')} = %s "  # noqa: S608 - quoted names
                f"WHERE {quote_name('cache_key')} = %s",
                [encoded, key],
            )
        return new_value
