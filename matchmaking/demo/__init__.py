"""Deterministic demo data for `ocop seed`: vocabulary and the seeding verb."""

from matchmaking.demo.seed import DEMO_PASSWORD, DemoDataExists, SeedReport, seed_demo

__all__ = ["DEMO_PASSWORD", "DemoDataExists", "SeedReport", "seed_demo"]
