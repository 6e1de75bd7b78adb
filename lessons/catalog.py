"""The lesson catalog: module files (Markdown with YAML front matter) loaded and validated.

A module that breaks a rule stops start-up with a CatalogError that names the file and
the field, so a typo in a lesson can never reach a learner as a half-working page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

MODULES_DIR = Path(__file__).resolve().parent / "modules"
TRACKS = ("core", "family", "classroom", "workplace")
STAGES = ("instruction", "permit", "license")
QUESTION_TYPES = ("single", "multiple")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.S)
PASS_SCORE = 80
# A pre-test is a short check: few enough items that nobody minds it before a lesson.
PRETEST_ITEMS = (3, 5)
# The "I don't know yet" choice the app adds to every pre-test item (not in the content).
DONT_KNOW = "idk"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def current_lang() -> str:
    """The language of the page or e-mail being made (Flask-Babel's locale), else English."""
    from flask import has_app_context

    if not has_app_context():
        return "en"
    from flask_babel import get_locale

    return str(get_locale() or "en")


class CatalogError(ValueError):
    """A module file that breaks a rule: names the file and the field."""

    def __init__(self, path: Path | str, field_name: str, message: str) -> None:
        self.path = Path(path)
        self.field = field_name
        super().__init__(f"{self.path.parent.name}/{self.path.name}: {field_name}: {message}")


@dataclass(frozen=True)
class Choice:
    """One answer to a quiz question, with the feedback shown after answering."""

    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    """A quiz question: single or multiple correct choices, maybe a 'what would you do?'."""

    id: str
    type: str
    scenario: bool
    question: str
    choices: tuple[Choice, ...]
    # For a pre-test item: the quiz question it is a parallel form of.
    parallel_to: str | None = None

    @property
    def correct_ids(self) -> frozenset[str]:
        """The ids of the right choices."""
        return frozenset(c.id for c in self.choices if c.correct)

    def choice(self, choice_id: str) -> Choice | None:
        """The choice with this id, if any."""
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class Talk:
    """'Talk about it': prompts for the supervisor and one thing to try together."""

    prompts: tuple[str, ...]
    try_together: str


@dataclass(frozen=True)
class Module:
    """One lesson module."""

    id: str
    lang: str
    track: str
    stage: str
    order: int
    title: str
    summary: str
    minutes: int
    requires: tuple[str, ...]
    talk: Talk | None
    quiz: tuple[Question, ...]
    body: str
    path: Path = field(compare=False)
    # The parallel pre-test: other questions on the same points, asked before the lesson.
    pretest: tuple[Question, ...] = ()

    def question(self, question_id: str) -> Question | None:
        """The question with this id, if any."""
        return next((q for q in self.quiz if q.id == question_id), None)

    def pretest_question(self, question_id: str) -> Question | None:
        """The pre-test question with this id, if any."""
        return next((q for q in self.pretest if q.id == question_id), None)

    @property
    def sections(self) -> list[tuple[str, str]]:
        """The body's `##` sections as (heading, text) pairs."""
        return split_sections(self.body)


def split_sections(body: str) -> list[tuple[str, str]]:
    """Split Markdown into `##` sections; text before the first heading has heading ''."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in body.splitlines():
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        else:
            sections[-1][1].append(line)
    result = [(heading, "\n".join(lines).strip()) for heading, lines in sections]
    return [s for s in result if s[0] or s[1]]


class Catalog:
    """Every module, by language and id, in teaching order."""

    def __init__(self, modules: Iterable[Module]) -> None:
        self._modules = sorted(
            modules,
            key=lambda m: (STAGES.index(m.stage), TRACKS.index(m.track), m.order, m.id),
        )
        self._by_key = {(m.lang, m.id): m for m in self._modules}

    def __len__(self) -> int:
        return len(self._modules)

    def get(self, module_id: str, lang: str | None = None) -> Module | None:
        """A module in a language (by default the page's), falling back to English: the
        module's `lang` says which one it is, so the page can say it is not translated."""
        lang = lang or current_lang()
        return self._by_key.get((lang, module_id)) or self._by_key.get(("en", module_id))

    def translated_languages(self) -> list[str]:
        """The languages other than English that have at least one module."""
        return sorted({lang for lang, _key in self._by_key} - {"en"})

    def modules(
        self,
        *,
        lang: str | None = None,
        tracks: Iterable[str] | None = None,
        stage: str | None = None,
    ) -> list[Module]:
        """Modules in teaching order (in the page's language by default, English where a
        module is not translated), optionally only some tracks or one stage."""
        lang = lang or current_lang()
        wanted = set(tracks) if tracks is not None else set(TRACKS)
        ids = [m.id for m in self._modules if m.lang == "en"]
        chosen = [self.get(i, lang) for i in dict.fromkeys(ids)]
        return [m for m in chosen if m.track in wanted and (stage is None or m.stage == stage)]


def _require(data: dict, key: str, kind: type | tuple[type, ...], path: Path, where: str = ""):
    name = f"{where}{key}"
    if key not in data or data[key] is None:
        raise CatalogError(path, name, "is missing")
    value = data[key]
    if isinstance(value, bool) and kind is not bool:
        raise CatalogError(path, name, "has the wrong type")
    if not isinstance(value, kind):
        raise CatalogError(path, name, "has the wrong type")
    if isinstance(value, str) and not value.strip():
        raise CatalogError(path, name, "is empty")
    return value


def _parse_choice(raw: object, path: Path, where: str) -> Choice:
    if not isinstance(raw, dict):
        raise CatalogError(path, where.rstrip("."), "must be a mapping")
    choice_id = _require(raw, "id", str, path, where)
    if len(choice_id) > 6:
        raise CatalogError(path, f"{where}id", "choice ids are at most 6 characters")
    feedback = raw.get("feedback")
    if not isinstance(feedback, str) or not feedback.strip():
        raise CatalogError(path, f"{where}feedback", "every choice needs feedback")
    return Choice(
        id=choice_id,
        text=_require(raw, "text", str, path, where),
        correct=_require(raw, "correct", bool, path, where),
        feedback=feedback.strip(),
    )


def _parse_question(raw: object, path: Path, where: str) -> Question:
    if not isinstance(raw, dict):
        raise CatalogError(path, where.rstrip("."), "must be a mapping")
    question_id = _require(raw, "id", str, path, where)
    if len(question_id) > 80:
        raise CatalogError(path, f"{where}id", "question ids are at most 80 characters")
    kind = _require(raw, "type", str, path, where)
    if kind not in QUESTION_TYPES:
        raise CatalogError(path, f"{where}type", f"must be one of {', '.join(QUESTION_TYPES)}")
    raw_choices = _require(raw, "choices", list, path, where)
    if not 2 <= len(raw_choices) <= 6:
        raise CatalogError(path, f"{where}choices", "needs 2 to 6 choices")
    choices = tuple(
        _parse_choice(c, path, f"{where}choices[{i}].") for i, c in enumerate(raw_choices)
    )
    if len({c.id for c in choices}) != len(choices):
        raise CatalogError(path, f"{where}choices", "choice ids must be unique")
    correct = sum(c.correct for c in choices)
    if correct == 0:
        raise CatalogError(path, f"{where}choices", "no choice is marked correct")
    if kind == "single" and correct != 1:
        raise CatalogError(
            path, f"{where}choices", "a single-answer question needs exactly one correct choice"
        )
    if kind == "multiple" and correct < 2:
        raise CatalogError(
            path, f"{where}choices", "a multiple-answer question needs two or more correct choices"
        )
    return Question(
        id=question_id,
        type=kind,
        scenario=bool(raw.get("scenario", False)),
        question=_require(raw, "question", str, path, where),
        choices=choices,
    )


def _parse_pretest(raw: object, quiz: tuple[Question, ...], path: Path) -> tuple[Question, ...]:
    """The parallel pre-test: checked like the quiz, each item naming the quiz item it parallels.

    Its ids differ from the quiz's (answers of both are stored by question id) and its
    questions are not the quiz's own (a pre-test that asks the quiz teaches the answers)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CatalogError(path, "pretest", "must be a list of questions")
    low, high = PRETEST_ITEMS
    if not low <= len(raw) <= high:
        raise CatalogError(path, "pretest", f"needs {low} to {high} questions")
    items = []
    quiz_ids = {q.id for q in quiz}
    quiz_texts = {q.question.strip().casefold() for q in quiz}
    for i, entry in enumerate(raw):
        where = f"pretest[{i}]."
        question = _parse_question(entry, path, where)
        if question.id in quiz_ids:
            raise CatalogError(path, f"{where}id", f"'{question.id}' is also a quiz question id")
        parallel = _require(entry, "parallel_to", str, path, where)
        if parallel not in quiz_ids:
            raise CatalogError(path, f"{where}parallel_to", f"no quiz question '{parallel}'")
        if question.choice(DONT_KNOW) is not None:
            raise CatalogError(
                path, f"{where}choices", f"choice id '{DONT_KNOW}' is the app's 'I don't know yet'"
            )
        if question.question.strip().casefold() in quiz_texts:
            raise CatalogError(path, f"{where}question", "is the quiz's own question")
        items.append(
            Question(
                id=question.id,
                type=question.type,
                scenario=question.scenario,
                question=question.question,
                choices=question.choices,
                parallel_to=parallel,
            )
        )
    if len({q.id for q in items}) != len(items):
        raise CatalogError(path, "pretest", "question ids must be unique")
    return tuple(items)


def _parse_talk(raw: object, path: Path) -> Talk | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise CatalogError(path, "talk", "must be a mapping")
    prompts = _require(raw, "prompts", list, path, "talk.")
    if not prompts or not all(isinstance(p, str) and p.strip() for p in prompts):
        raise CatalogError(path, "talk.prompts", "needs one or more non-empty prompts")
    return Talk(
        prompts=tuple(p.strip() for p in prompts),
        try_together=_require(raw, "try_together", str, path, "talk.").strip(),
    )


def parse_module(path: Path) -> Module:
    """Read and check one module file; raises CatalogError naming the file and field."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CatalogError(path, "file", "is not UTF-8 text") from error
    match = FRONT_MATTER.match(text)
    if not match:
        raise CatalogError(path, "front matter", "must start the file between '---' lines")
    try:
        # _YAML_LOADER is a safe loader.
        data = yaml.load(match.group(1), Loader=_YAML_LOADER)  # noqa: S506  # nosec B506
    except yaml.YAMLError as error:
        raise CatalogError(path, "front matter", f"is not valid YAML ({error})") from error
    if not isinstance(data, dict):
        raise CatalogError(path, "front matter", "must be a mapping")
    module_id = _require(data, "id", str, path)
    if not SLUG.match(module_id) or len(module_id) > 80:
        raise CatalogError(
            path, "id", "must be a slug of at most 80 lowercase letters, digits and dashes"
        )
    track = _require(data, "track", str, path)
    if track not in TRACKS:
        raise CatalogError(path, "track", f"must be one of {', '.join(TRACKS)}")
    stage = _require(data, "stage", str, path)
    if stage not in STAGES:
        raise CatalogError(path, "stage", f"must be one of {', '.join(STAGES)}")
    order = _require(data, "order", int, path)
    minutes = _require(data, "minutes", int, path)
    if order < 1:
        raise CatalogError(path, "order", "must be 1 or more")
    if not 1 <= minutes <= 60:
        raise CatalogError(path, "minutes", "must be between 1 and 60")
    requires = data.get("requires") or []
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        raise CatalogError(path, "requires", "must be a list of module ids")
    raw_quiz = _require(data, "quiz", list, path)
    if not raw_quiz:
        raise CatalogError(path, "quiz", "needs at least one question")
    quiz = tuple(_parse_question(q, path, f"quiz[{i}].") for i, q in enumerate(raw_quiz))
    if len({q.id for q in quiz}) != len(quiz):
        raise CatalogError(path, "quiz", "question ids must be unique")
    body = match.group(2).strip()
    if not body:
        raise CatalogError(path, "body", "is empty")
    for heading, section in split_sections(body):
        if heading and not section:
            raise CatalogError(path, "body", f"section '{heading}' is empty")
    return Module(
        id=module_id,
        lang=_require(data, "lang", str, path),
        track=track,
        stage=stage,
        order=order,
        title=_require(data, "title", str, path).strip(),
        summary=_require(data, "summary", str, path).strip(),
        minutes=minutes,
        requires=tuple(requires),
        talk=_parse_talk(data.get("talk"), path),
        quiz=quiz,
        body=body,
        path=path,
        pretest=_parse_pretest(data.get("pretest"), quiz, path),
    )


@functools.cache
def shipped_catalog(folder: str = str(MODULES_DIR)) -> Catalog:
    """The catalog of a folder, loaded once per process (module files change with a deploy)."""
    return load_catalog(Path(folder))


def load_catalog(folder: Path = MODULES_DIR) -> Catalog:
    """Load every `*.md` module below `folder` and check the catalog as a whole."""
    modules = [parse_module(path) for path in sorted(folder.rglob("*.md"))]
    seen: dict[tuple[str, str], Path] = {}
    for module in modules:
        key = (module.lang, module.id)
        if key in seen:
            raise CatalogError(module.path, "id", f"'{module.id}' is also used by {seen[key].name}")
        seen[key] = module.path
    known = {m.id for m in modules}
    for module in modules:
        for required in module.requires:
            if required == module.id:
                raise CatalogError(module.path, "requires", "a module cannot require itself")
            if required not in known:
                raise CatalogError(module.path, "requires", f"unknown module '{required}'")
        if module.track == "core" and module.talk is None:
            raise CatalogError(module.path, "talk", "core modules need a 'Talk about it' part")
        if module.lang != module.path.parent.name and module.path.parent != folder:
            raise CatalogError(
                module.path, "lang", f"is '{module.lang}' in the folder '{module.path.parent.name}'"
            )
    english = {m.id: m for m in modules if m.lang == "en"}
    for module in modules:
        if module.lang != "en":
            check_translation(module, english.get(module.id))
    return Catalog(modules)


def check_translation(module: Module, english: Module | None) -> None:
    """A translated module has the English module's structure (ids, answers, order,
    sections) and every text translated; raises CatalogError naming the field."""
    path = module.path
    if english is None:
        raise CatalogError(path, "id", f"'{module.id}' has no English module to translate")
    for name in ("track", "stage", "order", "minutes", "requires"):
        if getattr(module, name) != getattr(english, name):
            raise CatalogError(path, name, f"differs from the English module ({english.path.name})")
    _same_text(module.title, english.title, path, "title")
    _same_text(module.summary, english.summary, path, "summary")
    if (module.talk is None) != (english.talk is None):
        raise CatalogError(path, "talk", "is in one language and not the other")
    if module.talk and english.talk:
        if len(module.talk.prompts) != len(english.talk.prompts):
            raise CatalogError(path, "talk.prompts", "has another number of prompts than English")
        for i, (ours, theirs) in enumerate(
            zip(module.talk.prompts, english.talk.prompts, strict=True)
        ):
            _same_text(ours, theirs, path, f"talk.prompts[{i}]")
        _same_text(module.talk.try_together, english.talk.try_together, path, "talk.try_together")
    _same_questions(module.quiz, english.quiz, path, "quiz")
    _same_questions(module.pretest, english.pretest, path, "pretest")
    ours = [heading for heading, _text in module.sections]
    theirs = [heading for heading, _text in english.sections]
    if len(ours) != len(theirs):
        raise CatalogError(path, "body", f"has {len(ours)} sections, the English {len(theirs)}")
    for i, (heading, other) in enumerate(zip(ours, theirs, strict=True)):
        if heading and heading == other:
            raise CatalogError(path, "body", f"section heading '{heading}' is not translated")
        if bool(heading) != bool(other):
            raise CatalogError(path, "body", f"section {i + 1} differs from the English module")


def _same_questions(ours: tuple[Question, ...], theirs: tuple[Question, ...], path, where):
    if [q.id for q in ours] != [q.id for q in theirs]:
        raise CatalogError(path, where, "question ids differ from the English module")
    for i, (question, english) in enumerate(zip(ours, theirs, strict=True)):
        at = f"{where}[{i}]."
        if (question.type, question.scenario, question.parallel_to) != (
            english.type,
            english.scenario,
            english.parallel_to,
        ):
            raise CatalogError(
                path, f"{at}type", "type, scenario or parallel_to differ from English"
            )
        if [(c.id, c.correct) for c in question.choices] != [
            (c.id, c.correct) for c in english.choices
        ]:
            raise CatalogError(path, f"{at}choices", "choice ids or answers differ from English")
        _same_text(question.question, english.question, path, f"{at}question")
        for j, (choice, other) in enumerate(zip(question.choices, english.choices, strict=True)):
            _same_text(choice.text, other.text, path, f"{at}choices[{j}].text")
            _same_text(choice.feedback, other.feedback, path, f"{at}choices[{j}].feedback")


def _same_text(ours: str, theirs: str, path: Path, where: str) -> None:
    """A text left in English: the same words as the English module (a short one such as
    a name or '@leo' may rightly be the same, so only texts of three words or more)."""
    if ours.strip() == theirs.strip() and len(theirs.split()) >= 3:
        raise CatalogError(path, where, "is not translated (the same as the English module)")
