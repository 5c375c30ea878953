"""Count regex matches exactly as `len(pattern.findall(text))` does, trying each pattern only
where it can match.

A cue group is one regular expression of ~25 alternatives, and Python's `re` tries every
alternative at every character: about 45 microseconds per quote for the six groups, more
than all the rest of scoring. But a match can only start where the text begins with one of
its alternatives' possible prefixes ("illega", "see yo", "sue", ...), which are read from the
parsed pattern. A text is cut at its spaces into pieces; for each distinct piece the offsets
where some alternative's prefix fits, and the smaller pattern made of those alternatives, are
worked out once and cached. Counting then tries `pattern.match` at those offsets only, in
order, skipping positions inside the previous match as `findall` does. Every position skipped
is one where no match can start, so the counts equal `findall`'s (tests check it). Patterns
whose prefixes cannot be listed (a leading `\\w`, `.`, a negated class, flags, too many
combinations, a leading space) are counted with `findall` itself.
"""

import re
from collections.abc import Sequence
from itertools import accumulate, compress
from re import Pattern
from re import _constants as C  # noqa: N812  (the parser's opcode names)
from re import _parser

PREFIX = 6  # characters of an alternative's beginning that decide where it is tried
LONG_PREFIX = 14  # characters checked (beyond the piece) before the pattern itself is tried
MAX_PREFIXES = 20_000
MAX_PIECES = 100_000  # cached pieces (and windows) before a cache starts afresh
SPACE = " "


class _Unbounded(Exception):
    """The pattern can start with too many different strings to list."""


def _charset(items) -> list[str]:
    chars: list[str] = []
    for op, value in items:
        if op is C.LITERAL:
            chars.append(chr(value))
        elif op is C.RANGE and value[1] - value[0] < 64:
            chars.extend(chr(c) for c in range(value[0], value[1] + 1))
        else:  # NEGATE, CATEGORY (\w, \d...), wide ranges
            return []
    return chars


def _prefixes(items: list, k: int) -> set[str]:
    """Strings of length <= k, one of which every match starts with.

    A shorter string stands for all its continuations (the match may end there, or go on
    with something too open to list, such as `\\w+`).
    """
    found: set[str] = set()

    def walk(seq: list, acc: str) -> None:
        if len(found) > MAX_PREFIXES:
            raise _Unbounded
        if len(acc) >= k:
            found.add(acc[:k])
            return
        if not seq:
            found.add(acc)
            return
        (op, value), rest = seq[0], seq[1:]
        if op is C.LITERAL:
            walk(rest, acc + chr(value))
        elif op is C.IN:
            chars = _charset(value)
            if not chars:
                stop(acc)
            for char in chars:
                walk(rest, acc + char)
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            walk(rest, acc)  # zero-width: skipping it only adds candidates
        elif op is C.SUBPATTERN:
            _group, add_flags, del_flags, sub = value
            if add_flags or del_flags:
                raise _Unbounded
            walk(list(sub) + rest, acc)
        elif op is C.BRANCH:
            for branch in value[1]:
                walk(list(branch) + rest, acc)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, sub = value
            top = min(high, low + k) if high != C.MAXREPEAT else low + k
            for times in range(low, top + 1):
                walk(list(sub) * times + rest, acc)
        elif op is C.ATOMIC_GROUP:
            walk(list(value) + rest, acc)
        else:  # ANY, NOT_LITERAL, GROUPREF, CATEGORY...
            stop(acc)

    def stop(acc: str) -> None:
        """An open-ended item: the match starts with `acc`, then anything."""
        if not acc:
            raise _Unbounded
        found.add(acc)

    walk(list(items), "")
    return found


def pattern_prefixes(pattern: Pattern, k: int) -> list[set[str]] | None:
    """The prefix set of each top-level alternative, or None when one cannot be listed."""
    if pattern.flags & ~(32 | 256):  # anything beyond the default UNICODE (32) / VERBOSE (256)
        return None
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        items = list(parsed)
        branches = [list(b) for b in items[0][1][1]] if len(items) == 1 and items[0][0] is C.BRANCH else [items]
        result = [_prefixes(b, k) for b in branches]
    except (_Unbounded, RecursionError, IndexError, TypeError):
        return None
    if any("" in prefixes for prefixes in result):  # an alternative may match the empty string
        return None
    return result


