"""One router per resource; routes only translate HTTP to calls on the service layer and back.

Routers are built per app around its `ScoringService` rather than fetching it through a
FastAPI dependency: on a route that answers in a fraction of a millisecond, dependency
resolution is a measurable share of the time.
"""
