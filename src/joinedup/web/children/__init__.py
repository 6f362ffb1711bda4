"""Finding a child, the child's record, and emergency (break-glass) access."""
