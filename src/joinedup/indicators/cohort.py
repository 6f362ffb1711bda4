"""The characteristics the fairness report groups children by, as the agencies recorded them.

- sex: the person index's sex;
- ethnicity group: the DfE major ethnic groups of the school census ethnicity code (White,
  Mixed, Asian, Black, Chinese, Any other ethnic group; refused or not obtained = Unclassified);
- SEN status: school census SENprovision (E = EHC plan, K = SEN support, N = no SEN);
- FSM: school census FSMeligible (Y/N);
- CIN/CLA status on the date: looked after (an SSDA903 episode started and not ceased),
  else child in need (a CIN census referral accepted and its episode not closed), else neither.

The latest value any agency sent wins (school census rows first of all, as they carry these
fields). A child with no value is in the "Not known" group, so each characteristic's groups
cover every child in the cohort (the secondary suppression relies on that).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from joinedup.chronology.models import Event
from joinedup.chronology.vocabulary import EventType
from joinedup.ingest.adapters.base import column_key
from joinedup.people.models import Child, SourceRecord

DIMENSIONS = {
    "sex": "Sex",
    "ethnicity": "Ethnicity group",
    "sen": "Special educational needs",
    "fsm": "Free school meals",
    "cin_cla": "Children in need and looked after",
}
NOT_KNOWN = "Not known"
SEX = {"F": "Female", "M": "Male"}
ETHNIC_GROUPS = {"W": "White", "M": "Mixed", "A": "Asian", "B": "Black"}
SPECIFIC_ETHNICITIES = {"CHNE": "Chinese", "OOTH": "Any other ethnic group"}
UNCLASSIFIED = "Unclassified"
SEN = {"E": "EHC plan", "K": "SEN support", "N": "No SEN"}
FSM = {"Y": "FSM eligible", "N": "Not FSM eligible", "1": "FSM eligible", "0": "Not FSM eligible"}
FIELDS = {"ethnicity": "ethnicity", "sen": "senprovision", "fsm": "fsmeligible"}


def ethnicity_group(code: str) -> str:
    """The DfE major ethnic group of a school census / CIN census ethnicity code."""
    code = code.strip().upper()
    if code in SPECIFIC_ETHNICITIES:
        return SPECIFIC_ETHNICITIES[code]
    if code in ("REFU", "NOBT", ""):
        return UNCLASSIFIED
    if len(code) == 4 and code[0] in ETHNIC_GROUPS:
        return ETHNIC_GROUPS[code[0]]
    return UNCLASSIFIED


def characteristics(
    children: set[int], as_of: date, survivor: dict[int, int]
) -> dict[str, dict[int, str]]:
    """dimension -> child pk -> group label, for the given (surviving) children."""
    recorded: dict[str, dict[int, str]] = {name: {} for name in FIELDS}
    rows = (
        SourceRecord.objects.filter(child__isnull=False)
        .order_by("received_at", "pk")
        .values_list("child_id", "raw")
    )
    for child_pk, raw in rows.iterator(chunk_size=5000):
        child = survivor.get(child_pk, child_pk)
        if child not in children or not raw:
            continue
        keyed = {column_key(k): str(v) for k, v in raw.items()}
        for name, key in FIELDS.items():
            value = keyed.get(key, "").strip()
            if value:
                recorded[name][child] = value
    sex = dict(Child.objects.filter(pk__in=children).values_list("pk", "sex"))  # noqa: TID251 - aggregate
    status = cin_cla_status(as_of, survivor)
    return {
        "sex": {c: SEX.get(sex.get(c, ""), NOT_KNOWN) for c in children},
        "ethnicity": {c: ethnicity_group(recorded["ethnicity"].get(c, "")) for c in children},
        "sen": {c: SEN.get(recorded["sen"].get(c, "").upper(), NOT_KNOWN) for c in children},
        "fsm": {c: FSM.get(recorded["fsm"].get(c, "").upper(), NOT_KNOWN) for c in children},
        "cin_cla": {c: status.get(c, "Neither") for c in children},
    }


def cin_cla_status(as_of: date, survivor: dict[int, int]) -> dict[int, str]:
    """Child pk -> "Looked after" or "Child in need" on `as_of` (others absent)."""
    last_la: dict[int, str] = {}
    last_cin: dict[int, str] = {}
    rows = (
        Event.objects.filter(  # noqa: TID251 - aggregate report, guarded and audited by its callers
            child__isnull=False,
            event_type__in=[EventType.LOOKED_AFTER, EventType.REFERRAL],
            occurred_at__date__lte=as_of + timedelta(days=1),
        )
        .order_by("occurred_at", "pk")
        .values_list("child_id", "event_type", "occurred_at", "payload")
    )
    for child_pk, kind, occurred, payload in rows.iterator(chunk_size=5000):
        if timezone.localtime(occurred).date() > as_of:
            continue
        child = survivor.get(child_pk, child_pk)
        stage = (payload or {}).get("stage", "")
        if kind == EventType.LOOKED_AFTER:
            last_la[child] = stage
        elif stage == "closure":
            last_cin[child] = "closed"
        elif not (payload or {}).get("referral_nfa"):
            last_cin[child] = "open"
    out = {c: "Child in need" for c, s in last_cin.items() if s == "open"}
    out.update({c: "Looked after" for c, s in last_la.items() if s != "ceased"})
    return out
