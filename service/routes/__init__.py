"""One router per resource; routes only translate HTTP to calls on the service layer and back.

The service layer and the settings come through the typed dependencies of `service/deps.py`.
Routers whose request bodies carry the configured limits are built by `build(models)`.
"""
