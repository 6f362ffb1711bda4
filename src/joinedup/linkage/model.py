"""The Fellegi-Sunter model (Splink): comparisons, blocking rules, training, save and load.

Every comparison has explicit levels, most specific first, so an analyst can read what each
level means and what it is worth. The SQL uses Splink's level creators (translated to each
backend by Splink) or plain SQL that DuckDB and Spark share, so the same settings run on the
DuckDB engine now and on Spark later.

Training needs no labels: u from random sampling, m by expectation maximisation over two
blocking rules (each trains the comparisons it does not block on), and the prior from
deterministic rules. Level labels are part of the public contract: `rules.py` refers to
levels by label, never by position.
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any

import splink.comparison_level_library as cll
from splink import Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.comparison_library import CustomComparison
from splink.internals.exceptions import EMTrainingException

logger = logging.getLogger(__name__)

__all__ = [
    "COMPARISONS",
    "LINK_TYPES",
    "gamma_of",
    "linker_settings",
    "load_linker",
    "model_json",
    "model_parameters",
    "regularise",
    "train_model",
]


def _null(*columns: str) -> Any:
    sql = " or ".join(f"{c}_l is null or {c}_r is null" for c in columns)
    return cll.CustomLevel(sql, "null").configure(is_null_level=True)


def _level(sql: str, label: str) -> cll.CustomLevel:
    return cll.CustomLevel(sql, label, base_dialect_str="duckdb")


def _named(level: Any, label: str) -> Any:
    return level.configure(label_for_charts=label)


def within_one_edit(column: str) -> str:
    """SQL: the two values are at most one edit apart (Damerau-Levenshtein <= 1: one letter
    added, dropped, changed, or two neighbours swapped).

    The same as `damerau_levenshtein(a, b) <= 1`, about twenty times cheaper in DuckDB: plain
    Levenshtein first (one edit), and Damerau-Levenshtein only where a swap of neighbours is
    still possible (equal lengths, Levenshtein exactly 2)."""
    a, b = f"{column}_l", f"{column}_r"
    return (
        f"case when levenshtein({a}, {b}) <= 1 then true "
        f"when length({a}) = length({b}) and levenshtein({a}, {b}) = 2 "
        f"then damerau_levenshtein({a}, {b}) <= 1 else false end"
    )


def _first_name() -> CustomComparison:
    return CustomComparison(
        [
            _null("first_name"),
            _level("first_name_l = first_name_r", "exact"),
            _named(cll.ArrayIntersectLevel("first_name_canon"), "nickname"),
            _level(
                "jaro_winkler_similarity(first_name_l, first_name_r) >= 0.92 or "
                + within_one_edit("first_name"),
                "close spelling",
            ),
            _level(
                "list_contains(given_tokens_r, first_name_l) "
                "or list_contains(given_tokens_l, first_name_r)",
                "known by another given name",
            ),
            _level(
                "first_name_l = family_name_r or first_name_r = family_name_l",
                "swapped with family name",
            ),
            _level(
                "jaro_winkler_similarity(first_name_l, first_name_r) >= 0.8 "
                "or first_name_sx_l = first_name_sx_r",
                "similar",
            ),
            _level(
                "(length(first_name_l) = 1 or length(first_name_r) = 1) "
                "and substr(first_name_l, 1, 1) = substr(first_name_r, 1, 1)",
                "initial",
            ),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
        output_column_name="first_name",
    )


def _family_name() -> CustomComparison:
    return CustomComparison(
        [
            _null("family_name"),
            _level("family_name_l = family_name_r", "exact"),
            _named(cll.ArrayIntersectLevel("family_name_parts"), "shared part"),
            _named(cll.JaroWinklerLevel("family_name", 0.92), "close spelling"),
            _level(
                "family_name_l = first_name_r or family_name_r = first_name_l",
                "swapped with first name",
            ),
            _level(
                "jaro_winkler_similarity(family_name_l, family_name_r) >= 0.8 "
                "or family_name_sx_l = family_name_sx_r",
                "similar",
            ),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
        output_column_name="family_name",
    )


def _middle_names() -> CustomComparison:
    return CustomComparison(
        [
            _null("middle_names"),
            _level("middle_names_l = middle_names_r", "exact"),
            _named(cll.JaroWinklerLevel("middle_names", 0.88), "similar"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
        output_column_name="middle_names",
    )


def _dob() -> CustomComparison:
    return CustomComparison(
        [
            _null("dob"),
            _level("dob_l = dob_r", "exact"),
            _level("dob_swap_l = dob_r", "day and month swapped"),
            _level(within_one_edit("dob"), "one digit"),
            _level("dob_year_l = dob_year_r", "same year"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
        output_column_name="dob",
    )


def _sex() -> CustomComparison:
    return CustomComparison(
        [
            _null("sex"),
            _level("sex_l = sex_r", "exact"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
        output_column_name="sex",
    )


def _location() -> CustomComparison:
    # One house number (or none on either side) and the rest spelt about the same: FEBRL-style
    # keying errors in one home's address, never two houses in one street.
    similar_address = (
        "coalesce(address_number_l, '') = coalesce(address_number_r, '') "
        "and jaro_winkler_similarity(address_l, address_r) >= 0.9"
    )
    both_missing = (
        "(postcode_l is null and address_l is null) or (postcode_r is null and address_r is null)"
    )
    return CustomComparison(
        [
            cll.CustomLevel(both_missing, "null").configure(is_null_level=True),
            _level("postcode_l = postcode_r and address_l = address_r", "same address"),
            _level(
                f"postcode_l = postcode_r and {similar_address}", "same postcode, similar address"
            ),
            _level("postcode_l = postcode_r", "same postcode"),
            _level("address_l = address_r", "same street address"),
            _level(similar_address, "similar address"),
            _level(within_one_edit("postcode"), "postcode one character different"),
            _level("postcode_sector_l = postcode_sector_r", "same postcode sector"),
            _level("postcode_district_l = postcode_district_r", "same postcode district"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
        output_column_name="location",
    )


def _identifier(column: str, *, array: bool = False) -> CustomComparison:
    same = (
        _named(cll.ArrayIntersectLevel(column), "same")
        if array
        else _level(f"{column}_l = {column}_r", "same")
    )
    return CustomComparison(
        [_null(column), same, cll.ElseLevel().configure(label_for_charts="different")],
        output_column_name=column,
    )


def _other_identifier() -> CustomComparison:
    """Another identifier an agency holds (optional). Evidence for the model only, never
    decisive: it may carry keying errors, so one character different is its own level."""
    return CustomComparison(
        [
            _null("other_id"),
            _level("other_id_l = other_id_r", "same"),
            _level(within_one_edit("other_id"), "one character different"),
            cll.ElseLevel().configure(label_for_charts="different"),
        ],
        output_column_name="other_id",
    )


def comparisons() -> list[Any]:
    return [
        _first_name(),
        _family_name(),
        _middle_names(),
        _dob(),
        _sex(),
        _location(),
        _identifier("nhs_number"),
        _identifier("upn_set", array=True),
        _identifier("la_child_id"),
        _other_identifier(),
    ]


# Output column -> level labels, most specific first (the null level is not counted).
COMPARISONS: dict[str, tuple[str, ...]] = {
    "first_name": (
        "exact",
        "nickname",
        "close spelling",
        "known by another given name",
        "swapped with family name",
        "similar",
        "initial",
        "different",
    ),
    "family_name": (
        "exact",
        "shared part",
        "close spelling",
        "swapped with first name",
        "similar",
        "different",
    ),
    "middle_names": ("exact", "similar", "different"),
    "dob": ("exact", "day and month swapped", "one digit", "same year", "different"),
    "sex": ("exact", "different"),
    "location": (
        "same address",
        "same postcode, similar address",
        "same postcode",
        "same street address",
        "similar address",
        "postcode one character different",
        "same postcode sector",
        "same postcode district",
        "different",
    ),
    "nhs_number": ("same", "different"),
    "upn_set": ("same", "different"),
    "la_child_id": ("same", "different"),
    "other_id": ("same", "one character different", "different"),
}
IDENTIFIERS = ("nhs_number", "upn_set", "la_child_id")


def gamma_of(comparison: str, label: str) -> int:
    """Splink's comparison vector value for a level: the else level is 0, null is -1."""
    labels = COMPARISONS[comparison]
    return len(labels) - 1 - labels.index(label)


