"""The log of who saw which person's full NIK (``accounts.nik_log``): every full NIK shown, by the
API, the back office or an import's warnings, is recorded (who, whose, when, where), a masked one
is not, a page of persons is one insert, and administrators read the log, per person too."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jamsostek.accounts import nik_log
from jamsostek.accounts.models import NikDisclosure
from jamsostek.accounts.nik_log import nik_shown, seen_by
from jamsostek.core.errors import Forbidden
from jamsostek.core.models import AuditRecord
from jamsostek.registry.models import Person
from jamsostek.registry.services import import_file
from tests.conftest import Personas, World


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def inserts(queries: CaptureQueriesContext) -> int:
    """How many statements wrote to the NIK log (an ``executemany`` of N rows is N statements: Django
    records it as one query, ``N times: INSERT ...``)."""
    counted = 0
    for query in queries:
        if "INSERT INTO" in query["sql"] and "accounts_nikdisclosure" in query["sql"]:
            times = re.match(r"^(\d+) times: ", query["sql"])
            counted += int(times.group(1)) if times else 1
    return counted


@pytest.fixture
def many(world: World, tmp_path: Path) -> list[Person]:
    """120 more persons in Ketapang, imported as one file (their NIKs 6104015708901001 ...)."""
    lines = ["nik,name,birth_date,sex,district_code"]
    lines += [f"61040157089{1000 + number:05d},Warga {number},1990-08-17,P,61.04.01" for number in range(1, 121)]
    path = tmp_path / "persons.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    report = import_file(actor=None, kind="persons", path=path, reason="test setup")
    assert report.applied, report.rows[:3]
    return list(Person.objects.filter(name__startswith="Warga "))


def test_a_full_nik_in_an_api_answer_is_recorded_and_a_masked_one_is_not(personas: Personas, world: World) -> None:
    worker = world.ketapang_worker
    path = f"/api/registry/persons/{worker.pk}"
    assert client_for(personas.bpjs).get(path).json()["nik"] == worker.nik
    record = NikDisclosure.objects.get()
    assert (record.user, record.user_label, record.person, record.location) == (
        personas.bpjs, "bpjs", worker, f"api:{path}"
    )  # fmt: skip
    for masked in (personas.analyst, personas.ketapang):
        assert client_for(masked).get(path).json()["nik"] == "610401**********"
    assert NikDisclosure.objects.count() == 1


def test_a_page_of_persons_from_the_api_is_one_insert_of_one_record_each(
    personas: Personas, many: list[Person]
) -> None:
    with CaptureQueriesContext(connection) as queries:
        answer = client_for(personas.bpjs).get("/api/registry/persons", {"limit": 100, "offset": 10}).json()
    shown = {item["id"] for item in answer["items"]}
    assert len(shown) == 100
    assert answer["count"] == 123
    assert inserts(queries) == 1
    assert set(NikDisclosure.objects.values_list("person_id", flat=True)) == shown  # the page, not the list
    assert set(NikDisclosure.objects.values_list("location", flat=True)) == {"api:/api/registry/persons"}
    with CaptureQueriesContext(connection) as queries:
        client_for(personas.analyst).get("/api/registry/persons", {"limit": 100})
    assert inserts(queries) == 0
    assert NikDisclosure.objects.count() == 100


def test_many_niks_shown_at_once_are_one_insert_per_thousand_rows(
    personas: Personas, many: list[Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nik_log, "ROWS_PER_INSERT", 50)
    with CaptureQueriesContext(connection) as queries:
        nik_shown(personas.admin, [(person.pk, person.nik) for person in many], "api:/api/test")
    assert len(many) == 120
    assert inserts(queries) == 3  # 50 + 50 + 20
    assert NikDisclosure.objects.count() == 120


def test_five_hundred_niks_shown_at_once_are_one_insert(personas: Personas, many: list[Person]) -> None:
    persons = [(person.pk, person.nik) for person in many] * 4 + [(p.pk, p.nik) for p in Person.objects.all()][:20]
    assert len(persons) == 500
    with CaptureQueriesContext(connection) as queries:
        shown = nik_shown(personas.admin, persons, "api:/api/test")
    assert inserts(queries) == 1
    assert shown == dict(persons)
    assert NikDisclosure.objects.count() == len(shown) == 123  # one record per person shown, however often
    with CaptureQueriesContext(connection) as queries:
        masked = nik_shown(personas.analyst, persons, "api:/api/test")
    assert len(queries) == 0
    assert all("********" in nik for nik in masked.values())


def test_the_back_office_list_and_form_record_what_they_show(personas: Personas, many: list[Person]) -> None:
    with CaptureQueriesContext(connection) as queries:
        page = client_for(personas.bpjs).get("/admin/registry/person/")
    assert page.status_code == 200
    assert inserts(queries) == 1
    listed = set(NikDisclosure.objects.values_list("person_id", flat=True))
    assert len(listed) == 100  # the first page of 123
    assert all(Person.objects.get(pk=pk).nik in page.content.decode() for pk in list(listed)[:5])
    assert set(NikDisclosure.objects.values_list("location", flat=True)) == {"admin:/admin/registry/person/"}
    NikDisclosure.objects.all().delete()
    person = many[0]
    form = client_for(personas.bpjs).get(f"/admin/registry/person/{person.pk}/change/")
    assert person.nik in form.content.decode()
    record = NikDisclosure.objects.get()
    assert (record.person, record.location) == (person, f"admin:/admin/registry/person/{person.pk}/change/")
    for masked in (personas.analyst, personas.ketapang):
        client_for(masked).get("/admin/registry/person/")
        client_for(masked).get(f"/admin/registry/person/{person.pk}/change/")
    assert NikDisclosure.objects.count() == 1


@pytest.mark.parametrize("fast_path", [True, False])
def test_an_import_warning_that_shows_a_registered_persons_nik_is_recorded_even_in_a_dry_run(
    personas: Personas, world: World, tmp_path: Path, fast_path: bool
) -> None:
    path = tmp_path / "persons.csv"  # another NIK with the name and birth date of Siti Aminah
    path.write_text("nik,name,birth_date,sex,district_code\n6104015708900009,Siti Aminah,1990-08-17,P,61.04.01\n")
    report = import_file(actor=personas.bpjs, kind="persons", path=path, reason="check", dry_run=True,
                         fast_path=fast_path)  # fmt: skip
    assert report.method == ("whole-file" if fast_path else "row-by-row")
    assert world.ketapang_worker.nik in report.rows[0].warnings[0]
    record = NikDisclosure.objects.get()
    assert (record.user, record.person) == (personas.bpjs, world.ketapang_worker)
    assert record.location == f"import:persons:{report.batch}"
    masked = import_file(actor=personas.ketapang, kind="persons", path=path, reason="check", dry_run=True,
                         fast_path=fast_path)  # fmt: skip
    assert "610401**********" in masked.rows[0].warnings[0]
    assert NikDisclosure.objects.count() == 1


def test_an_audit_record_showing_a_persons_nik_is_recorded(personas: Personas, world: World) -> None:
    record = AuditRecord.objects.get(entity="registry.person", entity_id=str(world.nurse.pk))
    page = client_for(personas.admin).get(f"/admin/core/auditrecord/{record.pk}/change/")
    assert world.nurse.nik in page.content.decode()
    shown = NikDisclosure.objects.get()
    assert (shown.user, shown.person) == (personas.admin, world.nurse)


def test_a_persons_audit_trail_through_the_api_is_recorded_as_showing_their_nik(
    personas: Personas, world: World
) -> None:
    trail = client_for(personas.admin).get(f"/api/audit/registry.person/{world.nurse.pk}")
    assert trail.status_code == 200
    assert world.nurse.nik in trail.content.decode()
    shown = NikDisclosure.objects.get()
    assert (shown.user, shown.person, shown.location) == (
        personas.admin,
        world.nurse,
        f"api:/api/audit/registry.person/{world.nurse.pk}",
    )


def test_administrators_read_who_saw_a_persons_nik(personas: Personas, world: World) -> None:
    worker = world.ketapang_worker
    client_for(personas.bpjs).get(f"/api/registry/persons/{worker.pk}")
    client_for(personas.agency).get(f"/api/registry/persons/{world.nurse.pk}")
    admin = client_for(personas.admin)
    form = admin.get(f"/admin/registry/person/{worker.pk}/change/").content.decode()
    link = f"/admin/accounts/nikdisclosure/?person__id__exact={worker.pk}"
    assert link in form  # the person's page links to who saw their NIK
    assert link not in client_for(personas.bpjs).get(f"/admin/registry/person/{worker.pk}/change/").content.decode()
    listed = admin.get(link)
    assert listed.status_code == 200
    rows = list(listed.context["cl"].result_list)
    assert {(row.user_label, row.person_id) for row in rows} == {("bpjs", worker.pk), ("admin", worker.pk)}
    by_nik = admin.get("/admin/accounts/nikdisclosure/", {"q": world.nurse.nik})
    assert [row.user_label for row in by_nik.context["cl"].result_list] == ["agency"]
    assert client_for(personas.bpjs).get(link).status_code == 403
    # newest first: the BPJS officer's form, the administrator's form, the BPJS officer's API answer
    assert [row.user_label for row in seen_by(person_id=worker.pk, visible_to=personas.admin)] == [
        "bpjs", "admin", "bpjs"
    ]  # fmt: skip
    with pytest.raises(Forbidden):
        seen_by(person_id=worker.pk, visible_to=personas.bpjs)


def test_the_log_locks_no_person_and_still_keeps_its_persons(personas: Personas, world: World) -> None:
    """The log's person and user are not foreign keys in the database (a key locked every person
    shown, on PostgreSQL), yet a person or user the log names cannot be deleted through the ORM."""
    from django.db.models import ProtectedError

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, NikDisclosure._meta.db_table)
    assert not [name for name, constraint in constraints.items() if constraint["foreign_key"]], constraints
    client_for(personas.bpjs).get(f"/api/registry/persons/{world.ketapang_worker.pk}")
    assert NikDisclosure.objects.filter(person_id=world.ketapang_worker.pk, user_id=personas.bpjs.pk).count() == 1
    with pytest.raises(ProtectedError) as refused:
        Person.objects.filter(pk=world.ketapang_worker.pk).delete()
    assert any(isinstance(record, NikDisclosure) for record in refused.value.protected_objects)
    with pytest.raises(ProtectedError) as refused:
        personas.bpjs.delete()
    assert any(isinstance(record, NikDisclosure) for record in refused.value.protected_objects)


def test_the_records_of_one_answer_follow_the_order_shown(personas: Personas, many: list[Person]) -> None:
    """One statement, whatever the number of persons (their ids as one array or JSON list): the records
    keep the order in which the answer showed the persons, and share who, when and where."""
    shown = sorted(many, key=lambda person: person.nik, reverse=True)[:77]
    with CaptureQueriesContext(connection) as queries:
        nik_shown(personas.bpjs, [(person.pk, person.nik) for person in shown], "api:/api/registry/persons")
    assert inserts(queries) == 1
    records = list(NikDisclosure.objects.order_by("id"))
    assert [record.person_id for record in records] == [person.pk for person in shown]
    assert {(record.user_id, record.user_label, record.location, record.at) for record in records} == {
        (personas.bpjs.pk, "bpjs", "api:/api/registry/persons", records[0].at)
    }
