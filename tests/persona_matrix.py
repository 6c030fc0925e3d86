"""Who gets what: the answer every page and API operation SHOULD give, per persona.

The one table of the access rules (README, "Access and audit"), read by ``tests/test_persona_matrix.py``,
which sends every row's request as every persona and compares the status code. Every URL pattern of
the web app and every operation of the OpenAPI schema needs at least one row here, and every row must
still match one, so a new page or endpoint fails the suite until someone writes down who may use it.

A row: the method; the path as the route is written (an API operation as in the OpenAPI schema,
``/api/registry/persons/{person_id}``; a page as its Django URL pattern,
``/admin/registry/person/<path:object_id>/change/``, a regular expression's named groups shown as
``<name>``); ``at``, the records that fill the path's parameters in order (named in
``test_persona_matrix.RECORDS``: world records such as ``ketapang_worker``, region codes, literal
parts such as ``persons``); the expected status for each persona; and, where needed, the payload a
POST sends (named in ``test_persona_matrix.PAYLOADS``) and a query string. A route may have several
rows, e.g. one for a Ketapang record and one for a Sambas record.

The personas (``tests/conftest.py``), in column order:

| column      | who                                                                              |
|-------------|----------------------------------------------------------------------------------|
| `anonymous` | not logged in                                                                    |
| `admin`     | administrator (superuser)                                                        |
| `bpjs`      | BPJS officer                                                                     |
| `analyst`   | provincial analyst: sees everything, NIK masked, changes nothing                 |
| `ketapang`  | regency officer of Kab. Ketapang (61.04)                                         |
| `sambas`    | regency officer of Kab. Sambas (61.01)                                           |
| `agency`    | administrator of Dinas Kesehatan Ketapang, whose staff is the nurse (`honorary`) |
| `outsider`  | regency officer of Sambas without the staff flag (no back office)                |
| `key`       | an API key of Ketapang's regency officer: the officer's answers from the API, a visitor's from the pages |

The rules the numbers follow:

- Every page and API call needs login except the login page and the language switch: a visitor
  gets 302 to the login page, or 401 (JSON) from the API.
- Administrators and BPJS officers see and change everything; provincial analysts see everything
  but change nothing (403); a regency officer sees their regency's records only, an agency
  administrator their own staff (and their employer's records and bills): another's record does
  not exist for them (404 from the API; the back office answers a record it does not show with its
  redirect to the index, 302, exactly as for a record that does not exist).
- A change to a record outside the user's reach answers 404 (it does not exist for them); a change
  that would put a record outside their reach (registering a person in another regency, moving one
  there) answers 403 naming the field; a role that may not write at all answers 403
  (``accounts.policy.Policy.require_change``).
- Billing runs and payments are posted by province-wide editors only (administrators, BPJS
  officers); coverage is for the province-wide roles (the province) and regency officers (their
  regency, 403 for another's: regions are public, their figures are not); agency administrators
  have no coverage figures (403; the computed months, an empty list of denominators and the
  province's published targets, which are public, are answered to every logged-in user).
- The back office is for staff with a role scope (302 to its login page otherwise); audit records,
  the log of who saw which full NIK, users, groups and login lockouts for administrators only; denominators, targets and computations for
  province-wide roles (analysts read them, not change them); province-wide records (billing runs)
  not for regency officers or agencies; nobody adds or deletes what only services write, and nobody
  deletes a user (deactivate instead: audit records name them).
<<<<<<< ours
- Claims (``accounts.policy``, claims): every role sees the claims of its reach (another's does not
  exist: 404); regency officers and agency administrators take claims in and receive documents,
  BPJS officers and administrators verify, decide and pay; the officer who verified a claim may not
  decide or correct it (403: the BPJS officer verified the world's claims, the administrator
  decides); provincial analysts read claims but not their documents' files (403); claim
  statistics follow the coverage's reach (the province for province-wide roles, a regency for its
  officer, none for agencies).
=======
- Enrolment drives: lists of names, funded programs and drives are scoped like the registry (a
  regency's are its officer's, an agency's or village's its own); everyone but analysts prepares,
  administrators, BPJS officers and regency officers also approve and enrol (the world's programs
  are prepared at every level and approved at the regency's or the province's), analysts plan;
  who may pay for whom is public. A step the drive's state does not allow (approving an approved
  drive) answers 409.
>>>>>>> theirs
- Every API answer of 400 or more is JSON ``{"detail", "field", "code"}`` (the test checks this
  for every row under ``/api/``, whatever the status).
"""

from __future__ import annotations

from typing import NamedTuple

PERSONAS = ("anonymous", "admin", "bpjs", "analyst", "ketapang", "sambas", "agency", "outsider", "key")


class Row(NamedTuple):
    method: str
    path: str
    at: tuple[str, ...]
    anonymous: int
    admin: int
    bpjs: int
    analyst: int
    ketapang: int
    sambas: int
    agency: int
    outsider: int
    key: int
    payload: str | None = None
    query: str = ""


