"""Persistent scheduling: weekly slots in each library's time zone, jobs stored in SQLite."""
