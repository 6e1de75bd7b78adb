"""Plumbing with no domain rules: the database, sessions, passwords, limits, mail, text."""
