from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ParsedEntry:
    """One question read from a document, before validation against the bank.

    `data` is a mapping in the YAML entry format (see fixtures/questionbank/README.md);
    plain-text documents give one language only, a heading as a topic hint and
    no key, and become drafts.
    """

    line: int
    data: dict[str, Any]
    topic_hint: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
