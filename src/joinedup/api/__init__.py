"""The HTTP API: a NinjaAPI with session authentication, and router mounting only."""

from joinedup.api.main import api

__all__ = ["api"]
