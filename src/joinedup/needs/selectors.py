"""The area's vocabulary, as configured (settings.NEEDS_VOCABULARY_FILE)."""

from __future__ import annotations

from django.conf import settings

from joinedup.needs.vocabulary import Vocabulary, vocabulary_from


def area_vocabulary() -> Vocabulary:
    return vocabulary_from(settings.NEEDS_VOCABULARY_FILE)
