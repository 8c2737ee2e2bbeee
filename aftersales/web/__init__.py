"""The web front ends: the no-code what-if app (Voilà) and the course as a static site."""
__all__ = ["app", "site"]
