"""The API's request and response bodies (django-ninja schemas), one module per router.

The OpenAPI document names a schema by its class name alone, so two classes with one name are
one component. `MatchCandidateOut` (matching, referrals) is the same shape in both; the two
`FieldErrorsOut` are not (assessments: a message per field; referrals: a list per field) and the
document shows the assessments one for both. Give a new schema a name of its own.
"""
