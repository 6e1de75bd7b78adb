"""The blueprints: thin views that load, authorize, validate, call a service and redirect."""
