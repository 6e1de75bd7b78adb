"""The lesson catalog refuses broken modules with an error naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app import create_app
from lessons.catalog import CatalogError, load_catalog, parse_module
from tests.conftest import test_config

GOOD = {
    "id": "sample",
    "lang": "en",
    "track": "core",
    "stage": "instruction",
    "order": 1,
    "title": "A sample",
    "summary": "What a sample teaches.",
    "minutes": 6,
    "requires": [],
    "talk": {"prompts": ["What did you notice?"], "try_together": "Look at a profile."},
    "quiz": [
        {
            "id": "q1",
            "type": "single",
            "scenario": True,
            "question": "What would you do?",
            "choices": [
                {"id": "a", "text": "Ask first.", "correct": True, "feedback": "Yes."},
                {"id": "b", "text": "Post it.", "correct": False, "feedback": "No."},
            ],
        }
    ],
}
BODY = "## First\n\nSome text.\n\n## Second\n\nMore text.\n"


def write(folder: Path, name: str = "sample.md", body: str = BODY, **changes) -> Path:
    data = {**GOOD, **changes}
    data = {k: v for k, v in data.items() if v is not ...}
    path = folder / name
    path.write_text(f"---\n{yaml.safe_dump(data, sort_keys=False)}---\n{body}", encoding="utf-8")
    return path


def quiz_with(**question_changes) -> list[dict]:
    return [{**GOOD["quiz"][0], **question_changes}]


def expect_error(folder: Path, file_name: str, field: str) -> CatalogError:
    with pytest.raises(CatalogError) as error:
        load_catalog(folder)
    assert error.value.path.name == file_name
    assert error.value.field == field
    assert f"/{file_name}: {field}: " in str(error.value)
    return error.value


def test_a_good_module_loads(tmp_path):
    write(tmp_path)
    module = load_catalog(tmp_path).get("sample")
    assert module.title == "A sample" and module.quiz[0].correct_ids == {"a"}
    assert [h for h, _text in module.sections] == ["First", "Second"]


def test_duplicate_id_names_both_files(tmp_path):
    write(tmp_path, "a.md")
    write(tmp_path, "b.md")
    error = expect_error(tmp_path, "b.md", "id")
    assert "a.md" in str(error)


def test_unknown_requires(tmp_path):
    write(tmp_path, requires=["nowhere"])
    expect_error(tmp_path, "sample.md", "requires")


def test_quiz_without_a_correct_answer(tmp_path):
    choices = [dict(c, correct=False) for c in GOOD["quiz"][0]["choices"]]
    write(tmp_path, quiz=quiz_with(choices=choices))
    assert "no choice is marked correct" in str(
        expect_error(tmp_path, "sample.md", "quiz[0].choices")
    )


def test_choice_without_feedback(tmp_path):
    choices = [GOOD["quiz"][0]["choices"][0], {"id": "b", "text": "x", "correct": False}]
    write(tmp_path, quiz=quiz_with(choices=choices))
    expect_error(tmp_path, "sample.md", "quiz[0].choices[1].feedback")


def test_single_answer_question_with_two_correct_choices(tmp_path):
    choices = [dict(c, correct=True) for c in GOOD["quiz"][0]["choices"]]
    write(tmp_path, quiz=quiz_with(choices=choices))
    expect_error(tmp_path, "sample.md", "quiz[0].choices")


def test_multiple_answer_question_with_one_correct_choice(tmp_path):
    write(tmp_path, quiz=quiz_with(type="multiple"))
    expect_error(tmp_path, "sample.md", "quiz[0].choices")


def test_duplicate_question_ids(tmp_path):
    write(tmp_path, quiz=GOOD["quiz"] * 2)
    expect_error(tmp_path, "sample.md", "quiz")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ...}, "title"),
        ({"stage": "expert"}, "stage"),
        ({"track": "club"}, "track"),
        ({"order": "first"}, "order"),
        ({"minutes": 0}, "minutes"),
        ({"id": "Not A Slug"}, "id"),
        ({"quiz": []}, "quiz"),
        ({"talk": ...}, "talk"),
        ({"talk": {"prompts": [], "try_together": "x"}}, "talk.prompts"),
    ],
)
def test_missing_or_wrong_fields(tmp_path, change, field):
    write(tmp_path, **change)
    expect_error(tmp_path, "sample.md", field)


def test_unknown_question_type(tmp_path):
    write(tmp_path, quiz=quiz_with(type="essay"))
    expect_error(tmp_path, "sample.md", "quiz[0].type")


def test_empty_section(tmp_path):
    write(tmp_path, body="## First\n\nText.\n\n## Empty\n\n## Third\n\nText.\n")
    assert "Empty" in str(expect_error(tmp_path, "sample.md", "body"))


def test_empty_body(tmp_path):
    write(tmp_path, body="")
    expect_error(tmp_path, "sample.md", "body")


def test_invalid_yaml(tmp_path):
    (tmp_path / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    expect_error(tmp_path, "broken.md", "front matter")


def test_no_front_matter(tmp_path):
    (tmp_path / "plain.md").write_text("# Just markdown\n", encoding="utf-8")
    expect_error(tmp_path, "plain.md", "front matter")


def test_not_utf8(tmp_path):
    (tmp_path / "latin.md").write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    with pytest.raises(CatalogError) as error:
        parse_module(tmp_path / "latin.md")
    assert error.value.field == "file"


def test_a_broken_module_stops_start_up(tmp_path, database_url):
    write(tmp_path, stage="expert")
    with pytest.raises(CatalogError, match=r"sample\.md: stage: "):
        create_app(test_config(database_url, LESSONS_DIR=str(tmp_path)))


def test_lessons_check_command(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lessons", "check"])
    assert result.exit_code == 0 and "all valid" in result.output
    write(tmp_path, minutes=0)
    broken = runner.invoke(args=["lessons", "check", "--folder", str(tmp_path)])
    assert broken.exit_code == 1 and "/sample.md: minutes:" in broken.output


PRE = {
    "id": "pre-1",
    "parallel_to": "q1",
    "type": "single",
    "scenario": False,
    "question": "What is best?",
    "choices": [
        {"id": "a", "text": "Ask.", "correct": True, "feedback": "Yes, asking first."},
        {"id": "b", "text": "Post.", "correct": False, "feedback": "No, ask first."},
    ],
}


def pretest_with(count: int = 3, **changes) -> list[dict]:
    items = [{**PRE, "id": f"pre-{i}"} for i in range(count)]
    items[0] = {**items[0], **changes}
    return items


def test_a_pretest_loads_with_its_parallel_items(tmp_path):
    write(tmp_path, pretest=pretest_with())
    module = load_catalog(tmp_path).get("sample")
    assert [q.id for q in module.pretest] == ["pre-0", "pre-1", "pre-2"]
    assert {q.parallel_to for q in module.pretest} == {"q1"}
    assert module.pretest_question("pre-1").correct_ids == {"a"}
    assert module.pretest_question("q1") is None


def test_a_module_without_pretest_has_none(tmp_path):
    write(tmp_path)
    assert load_catalog(tmp_path).get("sample").pretest == ()


@pytest.mark.parametrize(
    ("pretest", "field"),
    [
        ("not a list", "pretest"),
        (pretest_with(2), "pretest"),
        (pretest_with(6), "pretest"),
        (pretest_with(id="q1"), "pretest[0].id"),
        (pretest_with(id="pre-1"), "pretest"),
        (pretest_with(parallel_to=None), "pretest[0].parallel_to"),
        (pretest_with(parallel_to="nowhere"), "pretest[0].parallel_to"),
        (pretest_with(question="What would you do?"), "pretest[0].question"),
        (
            pretest_with(
                choices=[
                    {"id": "a", "text": "Ask.", "correct": True, "feedback": "Yes."},
                    {"id": "b", "text": "Post.", "correct": False},
                ]
            ),
            "pretest[0].choices[1].feedback",
        ),
        (
            pretest_with(
                choices=[
                    {"id": "a", "text": "Ask.", "correct": False, "feedback": "No."},
                    {"id": "b", "text": "Post.", "correct": False, "feedback": "No."},
                ]
            ),
            "pretest[0].choices",
        ),
        (
            pretest_with(
                choices=[
                    {"id": "a", "text": "Ask.", "correct": True, "feedback": "Yes."},
                    {"id": "idk", "text": "Unsure.", "correct": False, "feedback": "Fine."},
                ]
            ),
            "pretest[0].choices",
        ),
    ],
)
def test_a_broken_pretest_names_its_field(tmp_path, pretest, field):
    write(tmp_path, pretest=pretest)
    expect_error(tmp_path, "sample.md", field)


def translate(folder: Path, lang: str, **changes) -> Path:
    """A translation of the sample module into `lang` (texts changed), in its folder."""
    (folder / lang).mkdir(exist_ok=True)
    quiz = [
        {
            **GOOD["quiz"][0],
            "question": "¿Qué harías?",
            "choices": [
                {"id": "a", "text": "Preguntar antes.", "correct": True, "feedback": "Sí."},
                {"id": "b", "text": "Publicarlo.", "correct": False, "feedback": "No."},
            ],
        }
    ]
    fields = {
        "lang": lang,
        "title": "Un ejemplo",
        "summary": "Lo que enseña un ejemplo.",
        "talk": {"prompts": ["¿Qué notaste?"], "try_together": "Miren un perfil."},
        "quiz": quiz,
        **changes,
    }
    return write(folder / lang, body="## Primero\n\nTexto.\n\n## Segundo\n\nMás.\n", **fields)


def english_and(folder: Path) -> Path:
    (folder / "en").mkdir()
    write(folder / "en")
    return folder


def test_a_translation_shares_the_english_id_and_falls_back(tmp_path):
    translate(english_and(tmp_path), "es")
    catalog = load_catalog(tmp_path)
    assert catalog.get("sample", "es").title == "Un ejemplo"
    assert catalog.get("sample", "es").quiz[0].correct_ids == frozenset({"a"})
    # German is not written: the English module, which says it is English.
    assert catalog.get("sample", "de").lang == "en"
    assert [m.lang for m in catalog.modules(lang="de")] == ["en"]
    assert catalog.translated_languages() == ["es"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"order": 2}, "order"),
        ({"title": GOOD["title"] + " here"}, None),
        ({"summary": GOOD["summary"]}, "summary"),
        (
            {"talk": {"prompts": ["What did you notice?"], "try_together": "Miren."}},
            "talk.prompts[0]",
        ),
        ({"quiz": quiz_with(id="q2")}, "quiz"),
        ({"quiz": quiz_with(question="¿Y?", scenario=False)}, "quiz[0].type"),
    ],
)
def test_a_translation_that_breaks_the_english_structure_names_the_field(tmp_path, change, field):
    translate(english_and(tmp_path), "es", **change)
    if field is None:  # only a translated text that changed: still valid
        assert load_catalog(tmp_path).get("sample", "es").lang == "es"
        return
    expect_error(tmp_path, "sample.md", field)


def test_a_translation_in_another_languages_folder_is_refused(tmp_path):
    path = translate(english_and(tmp_path), "es")
    path.write_text(path.read_text().replace("lang: es", "lang: de"), encoding="utf-8")
    expect_error(tmp_path, "sample.md", "lang")


def test_an_untranslated_text_is_refused(tmp_path):
    english_and(tmp_path)
    choices = [
        {"id": "a", "text": "Preguntar.", "correct": True, "feedback": "Sí."},
        {"id": "b", "text": "Publicar.", "correct": False, "feedback": "No."},
    ]
    translate(tmp_path, "es", quiz=quiz_with(question="What would you do?", choices=choices))
    error = expect_error(tmp_path, "sample.md", "quiz[0].question")
    assert "not translated" in str(error)


def test_a_translation_without_an_english_module_is_refused(tmp_path):
    (tmp_path / "en").mkdir()
    write(tmp_path / "en", name="other.md", id="other")
    translate(tmp_path, "es")
    expect_error(tmp_path, "sample.md", "id")


def test_a_translation_with_other_sections_is_refused(tmp_path):
    english_and(tmp_path)
    path = translate(tmp_path, "es")
    path.write_text(path.read_text().replace("## Segundo\n\nMás.\n", ""), encoding="utf-8")
    expect_error(tmp_path, "sample.md", "body")


def test_the_shipped_translations_share_every_english_id():
    from lessons.catalog import MODULES_DIR

    catalog = load_catalog(MODULES_DIR)
    english = catalog.modules(lang="en")
    for lang in ("es", "de"):
        translated = catalog.modules(lang=lang)
        assert [m.lang for m in translated] == [lang] * len(english)
        assert [m.id for m in translated] == [m.id for m in english]
        for ours, theirs in zip(translated, english, strict=True):
            assert [q.id for q in ours.pretest] == [q.id for q in theirs.pretest]


def test_lessons_check_reports_each_language(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["lessons", "check"])
    assert result.exit_code == 0, result.output
    assert "es: 14 of 14 modules translated." in result.output
    assert "de: 14 of 14 modules translated." in result.output
    translate(english_and(tmp_path), "es", quiz=quiz_with(id="other"))
    broken = app.test_cli_runner().invoke(args=["lessons", "check", "--folder", str(tmp_path)])
    assert broken.exit_code == 1 and "es/sample.md: quiz:" in broken.output
