"""The drives' fast paths, called by the drives' services (and selectors) only: checking a whole
candidate list (``checking``, held to ``reference`` by a property test), matching it against the
registry (``matching``), writing its rows (``candidates``) and pricing members (``costing``)."""
