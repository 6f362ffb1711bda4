"""Loading agency extracts (data analysts only)."""
