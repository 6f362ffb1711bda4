"""The HTTP API: every router (one module per topic), its schemas (`schemas/`) and `auth`
(who is asking, under which purpose). `main` builds the NinjaAPI and mounts the routers.
Domain apps never import this package; the routers call their services and selectors."""

from joinedup.api.main import api

__all__ = ["api"]
