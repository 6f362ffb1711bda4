"""Worklists: early-warning flags, "nobody gripping it" and the viewer's notifications."""
