"""Crash-safe persistence: atomic file replacement, file locks, TinyDB storages, small state documents."""
