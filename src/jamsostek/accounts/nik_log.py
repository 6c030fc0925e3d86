"""Who saw which person's full NIK: the one way a NIK is put in front of a user.

UU 27/2022 on personal data protection gives a person the right to know who processed their
data. Every place that shows a person's NIK to a user asks this module for the text to show: the
full NIK for a role that sees it (``Policy.sees_nik``), recorded as one ``NikDisclosure`` (who,
which person, when, where), or the masked NIK, recorded nowhere. The records of one answer are
written in one statement, however many persons it shows (a page of 500 persons is one insert).

Two ways to call it:

- ``nik_shown(user, [(person_id, nik), ...], where)`` when the persons are at hand: returns
  ``{person_id: text to show}`` and records at once;
- ``Disclosures(user, where)`` when the NIKs are shown one at a time (a page's column, an import's
  warnings): ``.nik(person_id, nik)`` gives each text, ``.save()`` records them all at the end.

``where`` names the place: ``api:<path>`` (``api:/api/registry/persons/12``), ``admin:<path>``,
``import:<kind>:<batch>``. Where it is called: the registry API's person answers
(``registry/api.py``), the back office's person list and form (``registry/admin.py``) and audit
records (``core/admin.py``), and the persons import's duplicate warnings
(``registry/bulk/persons.py``, ``registry/bulk/whole_file.py``).

Administrators read the records in the back office (``/admin/accounts/nikdisclosure/``, read-only),
for one person from that person's page; ``seen_by`` gives them to other readers (the policy's
``SEE_AUDIT``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from jamsostek.accounts.models import NikDisclosure
from jamsostek.accounts.policy import Action, Policy, for_user, mask_nik
from jamsostek.core.audit import actor_label

TABLE = NikDisclosure._meta.db_table
COLUMNS = ("at", "user_id", "user_label", "person_id", "location")
ROWS_PER_INSERT = 1_000  # persons' ids per statement (an export shows thousands)


class Disclosures:
    """The NIKs one answer shows to one user, recorded together by ``save``.

    ``user`` is the one who sees them (a user, or None for the system: a command run without
    ``--user``); ``policy`` overrides the user's policy where the caller already has it (an import
    run by the system)."""

    def __init__(self, user: Any, where: str, *, policy: Policy | None = None) -> None:
        self.policy = policy or for_user(user)
        self.user_id = getattr(user, "pk", None) if not isinstance(user, Policy) else None
        self.user_label = actor_label(None if isinstance(user, Policy) else user)
        self.where = where[:200]
        self.pending: dict[int, None] = {}  # person ids, in order, each once

    def nik(self, person_id: int, nik: str) -> str:
        """The NIK of person ``person_id`` as this user may see it; a full NIK is recorded."""
        if not self.policy.sees_nik:
            return mask_nik(nik)
        self.pending[int(person_id)] = None
        return nik

    def save(self) -> int:
        """Record every full NIK shown since the last ``save``, in one statement; returns how many."""
        if not self.pending:
            return 0
        person_ids = list(self.pending)
        self.pending = {}
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        postgresql = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            for start in range(0, len(person_ids), ROWS_PER_INSERT):
                chunk = person_ids[start : start + ROWS_PER_INSERT]
                ids: Any = chunk if postgresql else json.dumps(chunk)
                cursor.execute(_insert(postgresql), [now, self.user_id, self.user_label, self.where, ids])
        return len(person_ids)


@functools.cache
def _insert(postgresql: bool) -> str:
    """The NIK log's insert: the values every record of an answer shares once, and the persons' ids
    as one array (PostgreSQL) or one JSON list (SQLite), in the order shown. Five parameters however
    many persons, so the driver parses the same short statement each time: 50 rows as 250
    parameters took psycopg a tenth of a page's CPU to split and quote."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in COLUMNS)
    shown = (
        "unnest(CAST(%s AS bigint[])) WITH ORDINALITY AS shown(person, place)"
        if postgresql
        else "(SELECT value AS person, key AS place FROM json_each(%s)) AS shown"
    )
    return f"INSERT INTO {quote(TABLE)} ({names}) SELECT %s, %s, %s, shown.person, %s FROM {shown} ORDER BY shown.place"


def nik_shown(user: Any, persons: Iterable[tuple[int, str]], where: str) -> dict[int, str]:
    """What to show of each person's NIK to ``user`` at ``where``: ``{person_id: NIK or masked NIK}``.

    Full NIKs are recorded (one insert for all of them); masked ones are not. Example, for an API
    answer::

        shown = nik_shown(request.user, [(p.pk, p.nik) for p in page], f"api:{request.path}")
        items = [{"id": p.pk, "nik": shown[p.pk], ...} for p in page]
    """
    disclosures = Disclosures(user, where)
    shown = {int(person_id): disclosures.nik(person_id, nik) for person_id, nik in persons}
    disclosures.save()
    return shown


def seen_by(*, person_id: int, visible_to: Any) -> QuerySet[NikDisclosure]:
    """Who saw this person's full NIK, newest first: for those who may read audit records."""
    for_user(visible_to).require(Action.SEE_AUDIT)
    return NikDisclosure.objects.filter(person_id=person_id).order_by("-id")
