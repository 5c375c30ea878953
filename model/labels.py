"""The three stance labels of the public contract, in their canonical order."""

LABELS: tuple[str, ...] = ("support", "oppose", "neutral")