# fmt: off
ROWS = (
    # --- pages -----------------------------------------------------------------------------------------------------
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out  key
    Row("GET",  "/",                                               (),                                302, 302, 302, 302, 302, 302, 200, 302, 302),
    Row("GET",  "/login/",                                         (),                                200, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("POST", "/login/",                                         (),                                302, 302, 302, 302, 302, 302, 302, 302, 302, payload="login"),
    Row("POST", "/logout/",                                        (),                                302, 302, 302, 302, 302, 302, 302, 302, 302),
    Row("POST", "/i18n/setlang/",                                  (),                                302, 302, 302, 302, 302, 302, 302, 302, 302, payload="english"),
    Row("GET",  "/registry/import/",                               (),                                302, 200, 200, 403, 200, 200, 200, 200, 302),
    Row("POST", "/registry/import/",                               (),                                302, 200, 200, 403, 200, 200, 200, 200, 302, payload="persons_file"),
    # a user's own last upload report; another user's is never given (only Ketapang's officer uploaded)
    Row("GET",  "/registry/import/report/<str:kind>/",             ("ketapang_upload",),              302, 404, 404, 404, 200, 404, 404, 404, 302),
    Row("GET",  "/registry/templates/<str:kind>.<str:extension>",  ("persons", "csv"),                302, 200, 200, 200, 200, 200, 200, 200, 302),
    Row("GET",  "/registry/templates/<str:kind>.<str:extension>",  ("memberships", "xlsx"),           302, 200, 200, 200, 200, 200, 200, 200, 302),
    # the dashboard sends a regency officer to their regency's page
    Row("GET",  "/coverage/",                                      (),                                302, 200, 200, 200, 302, 302, 403, 302, 302),
    Row("GET",  "/coverage/export.xlsx",                           (),                                302, 200, 200, 200, 200, 200, 403, 200, 302),
    Row("GET",  "/coverage/report.pdf",                            (),                                302, 200, 200, 200, 200, 200, 403, 200, 302),
    Row("GET",  "/coverage/<str:code>/",                           ("61",),                           302, 302, 302, 302, 302, 302, 302, 302, 302),
    Row("GET",  "/coverage/<str:code>/",                           ("61.04",),                        302, 200, 200, 200, 200, 403, 403, 403, 302),
    Row("GET",  "/coverage/<str:code>/",                           ("61.01",),                        302, 200, 200, 200, 403, 200, 403, 200, 302),
    Row("GET",  "/coverage/<str:code>/",                           ("61.04.01",),                     302, 404, 404, 404, 404, 404, 404, 404, 302),
    # claims: the queues for everyone who sees claims; taking one in for those who take claims; a record
    # of another regency answers 404; a form whose participant the user may not see shows the reason (200)
    Row("GET",  "/claims/",                                        (),                                302, 200, 200, 200, 200, 200, 200, 200, 302),
    Row("GET",  "/claims/new/",                                    (),                                302, 200, 200, 403, 200, 200, 200, 200, 302),
    Row("POST", "/claims/new/",                                    (),                                302, 302, 302, 403, 302, 200, 200, 200, 302, payload="ketapang_claim"),
    Row("GET",  "/claims/<int:pk>/",                               ("ketapang_claim",),               302, 200, 200, 200, 200, 404, 404, 404, 302),
    Row("GET",  "/claims/<int:pk>/",                               ("nurse_claim",),                  302, 200, 200, 200, 200, 404, 200, 404, 302),
    Row("GET",  "/claims/<int:pk>/documents/<int:document_id>/",   ("ketapang_claim", "ketapang_document"), 302, 200, 200, 403, 200, 404, 404, 404, 302),
    Row("POST", "/claims/<int:pk>/<str:step>/",                    ("ketapang_claim", "verify-document"), 302, 302, 302, 403, 403, 404, 404, 404, 302, payload="checked_ktp"),
    Row("GET",  "/claims/<int:pk>/<str:step>/",                    ("ketapang_claim", "verify-document"), 302, 302, 302, 302, 302, 404, 404, 404, 302),
    # claim statistics follow the coverage's reach: a regency officer sees their regency's by default
    Row("GET",  "/claims/statistics/",                             (),                                302, 200, 200, 200, 200, 200, 403, 200, 302),
    Row("GET",  "/claims/statistics/",                             (),                                302, 200, 200, 200, 200, 403, 403, 403, 302, query="region=61.04&year=2025"),
    Row("GET",  "/claims/statistics.xlsx",                         (),                                302, 200, 200, 200, 200, 200, 403, 200, 302),
    Row("GET",  "/claims/statistics.pdf",                          (),                                302, 200, 200, 200, 200, 200, 403, 200, 302),
    # the API's own pages
    Row("GET",  "/api/",                                           (),                                401, 404, 404, 404, 404, 404, 404, 404, 404),
    Row("GET",  "/api/openapi.json",                               (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("GET",  "/api/docs",                                       (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),

    # --- API: registry ---------------------------------------------------------------------------------------------
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out  key
    Row("GET",  "/api/registry/regions",                           (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("GET",  "/api/registry/persons",                           (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("POST", "/api/registry/persons",                           (),                                401, 201, 201, 403, 201, 403, 403, 403, 201, payload="ketapang_person"),
    Row("POST", "/api/registry/persons",                           (),                                401, 201, 201, 403, 403, 201, 403, 201, 403, payload="sambas_person"),
    Row("GET",  "/api/registry/persons/{person_id}",               ("ketapang_worker",),              401, 200, 200, 200, 200, 404, 404, 404, 200),
    Row("GET",  "/api/registry/persons/{person_id}",               ("sambas_worker",),                401, 200, 200, 200, 404, 200, 404, 200, 404),
    Row("GET",  "/api/registry/persons/{person_id}",               ("nurse",),                        401, 200, 200, 200, 200, 404, 200, 404, 200),
    # another regency's person answers as one that does not exist
    Row("GET",  "/api/registry/persons/{person_id}",               ("missing",),                      401, 404, 404, 404, 404, 404, 404, 404, 404),
    Row("GET",  "/api/registry/employers",                         (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("GET",  "/api/registry/memberships",                       (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("POST", "/api/registry/memberships",                       (),                                401, 201, 201, 403, 201, 404, 404, 404, 201, payload="bpu_for_ketapang_worker"),
    Row("POST", "/api/registry/memberships/{membership_id}/end",   ("pu",),                           401, 200, 200, 403, 200, 404, 404, 404, 200, payload="end"),
    Row("POST", "/api/registry/memberships/{membership_id}/end",   ("honorary",),                     401, 200, 200, 403, 200, 404, 200, 404, 200, payload="end"),
    Row("GET",   "/api/registry/persons/{person_id}/memberships"        , ("ketapang_worker",)              , 401, 200, 200, 200, 200, 404, 404, 404, 200),
    Row("GET",   "/api/registry/persons/{person_id}/memberships"        , ("nurse",)                        , 401, 200, 200, 200, 200, 404, 200, 404, 200),
    # a person's details: a regency officer changes their own regency's; an agency sees its staff but changes memberships only
    Row("PATCH", "/api/registry/persons/{person_id}"                    , ("ketapang_worker",)              , 401, 200, 200, 403, 200, 404, 404, 404, 200, payload="new_phone"),
    Row("PATCH", "/api/registry/persons/{person_id}"                    , ("nurse",)                        , 401, 200, 200, 403, 200, 404, 403, 404, 200, payload="new_phone"),
    # moving a person out of the officer's regency is refused (the field that moved it is named)
    Row("PATCH", "/api/registry/persons/{person_id}"                    , ("ketapang_worker",)              , 401, 200, 200, 403, 403, 404, 404, 404, 403, payload="to_sambas_district"),
    Row("GET",   "/api/registry/employers/{employer_id}"                , ("company",)                      , 401, 200, 200, 200, 200, 404, 404, 404, 200),
    Row("GET",   "/api/registry/employers/{employer_id}"                , ("agency",)                       , 401, 200, 200, 200, 200, 404, 200, 404, 200),
    Row("GET",   "/api/registry/employers/{employer_id}"                , ("sambas_company",)               , 401, 200, 200, 200, 404, 200, 404, 200, 404),
    Row("POST", "/api/registry/employers"                              , ()                                , 401, 201, 201, 403, 201, 403, 403, 403, 201, payload="ketapang_employer"),
    Row("PATCH", "/api/registry/employers/{employer_id}"                , ("company",)                      , 401, 200, 200, 403, 200, 404, 404, 404, 200, payload="renamed"),
    Row("PATCH", "/api/registry/employers/{employer_id}"                , ("agency",)                       , 401, 200, 200, 403, 200, 404, 200, 404, 200, payload="renamed"),
    Row("PATCH", "/api/registry/employers/{employer_id}"                , ("company",)                      , 401, 200, 200, 403, 403, 404, 404, 404, 403, payload="to_sambas_region"),
    Row("GET",   "/api/registry/memberships/{membership_id}"            , ("pu",)                           , 401, 200, 200, 200, 200, 404, 404, 404, 200),
    Row("GET",   "/api/registry/memberships/{membership_id}"            , ("honorary",)                     , 401, 200, 200, 200, 200, 404, 200, 404, 200),
    Row("GET",   "/api/registry/memberships/{membership_id}"            , ("sambas_pu",)                    , 401, 200, 200, 200, 404, 200, 404, 200, 404),
    Row("POST", "/api/registry/memberships/{membership_id}/wages"      , ("pu",)                           , 401, 201, 201, 403, 201, 404, 404, 404, 201, payload="raise"),
    Row("POST", "/api/registry/memberships/{membership_id}/wages"      , ("honorary",)                     , 401, 201, 201, 403, 201, 404, 201, 404, 201, payload="raise"),
    Row("GET",   "/api/registry/sponsor-programs"                       , ()                                , 401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("GET",   "/api/registry/sponsor-programs/{program_id}"          , ("ketapang_sponsor",)             , 401, 200, 200, 200, 200, 404, 404, 404, 200),
    Row("GET",   "/api/registry/sponsor-programs/{program_id}"          , ("sambas_sponsor",)               , 401, 200, 200, 200, 404, 200, 404, 200, 404),
    Row("POST", "/api/registry/sponsor-programs"                       , ()                                , 401, 201, 201, 403, 201, 403, 403, 403, 201, payload="ketapang_program"),
    Row("GET",   "/api/registry/projects"                               , ()                                , 401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("GET",   "/api/registry/projects/{project_id}"                  , ("ketapang_project",)             , 401, 200, 200, 200, 200, 404, 404, 404, 200),
    Row("GET",   "/api/registry/projects/{project_id}"                  , ("sambas_project",)               , 401, 200, 200, 200, 404, 200, 404, 200, 404),
    # a project of a contractor the user may not see: the contractor does not exist for them (404, field npp)
    Row("POST", "/api/registry/projects"                               , ()                                , 401, 201, 201, 403, 201, 404, 404, 404, 201, payload="ketapang_project_new"),

    # --- API: contributions ----------------------------------------------------------------------------------------
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out  key
    Row("GET",  "/api/contributions/bills",                        (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("GET",  "/api/contributions/bills/{bill_id}",              ("ketapang_bill",),                401, 200, 200, 200, 200, 404, 404, 404, 200),
    Row("GET",  "/api/contributions/bills/{bill_id}",              ("sambas_bill",),                  401, 200, 200, 200, 404, 200, 404, 200, 404),
    Row("GET",  "/api/contributions/bills/{bill_id}",              ("agency_bill",),                  401, 200, 200, 200, 200, 404, 200, 404, 200),
    Row("POST", "/api/contributions/billing-runs",                 (),                                401, 201, 201, 403, 403, 403, 403, 403, 403, payload="april_run"),
    Row("POST", "/api/contributions/payments",                     (),                                401, 201, 201, 403, 403, 403, 403, 403, 403, payload="agency_bill_payment"),
    Row("GET",   "/api/contributions/payments"                          , ()                                , 401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("GET",   "/api/contributions/payments/{payment_id}"             , ("ketapang_payment",)             , 401, 200, 200, 200, 200, 404, 404, 404, 200),
    Row("GET",   "/api/contributions/payments/{payment_id}"             , ("sambas_payment",)               , 401, 200, 200, 200, 404, 200, 404, 200, 404),
    Row("POST", "/api/contributions/payments/statement"                , ()                                , 401, 200, 200, 403, 403, 403, 403, 403, 403, payload="statement"),
    Row("GET",   "/api/contributions/persons/{person_id}/status"        , ("ketapang_worker",)              , 401, 200, 200, 200, 200, 404, 404, 404, 200, query="first=2025-01&last=2025-03"),
    Row("GET",   "/api/contributions/persons/{person_id}/status"        , ("nurse",)                        , 401, 200, 200, 200, 200, 404, 200, 404, 200, query="first=2025-01&last=2025-03"),
    Row("GET",  "/api/contributions/arrears",                      (),                                401, 200, 200, 200, 200, 200, 403, 200, 200),
    Row("GET",  "/api/contributions/memberships/{membership_id}/status", ("pu",),                     401, 200, 200, 200, 200, 404, 404, 404, 200, query="first=2025-01&last=2025-03"),
    Row("GET",  "/api/contributions/memberships/{membership_id}/status", ("honorary",),               401, 200, 200, 200, 200, 404, 200, 404, 200, query="first=2025-01&last=2025-03"),
    Row("GET",  "/api/contributions/sponsor-budgets",              (),                                401, 200, 200, 200, 200, 200, 403, 200, 200),
    Row("GET",  "/api/contributions/cohort-cost",                  (),                                401, 200, 200, 200, 200, 200, 200, 200, 200, query="workers=10&months=12&first_month=2026-01"),


    # --- API: the audit trail of a record, administrators only --------------------------------------------------------
    Row("GET",   "/api/audit/{entity}/{entity_id}"                      , ("person_entity", "ketapang_worker"), 401, 200, 403, 403, 403, 403, 403, 403, 403),
    Row("GET",   "/api/audit/{entity}/{entity_id}"                      , ("person_entity", "missing")      , 401, 404, 403, 403, 403, 403, 403, 403, 403),

    # --- API: claims -----------------------------------------------------------------------------------------------
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out
    Row("GET",  "/api/claims",                                     (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("POST", "/api/claims",                                     (),                                401, 201, 201, 403, 201, 404, 404, 404, 201, payload="ketapang_claim"),
    Row("GET",  "/api/claims/{claim_id}",                          ("ketapang_claim",),               401, 200, 200, 200, 200, 404, 404, 404, 200),
    Row("GET",  "/api/claims/{claim_id}",                          ("sambas_claim",),                 401, 200, 200, 200, 404, 200, 404, 200, 404),
    Row("GET",  "/api/claims/{claim_id}",                          ("nurse_claim",),                  401, 200, 200, 200, 200, 404, 200, 404, 200),
    Row("POST", "/api/claims/{claim_id}/documents/{kind}",         ("ketapang_claim", "kk"),          401, 200, 200, 403, 200, 404, 404, 404, 200, payload="document_upload"),
    Row("POST", "/api/claims/{claim_id}/documents/{kind}",         ("nurse_claim", "ktp"),            401, 200, 200, 403, 200, 404, 200, 404, 200, payload="document_upload"),
    # the files of documents are for those who handle claims, not for the analysts
    Row("GET",  "/api/claims/{claim_id}/documents/{document_id}/file", ("ketapang_claim", "ketapang_document"), 401, 200, 200, 403, 200, 404, 404, 404, 200),
    Row("POST", "/api/claims/{claim_id}/documents/{kind}/verify",  ("ketapang_claim", "ktp"),         401, 200, 200, 403, 403, 404, 404, 404, 403, payload="checked"),
    Row("POST", "/api/claims/{claim_id}/documents/{kind}/return",  ("ketapang_claim", "ktp"),         401, 200, 200, 403, 403, 404, 404, 404, 403, payload="returned"),
    Row("POST", "/api/claims/{claim_id}/verify",                   ("complete_claim",),               401, 200, 200, 403, 403, 404, 404, 404, 403, payload="checked"),
    # the BPJS officer verified these claims: the administrator decides
    Row("POST", "/api/claims/{claim_id}/decisions",                ("verified_claim",),               401, 201, 403, 403, 403, 404, 404, 404, 403, payload="decision"),
    Row("POST", "/api/claims/{claim_id}/corrections",              ("approved_claim",),               401, 201, 403, 403, 403, 404, 404, 404, 403, payload="correction"),
    Row("POST", "/api/claims/{claim_id}/payments",                 ("approved_claim",),               401, 201, 201, 403, 403, 404, 404, 404, 403, payload="claim_payment"),
    Row("GET",  "/api/claims/statistics",                          (),                                401, 200, 200, 200, 403, 403, 403, 403, 403, query="year=2025"),
    Row("GET",  "/api/claims/statistics",                          (),                                401, 200, 200, 200, 200, 403, 403, 403, 200, query="year=2025&region=61.04&by=month"),
    Row("GET",  "/api/claims/statistics/years",                    (),                                401, 200, 200, 200, 403, 403, 403, 403, 403),
    Row("GET",  "/api/claims/statistics/years",                    (),                                401, 200, 200, 200, 403, 200, 403, 200, 403, query="region=61.01"),
    Row("GET",  "/api/claims/statistics/sponsors",                 (),                                401, 200, 200, 200, 403, 403, 403, 403, 403),
    Row("GET",  "/api/claims/statistics/sponsors",                 (),                                401, 200, 200, 200, 200, 403, 403, 403, 200, query="region=61.04"),
    Row("GET",  "/api/claims/checklist",                           (),                                401, 200, 200, 200, 200, 200, 200, 200, 200, query="program=jkk&event_kind=death&cause=road_accident"),

    # --- API: coverage ---------------------------------------------------------------------------------------------
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out  key
    Row("GET",  "/api/coverage/months",                            (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("GET",  "/api/coverage/summary",                           (),                                401, 200, 200, 200, 403, 403, 403, 403, 403),
    Row("GET",  "/api/coverage/regencies",                         (),                                401, 200, 200, 200, 403, 403, 403, 403, 403),
    Row("GET",  "/api/coverage/regions/{code}",                    ("61",),                           401, 200, 200, 200, 403, 403, 403, 403, 403),
    Row("GET",  "/api/coverage/regions/{code}",                    ("61.04",),                        401, 200, 200, 200, 200, 403, 403, 403, 200),
    Row("GET",  "/api/coverage/regions/{code}",                    ("61.01",),                        401, 200, 200, 200, 403, 200, 403, 200, 403),
    Row("GET",  "/api/coverage/regions/{code}",                    ("61.04.01",),                     401, 200, 200, 200, 200, 403, 403, 403, 200),
    Row("GET",  "/api/coverage/regions/{code}/trend",              ("61",),                           401, 200, 200, 200, 403, 403, 403, 403, 403),
    Row("GET",  "/api/coverage/regions/{code}/trend",              ("61.04",),                        401, 200, 200, 200, 200, 403, 403, 403, 200),
    Row("GET",  "/api/coverage/regions/{code}/trend",              ("61.01",),                        401, 200, 200, 200, 403, 200, 403, 200, 403),
    Row("GET",  "/api/coverage/denominators",                      (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("GET",  "/api/coverage/targets",                           (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),

    # --- API: enrolment drives -------------------------------------------------------------------------------------
    # who may pay for whom is public configuration; lists, programs and drives are scoped like the registry
    # (a regency's are its officer's, an agency's its own); preparing is for everyone but analysts, approving and
    # enrolling for province-wide editors and regency officers; planning for the roles that see coverage
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out
    Row("GET",  "/api/drives/funding-rules",                       (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("GET",  "/api/drives/fundings",                            (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("POST", "/api/drives/fundings",                            (),                                401, 201, 201, 403, 201, 404, 404, 404, 201, payload="fund_ketapang"),
    Row("GET",  "/api/drives/lists",                               (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("GET",  "/api/drives/lists/{list_id}",                     ("ketapang_list",),                401, 200, 200, 200, 200, 404, 404, 404, 200),
    Row("GET",  "/api/drives/lists/{list_id}",                     ("sambas_list",),                  401, 200, 200, 200, 404, 200, 404, 200, 404),
    Row("GET",  "/api/drives/lists/{list_id}",                     ("agency_list",),                  401, 200, 200, 200, 200, 404, 200, 404, 200),
    Row("GET",  "/api/drives/lists/{list_id}/candidates",          ("ketapang_list",),                401, 200, 200, 200, 200, 404, 404, 404, 200),
    Row("GET",  "/api/drives/lists/{list_id}/candidates",          ("agency_list",),                  401, 200, 200, 200, 200, 404, 200, 404, 200),
    Row("GET",  "/api/drives/drives",                              (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("POST", "/api/drives/drives",                              (),                                401, 201, 201, 403, 201, 404, 404, 404, 201, payload="prepare_ketapang"),
    Row("GET",  "/api/drives/drives/{drive_id}",                   ("awaiting_drive",),               401, 200, 200, 200, 200, 404, 404, 404, 200),
    Row("GET",  "/api/drives/drives/{drive_id}",                   ("sambas_drive",),                 401, 200, 200, 200, 404, 200, 404, 200, 404),
    Row("GET",  "/api/drives/drives/{drive_id}/members",           ("awaiting_drive",),               401, 200, 200, 200, 200, 404, 404, 404, 200),
    Row("POST", "/api/drives/drives/{drive_id}/approve",           ("awaiting_drive",),               401, 200, 200, 403, 200, 404, 404, 404, 200, payload="step"),
    Row("POST", "/api/drives/drives/{drive_id}/approve",           ("sambas_drive",),                 401, 200, 200, 403, 404, 200, 404, 200, 404, payload="step"),
    Row("POST", "/api/drives/drives/{drive_id}/reject",            ("awaiting_drive",),               401, 200, 200, 403, 200, 404, 404, 404, 200, payload="step"),
    # approving an approved drive, enrolling one that awaits approval: a conflict with its state
    Row("POST", "/api/drives/drives/{drive_id}/approve",           ("approved_drive",),               401, 409, 409, 403, 409, 404, 404, 404, 409, payload="step"),
    Row("POST", "/api/drives/drives/{drive_id}/enrol",             ("approved_drive",),               401, 200, 200, 403, 200, 404, 404, 404, 200, payload="step"),
    Row("POST", "/api/drives/drives/{drive_id}/enrol",             ("awaiting_drive",),               401, 409, 409, 403, 409, 404, 404, 404, 409, payload="step"),
    Row("POST", "/api/drives/drives/{drive_id}/renew",             ("enrolled_drive",),               401, 201, 201, 403, 201, 404, 404, 404, 201, payload="renew_ketapang"),
    Row("GET",  "/api/drives/renewals",                            (),                                401, 200, 200, 200, 200, 200, 200, 200, 200),
    Row("GET",  "/api/drives/plan/budget",                         (),                                401, 200, 200, 200, 403, 403, 403, 403, 403, query="region=61&budget=1000000000&year=2025"),
    Row("GET",  "/api/drives/plan/budget",                         (),                                401, 200, 200, 200, 200, 403, 403, 403, 200, query="region=61.04&budget=1000000000&year=2025"),
    Row("GET",  "/api/drives/plan/target",                         (),                                401, 200, 200, 200, 200, 200, 403, 200, 200, query="year=2025"),

    # --- pages: enrolment drives ------------------------------------------------------------------------------------
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out
    Row("GET",  "/drives/",                                        (),                                302, 200, 200, 200, 200, 200, 200, 200, 302),
    Row("GET",  "/drives/lists/import/",                           (),                                302, 200, 200, 403, 200, 200, 200, 200, 302),
    # a Sambas officer has no Ketapang among the regions to choose (the form answers again); an agency must name
    # itself as the list's owner
    Row("POST", "/drives/lists/import/",                           (),                                302, 302, 302, 403, 302, 200, 403, 200, 302, payload="list_file"),
    Row("GET",  "/drives/lists/template.<str:extension>",          ("csv",),                          302, 200, 200, 200, 200, 200, 200, 200, 302),
    Row("GET",  "/drives/lists/template.<str:extension>",          ("xlsx",),                         302, 200, 200, 200, 200, 200, 200, 200, 302),
    Row("GET",  "/drives/lists/<int:pk>/",                         ("ketapang_list",),                302, 200, 200, 200, 200, 404, 404, 404, 302),
    Row("GET",  "/drives/lists/<int:pk>/",                         ("agency_list",),                  302, 200, 200, 200, 200, 404, 200, 404, 302),
    Row("GET",  "/drives/lists/<int:pk>/report.csv",               ("ketapang_list",),                302, 200, 200, 200, 200, 404, 404, 404, 302),
    Row("GET",  "/drives/new/",                                    (),                                302, 200, 200, 403, 200, 200, 200, 200, 302),
    # the program is not among those a Sambas officer or an agency may choose: the form answers again
    Row("POST", "/drives/new/",                                    (),                                302, 302, 302, 403, 302, 200, 200, 200, 302, payload="prepare_form"),
    Row("GET",  "/drives/renewals/",                               (),                                302, 200, 200, 200, 200, 200, 200, 200, 302),
    Row("GET",  "/drives/funding/",                                (),                                302, 200, 200, 200, 200, 200, 200, 200, 302),
    Row("GET",  "/drives/plan/",                                   (),                                302, 200, 200, 200, 200, 200, 403, 200, 302),
    Row("GET",  "/drives/plan.xlsx",                               (),                                302, 200, 200, 200, 200, 200, 403, 200, 302),
    Row("GET",  "/drives/plan.pdf",                                (),                                302, 200, 200, 200, 200, 200, 403, 200, 302),
    Row("GET",  "/drives/<int:pk>/",                               ("awaiting_drive",),               302, 200, 200, 200, 200, 404, 404, 404, 302),
    Row("GET",  "/drives/<int:pk>/",                               ("sambas_drive",),                 302, 200, 200, 200, 404, 200, 404, 200, 302),
    Row("POST", "/drives/<int:pk>/<str:step>/",                    ("awaiting_drive", "approve"),     302, 302, 302, 403, 302, 404, 404, 404, 302, payload="step_form"),

    # --- back office: the site's own pages -------------------------------------------------------------------------
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out  key
    Row("GET",  "/admin/",                                         (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/login/",                                   (),                                200, 302, 302, 302, 302, 302, 302, 200, 200),
    Row("POST", "/admin/logout/",                                  (),                                302, 302, 302, 302, 302, 302, 302, 302, 302),
    Row("GET",  "/admin/password_change/",                         (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/password_change/done/",                    (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    # the employer field of the user form: answers with the employers the user may see
    Row("GET",  "/admin/autocomplete/",                            (),                                302, 200, 200, 200, 200, 200, 200, 302, 302, query="app_label=accounts&model_name=user&field_name=employer&term="),
    Row("GET",  "/admin/jsi18n/",                                  (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    # "view on site": no model has a page of its own, so nobody is sent anywhere
    Row("GET",  "/admin/r/<path:content_type_id>/<path:object_id>/", ("person_type", "ketapang_worker"), 302, 404, 404, 404, 404, 404, 404, 302, 302),
    Row("GET",  "/admin/<app_label>/",                             ("registry",),                     302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/<app_label>/",                             ("core",),                         302, 200, 404, 404, 404, 404, 404, 302, 302),
    Row("GET",  "/admin/<url>",                                    ("missing_page",),                 302, 404, 404, 404, 404, 404, 404, 302, 302),

    # --- back office: users and groups, administrators only ---------------------------------------------------------
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out  key
    Row("GET",  "/admin/auth/group/",                              (),                                302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/auth/group/add/",                          (),                                302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/auth/group/<path:object_id>/history/",     ("group",),                        302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/auth/group/<path:object_id>/delete/",      ("group",),                        302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/auth/group/<path:object_id>/change/",      ("group",),                        302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/auth/group/<path:object_id>/",             ("group",),                        302, 302, 302, 302, 302, 302, 302, 302, 302),
    Row("GET",  "/admin/accounts/user/",                           (),                                302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/user/add/",                       (),                                302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/user/<path:object_id>/history/",  ("ketapang_user",),                302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/user/<path:object_id>/delete/",   ("ketapang_user",),                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/user/<path:object_id>/change/",   ("ketapang_user",),                302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/user/<path:object_id>/",          ("ketapang_user",),                302, 302, 302, 302, 302, 302, 302, 302, 302),
    Row("GET",  "/admin/accounts/user/<id>/password/",             ("ketapang_user",),                302, 200, 403, 403, 403, 403, 403, 302, 302),
    # logins locked after repeated failures: administrators read and unlock them (they manage users)
    Row("GET",  "/admin/accounts/lockout/",                        (),                                302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("POST", "/admin/accounts/lockout/",                        (),                                302, 302, 403, 403, 403, 403, 403, 302, 302, payload="unlock"),
    Row("GET",  "/admin/accounts/lockout/add/",                    (),                                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/lockout/<path:object_id>/history/", ("lockout",),                    302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/lockout/<path:object_id>/delete/", ("lockout",),                     302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/lockout/<path:object_id>/change/", ("lockout",),                     302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/lockout/<path:object_id>/",       ("lockout",),                      302, 302, 302, 302, 302, 302, 302, 302, 302),
    # machine clients' keys: administrators read and revoke them (made with `jamsostek apikey create`)
    Row("GET",  "/admin/accounts/apikey/",                         (),                                302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("POST", "/admin/accounts/apikey/",                         (),                                302, 302, 403, 403, 403, 403, 403, 302, 302, payload="revoke"),
    Row("GET",  "/admin/accounts/apikey/add/",                     (),                                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/apikey/<path:object_id>/history/", ("spare_key",),                   302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/apikey/<path:object_id>/delete/", ("spare_key",),                    302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/apikey/<path:object_id>/change/", ("spare_key",),                    302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/apikey/<path:object_id>/",        ("spare_key",),                    302, 302, 302, 302, 302, 302, 302, 302, 302),

    # --- back office: audit records, administrators only, never edited --------------------------------------------
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out  key
    Row("GET",  "/admin/core/auditrecord/",                        (),                                302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/core/auditrecord/add/",                    (),                                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/core/auditrecord/<path:object_id>/history/", ("audit_record",),               302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/core/auditrecord/<path:object_id>/delete/", ("audit_record",),                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/core/auditrecord/<path:object_id>/change/", ("audit_record",),                302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/core/auditrecord/<path:object_id>/",       ("audit_record",),                 302, 302, 302, 302, 302, 302, 302, 302, 302),
    # who saw which person's full NIK: read by those who read audit records, written by nobody here
    Row("GET",  "/admin/accounts/nikdisclosure/",                  (),                                302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/nikdisclosure/",                  (),                                302, 200, 403, 403, 403, 403, 403, 302, 302, query="person__id__exact=1"),
    Row("GET",  "/admin/accounts/nikdisclosure/add/",              (),                                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/nikdisclosure/<path:object_id>/history/", ("nik_disclosure",),       302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/nikdisclosure/<path:object_id>/delete/", ("nik_disclosure",),        302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/nikdisclosure/<path:object_id>/change/", ("nik_disclosure",),        302, 200, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/accounts/nikdisclosure/<path:object_id>/", ("nik_disclosure",),               302, 302, 302, 302, 302, 302, 302, 302, 302),

    # --- back office: the registry ----------------------------------------------------------------------------------
    # regions are public reference data, read-only
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out  key
    Row("GET",  "/admin/registry/region/",                         (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/registry/region/add/",                     (),                                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/registry/region/<path:object_id>/history/", ("61.01",),                       302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/registry/region/<path:object_id>/delete/", ("61.01",),                        302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/registry/region/<path:object_id>/change/", ("61.01",),                        302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/registry/region/<path:object_id>/",        ("61.01",),                        302, 302, 302, 302, 302, 302, 302, 302, 302),
    # persons: an agency administrator may not register anyone (the service refuses every person it
    # would register), so it gets no form to fill in
    Row("GET",  "/admin/registry/person/",                         (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/registry/person/add/",                     (),                                302, 200, 200, 403, 200, 200, 403, 302, 302),
    Row("GET",  "/admin/registry/person/<path:object_id>/history/", ("ketapang_worker",),             302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/registry/person/<path:object_id>/delete/", ("ketapang_worker",),              302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/registry/person/<path:object_id>/change/", ("ketapang_worker",),              302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/registry/person/<path:object_id>/change/", ("sambas_worker",),                302, 200, 200, 200, 302, 200, 302, 302, 302),
    Row("GET",  "/admin/registry/person/<path:object_id>/change/", ("nurse",),                        302, 200, 200, 200, 200, 302, 200, 302, 302),
    Row("GET",  "/admin/registry/person/<path:object_id>/change/", ("missing",),                      302, 302, 302, 302, 302, 302, 302, 302, 302),
    Row("GET",  "/admin/registry/person/<path:object_id>/",        ("ketapang_worker",),              302, 302, 302, 302, 302, 302, 302, 302, 302),
    # employers: likewise, an agency administrator registers no employer
    Row("GET",  "/admin/registry/employer/",                       (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/registry/employer/add/",                   (),                                302, 200, 200, 403, 200, 200, 403, 302, 302),
    Row("GET",  "/admin/registry/employer/<path:object_id>/history/", ("company",),                   302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/registry/employer/<path:object_id>/delete/", ("company",),                    302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/registry/employer/<path:object_id>/change/", ("company",),                    302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/registry/employer/<path:object_id>/change/", ("sambas_company",),             302, 200, 200, 200, 302, 200, 302, 302, 302),
    Row("GET",  "/admin/registry/employer/<path:object_id>/change/", ("agency",),                     302, 200, 200, 200, 200, 302, 200, 302, 302),
    Row("GET",  "/admin/registry/employer/<path:object_id>/",      ("company",),                      302, 302, 302, 302, 302, 302, 302, 302, 302),
    # sponsor programs of a regency's budget belong to that regency; an agency sponsors nobody
    Row("GET",  "/admin/registry/sponsorprogram/",                 (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/registry/sponsorprogram/add/",             (),                                302, 200, 200, 403, 200, 200, 403, 302, 302),
    Row("GET",  "/admin/registry/sponsorprogram/<path:object_id>/history/", ("ketapang_sponsor",),    302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/registry/sponsorprogram/<path:object_id>/delete/", ("ketapang_sponsor",),     302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/registry/sponsorprogram/<path:object_id>/change/", ("ketapang_sponsor",),     302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/registry/sponsorprogram/<path:object_id>/change/", ("sambas_sponsor",),       302, 200, 200, 200, 302, 200, 302, 302, 302),
    Row("GET",  "/admin/registry/sponsorprogram/<path:object_id>/", ("ketapang_sponsor",),            302, 302, 302, 302, 302, 302, 302, 302, 302),
    # projects belong to their contractor's regency (an agency may create one for itself)
    Row("GET",  "/admin/registry/project/",                        (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/registry/project/add/",                    (),                                302, 200, 200, 403, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/registry/project/<path:object_id>/history/", ("ketapang_project",),           302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/registry/project/<path:object_id>/delete/", ("ketapang_project",),            302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/registry/project/<path:object_id>/change/", ("ketapang_project",),            302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/registry/project/<path:object_id>/change/", ("sambas_project",),              302, 200, 200, 200, 302, 200, 302, 302, 302),
    Row("GET",  "/admin/registry/project/<path:object_id>/",       ("ketapang_project",),             302, 302, 302, 302, 302, 302, 302, 302, 302),
    # memberships are enrolled through the import, the API or the CLI (with wages), never added here
    Row("GET",  "/admin/registry/membership/",                     (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/registry/membership/add/",                 (),                                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/registry/membership/<path:object_id>/history/", ("pu",),                      302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/registry/membership/<path:object_id>/delete/", ("pu",),                       302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/registry/membership/<path:object_id>/change/", ("pu",),                       302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/registry/membership/<path:object_id>/change/", ("sambas_pu",),                302, 200, 200, 200, 302, 200, 302, 302, 302),
    Row("GET",  "/admin/registry/membership/<path:object_id>/change/", ("honorary",),                 302, 200, 200, 200, 200, 302, 200, 302, 302),
    Row("GET",  "/admin/registry/membership/<path:object_id>/",    ("pu",),                           302, 302, 302, 302, 302, 302, 302, 302, 302),

    # --- back office: enrolment drives, read-only (services write them) --------------------------------------------
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out
    Row("GET",  "/admin/drives/candidatelist/",                    (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/drives/candidatelist/add/",                (),                                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/drives/candidatelist/<path:object_id>/history/", ("ketapang_list",),          302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/drives/candidatelist/<path:object_id>/delete/", ("ketapang_list",),           302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/drives/candidatelist/<path:object_id>/change/", ("ketapang_list",),           302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/drives/candidatelist/<path:object_id>/change/", ("agency_list",),             302, 200, 200, 200, 200, 302, 200, 302, 302),
    Row("GET",  "/admin/drives/candidatelist/<path:object_id>/",   ("ketapang_list",),                302, 302, 302, 302, 302, 302, 302, 302, 302),
    Row("GET",  "/admin/drives/drive/",                            (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/drives/drive/add/",                        (),                                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/drives/drive/<path:object_id>/history/",   ("awaiting_drive",),               302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/drives/drive/<path:object_id>/delete/",    ("awaiting_drive",),               302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/drives/drive/<path:object_id>/change/",    ("awaiting_drive",),               302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/drives/drive/<path:object_id>/change/",    ("sambas_drive",),                 302, 200, 200, 200, 302, 200, 302, 302, 302),
    Row("GET",  "/admin/drives/drive/<path:object_id>/",           ("awaiting_drive",),               302, 302, 302, 302, 302, 302, 302, 302, 302),

    # --- back office: contributions, read-only ----------------------------------------------------------------------
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out  key
    Row("GET",  "/admin/contributions/bill/",                      (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/contributions/bill/add/",                  (),                                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/contributions/bill/<path:object_id>/history/", ("ketapang_bill",),             302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/contributions/bill/<path:object_id>/delete/", ("ketapang_bill",),              302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/contributions/bill/<path:object_id>/change/", ("ketapang_bill",),              302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/contributions/bill/<path:object_id>/change/", ("sambas_bill",),                302, 200, 200, 200, 302, 200, 302, 302, 302),
    Row("GET",  "/admin/contributions/bill/<path:object_id>/change/", ("agency_bill",),                302, 200, 200, 200, 200, 302, 200, 302, 302),
    Row("GET",  "/admin/contributions/bill/<path:object_id>/",     ("ketapang_bill",),                302, 302, 302, 302, 302, 302, 302, 302, 302),
    # a billing run is the whole province's: not a regency officer's or an agency's record
    Row("GET",  "/admin/contributions/billingrun/",                (),                                302, 200, 200, 200, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/contributions/billingrun/add/",            (),                                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/contributions/billingrun/<path:object_id>/history/", ("march_run",),          302, 200, 200, 200, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/contributions/billingrun/<path:object_id>/delete/", ("march_run",),           302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/contributions/billingrun/<path:object_id>/change/", ("march_run",),           302, 200, 200, 200, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/contributions/billingrun/<path:object_id>/", ("march_run",),                  302, 302, 302, 302, 302, 302, 302, 302, 302),
    # a fine is its bill's: scoped like the bills
    Row("GET",  "/admin/contributions/fine/",                      (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/contributions/fine/add/",                  (),                                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/contributions/fine/<path:object_id>/history/", ("ketapang_fine",),             302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/contributions/fine/<path:object_id>/delete/", ("ketapang_fine",),              302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/contributions/fine/<path:object_id>/change/", ("ketapang_fine",),              302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/contributions/fine/<path:object_id>/change/", ("sambas_fine",),                302, 200, 200, 200, 302, 200, 302, 302, 302),
    Row("GET",  "/admin/contributions/fine/<path:object_id>/",     ("ketapang_fine",),                302, 302, 302, 302, 302, 302, 302, 302, 302),
    # a payment is its payer's: scoped like the bills
    Row("GET",  "/admin/contributions/payment/",                   (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/contributions/payment/add/",               (),                                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/contributions/payment/<path:object_id>/history/", ("ketapang_payment",),       302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/contributions/payment/<path:object_id>/delete/", ("ketapang_payment",),        302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/contributions/payment/<path:object_id>/change/", ("ketapang_payment",),        302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/contributions/payment/<path:object_id>/change/", ("sambas_payment",),          302, 200, 200, 200, 302, 200, 302, 302, 302),
    Row("GET",  "/admin/contributions/payment/<path:object_id>/",  ("ketapang_payment",),             302, 302, 302, 302, 302, 302, 302, 302, 302),

    # --- back office: claims, read-only (taken in, verified, decided and paid through their pages and the API) -----
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out
    Row("GET",  "/admin/claims/claim/",                            (),                                302, 200, 200, 200, 200, 200, 200, 302, 302),
    Row("GET",  "/admin/claims/claim/add/",                        (),                                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/claims/claim/<path:object_id>/history/",   ("ketapang_claim",),               302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/claims/claim/<path:object_id>/delete/",    ("ketapang_claim",),               302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/claims/claim/<path:object_id>/change/",    ("ketapang_claim",),               302, 200, 200, 200, 200, 302, 302, 302, 302),
    Row("GET",  "/admin/claims/claim/<path:object_id>/change/",    ("nurse_claim",),                  302, 200, 200, 200, 200, 302, 200, 302, 302),
    Row("GET",  "/admin/claims/claim/<path:object_id>/",           ("ketapang_claim",),               302, 302, 302, 302, 302, 302, 302, 302, 302),

    # --- back office: coverage, province-wide roles; analysts read, not change --------------------------------------
    #    method  path                                              at                                 anon adm  bpjs anl  ktp  smb  agy  out  key
    Row("GET",  "/admin/coverage/denominator/",                    (),                                302, 200, 200, 200, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/coverage/denominator/add/",                (),                                302, 200, 200, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/coverage/denominator/<path:object_id>/history/", ("denominator",),            302, 200, 200, 200, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/coverage/denominator/<path:object_id>/delete/", ("denominator",),             302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/coverage/denominator/<path:object_id>/change/", ("denominator",),             302, 200, 200, 200, 403, 403, 403, 302, 302),
    Row("POST", "/admin/coverage/denominator/<path:object_id>/change/", ("denominator",),             302, 302, 302, 403, 403, 403, 403, 302, 302, payload="denominator_form"),
    Row("GET",  "/admin/coverage/denominator/<path:object_id>/",   ("denominator",),                  302, 302, 302, 302, 302, 302, 302, 302, 302),
    Row("GET",  "/admin/coverage/target/",                         (),                                302, 200, 200, 200, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/coverage/target/add/",                     (),                                302, 200, 200, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/coverage/target/<path:object_id>/history/", ("target",),                      302, 200, 200, 200, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/coverage/target/<path:object_id>/delete/", ("target",),                       302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/coverage/target/<path:object_id>/change/", ("target",),                       302, 200, 200, 200, 403, 403, 403, 302, 302),
    Row("POST", "/admin/coverage/target/<path:object_id>/change/", ("target",),                       302, 302, 302, 403, 403, 403, 403, 302, 302, payload="target_form"),
    Row("GET",  "/admin/coverage/target/<path:object_id>/",        ("target",),                       302, 302, 302, 302, 302, 302, 302, 302, 302),
    Row("GET",  "/admin/coverage/computation/",                    (),                                302, 200, 200, 200, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/coverage/computation/add/",                (),                                302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/coverage/computation/<path:object_id>/history/", ("computation",),            302, 200, 200, 200, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/coverage/computation/<path:object_id>/delete/", ("computation",),             302, 403, 403, 403, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/coverage/computation/<path:object_id>/change/", ("computation",),             302, 200, 200, 200, 403, 403, 403, 302, 302),
    Row("GET",  "/admin/coverage/computation/<path:object_id>/",   ("computation",),                  302, 302, 302, 302, 302, 302, 302, 302, 302),
)
# fmt: on
