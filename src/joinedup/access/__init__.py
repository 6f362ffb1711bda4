"""The access layer: the only way child data is read or written. Deny by default; audit all."""
