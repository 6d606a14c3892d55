"""Accounts: registration, sign-in, passwords and throttling."""
