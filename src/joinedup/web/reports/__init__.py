"""Aggregate reports: the indicators' fairness and hit rates, and referral timeliness."""
