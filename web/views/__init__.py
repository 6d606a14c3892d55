"""HTML views and JSON endpoints, thin: parse, call the domain, render."""
