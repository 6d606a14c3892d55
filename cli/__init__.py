"""The `ocop` command line: thin sub-commands over the domain, search and jobs."""
