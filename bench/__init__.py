"""Benchmarks: ``python -m bench`` runs them all and prints one table (docs/benchmarks.md)."""
