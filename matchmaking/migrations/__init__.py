"""Tortoise migrations. Tortoise 1.1's CreateModel does not emit CHECK constraints, so they
live in their own AddConstraint migration (0002) after the tables that carry them."""
