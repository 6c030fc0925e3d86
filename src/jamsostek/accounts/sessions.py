"""Sessions in the database, read with one plain statement.

Every request of a logged-in user reads its session, then its user (``ThrottledModelBackend.get_user``).
Django builds both queries through the ORM on every request: about 0.3 ms each of compiling SQL that
never changes (measured on the benchmark province, PostgreSQL, one process, no load; a page of the
API costs 4 to 10 ms in all). Both now run as fixed statements; everything else is Django's own
database session store (writes, expiry, ``clearsessions``, cycling the key at login).
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        """The session's data, or nothing (and no key) when it does not exist or has expired, as
        Django's ``load`` answers."""
        database = connections[router.db_for_read(self.model)]
        table = database.ops.quote_name(self.model._meta.db_table)
        with database.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        data: dict[str, Any] = self.decode(row[0])
        return data
