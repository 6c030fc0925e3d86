"""Sponsored enrolment drives: from a list of names to protection, with the budget and the UCJ it buys.

A sponsor program (``registry.SponsorProgram``) gets its **funding** here (source, fiscal year,
budget ceiling, the instrument that authorises it, the levels that prepare and approve its drives);
**candidate lists** (DTKS or Regsosek extracts, village lists, agencies' and villages' rosters) are
checked row by row and matched against the registry; a **drive** freezes the chosen candidates, is
priced exactly by the rules' batch path, approved by someone other than its preparer and enrolled in
one transaction through the registry's import service (memberships paid by the sponsor, billed by
the existing billing). Drives end with their fiscal year; from October they are listed for renewal
with who would lapse and the UCJ each regency would lose. ``planning`` says what a budget buys and
the cheapest allocation that reaches a target.

Who may pay for whom is configuration with a citation (``data/funding_rules.yaml``, read by
``funding``), not code.
"""