def prediction_blocking_rules() -> list[Any]:
    return [
        block_on("nhs_number"),
        block_on("upn_set", arrays_to_explode=["upn_set"]),
        block_on("la_child_id"),
        block_on("other_id"),
        block_on("dob", "family_name_sx"),
        block_on("dob", "first_name_key"),
        block_on("first_name_key", "family_name_sx", "dob_year"),
        block_on("first_name_key", "family_name_sx", "postcode_district"),
        block_on("postcode", "first_name_sx"),
        block_on("dob", "postcode"),
        CustomRule("l.dob_swap = r.dob and l.family_name_sx = r.family_name_sx"),
        CustomRule("l.first_name = r.family_name and l.family_name = r.first_name"),
    ]


LINK_TYPES = ("dedupe_and_link", "link_only")


def _splink_link_type(link_type: str) -> dict[str, Any]:
    """Splink's settings for a link type.

    `dedupe_and_link` (the default): every record is compared with every other, within an
    agency too, because one agency can hold the same child twice. `link_only`: records are
    compared only across agencies (Splink's link_only with the agency as source dataset), for
    sources already free of duplicates, such as the FEBRL benchmark files.
    """
    if link_type not in LINK_TYPES:
        raise ValueError(f"link_type must be one of {', '.join(LINK_TYPES)}, not {link_type!r}")
    if link_type == "link_only":
        return {"link_type": "link_only", "source_dataset_column_name": "agency"}
    return {"link_type": "dedupe_only"}


