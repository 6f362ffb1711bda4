"""The trained model's comparison levels, evaluated in Python for one pair at a time.

Real-time matching scores a few hundred candidate records per query, too few for a SQL
engine to pay for itself. This module holds, for every comparison level `model.py` defines,
a Python predicate that says the same thing as the level's SQL (as Splink saves it in the
model JSON), and scores a pair exactly as Splink does: the first level whose condition holds
sets the comparison vector value (gamma) and adds its match weight, log2(m / u).

The predicates are keyed by the level's SQL text. A model holding a level this module does
not know (someone changed or added a level in `model.py`) cannot be loaded: `LevelScorer`
raises `UnknownLevel` naming it, and the consistency test (tests/linkage/
test_candidate_index.py) checks every level against Splink's own output.

Jaro-Winkler and Damerau-Levenshtein come from rapidfuzz, whose implementations are the ones
DuckDB ships (same author, same algorithm), so thresholds fall the same way.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from joinedup.linkage.model import within_one_edit

__all__ = ["LEVELS", "LevelScorer", "Record", "UnknownLevel"]

Record = Mapping[str, Any]  # one record's prepared features (prepare.FEATURE_COLUMNS)
Predicate = Callable[[Record, Record], bool]


class UnknownLevel(ValueError):
    """The model holds a comparison level with no Python implementation here."""


def _set(value: Any) -> frozenset[Any]:
    return frozenset(value) if value is not None else frozenset()


def _eq(a: Any, b: Any) -> bool:
    """SQL `a = b`: false (null) when either side is null."""
    return a is not None and b is not None and a == b


def _jw(a: Any, b: Any) -> float:
    if a is None or b is None:
        return -1.0  # SQL null: no threshold holds
    return float(JaroWinkler.similarity(a, b, prefix_weight=0.1))


def _dl(a: Any, b: Any) -> int:
    if a is None or b is None:
        return 1 << 30
    return int(DamerauLevenshtein.distance(a, b))


def _intersect(a: Any, b: Any) -> bool:
    """`array_length(list_intersect(a, b)) >= 1`."""
    return a is not None and b is not None and not _set(a).isdisjoint(_set(b))


def _contains(values: Any, item: Any) -> bool:
    """`list_contains(values, item)`."""
    return values is not None and item is not None and item in values


def _null(column: str) -> Predicate:
    return lambda left, right: left[column] is None or right[column] is None


def _exact(column: str) -> Predicate:
    return lambda left, right: _eq(left[column], right[column])


def _initial(left: Record, right: Record) -> bool:
    x, y = left["first_name"], right["first_name"]
    if x is None or y is None:
        return False
    return (len(x) == 1 or len(y) == 1) and x[:1] == y[:1]


def _location_null(left: Record, right: Record) -> bool:
    return (left["postcode"] is None and left["address"] is None) or (
        right["postcode"] is None and right["address"] is None
    )


_SIMILAR_ADDRESS = (
    "coalesce(address_number_l, '') = coalesce(address_number_r, '') "
    "and jaro_winkler_similarity(address_l, address_r) >= 0.9"
)


def _similar_address(left: Record, right: Record) -> bool:
    """One house number (or none on both sides) and addresses spelt about the same."""
    same_number = (left["address_number"] or "") == (right["address_number"] or "")
    return same_number and _jw(left["address"], right["address"]) >= 0.9


def _one_edit(column: str) -> Predicate:
    return lambda left, right: _dl(left[column], right[column]) <= 1


def _close_first_name(left: Record, right: Record) -> bool:
    x, y = left["first_name"], right["first_name"]
    return _jw(x, y) >= 0.92 or _dl(x, y) <= 1


def _else(left: Record, right: Record) -> bool:
    return True


# Comparison -> the level's SQL as Splink saves it -> the same condition in Python.
LEVELS: dict[str, dict[str, Predicate]] = {
    "first_name": {
        "first_name_l is null or first_name_r is null": _null("first_name"),
        "first_name_l = first_name_r": _exact("first_name"),
        'array_length(list_intersect("first_name_canon_l", "first_name_canon_r")) >= 1': (
            lambda left, right: _intersect(left["first_name_canon"], right["first_name_canon"])
        ),
        # Models saved before the level's SQL was rewritten for speed: the same condition.
        '(jaro_winkler_similarity("first_name_l", "first_name_r") >= 0.92) OR '
        '(damerau_levenshtein("first_name_l", "first_name_r") <= 1)': _close_first_name,
        "jaro_winkler_similarity(first_name_l, first_name_r) >= 0.92 or "
        + within_one_edit("first_name"): _close_first_name,
        "list_contains(given_tokens_r, first_name_l) or "
        "list_contains(given_tokens_l, first_name_r)": (
            lambda left, right: (
                _contains(right["given_tokens"], left["first_name"])
                or _contains(left["given_tokens"], right["first_name"])
            )
        ),
        "first_name_l = family_name_r or first_name_r = family_name_l": (
            lambda left, right: (
                _eq(left["first_name"], right["family_name"])
                or _eq(right["first_name"], left["family_name"])
            )
        ),
        "jaro_winkler_similarity(first_name_l, first_name_r) >= 0.8 or "
        "first_name_sx_l = first_name_sx_r": (
            lambda left, right: (
                _jw(left["first_name"], right["first_name"]) >= 0.8
                or _eq(left["first_name_sx"], right["first_name_sx"])
            )
        ),
        "(length(first_name_l) = 1 or length(first_name_r) = 1) and "
        "substr(first_name_l, 1, 1) = substr(first_name_r, 1, 1)": _initial,
        "ELSE": _else,
    },
    "family_name": {
        "family_name_l is null or family_name_r is null": _null("family_name"),
        "family_name_l = family_name_r": _exact("family_name"),
        'array_length(list_intersect("family_name_parts_l", "family_name_parts_r")) >= 1': (
            lambda left, right: _intersect(left["family_name_parts"], right["family_name_parts"])
        ),
        'jaro_winkler_similarity("family_name_l", "family_name_r") >= 0.92': (
            lambda left, right: _jw(left["family_name"], right["family_name"]) >= 0.92
        ),
        "family_name_l = first_name_r or family_name_r = first_name_l": (
            lambda left, right: (
                _eq(left["family_name"], right["first_name"])
                or _eq(right["family_name"], left["first_name"])
            )
        ),
        "jaro_winkler_similarity(family_name_l, family_name_r) >= 0.8 or "
        "family_name_sx_l = family_name_sx_r": (
            lambda left, right: (
                _jw(left["family_name"], right["family_name"]) >= 0.8
                or _eq(left["family_name_sx"], right["family_name_sx"])
            )
        ),
        "ELSE": _else,
    },
    "middle_names": {
        "middle_names_l is null or middle_names_r is null": _null("middle_names"),
        "middle_names_l = middle_names_r": _exact("middle_names"),
        'jaro_winkler_similarity("middle_names_l", "middle_names_r") >= 0.88': (
            lambda left, right: _jw(left["middle_names"], right["middle_names"]) >= 0.88
        ),
        "ELSE": _else,
    },
    "dob": {
        "dob_l is null or dob_r is null": _null("dob"),
        "dob_l = dob_r": _exact("dob"),
        # Swapping day and month is its own inverse, so either direction says the same.
        "dob_swap_l = dob_r": lambda left, right: _eq(left["dob_swap"], right["dob"]),
        'damerau_levenshtein("dob_l", "dob_r") <= 1': _one_edit("dob"),
        within_one_edit("dob"): _one_edit("dob"),
        "dob_year_l = dob_year_r": _exact("dob_year"),
        "ELSE": _else,
    },
    "sex": {
        "sex_l is null or sex_r is null": _null("sex"),
        "sex_l = sex_r": _exact("sex"),
        "ELSE": _else,
    },
    "location": {
        "(postcode_l is null and address_l is null) or "
        "(postcode_r is null and address_r is null)": _location_null,
        "postcode_l = postcode_r and address_l = address_r": (
            lambda left, right: (
                _eq(left["postcode"], right["postcode"]) and _eq(left["address"], right["address"])
            )
        ),
        f"postcode_l = postcode_r and {_SIMILAR_ADDRESS}": (
            lambda left, right: (
                _eq(left["postcode"], right["postcode"]) and _similar_address(left, right)
            )
        ),
        "postcode_l = postcode_r": _exact("postcode"),
        "address_l = address_r": _exact("address"),
        _SIMILAR_ADDRESS: lambda left, right: _similar_address(left, right),
        within_one_edit("postcode"): _one_edit("postcode"),
        "postcode_sector_l = postcode_sector_r": _exact("postcode_sector"),
        "postcode_district_l = postcode_district_r": _exact("postcode_district"),
        "ELSE": _else,
    },
    "nhs_number": {
        "nhs_number_l is null or nhs_number_r is null": _null("nhs_number"),
        "nhs_number_l = nhs_number_r": _exact("nhs_number"),
        "ELSE": _else,
    },
    "upn_set": {
        "upn_set_l is null or upn_set_r is null": _null("upn_set"),
        'array_length(list_intersect("upn_set_l", "upn_set_r")) >= 1': (
            lambda left, right: _intersect(left["upn_set"], right["upn_set"])
        ),
        "ELSE": _else,
    },
    "la_child_id": {
        "la_child_id_l is null or la_child_id_r is null": _null("la_child_id"),
        "la_child_id_l = la_child_id_r": _exact("la_child_id"),
        "ELSE": _else,
    },
    "other_id": {
        "other_id_l is null or other_id_r is null": _null("other_id"),
        "other_id_l = other_id_r": _exact("other_id"),
        within_one_edit("other_id"): _one_edit("other_id"),
        "ELSE": _else,
    },
}


def _sql_key(sql: str) -> str:
    return " ".join(sql.split())


@dataclass(frozen=True)
class _Level:
    label: str
    predicate: Predicate
    gamma: int  # Splink's comparison vector value: -1 for null, 0 for the else level
    weight: float  # log2(m / u); 0 for the null level


@dataclass(frozen=True)
class _Comparison:
    name: str
    levels: tuple[_Level, ...]
    reads: tuple[str, ...]  # the feature columns its levels read


class _Recorder(dict[str, Any]):
    """A record that notes which columns are read."""

    def __init__(self, value: Any, seen: set[str]) -> None:
        super().__init__()
        self.value, self.seen = value, seen

    def __getitem__(self, key: str) -> Any:
        self.seen.add(key)
        return self.value


def _reads(levels: list[_Level]) -> tuple[str, ...]:
    """The columns a comparison's levels read: every level called on equal and on
    different values, so each branch of each condition is taken at least once."""
    seen: set[str] = set()
    for a, b in (("x", "x"), ("x", "y"), (("x",), ("x",)), (("x",), ("y",)), ("x", None)):
        for level in levels:
            try:
                level.predicate(_Recorder(a, seen), _Recorder(b, seen))
                level.predicate(_Recorder(b, seen), _Recorder(a, seen))
            except (TypeError, AttributeError):
                continue  # a value of the wrong shape for this column: other pairs cover it
    return tuple(sorted(seen))


def _level_weight(level: Mapping[str, Any]) -> float:
    m, u = level.get("m_probability"), level.get("u_probability")
    if not isinstance(m, int | float) or not isinstance(u, int | float):
        return 0.0  # Splink treats an untrained level as no evidence (Bayes factor 1)
    if m <= 0:
        return -math.inf
    if u <= 0:
        return math.inf
    return math.log2(m / u)


class LevelScorer:
    """Scores pairs with a saved Splink model's comparisons and weights, in Python."""

    def __init__(self, model: str | Mapping[str, Any]) -> None:
        settings = json.loads(model) if isinstance(model, str) else model
        prior = float(settings.get("probability_two_random_records_match") or 0.0)
        if not 0 < prior < 1:
            raise UnknownLevel(f"the model's prior match probability {prior} is not in (0, 1)")
        self.prior_weight = math.log2(prior / (1 - prior))
        comparisons = []
        for comparison in settings["comparisons"]:
            name = comparison["output_column_name"]
            known = LEVELS.get(name)
            if known is None:
                raise UnknownLevel(f"comparison {name!r} has no Python implementation")
            raw = comparison["comparison_levels"]
            non_null = [lv for lv in raw if not lv.get("is_null_level")]
            levels = []
            rank = len(non_null) - 1
            for level in raw:
                sql = _sql_key(level["sql_condition"])
                label = str(level.get("label_for_charts", sql))
                if level.get("tf_adjustment_column"):
                    raise UnknownLevel(f"{name} level {label!r}: term frequencies not supported")
                predicate = known.get(sql)
                if predicate is None:
                    raise UnknownLevel(
                        f"{name} level {label!r} ({sql}) has no Python implementation in "
                        "joinedup.linkage.levels: add one that says the same as the SQL"
                    )
                if level.get("is_null_level"):
                    levels.append(_Level(label, predicate, -1, 0.0))
                else:
                    levels.append(_Level(label, predicate, rank, _level_weight(level)))
                    rank -= 1
            comparisons.append(_Comparison(name, tuple(levels), _reads(levels)))
        self.comparisons: tuple[_Comparison, ...] = tuple(comparisons)
        self.names: tuple[str, ...] = tuple(c.name for c in comparisons)
        self._getters = [operator.itemgetter(*c.reads) for c in comparisons]

    def score(self, left: Record, right: Record) -> tuple[list[int], float]:
        """(gamma per comparison, in `names` order; total match weight with the prior)."""
        gammas = []
        weight = self.prior_weight
        for comparison in self.comparisons:
            for level in comparison.levels:
                if level.predicate(left, right):
                    gammas.append(level.gamma)
                    weight += level.weight
                    break
            else:  # pragma: no cover - every comparison ends with an ELSE level
                gammas.append(0)
        return gammas, weight

    def score_against(
        self, record: Record, query: Record, memo: list[dict[Any, tuple[int, float]]]
    ) -> tuple[list[int], float]:
        """`score(record, query)` for many records against one query, remembering each
        comparison's result by the record's values of the columns it reads (`memo`: one
        `new_memo()` per query), so records sharing a date of birth or postcode are compared
        once."""
        gammas = []
        weight = self.prior_weight
        for comparison, held_by, read in zip(self.comparisons, memo, self._getters, strict=True):
            key = read(record)
            held = held_by.get(key)
            if held is None:
                held = (0, 0.0)
                for level in comparison.levels:
                    if level.predicate(record, query):
                        held = (level.gamma, level.weight)
                        break
                held_by[key] = held
            gammas.append(held[0])
            weight += held[1]
        return gammas, weight

    def new_memo(self) -> list[dict[Any, tuple[int, float]]]:
        return [{} for _ in self.comparisons]
