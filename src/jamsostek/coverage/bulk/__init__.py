"""Coverage's bulk path: recomputing the protected participants per district, segment, payer and
month from the contributions' protection status (``compute``). Only ``services.coverage_recompute``
runs it."""
