"""Scoring whole CSV files: every row kept, in order, with its stance."""
