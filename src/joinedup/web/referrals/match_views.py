""" "Is this child known?" on the referral form: the live match panel, re-rendered (htmx) as
the sender types the child's details, and rendered with the whole form.

Only children the viewer may see are offered (with the evidence for each); a likely match they
may not see is only counted, with the message to ask the safeguarding hub. Every match is
audited by `people.matching.child_match`.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from joinedup.access.children import visible_children
from joinedup.access.policy import Action, role_allows
from joinedup.governance.models import StaffUser
from joinedup.linkage.thresholds import VERY_LIKELY
from joinedup.people.matching import NoLinkModel, child_match
from joinedup.web.context import current_purpose, staff
from joinedup.web.referrals.forms import ChildDetailsForm


def may_refer(viewer: StaffUser) -> bool:
    return bool(viewer.agency_id) and role_allows(viewer.role, Action.MAKE_REFERRALS)


def match_panel(
    *, viewer: StaffUser, purpose: str, details: ChildDetailsForm, chosen: str
) -> dict[str, Any]:
    """The panel's content: state "empty" (too little typed), "unavailable" (no link model
    yet) or "results" with candidates [{child_id, child, likelihood, evidence}]."""
    person = details.match_person()
    chosen = chosen.strip().upper()
    try:
        result = child_match(viewer=viewer, person=person, purpose=purpose)
    except ValueError:
        return {"state": "empty", "chosen": chosen}
    except NoLinkModel:
        return {"state": "unavailable", "chosen": chosen}
    ids = [c.child_id for c in result.candidates] + ([chosen] if chosen else [])
    known = {
        c.child_id: c for c in visible_children(viewer, purpose=purpose).filter(child_id__in=ids)
    }
    candidates = [
        {
            "child_id": c.child_id,
            "child": known.get(c.child_id),
            "likelihood": "Very likely" if c.probability >= VERY_LIKELY else "Possible",
            "evidence": c.evidence,
        }
        for c in result.candidates
    ]
    if chosen in known and chosen not in {c["child_id"] for c in candidates}:
        # Chosen earlier (a saved draft) though the details now typed match it less well.
        candidates.append(
            {"child_id": chosen, "child": known[chosen], "likelihood": "Chosen", "evidence": []}
        )
    return {
        "state": "results",
        "candidates": candidates,
        "hidden_message": result.hidden_message,
        "chosen": chosen if chosen in known else "",
    }


@require_POST
def referral_match_fragment(request: HttpRequest) -> HttpResponse:
    """The match panel for the details posted (the referral form's section 1)."""
    viewer = staff(request)
    if not may_refer(viewer):
        raise Http404()
    form = ChildDetailsForm(request.POST)
    form.is_valid()  # a half-typed date of birth is left out; the rest still matches
    panel = match_panel(
        viewer=viewer,
        purpose=current_purpose(request),
        details=form,
        chosen=str(request.POST.get("child_id", "")),
    )
    return render(request, "referrals/_match.html", {"match": panel})
