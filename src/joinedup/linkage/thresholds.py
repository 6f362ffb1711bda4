"""The match-probability thresholds: every cut-off the batch linkage and the real-time match
read, in one place. Each means something different; change one only for its own reason.
"""

from __future__ import annotations

__all__ = [
    "CANDIDATE_FLOOR",
    "KEEP_FLOOR",
    "MATCH_THRESHOLD",
    "POSSIBLE_MATCH",
    "PREDICT_FLOOR",
    "REVIEW_BAND",
    "REVIEW_FLOOR",
    "VERY_LIKELY",
]

# Linked automatically at or above: on children's data a false merge (twins) is worse than a
# missed link, so only near-certainty links without a person (and a sent referral's child).
MATCH_THRESHOLD = 0.99
# Even odds: below it a pair is more likely two children than one, so it is neither queued for
# review nor allowed as a match threshold.
REVIEW_FLOOR = 0.5
# [from, to): the pairs a person decides; at or above the top the model links them.
REVIEW_BAND = (REVIEW_FLOOR, MATCH_THRESHOLD)

# A real-time candidate at least this likely is a possible match: counted (never named) when
# the viewer may not see the child, and a false alarm when the person is not in the index.
POSSIBLE_MATCH = 0.5
# A real-time candidate at least this likely is shown to the referrer as "Very likely" (below
# it, "Possible"): words for a person choosing, not a link; linking still needs MATCH_THRESHOLD.
VERY_LIKELY = 0.95
# Real-time candidates below this are not offered at all: noise, not a lead.
CANDIDATE_FLOOR = 0.01

# Batch pairs below this (and with no shared identifier or twin-guard case) are not returned:
# far from review, and most blocked pairs are plainly two people.
KEEP_FLOOR = 0.01
# Batch pairs below this are not even materialised by Splink: a cheap cut before KEEP_FLOOR.
PREDICT_FLOOR = 1e-4
