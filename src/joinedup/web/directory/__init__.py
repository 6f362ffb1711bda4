"""The service directory, its Open Referral UK import and the area's continuum of need."""
