"""Pure optimisers over the JSON formats in the specs: no database, no I/O."""
