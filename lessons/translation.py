"""A translated content file against its English original: the same structure, every text
translated.

Content files (scenarios) are YAML: a translation keeps every key, id, number, flag and
target of the English file, and changes only its texts. A text left exactly as in
English is refused when it has three words or more (a name or a handle such as "Zoe" or
"@maple.spots" rightly stays the same).
"""

from __future__ import annotations

# The keys whose values are words a person reads (everything else is structure).
TEXT_KEYS = frozenset(
    {
        "title",
        "summary",
        "prompts",
        "try_together",
        "question",
        "text",
        "feedback",
        "backstory",
        "name",
        "bio",
        "why",
        "prompt",
        "explain",
        "label",
        "hint",
        "message",
    }
)
# Names of people and accounts ("Maple Grove Spots") may stay as they are, however long.
NAME_KEYS = frozenset({"name"})
SAME_WORDS_ALLOWED = 3


def differences(english: object, translated: object, where: str = "") -> list[tuple[str, str]]:
    """(field, problem) for every place the translation leaves the English structure, or
    leaves a text empty or in English; [] for a faithful translation."""
    found: list[tuple[str, str]] = []
    _compare(english, translated, where, False, found)
    return found


def _compare(english, translated, where: str, text: bool, found: list) -> None:
    name = where.rstrip(".") or "file"
    is_name = name.rsplit(".", 1)[-1] in NAME_KEYS
    if isinstance(english, dict):
        if not isinstance(translated, dict):
            found.append((name, "must be a mapping, as in English"))
            return
        missing = sorted(set(english) - set(translated))
        extra = sorted(set(translated) - set(english))
        if missing or extra:
            found.append((name, f"keys differ from English (missing {missing}, extra {extra})"))
        for key in english:
            if key in translated and key != "lang":
                _compare(
                    english[key], translated[key], f"{where}{key}.", text or key in TEXT_KEYS, found
                )
    elif isinstance(english, list):
        if not isinstance(translated, list) or len(english) != len(translated):
            found.append((name, "has another number of items than English"))
            return
        for i, (ours, theirs) in enumerate(zip(english, translated, strict=True)):
            _compare(ours, theirs, f"{where.rstrip('.')}[{i}].", text, found)
    elif text and isinstance(english, str):
        if not isinstance(translated, str) or not translated.strip():
            found.append((name, "is empty"))
        elif (
            not is_name
            and translated.strip() == english.strip()
            and len(english.split()) >= SAME_WORDS_ALLOWED
        ):
            found.append((name, "is not translated (the same as English)"))
    elif english != translated or type(english) is not type(translated):
        found.append((name, f"is {translated!r}, in English {english!r}"))
