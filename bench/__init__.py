"""Benchmarks: scripts that print a table (see the README's Benchmarks section)."""
