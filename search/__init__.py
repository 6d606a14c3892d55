"""Everything Meilisearch: the binary, the supervised process, the index and its sync."""
