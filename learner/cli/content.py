"""`flask lessons check`, `flask coach check|evaluate`: the content and the coach, checked."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from learner.coach import LANGUAGES, CoachInputError, analyze, categories
from learner.coach.evaluate import evaluate_by_language, load_corpus
from lessons.catalog import MODULES_DIR, CatalogError, load_catalog
from lessons.scenarios import SCENARIOS_DIR, check_folder

lessons_cli = AppGroup("lessons", help="The lesson catalog.")
coach_cli = AppGroup("coach", help="The post coach.")
scenarios_cli = AppGroup("scenarios", help="The practice scenarios.")


@lessons_cli.command("check")
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Check the modules in this folder instead of the app's.",
)
def lessons_check(folder: Path | None) -> None:
    """Validate every lesson module; exit 1 naming the file and field of the first error."""
    try:
        catalog = load_catalog(folder or MODULES_DIR)
    except CatalogError as error:
        raise click.ClickException(str(error)) from error
    questions = sum(len(m.quiz) for m in catalog.modules(lang="en"))
    click.echo(f"{len(catalog)} modules, {questions} quiz questions: all valid.")
    english = catalog.modules(lang="en")
    for lang in catalog.translated_languages():
        missing = [m.id for m in catalog.modules(lang=lang) if m.lang != lang]
        line = f"{lang}: {len(english) - len(missing)} of {len(english)} modules translated"
        click.echo(line + (f" (in English: {', '.join(missing)})" if missing else "") + ".")


@coach_cli.command("check")
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
def coach_check(source) -> None:
    """Read JSON Lines with a "text" field and an optional "lang" (en, es, de; guessed
    from the text when absent) from FILE or stdin; write the findings per line."""
    for number, line in enumerate(source, start=1):
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError('each line must be an object with a "text" string')
            lang = item.get("lang")
            if lang is not None and lang not in LANGUAGES:
                raise ValueError(f'"lang" must be one of {", ".join(LANGUAGES)}')
            findings = analyze(item["text"], lang)
        except (ValueError, CoachInputError) as error:
            click.echo(f"line {number}: {error}", err=True)
            sys.exit(2)
        result = {"categories": categories(findings), "findings": [f.as_dict() for f in findings]}
        click.echo(json.dumps(result))


@coach_cli.command("evaluate")
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help='The posts\' language when a line has no "lang" (default: guessed per post).',
)
def coach_evaluate(corpus: Path, lang: str | None) -> None:
    """Precision, recall and false alarms on a labeled corpus (JSON Lines), overall and
    per language."""
    reports = evaluate_by_language(load_corpus(corpus, with_lang=True), lang)
    click.echo(reports.pop("all").table())
    for code, report in reports.items():
        click.echo(f"\n{code}:\n{report.table()}")


@scenarios_cli.command("check")
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Check the scenarios in this folder instead of the app's.",
)
def scenarios_check(folder: Path | None) -> None:
    """Validate every scenario file against docs/SCENARIOS.md and the lesson catalog; print
    each problem with its file and field, exit 1 if there is any."""
    try:
        catalog = load_catalog(MODULES_DIR)
    except CatalogError as error:
        raise click.ClickException(f"the lesson catalog is broken: {error}") from error
    good, problems = check_folder(folder or SCENARIOS_DIR, catalog)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        files = len({p.path for p in problems})
        click.echo(f"{len(problems)} problems in {files} files; {len(good)} valid.", err=True)
        sys.exit(1)
    click.echo(f"{len(good)} scenarios: all valid.")
    english = {s.id for s in good if s.lang == "en"}
    for lang in sorted({s.lang for s in good} - {"en"}):
        done = {s.id for s in good if s.lang == lang}
        missing = sorted(english - done)
        line = f"{lang}: {len(english & done)} of {len(english)} scenarios translated"
        click.echo(line + (f" (in English: {', '.join(missing)})" if missing else "") + ".")


COMMANDS = (lessons_cli, coach_cli, scenarios_cli)
