"""The blueprints: thin views that load, authorize, validate, call a service and redirect."""

from __future__ import annotations

from learner.views import (
    admin,
    auth,
    class_scenarios,
    classroom,
    coach,
    groups,
    learning,
    lessons,
    lti,
    main,
    oneroster,
    practice,
    roster,
    scenarios,
    supervision,
    workplace,
)

BLUEPRINTS = (
    main.bp,
    auth.bp,
    groups.bp,
    lessons.bp,
    supervision.bp,
    practice.bp,
    classroom.bp,
    class_scenarios.bp,
    roster.bp,
    workplace.bp,
    coach.bp,
    scenarios.bp,
    scenarios.try_bp,
    admin.bp,
    lti.bp,
    lti.admin_bp,
    oneroster.bp,
    learning.bp,
)