def linker_settings(link_type: str = "dedupe_and_link") -> SettingsCreator:
    return SettingsCreator(
        **_splink_link_type(link_type),
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=prediction_blocking_rules(),
        retain_matching_columns=True,  # gamma_* for the rules
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=[],
        em_convergence=0.0001,
        max_iterations=25,
    )


def train_model(
    sdf: Any,
    *,
    records: int,
    seed: int = 42,
    link_type: str = "dedupe_and_link",
    other_id: bool = False,
) -> dict[str, Any]:
    """Train on the registered feature table; return Splink's model dict, regularised.

    The prior from deterministic rules, u by random sampling, m by EM. A session whose
    blocking rule finds no pairs in this data (say no postcode districts) is skipped, and the
    model as it was before that session is kept. Training cost is capped, not proportional
    to the area: u from at most U_PAIRS random pairs, each EM session on at most EM_PAIRS
    blocked pairs (Splink samples records to stay under it). `other_id`: some records hold
    another identifier, so one more session trains on pairs sharing it.
    """
    linker = Linker(sdf, linker_settings(link_type), log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("nhs_number"),
            block_on("upn"),
            block_on("la_child_id"),
            block_on("other_id"),
            block_on("first_name", "family_name", "dob"),
        ],
        recall=0.8,
    )
    u_pairs = float(min(U_PAIRS, max(1e6, records * 20)))
    # One chunk: Splink's default (10) runs a probe and up to ten queries; on Spark each
    # query has a fixed cost of seconds, and on DuckDB two million pairs fit in one.
    linker.training.estimate_u_using_random_sampling(
        max_pairs=u_pairs, seed=seed, num_chunks=U_CHUNKS
    )
    em_pairs = float(max(2e5, min(EM_PAIRS, records * 5)))
    # Each session trains the comparisons its blocking rule does not use; together they
    # cover every comparison, and each keeps twins (different first names) mostly out of
    # the blocks that train the name comparisons.
    sessions = [
        block_on("dob", "family_name_sx"),
        block_on("first_name_key", "family_name", "postcode"),
        block_on("dob", "first_name_key"),
    ]
    if other_id:
        # Another identifier trains every other comparison on pairs that no name, date or
        # home picked (FEBRL's swapped names, replaced dates of birth). Never a household
        # block: siblings share a home, and EM would learn them as matches.
        sessions.append(block_on("other_id"))
    for rule in sessions:
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=em_pairs
            )
        except (EMTrainingException, ValueError) as error:
            # No pairs for this rule, or a level's m driven below what float64 holds (Splink
            # refuses m < 1e-300: a level that rare among matches in a small area).
            logger.warning("EM session skipped: %s", str(error).splitlines()[0])
            linker = Linker(sdf, before, log_level=logging.ERROR)
    saved = linker.misc.save_model_to_json()
    return regularise(saved)


