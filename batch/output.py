"""Writing the output: to a temporary file beside the target, renamed into place at the end."""

import gzip
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from quote_stance.batch.records import is_stdio
from quote_stance.common import partial_file

GZIP_LEVEL = 6


@contextmanager
def atomic_text_output(target: Path | str) -> Iterator[io.TextIOBase]:
    """A UTF-8 text stream for `target` ('-' is standard output; '.gz' names are gzipped).

    A file target is written under a hidden temporary name in the same directory and renamed
    over the target only when the block ends without an exception, so an interrupted or
    failed run never leaves a partial file at the target's name (it removes its temporary
    file; a killed process leaves a `.NAME.partial-*` file, which the next run removes: see
    `model.partials`).
    """
    if is_stdio(target):
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=False)
        try:
            yield stream
            stream.flush()
        finally:
            stream.detach()
        return
    target = Path(target)
    directory = target.parent
    directory.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = partial_file(target)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(descriptor, 0o666 & ~umask)  # mkstemp's 0600 would surprise the file's readers
        with open(descriptor, "wb") as raw:
            binary = gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) \
                if target.name.endswith(".gz") else raw
            with io.TextIOWrapper(binary, encoding="utf-8", newline="") as stream:
                yield stream
            if binary is not raw:
                binary.close()
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
