"""Feature columns worked out once per distinct input value, for `prepare.py`.

A million records hold far fewer distinct names, dates, postcodes and identifiers than rows.
Each input column is factorised (a code per row, the distinct values), a feature is computed
per distinct value and spread back to the rows by the codes: as object arrays for pandas, and
as Arrow arrays for the engine (taken from the distinct values by Arrow, so the engine's table
is not rebuilt from a million Python objects). NHS numbers and UPNs are checked with numpy over
all distinct values at once; the checks are `identifiers.check_nhs_number` and `check_upn`
(permanent UPNs only, ASCII digits only), which tests/linkage/test_prepare.py holds them to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from joinedup.linkage.identifiers import UPN_CHECK_LETTERS

__all__ = ["FeatureColumns", "distinct", "pair_codes", "ranks", "text", "valid_nhs", "valid_upn"]


def text(value: object) -> str:
    """A value as stripped text: '' for None, NaN and pandas' NA."""
    if type(value) is str:
        return value.strip()
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def distinct(column: pd.Series, *, all_distinct: bool = False) -> tuple[np.ndarray, list[object]]:
    """(a code per row, the distinct values). `all_distinct`: the values hardly repeat (record
    ids), so each row is its own code and hashing them would be wasted."""
    if all_distinct:
        return np.arange(len(column)), list(column.to_numpy(dtype=object))
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return codes, list(np.asarray(uniques, dtype=object))


def pair_codes(
    left: np.ndarray, right: np.ndarray, right_count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes for the distinct (left, right) code pairs: (a code per row, and per pair code
    its left and right codes)."""
    width = max(right_count, 1)
    codes, pairs = pd.factorize(left.astype(np.int64) * width + right)
    return codes, pairs // width, pairs % width


def ranks(values: list[str]) -> np.ndarray:
    """Each string's dense rank in sorted (code point) order."""
    try:
        array = pa.array(values, type=pa.string())
    except (pa.ArrowException, UnicodeError):  # not encodable as UTF-8: sort in Python
        return np.unique(np.array(values, dtype=object), return_inverse=True)[1].reshape(-1)
    # UTF-8 byte order is code point order, the order Python sorts strings in.
    dense = pc.rank(array, sort_keys="ascending", tiebreaker="dense")
    return dense.to_numpy().astype(np.int64) - 1


class FeatureColumns:
    """Feature columns for the rows `rows` (positions in the input, in output order)."""

    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows
        self.frame: dict[str, np.ndarray] = {}
        self.arrow: dict[str, pa.Array] = {}

    def add(self, names: Sequence[str], codes: np.ndarray, per_value: Sequence[object]) -> None:
        """Columns `names` from `per_value` (one result per distinct value: a tuple with one
        item per name, or the value itself for one name) and each input row's code."""
        codes = codes[self.rows]
        take = pa.array(codes, type=pa.int64())
        columns = list(zip(*per_value, strict=True)) if len(names) > 1 else [per_value]
        columns = columns or [()] * len(names)  # no records
        for name, values in zip(names, columns, strict=True):
            column = np.empty(len(values), dtype=object)
            column[:] = values
            self.frame[name] = column[codes]
            self.arrow[name] = pa.array(list(values)).take(take)

    def compute(
        self, names: Sequence[str], column: pd.Series, function: Callable[[Any], object]
    ) -> None:
        """Columns `names` from `function` applied once per distinct value of `column`."""
        codes, uniques = distinct(column)
        self.add(names, codes, [function(u) for u in uniques])

    def frame_and_table(self, order: Sequence[str]) -> tuple[pd.DataFrame, pa.Table]:
        frame = pd.DataFrame({c: self.frame[c] for c in order}, columns=list(order))
        table = pa.Table.from_arrays([self.arrow[c] for c in order], names=list(order))
        return frame, table


def _fixed_width(values: list[str], width: int) -> tuple[np.ndarray, np.ndarray]:
    """(positions of the ASCII values `width` long, their characters as a uint8 matrix)."""
    index = np.array([i for i, v in enumerate(values) if len(v) == width and v.isascii()], int)
    chars = "".join(values[i] for i in index).encode("ascii")
    return index, np.frombuffer(chars, dtype=np.uint8).reshape(-1, width).astype(np.int64)


def _digits(chars: np.ndarray) -> np.ndarray:
    return np.asarray(((chars >= 48) & (chars <= 57)).all(axis=1))


def valid_nhs(values: list[object]) -> list[str | None]:
    """Per value: the NHS number (spaces and hyphens removed) if it is valid, else None."""
    cleaned = ["".join(text(v).split()).replace("-", "") for v in values]
    index, chars = _fixed_width(cleaned, 10)
    digits = chars - 48
    check = 11 - (digits[:, :9] @ np.arange(10, 1, -1)) % 11
    ok = _digits(chars) & ~(digits == digits[:, :1]).all(axis=1) & (check != 10)
    ok &= np.where(check == 11, 0, check) == digits[:, 9]
    out: list[str | None] = [None] * len(values)
    for i in index[ok]:
        out[i] = cleaned[i]
    return out


_UPN_LETTERS = np.frombuffer(UPN_CHECK_LETTERS.encode("ascii"), dtype=np.uint8).astype(np.int64)


def valid_upn(values: list[object]) -> list[str | None]:
    """Per value: the UPN (upper case) if it is a valid permanent UPN, else None. Temporary
    UPNs (a letter last) are not evidence of identity."""
    cleaned = [text(v).upper() for v in values]
    index, chars = _fixed_width(cleaned, 13)
    total = (chars[:, 1:] - 48) @ np.arange(2, 14)
    ok = _digits(chars[:, 1:]) & (_UPN_LETTERS[total % 23] == chars[:, 0])
    out: list[str | None] = [None] * len(values)
    for i in index[ok]:
        out[i] = cleaned[i]
    return out
