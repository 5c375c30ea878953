"""Count regex matches in many texts at once, exactly as `pattern.findall` would, but faster.

A cue group is one regular expression made of ~40 alternatives. Python's `re` tries every
alternative at every character, about 40 microseconds per quote for the three groups: more
than all the rest of scoring. But a match can only start where the text begins with one
of the alternatives' possible first three characters ("ill", "una", "sue", ...). Those
prefixes are read from the parsed pattern; numpy finds the few positions in a whole chunk
where one occurs, and only there is the pattern tried (with `pattern.match`, in order,
skipping positions inside the previous match, as `findall` does). The counts are the same
as `len(pattern.findall(text))` because every position skipped is one where no match can
start. Patterns whose prefixes cannot be listed (a leading `\\w`, `.`, a negated class,
flags, too many combinations) are counted with `findall` itself.
"""

import re
from collections.abc import Sequence
from re import Pattern
from re import _constants as C  # noqa: N812  (the parser's opcode names)
from re import _parser

import numpy as np

PREFIX = 3  # characters of the first, table-driven filter
LONG_PREFIX = 8  # characters of the second filter (6 bits each fit a uint64)
MAX_PREFIXES = 20_000
MAX_ALPHABET = 63  # alphabet ids 1..63 fit 6 bits; 0 stands for any other character


_MISSING = object()


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
    """Counts of each pattern's `findall` matches in each text, for many texts at once."""

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self.patterns = list(patterns)
        prefix_sets = [pattern_prefixes(p, PREFIX) for p in self.patterns]
        long_sets = [pattern_prefixes(p, LONG_PREFIX) for p in self.patterns]
        self.fast = all(s is not None for s in prefix_sets + long_sets)
        if not self.fast:
            return
        chars = sorted({c for sets in long_sets for s in sets for p in s for c in p})
        if len(chars) > MAX_ALPHABET:
            self.fast = False
            return
        self._alphabet = {c: i + 1 for i, c in enumerate(chars)}
        self._alphabet_max = max(ord(c) for c in chars)
        lookup = np.zeros(self._alphabet_max + 1, dtype=np.uint32)
        for c, i in self._alphabet.items():
            lookup[ord(c)] = i
        self._lookup = lookup
        # table[code of 3 alphabet ids] -> bit mask of the patterns a match could start there
        self._table = np.zeros(64**3, dtype=np.uint8 if len(self.patterns) <= 8 else np.uint64)
        self._branch_codes: list[list[set[int]]] = []
        for bit, sets in enumerate(prefix_sets):
            branch_codes = [{code for prefix in prefixes for code in self._codes(prefix)} for prefixes in sets]
            for codes in branch_codes:
                for code in codes:
                    self._table[code] |= 1 << bit
            self._branch_codes.append(branch_codes)
        # per pattern: {length: sorted codes of the long prefixes of that length}
        self._long_keys: list[dict[int, np.ndarray]] = []
        for sets in long_sets:
            by_length: dict[int, set[int]] = {}
            for prefix in set().union(*sets):
                by_length.setdefault(len(prefix), set()).add(_encode_long([self._alphabet[c] for c in prefix]))
            self._long_keys.append({n: np.asarray(sorted(keys), dtype=np.uint64) for n, keys in by_length.items()})
        self._sources = [_alternative_sources(p, len(sets)) for p, sets in zip(self.patterns, prefix_sets)]
        self._dispatch: list[dict[int, Pattern | None]] = [{} for _ in self.patterns]

    def _codes(self, prefix: str) -> list[int]:
        """Table codes of every 3-id window that starts with `prefix` (shorter prefixes: any tail)."""
        ids = [self._alphabet[c] for c in prefix]
        tails = [[]] if len(ids) == PREFIX else _all_tails(PREFIX - len(ids))
        return [_encode(ids + tail) for tail in tails]

    def _sub_pattern(self, which: int, code: int) -> Pattern | None:
        """The alternatives of pattern `which` that can start with window `code`, in order.

        At a position where the other alternatives cannot match, the whole pattern matches
        exactly what this smaller one matches: the first alternative, in order, that fits.
        """
        cache = self._dispatch[which]
        if code not in cache:
            keep = [i for i, codes in enumerate(self._branch_codes[which]) if code in codes]
            sources = self._sources[which]
            if not keep:
                cache[code] = None
            elif sources is None:
                cache[code] = self.patterns[which]
            else:
                cache[code] = re.compile("|".join(sources[i] for i in keep), self.patterns[which].flags)
        return cache[code]

    def count(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), len(patterns)) int64 counts, equal to len(pattern.findall(text))."""
        counts = np.zeros((len(texts), len(self.patterns)), dtype=np.int64)
        if not texts:
            return counts
        if not self.fast:
            for i, text in enumerate(texts):
                for j, pattern in enumerate(self.patterns):
                    counts[i, j] = len(pattern.findall(text))
            return counts
        # One code point array for the chunk; a NUL between texts never belongs to a prefix.
        joined = "\0".join(texts) + "\0\0"
        points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        ids = self._lookup[np.minimum(points, self._alphabet_max)]
        ids[points > self._alphabet_max] = 0
        codes = (ids[:-2] << 12) | (ids[1:-1] << 6) | ids[2:]
        masks = self._table[codes]
        starts = np.flatnonzero(masks)
        if starts.size == 0:
            return counts
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        docs = np.searchsorted(offsets, starts, side="right") - 1
        local = starts - offsets[docs]
        hit_masks = masks[starts]
        hit_codes = codes[starts]
        padded = np.concatenate((ids, np.zeros(LONG_PREFIX, dtype=ids.dtype)))
        long_codes = np.zeros(starts.size, dtype=np.uint64)
        for j in range(LONG_PREFIX):
            long_codes |= padded[starts + j].astype(np.uint64) << np.uint64(6 * (LONG_PREFIX - 1 - j))
        for which in range(len(self.patterns)):
            possible = (hit_masks & (1 << which)) != 0
            confirmed = np.zeros(starts.size, dtype=bool)
            for length, keys in self._long_keys[which].items():
                head = long_codes >> np.uint64(6 * (LONG_PREFIX - length))
                confirmed |= np.isin(head, keys)
            selected = np.flatnonzero(possible & confirmed)
            column = [0] * len(texts)
            dispatch = self._dispatch[which]
            doc_now, resume = -1, 0
            for d, s, code in zip(docs[selected].tolist(), local[selected].tolist(), hit_codes[selected].tolist()):
                if d != doc_now:
                    doc_now, resume = d, 0
                elif s < resume:
                    continue
                sub = dispatch.get(code, _MISSING)
                if sub is _MISSING:
                    sub = self._sub_pattern(which, code)
                if sub is None:
                    continue
                match = sub.match(texts[d], s)
                if match is not None:
                    column[d] += 1
                    end = match.end()
                    resume = end if end > s else s + 1
            counts[:, which] = column
        return counts


def _encode_long(ids: list[int]) -> int:
    code = 0
    for i in ids:
        code = (code << 6) | i
    return code


def _encode(ids: list[int]) -> int:
    return (ids[0] << 12) | (ids[1] << 6) | ids[2]


def _all_tails(length: int) -> list[list[int]]:
    tails: list[list[int]] = [[]]
    for _ in range(length):
        tails = [t + [i] for t in tails for i in range(64)]
    return tails


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
