"""Many clients at once, for the tests that race writers against one store or one server."""

import threading
from collections.abc import Callable, Iterable


def run_at_once(clients: int, client: Callable[[int], Iterable[str] | None]) -> list[str]:
    """Calls client(0) ... client(clients - 1), each in a thread of its own, all released together.

    A client may return (or yield) the problems it met; an exception it raises is one problem too,
    reported here because an exception in a thread would otherwise vanish. Returns every problem.
    """
    failures: list[str] = []
    start = threading.Barrier(clients)

    def run(number: int) -> None:
        start.wait()
        try:
            failures.extend(client(number) or ())
        except Exception as error:
            failures.append(repr(error))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures
