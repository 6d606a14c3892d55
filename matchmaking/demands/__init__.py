"""Buyers' demands, quotes, and matching demands to producers."""
