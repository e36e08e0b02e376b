"""The language an answer is written in (py3langid: langid.py's model inside the
wheel, numpy only, nothing downloaded).

The instructions ask for answers in the question's language, so an answer in
another language is never correct. The whole answer is classified at once:
support answers mix languages by nature (a Russian answer names "Settings →
Security", "WebDAV", error codes), and whole-text identification gets every
entry of the bundled knowledge base right, where sentence-by-sentence voting
mislabels short Russian sentences full of product names
(tests/takehome/test_language.py checks the knowledge base). The candidate
languages include the main Latin-script ones besides English so that an answer
in French is French, not "English" (an injection may ask for a translation).
"""

from __future__ import annotations

import threading
from typing import Any

# Ukrainian is left out on purpose: short Russian questions ("Как обновить Люмо
# Драйв на Debian?") come out Ukrainian, and no task here is in Ukrainian.
LANGUAGES = ("en", "ru", "fr", "de", "es", "it")
_lock = threading.Lock()
_identifier: Any = None


def _model() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import _load_identifier  # the package's own loader of its bundled model

            _identifier = _load_identifier(norm_probs=True, langs=list(LANGUAGES))
        return _identifier


def answer_language(text: str) -> str:
    """The language code of `text`; "" when it has no letters to judge by."""
    if not any(character.isalpha() for character in text):
        return ""
    language, _probability = _model().classify(text)
    return str(language)
