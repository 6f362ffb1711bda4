"""Recording assessments and outcome measures."""
