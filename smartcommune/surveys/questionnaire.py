"""Questionnaire templates: TOML files, versioned, read without Django.

A template names itself (``code``, ``version``) and holds the regulation's question with
its four progress levels (``[main]``), the satisfaction index (``[index]``: which levels
count as satisfied), optional questions on public services, planning and budget
(``[[topics]]``, the evidence of criterion 3.4) and the optional respondent facts that
are not personal data (``[facts]``: age bands, sexes).  The format is documented in
``docs/surveys.md``.  A survey keeps a copy of the template it was opened with, so a file
replaced later changes no running survey.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

TOPICS = ("public_services", "planning", "budget")
LEVELS = 4
MAX_OPTIONS = 10


class QuestionnaireError(ValueError):
    def __init__(self, where: str, problems: list[str]):
        self.where, self.problems = where, problems
        super().__init__(f"{where}: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class Topic:
    key: str
    topic: str
    text: str
    options: tuple[Option, ...]


@dataclass(frozen=True, slots=True)
class Questionnaire:
    code: str
    version: int
    name: str
    intro: str
    question: str
    levels: tuple[Option, ...]
    index_name: str
    index_levels: tuple[int, ...]
    """1-based positions of the levels the satisfaction index counts."""
    topics: tuple[Topic, ...]
    age_bands: tuple[Option, ...]
    sexes: tuple[Option, ...]
    data: dict
    """The parsed file, as a survey stores it."""

    @property
    def label(self) -> str:
        return f"{self.code} v{self.version}"

    def level_label(self, level: int) -> str:
        return self.levels[level - 1].label

    def topic(self, key: str) -> Topic | None:
        return next((t for t in self.topics if t.key == key), None)


def _options(value, where: str, problems: list[str]) -> tuple[Option, ...]:
    if not isinstance(value, list) or not value or len(value) > MAX_OPTIONS:
        problems.append(f"{where}: cần danh sách 1–{MAX_OPTIONS} lựa chọn {{key, label}}")
        return ()
    options = []
    for i, item in enumerate(value):
        if not (isinstance(item, dict) and isinstance(item.get("key"), str) and item["key"]
                and isinstance(item.get("label"), str) and item["label"]):
            problems.append(f"{where}[{i}]: cần key và label là chuỗi không rỗng")
            continue
        options.append(Option(item["key"][:30], item["label"][:200]))
    if len({o.key for o in options}) != len(options):
        problems.append(f"{where}: key trùng nhau")
    return tuple(options)


def parse(data: dict, where: str = "questionnaire") -> Questionnaire:
    """A template from its parsed TOML; :class:`QuestionnaireError` listing every problem."""
    problems: list[str] = []

    def text(table: dict, key: str, path: str, *, required: bool = True) -> str:
        value = table.get(key, "" if not required else None)
        if not isinstance(value, str) or (required and not value.strip()):
            problems.append(f"{path}.{key}: cần một chuỗi không rỗng")
            return ""
        return value

    code = text(data, "code", "")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(".version: cần số nguyên ≥ 1")
        version = 0
    main = data.get("main") if isinstance(data.get("main"), dict) else {}
    levels = _options(main.get("levels"), "main.levels", problems)
    if levels and len(levels) != LEVELS:
        problems.append(f"main.levels: quy định có đúng {LEVELS} mức (thụt lùi, không tiến bộ, tiến bộ không rõ "
                        f"rệt, tiến bộ rõ rệt), tệp có {len(levels)}")
    index = data.get("index") if isinstance(data.get("index"), dict) else {}
    keys = [o.key for o in levels]
    index_keys = index.get("levels")
    index_levels: tuple[int, ...] = ()
    if not isinstance(index_keys, list) or not index_keys or any(k not in keys for k in index_keys):
        problems.append("index.levels: cần danh sách các key của main.levels")
    else:
        index_levels = tuple(sorted(keys.index(k) + 1 for k in set(index_keys)))
    topics = []
    raw_topics = data.get("topics", [])
    if not isinstance(raw_topics, list):
        problems.append("topics: cần danh sách [[topics]]")
        raw_topics = []
    for i, t in enumerate(raw_topics):
        if not isinstance(t, dict):
            problems.append(f"topics[{i}]: cần một bảng")
            continue
        if t.get("topic") not in TOPICS:
            problems.append(f"topics[{i}].topic: phải là một trong {', '.join(TOPICS)}")
        topics.append(Topic(text(t, "key", f"topics[{i}]")[:30], str(t.get("topic")),
                            text(t, "text", f"topics[{i}]"), _options(t.get("options"), f"topics[{i}].options", problems)))
    if len({t.key for t in topics}) != len(topics):
        problems.append("topics: key trùng nhau")
    facts = data.get("facts") if isinstance(data.get("facts"), dict) else {}
    age_bands = _options(facts["age_bands"], "facts.age_bands", problems) if "age_bands" in facts else ()
    sexes = _options(facts["sexes"], "facts.sexes", problems) if "sexes" in facts else ()
    if problems:
        raise QuestionnaireError(where, problems)
    return Questionnaire(
        code=code, version=version, name=text(data, "name", ""), intro=text(data, "intro", "", required=False),
        question=text(main, "text", "main"), levels=levels, index_name=text(index, "name", "index"),
        index_levels=index_levels, topics=tuple(topics), age_bands=age_bands, sexes=sexes, data=data,
    )


def load(path: Path) -> Questionnaire:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise QuestionnaireError(str(path), [str(exc)]) from None
    return parse(data, str(path))


def load_dirs(dirs) -> dict[str, Questionnaire]:
    """Every ``*.toml`` of ``dirs`` by ``code``; a later directory's file of the same code
    replaces an earlier one (a province's own directory after the shipped one)."""
    found: dict[str, Questionnaire] = {}
    for directory in dirs:
        for path in sorted(Path(directory).glob("*.toml")):
            q = load(path)
            found[q.code] = q
    return found
