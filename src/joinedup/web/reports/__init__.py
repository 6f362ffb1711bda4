"""Aggregate reports: the indicators' fairness and hit rates, and the re-referral rate."""
