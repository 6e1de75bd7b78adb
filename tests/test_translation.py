"""A translated content file keeps the English structure and translates every text."""

from __future__ import annotations

from lessons.translation import differences

ENGLISH = {
    "id": "home-alone",
    "lang": "en",
    "minutes": 6,
    "title": "Home alone all weekend",
    "actors": [{"id": "zoe", "name": "Maple Grove Spots", "handle": "maple.spots"}],
    "events": [{"id": "e1", "after": 20, "text": "wait, you are home alone??"}],
}


def translated(**changes) -> dict:
    data = {
        **ENGLISH,
        "lang": "es",
        "title": "Solo en casa todo el fin de semana",
        "events": [{"id": "e1", "after": 20, "text": "espera, ¿estás solo en casa??"}],
    }
    return {**data, **changes}


def test_a_faithful_translation_has_no_differences():
    # The actor's name stays as it is: a name is not translated.
    assert differences(ENGLISH, translated()) == []


def test_changed_structure_is_named_by_field():
    assert differences(ENGLISH, translated(minutes=7)) == [("minutes", "is 7, in English 6")]
    moved = translated(events=[{"id": "e1", "after": 30, "text": "¿solo?"}])
    assert differences(ENGLISH, moved) == [("events[0].after", "is 30, in English 20")]
    fewer = translated(actors=[])
    assert differences(ENGLISH, fewer) == [("actors", "has another number of items than English")]
    renamed = {k: v for k, v in translated().items() if k != "title"} | {"titulo": "x"}
    assert differences(ENGLISH, renamed)[0][0] == "file"


def test_an_empty_or_english_text_is_refused():
    assert differences(ENGLISH, translated(title="")) == [("title", "is empty")]
    left = translated(title="Home alone all weekend")
    assert differences(ENGLISH, left) == [("title", "is not translated (the same as English)")]


def test_the_scenario_checker_refuses_a_translation_that_moved_an_event(tmp_path):
    import shutil

    from lessons.catalog import MODULES_DIR, load_catalog
    from lessons.scenarios import SCENARIOS_DIR, check_folder

    name = "home-alone-story.yaml"
    for lang in ("en", "es"):
        (tmp_path / lang).mkdir()
        shutil.copy(SCENARIOS_DIR / lang / name, tmp_path / lang / name)
    catalog = load_catalog(MODULES_DIR)
    good, problems = check_folder(tmp_path, catalog)
    assert problems == [] and sorted(s.lang for s in good) == ["en", "es"]
    spanish = tmp_path / "es" / name
    spanish.write_text(spanish.read_text().replace("after: 20", "after: 25", 1), encoding="utf-8")
    good, problems = check_folder(tmp_path, catalog)
    assert [s.lang for s in good] == ["en"]
    assert [(p.path.name, p.field) for p in problems] == [(name, "events[0].after")]
    (tmp_path / "en" / name).unlink()
    _good, problems = check_folder(tmp_path, catalog)
    assert [p.field for p in problems] == ["id"]


def test_german_keeps_the_supervisors_word_capitalised(app):
    from flask_babel import force_locale

    from learner.core.labels import supervisors_word
    from learner.models import GroupKind

    with app.test_request_context():
        with force_locale("de"):
            assert supervisors_word(GroupKind.CLASSROOM) == "Lehrkräfte"
        with force_locale("es"):
            assert supervisors_word(GroupKind.CLASSROOM)[0].islower()
        assert supervisors_word(GroupKind.CLASSROOM) == "teachers"
