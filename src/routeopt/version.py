"""routeopt's version, stated once (the package, the plan's summary and calendars read it)."""

__version__ = "0.1.0"
