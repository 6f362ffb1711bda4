"""The referral state machine: one table of allowed status changes, and which side may make
each one. Pure rules, no database: services and the access layer both read them.

    draft -> sent -> acknowledged -> accepted | declined -> closed

Accept and decline also work straight from sent (recording the acknowledgement too). The
receiving team acknowledges, accepts, declines and closes an accepted referral; the sender
edits and sends a draft, records that a declined referral's alternative was taken up, and
closes a declined referral.
"""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.referrals.models import ReferralStatus as S

# status -> the statuses it may change to.
ALLOWED: dict[str, set[str]] = {
    S.DRAFT: {S.SENT},
    S.SENT: {S.ACKNOWLEDGED, S.ACCEPTED, S.DECLINED},
    S.ACKNOWLEDGED: {S.ACCEPTED, S.DECLINED},
    S.ACCEPTED: {S.CLOSED},
    S.DECLINED: {S.CLOSED},
    S.CLOSED: set(),
}

SENDER = "sender"
RECEIVER = "receiver"


@dataclass(frozen=True)
class Verb:
    name: str
    to_status: str  # the status it moves to ("" for a verb that keeps the status)
    from_side: dict[str, str]  # status it works from -> the side that may do it
    done: str  # "can be {done}": "accepted"
    doing: str  # "can {doing}": "accept it"


VERBS: dict[str, Verb] = {
    v.name: v
    for v in (
        Verb("edit", "", {S.DRAFT: SENDER}, "edited", "edit it"),
        Verb("send", S.SENT, {S.DRAFT: SENDER}, "sent", "send it"),
        Verb("acknowledge", S.ACKNOWLEDGED, {S.SENT: RECEIVER}, "acknowledged", "acknowledge it"),
        Verb(
            "accept",
            S.ACCEPTED,
            {S.SENT: RECEIVER, S.ACKNOWLEDGED: RECEIVER},
            "accepted",
            "accept it",
        ),
        Verb(
            "decline",
            S.DECLINED,
            {S.SENT: RECEIVER, S.ACKNOWLEDGED: RECEIVER},
            "declined",
            "decline it",
        ),
        Verb("close", S.CLOSED, {S.ACCEPTED: RECEIVER, S.DECLINED: SENDER}, "closed", "close it"),
        Verb(
            "alternative_taken_up",
            "",
            {S.DECLINED: SENDER},
            "marked as having its alternative taken up",
            "record that the alternative was taken up",
        ),
    )
}

# The table and the verbs must agree: every verb that changes status follows ALLOWED.
assert all(v.to_status in ALLOWED[s] for v in VERBS.values() if v.to_status for s in v.from_side)

_SIDE_WORDS = {SENDER: "the sender", RECEIVER: "the receiving team"}


def actions_for(
    status: str,
    *,
    sender: bool,
    receiver: bool,
    creator: bool = False,
    alternative_taken_up: bool = False,
) -> frozenset[str]:
    """The verbs a viewer on these sides may do to a referral in this status now. Someone who
    made the referral never acts for the receiving team on it (no accepting your own)."""
    sides = {SENDER} if sender else set()
    if receiver and not creator:
        sides.add(RECEIVER)
    out = set()
    for verb in VERBS.values():
        side = verb.from_side.get(status)
        if side in sides:
            if verb.name == "alternative_taken_up" and alternative_taken_up:
                continue
            out.add(verb.name)
    return frozenset(out)


def _one_of(statuses: list[str]) -> str:
    names = [S(s).label.lower() for s in statuses]
    words = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" or {names[-1]}"
    return ("an " if words[0] in "aeiou" else "a ") + words


def refusal_message(
    reference: str,
    status: str,
    verb_name: str,
    *,
    sender: bool,
    receiver: bool,
    creator: bool = False,
    alternative_taken_up: bool = False,
) -> str:
    """Why this viewer may not do `verb_name` now: the status, or their side of the referral."""
    verb = VERBS[verb_name]
    label = S(status).label.lower()
    side = verb.from_side.get(status)
    if side is None:
        order = [s for s in S.values if s in verb.from_side]
        return (
            f"Referral {reference} is {label}: only {_one_of(order)} referral can be {verb.done}."
        )
    if verb_name == "alternative_taken_up" and alternative_taken_up:
        return f"Referral {reference}: the alternative has already been recorded as taken up."
    if side == RECEIVER and creator and receiver:
        return f"Referral {reference}: you made this referral, so you cannot also {verb.doing}."
    return f"Referral {reference} is {label}: only {_SIDE_WORDS[side]} can {verb.doing}."
