"""The area's shared language as a practitioner reads it: the continuum's four levels, the
needs vocabulary grouped by scheme, and each agency type's own words mapped to a level."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from joinedup.governance.models import Agency, AgencyType
from joinedup.needs.selectors import area_vocabulary
from joinedup.needs.vocabulary import AgencyTerm, Need, Vocabulary


@dataclass(frozen=True)
class NeedGroup:
    label: str  # "" when the scheme's codes are not grouped
    needs: list[Need]


@dataclass(frozen=True)
class SchemeNeeds:
    scheme: str
    label: str
    groups: list[NeedGroup]


@dataclass(frozen=True)
class TermsOf:
    """One agency type's (or one agency's) words, lowest level first."""

    label: str
    terms: list[tuple[AgencyTerm, str]]  # (term, level label)


def _schemes(vocabulary: Vocabulary) -> list[SchemeNeeds]:
    out = []
    for scheme, label in vocabulary.schemes.items():
        groups: dict[str, list[Need]] = {}
        for need in vocabulary.needs:
            if need.scheme == scheme:
                groups.setdefault(need.group, []).append(need)
        out.append(SchemeNeeds(scheme, label, [NeedGroup(g, needs) for g, needs in groups.items()]))
    return out


def _terms(vocabulary: Vocabulary) -> list[TermsOf]:
    def of(terms: list[AgencyTerm]) -> list[tuple[AgencyTerm, str]]:
        ordered = sorted(terms, key=lambda t: t.level)
        return [(t, vocabulary.level_label(t.level)) for t in ordered]

    out = []
    for value, label in AgencyType.choices:
        typed = [t for t in vocabulary.terms if t.agency_type == value and not t.agency]
        if typed:
            out.append(TermsOf(str(label), of(typed)))
    own_codes = sorted({t.agency for t in vocabulary.terms if t.agency})
    names = dict(Agency.objects.filter(code__in=own_codes).values_list("code", "name"))
    for code in own_codes:
        own = [t for t in vocabulary.terms if t.agency == code]
        out.append(TermsOf(names.get(code, code), of(own)))
    return out


def continuum_reference() -> dict[str, Any]:
    vocabulary = area_vocabulary()
    return {
        "vocabulary_version": vocabulary.version,
        "levels": vocabulary.levels,
        "schemes": _schemes(vocabulary),
        "terms_by_agency": _terms(vocabulary),
    }
