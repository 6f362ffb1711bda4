"""The referrals pages: thin views over the access layer, services and selectors."""

from __future__ import annotations
