"""Linkage review for data analysts: the clerical review queue, decisions, a child's link
history and the linkage runs."""