class CueCounter:
    """`len(pattern.findall(text))` for each pattern, trying each pattern only where it can match.

    A text is cut at its spaces into pieces; for each distinct piece (cached) the offsets
    where some alternative's prefix fits, and the smaller pattern made of those alternatives,
    are worked out once. A count then costs a dictionary look-up per piece and one `match`
    per candidate position.
    """

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self.patterns = list(patterns)
        prefix_sets = [pattern_prefixes(p, PREFIX) for p in self.patterns]
        # Pieces are cut at spaces, so a match must never start on one.
        self.fast = all(s is not None for s in prefix_sets) and not any(
            prefix.startswith(SPACE) for sets in prefix_sets for s in sets for prefix in s
        )
        if not self.fast:
            return
        # first character -> (pattern index, alternative index, that alternative's prefixes)
        self._by_first: dict[str, list[tuple[int, int, tuple[str, ...]]]] = {}
        for which, sets in enumerate(prefix_sets):
            for branch, prefixes in enumerate(sets):
                for first in sorted({p[0] for p in prefixes}):
                    group = tuple(sorted(p for p in prefixes if p[0] == first))
                    self._by_first.setdefault(first, []).append((which, branch, group))
        self._sources = [_alternative_sources(p, len(sets)) for p, sets in zip(self.patterns, prefix_sets)]
        # Longer prefixes, per alternative: a cheap test of the text after the piece too.
        self._long = [pattern_prefixes(p, LONG_PREFIX) for p in self.patterns]
        self._sub_patterns: dict[tuple[int, tuple[int, ...]], tuple[Pattern, tuple[str, ...] | None]] = {}
        self._windows: dict[str, tuple[tuple[int, Pattern, tuple[str, ...] | None], ...]] = {}
        self._pieces: dict[str, tuple] = {}

    def count(self, text: str, pieces: list[str] | None = None, found: list | None = None) -> list[int]:
        """How many non-overlapping matches each pattern has in `text`, as `findall` counts them.

        `pieces`, when given, must be `text.split(" ")`, and `found` the `candidates` of each
        piece (the scorer keeps them in its own cache); otherwise this counter's cache is used.
        """
        if not self.fast:
            return [len(pattern.findall(text)) for pattern in self.patterns]
        counts = [0] * len(self.patterns)
        if pieces is None:
            pieces = text.split(SPACE)
        if found is None:
            cache = self._pieces
            found = list(map(cache.get, pieces))
            if None in found:
                if len(cache) > MAX_PIECES:  # bounded memory on an endless vocabulary
                    cache.clear()
                found = [cache[p] if p in cache else cache.setdefault(p, self.candidates(p)) for p in pieces]
        if not any(found):
            return counts
        # Piece i starts after the pieces before it and one space each.
        starts = list(accumulate(map(len, pieces), initial=0))
        resume = [0] * len(self.patterns)
        for i in compress(range(len(pieces)), found):
            base = starts[i] + i
            for offset, entries in found[i]:
                at = base + offset
                for which, pattern, prefixes in entries:
                    # findall goes on after the previous match; a match starts with a prefix
                    if at >= resume[which] and (prefixes is None or text.startswith(prefixes, at)):
                        match = pattern.match(text, at)
                        if match is not None:
                            counts[which] += 1
                            end = match.end()
                            resume[which] = end if end > at else at + 1
        return counts

    def candidates(self, piece: str) -> tuple:
        """(offset, ((pattern index, smaller pattern, prefixes), ...)) for each offset where a
        match may start."""
        out = []
        for offset, char in enumerate(piece):
            if char not in self._by_first:
                continue
            # After the piece comes a space, or the end of the text (where fewer alternatives fit).
            window = (piece[offset: offset + PREFIX] + SPACE)[:PREFIX]
            entries = self._windows.get(window)
            if entries is None:
                if len(self._windows) > MAX_PIECES:
                    self._windows.clear()
                entries = self._windows[window] = self._window_entries(window)
            if entries:
                out.append((offset, entries))
        return tuple(out)

    def _window_entries(self, window: str) -> tuple[tuple[int, Pattern, tuple[str, ...] | None], ...]:
        """For each pattern with alternatives that can start with `window`: those alternatives.

        An alternative fits when one of its prefixes and the window agree as far as both go
        (a shorter prefix stands for any continuation, a shorter window for any text after it).
        """
        fitting: dict[int, list[int]] = {}
        for which, branch, prefixes in self._by_first.get(window[0], ()):
            if any(p.startswith(window) or window.startswith(p) for p in prefixes):
                fitting.setdefault(which, []).append(branch)
        return tuple((which, *self._sub_pattern(which, tuple(branches))) for which, branches in sorted(fitting.items()))

    def _sub_pattern(self, which: int, branches: tuple[int, ...]) -> tuple[Pattern, tuple[str, ...] | None]:
        """The pattern made of these alternatives of pattern `which`, in their order, and the
        longer prefixes one of which its every match starts with (None: not listed).

        Where no other alternative can match, the whole pattern matches exactly what this
        smaller one does: the first alternative, in order, that fits.
        """
        key = (which, branches)
        if key not in self._sub_patterns:
            sources = self._sources[which]
            pattern = self.patterns[which]
            if sources is not None:
                pattern = re.compile("|".join(sources[i] for i in branches), pattern.flags)
            long = self._long[which]
            prefixes = None if long is None else tuple(sorted(set().union(*(long[i] for i in branches))))
            self._sub_patterns[key] = (pattern, prefixes)
        return self._sub_patterns[key]


def _split_alternatives(source: str) -> list[str] | None:
    """Split a pattern's source at its top-level `|` (outside groups, classes and escapes)."""
    parts, depth, in_class, escaped, start = [], 0, False, False, 0
    for i, char in enumerate(source):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]" or i == start
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
    parts.append(source[start:])
    return parts


def _alternative_sources(pattern: Pattern, branches: int) -> list[str] | None:
    """The source of each top-level alternative, when splitting provably gives them back."""
    if branches < 2:
        return None
    parts = _split_alternatives(pattern.pattern)
    if len(parts) != branches:
        return None
    whole = _parser.parse(pattern.pattern, pattern.flags)
    try:
        reparsed = [str(list(_parser.parse(part, pattern.flags))) for part in parts]
    except re.error:
        return None
    if reparsed != [str(list(branch)) for branch in whole[0][1][1]]:
        return None
    return parts
