"""Signing in, the home page, the working purpose, sharing agreements, the viewer's access
history and information governance's break-glass review."""
