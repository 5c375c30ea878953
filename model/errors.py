"""The one exception type that user-facing code turns into a one-line message."""


class StanceError(Exception):
    """A problem the user can act on; its message names the file, line or setting at fault."""
