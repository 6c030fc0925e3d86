"""Every write to the registry goes through these functions (the back office, the API, the CLI, the
import pages and the synthetic province alike).

Each takes the acting user (``None``: the system itself) and a reason, validates
(``validation``), asks the access policy whether the actor may make the change given the record
before and after it (``accounts.policy``), writes, and leaves an audit record. Invalid input raises
``InvalidField`` naming the field; a record outside the actor's reach answers ``NotFound``; a change
the actor may not make answers ``Forbidden``.

| Entity              | Services                                                     |
|---------------------|--------------------------------------------------------------|
| persons             | ``person_register``, ``person_update``                       |
| employers           | ``employer_register``, ``employer_update``                   |
| sponsor programs    | ``sponsor_program_create``                                   |
| projects            | ``project_create``                                           |
| memberships, wages  | ``membership_enrol``, ``membership_end``, ``membership_report_wage`` |
| files of any of them| ``import_file`` (row by row, or the whole-file fast path)    |
"""

from jamsostek.registry.services.employers import BILLING_FACTS, employer_register, employer_update
from jamsostek.registry.services.imports import import_file
from jamsostek.registry.services.memberships import membership_end, membership_enrol, membership_report_wage
from jamsostek.registry.services.persons import person_register, person_update
from jamsostek.registry.services.programs import project_create, sponsor_program_create
from jamsostek.registry.services.validation import (
    EmployerFacts,
    ProjectFacts,
    SponsorFacts,
    clean_employer,
    clean_person,
    district_codes,
    membership_defaults,
    region_codes,
)

__all__ = [
    "BILLING_FACTS",
    "EmployerFacts",
    "ProjectFacts",
    "SponsorFacts",
    "clean_employer",
    "clean_person",
    "district_codes",
    "employer_register",
    "employer_update",
    "import_file",
    "membership_defaults",
    "membership_end",
    "membership_enrol",
    "membership_report_wage",
    "person_register",
    "person_update",
    "project_create",
    "region_codes",
    "sponsor_program_create",
]
