"""The helhedsplan pages. Thin views: the lifecycle, decisions, content and review modules do the work."""

from helhedsplaner.views.home import home

__all__ = ["home"]
