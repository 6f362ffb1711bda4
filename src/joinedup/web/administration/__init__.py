"""Pages for the people who run the area: the administrator (agencies, teams, staff) and
information governance (sharing agreements' life, the audit search)."""
