"""The contributions' bulk paths: billing a province's memberships in one sweep (``billing``) and the
payment ledger (``ledger``). Only the contributions services call them."""
