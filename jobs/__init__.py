"""Scheduled jobs: APScheduler set-up, leader election and thin job functions."""
