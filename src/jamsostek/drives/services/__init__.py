"""Every write of the drives goes through these functions (pages, API, back office, commands and
the synthetic province alike). Each takes the acting user (``None``: the system) and a reason,
validates, asks the access policy (``require_step`` for the steps a program's funding assigns to a
level), writes, and leaves audit records.

| Step                      | Service                  | Action (``accounts.policy``) |
|---------------------------|--------------------------|------------------------------|
| fund a sponsor program    | ``funding_set``          | prepare drives               |
| import a candidate list   | ``candidate_list_import``| prepare drives               |
| prepare a drive           | ``drive_prepare``        | prepare drives               |
| approve or reject it      | ``drive_approve``, ``drive_reject`` | approve drives    |
| enrol it                  | ``drive_enrol``          | enrol drives                 |
| renew it next year        | ``drive_renew``          | prepare drives               |
"""

from jamsostek.drives.services.drives import (
    committed_cost,
    drive_approve,
    drive_enrol,
    drive_prepare,
    drive_reject,
    drive_renew,
    funding_of,
    package_of,
)
from jamsostek.drives.services.funding import funding_set
from jamsostek.drives.services.lists import candidate_list_import

__all__ = [
    "candidate_list_import",
    "committed_cost",
    "drive_approve",
    "drive_enrol",
    "drive_prepare",
    "drive_reject",
    "drive_renew",
    "funding_of",
    "funding_set",
    "package_of",
]
