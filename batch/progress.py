"""A one-line progress display on stderr, only when stderr is a terminal."""

import sys
import time
from collections.abc import Callable


class Progress:
    """Rows done and rows per second, redrawn at most four times a second."""

    def __init__(self, enabled: bool | None = None, stream=None, fraction: Callable[[], float | None] | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.fraction = fraction
        self.started = time.monotonic()
        self._drawn = 0.0

    def update(self, rows: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._drawn < 0.25:
            return
        self._drawn = now
        rate = rows / max(now - self.started, 1e-9)
        part = self.fraction() if self.fraction else None
        bar = ""
        if part is not None:
            filled = int(max(0.0, min(1.0, part)) * 24)
            bar = f"[{'#' * filled}{'.' * (24 - filled)}] {part:4.0%}  "
        self.stream.write(f"\r{bar}{rows:,} rows  {rate:,.0f} rows/s ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
