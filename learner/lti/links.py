"""What a resource link opens: the one place that maps a link's target to a page.

A target is `kind/id` (`lesson/public-by-default`), carried in the link's custom
parameter `target`. Each kind says how to list what a teacher may pick in the deep
linking picker, whether an id exists, where it opens and what its completion is worth.
Scenarios join with one line in `KINDS` when they exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from learner.models import LessonProgress
from lessons import get_catalog


@dataclass(frozen=True)
class Item:
    target: str
    title: str
    summary: str


@dataclass(frozen=True)
class Kind:
    label: object
    items: Callable[[], Iterable[Item]]
    exists: Callable[[str], bool]
    url: Callable[[str], str]
    # The person's score if they completed it already, else None.
    score_of: Callable[[Session, int, str], int | None]
    score_maximum: int = 100


def _lessons() -> list[Item]:
    return [Item(f"lesson/{m.id}", m.title, m.summary) for m in get_catalog().modules()]


def _lesson_score(session: Session, user_id: int, key: str) -> int | None:
    row = session.exec(
        select(LessonProgress).where(
            LessonProgress.user_id == user_id, LessonProgress.module_id == key
        )
    ).first()
    return row.best_score if row is not None and row.completed_at is not None else None


KINDS: dict[str, Kind] = {
    "lesson": Kind(
        label=_l("Lessons"),
        items=_lessons,
        exists=lambda key: get_catalog().get(key) is not None,
        url=lambda key: url_for("lessons.show", module_id=key),
        score_of=_lesson_score,
    ),
}

CUSTOM_PARAMETER = "target"


def split(target: str | None) -> tuple[Kind, str] | None:
    """The kind and id of a target, if it names something that exists."""
    if not target or "/" not in target or len(target) > 120:
        return None
    kind_name, _sep, key = target.partition("/")
    kind = KINDS.get(kind_name)
    if kind is None or not key or not kind.exists(key):
        return None
    return kind, key


def target_for(kind: str, key: str) -> str:
    return f"{kind}/{key}"


def opens(target: str | None) -> str | None:
    found = split(target)
    return found[0].url(found[1]) if found else None


def pickable() -> list[tuple[object, list[Item]]]:
    return [(kind.label, list(kind.items())) for kind in KINDS.values()]
