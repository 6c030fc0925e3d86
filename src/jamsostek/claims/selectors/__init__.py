"""Every read of claims goes through these functions; each takes the user (``visible_to``) and
applies what the access policy lets them see. ``visible_to`` may also be a policy: the commands
read as the system (``accounts.policy.SYSTEM``)."""

from jamsostek.claims.selectors.claims import (
    ClaimFile,
    claim_file,
    claim_get,
    claim_list,
    document_file,
    import_columns,
    open_counts,
)
from jamsostek.claims.selectors.statistics import (
    BREAKDOWNS,
    SponsorYear,
    Statistics,
    YearFigure,
    forget,
    home_region,
    sponsors,
    statistics,
    years,
)

__all__ = [
    "BREAKDOWNS",
    "ClaimFile",
    "SponsorYear",
    "Statistics",
    "YearFigure",
    "claim_file",
    "claim_get",
    "claim_list",
    "document_file",
    "forget",
    "home_region",
    "import_columns",
    "open_counts",
    "sponsors",
    "statistics",
    "years",
]