U_PAIRS = 2e6  # random pairs for u: enough to see levels as rare as 1 in a million
EM_PAIRS = 1e6  # blocked pairs per EM session
U_CHUNKS = 1  # queries that share the u sample
M_FLOOR = 1e-3  # no level is treated as impossible for a true match: data entry errors happen


def regularise(model: dict[str, Any]) -> dict[str, Any]:
    """Fill levels training could not observe and floor m, so no weight is +/- infinity.

    m below M_FLOOR (or unobserved) becomes M_FLOOR: one keying error should cost a lot of
    evidence, not all of it. An unobserved u becomes the level's m, so a level training never
    saw carries no evidence either way (weight 0) rather than an invented one.
    """
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for level in levels:
            m = level.get("m_probability")
            u = level.get("u_probability")
            level["m_probability"] = max(m, M_FLOOR) if isinstance(m, int | float) else M_FLOOR
            if not isinstance(u, int | float) or u <= 0:
                level["u_probability"] = level["m_probability"]
    return model


def load_linker(sdf: Any, model: str | dict[str, Any], link_type: str | None = None) -> Linker:
    """A linker over `sdf` with a saved model; `link_type` (if given) overrides the saved one."""
    settings = dict(json.loads(model) if isinstance(model, str) else model)
    if link_type is not None:
        settings.pop("source_dataset_column_name", None)
        settings.update(_splink_link_type(link_type))
    return Linker(sdf, settings, log_level=None)


def model_json(linker: Linker) -> str:
    """Splink's saved model (save_model_to_json) as text, without the per-run linker id."""
    saved = linker.misc.save_model_to_json()
    saved.pop("linker_uid", None)
    return json.dumps(saved, sort_keys=True)


def _weight(m: Any, u: Any) -> float | None:
    if not isinstance(m, int | float) or not isinstance(u, int | float):
        return None
    if m <= 0:
        return -math.inf
    if u <= 0:
        return math.inf
    return math.log2(m / u)


def model_parameters(model: str | dict[str, Any]) -> dict[str, Any]:
    """The trained model as plain data for an analyst: prior, then each level's m, u, weight."""
    settings = json.loads(model) if isinstance(model, str) else model
    prior = float(settings.get("probability_two_random_records_match") or 0.0)
    out: dict[str, Any] = {
        "probability_two_random_records_match": prior,
        "prior_match_weight": math.log2(prior / (1 - prior)) if 0 < prior < 1 else None,
        "comparisons": {},
    }
    for comparison in settings["comparisons"]:
        levels = []
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            levels.append(
                {
                    "label": level.get("label_for_charts", level["sql_condition"]),
                    "m": m,
                    "u": u,
                    "match_weight": _weight(m, u),
                }
            )
        out["comparisons"][comparison["output_column_name"]] = levels
    return out
