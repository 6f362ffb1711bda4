"""Every page: one Django app, organised by what the user is doing.

Pages call the domain's services (writes) and the access layer and selectors (reads); the
domain never imports this package.
"""
