"""Path converters for the shapes of the ids in page paths, so that no page path can take
another's: `worklist/attention/` is not a child id, `referrals/new/` is not a reference, and
`referrals/<reference>/edit/` is not an action.

A child id is "C-" and 8 characters (people.models.new_child_id); referral, assessment and team
references are "R-", "A-" and "TAC-" and 8 characters. The converters accept any 8 letters or
digits in either case, and pass the text on unchanged: as before, the access layer decides
that an id it has not issued is missing (404, the denial audited), and lookups stay exact.
"""

from __future__ import annotations

_EIGHT = "[0-9A-Za-z]{8}"


class _Shape:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ChildIdConverter(_Shape):
    regex = "[Cc]-" + _EIGHT


class ReferralReferenceConverter(_Shape):
    regex = "[Rr]-" + _EIGHT


class AssessmentReferenceConverter(_Shape):
    regex = "[Aa]-" + _EIGHT


class TacReferenceConverter(_Shape):
    regex = "[Tt][Aa][Cc]-" + _EIGHT


class ReferralVerbConverter(_Shape):
    """The actions a referral's page posts (web.referrals.action_forms.ACTION_FORMS)."""

    regex = "send|acknowledge|accept|decline|close|alternative-taken-up"


# Registered by web/urls.py under these names.
CONVERTERS = {
    "child_id": ChildIdConverter,
    "referral_ref": ReferralReferenceConverter,
    "assessment_ref": AssessmentReferenceConverter,
    "tac_ref": TacReferenceConverter,
    "referral_verb": ReferralVerbConverter,
}
