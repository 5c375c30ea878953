"""Stored corrections as training rows: `stance train --with-corrections`.

A correction is a real news quote with a reporter's label, so it is weighted like one
(`source` = `correction`, see selection.sample_weights) and is its own page in cross-validation.
Only the latest correction of a quote counts (the store gives one per text), and it replaces
any corpus row with the same words: the reporter's label wins.
"""

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from quote_stance.training.corpus import Corpus

if TYPE_CHECKING:  # the store (SQLAlchemy) is loaded only by the command that reads it
    from quote_stance.store.repository import Correction

SOURCE = "correction"


def same_words(text: str) -> str:
    """The key by which a correction and a corpus row are the same quote."""
    return " ".join(text.split()).casefold()


def add_corrections(corpus: Corpus, items: Sequence["Correction"]) -> dict:
    """Add `items` to `corpus` in place (dropping corpus rows they relabel); return the summary."""
    corrected = {same_words(item.text) for item in items}
    keep = [i for i, text in enumerate(corpus.texts) if same_words(text) not in corrected]
    replaced = len(corpus) - len(keep)
    for name in ("texts", "labels", "groups", "sources", "speakers", "roles"):
        values = getattr(corpus, name)
        setattr(corpus, name, [values[i] for i in keep])
    for item in items:
        corpus.texts.append(item.text)
        corpus.labels.append(item.label)
        corpus.groups.append(f"{SOURCE}:{item.id}")
        corpus.sources.append(SOURCE)
        corpus.speakers.append(item.speaker or "")
        corpus.roles.append(item.speaker_role or "")
    identity = json.dumps([[item.id, item.text, item.label] for item in items], ensure_ascii=False)
    corpus.files.append({"file": "corrections (store)", "sha256": hashlib.sha256(identity.encode()).hexdigest(),
                         "rows": len(items)})
    latest = max((item.created_at for item in items), default=None)
    return {
        "rows": len(items),
        "replaced_corpus_rows": replaced,
        "up_to": latest.isoformat(timespec="seconds") if latest else None,
    }
