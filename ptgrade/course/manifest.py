"""curriculum.toml: the one list of items. Every path of an item derives from its id and slug."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import tomllib

from ptgrade.i18n import _
from ptgrade.protocol.contract import DEFAULT_TIMEOUT

ID_PATTERN = re.compile(r"^[1-9]\.[1-9][0-9]?$")
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")


class ManifestError(Exception):
    """curriculum.toml is malformed; the message names the entry."""


class UnknownItem(Exception):
    """An id or section the manifest does not list."""


@dataclass(frozen=True)
class Item:
    id: str
    slug: str
    title: str
    title_ko: str
    hints: tuple[str, ...]
    available: bool = True
    hints_ko: tuple[str, ...] = ()
    extras: tuple[str, ...] = ()
    timeout: int = DEFAULT_TIMEOUT
    # The answer's code, one line per step: shown only by `ptgrade hint ID --all`, after the whole ladder of hints
    # (the concept, the step, the docs to read), so a learner asks for it on purpose.
    answer: tuple[str, ...] = ()
    answer_ko: tuple[str, ...] = ()

    @property
    def section(self) -> str:
        return self.id.split(".")[0]

    @property
    def module_name(self) -> str:
        """`2.4` + `train-eval` -> `s2_4_train_eval`: the stem of the stub, solution and grader."""
        return "s" + self.id.replace(".", "_") + "_" + self.slug.replace("-", "_")

    @property
    def file_name(self) -> str:
        return self.module_name + ".py"

    @property
    def grader_name(self) -> str:
        return "test_" + self.file_name

    def title_in(self, lang: str) -> str:
        return self.title_ko if lang == "ko" else self.title

    def hints_in(self, lang: str) -> tuple[str, ...]:
        return self.hints_ko if lang == "ko" and self.hints_ko else self.hints

    def answer_in(self, lang: str) -> tuple[str, ...]:
        return self.answer_ko if lang == "ko" and self.answer_ko else self.answer


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    title_ko: str
    items: tuple[Item, ...] = field(default=())

    def title_in(self, lang: str) -> str:
        return self.title_ko if lang == "ko" else self.title


@dataclass(frozen=True)
class Manifest:
    root: Path
    sections: tuple[Section, ...]
    welcome: str = ""

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise UnknownItem(_("There is no item {id}; `ptgrade list` shows the ids (for example 1.2).").format(
            id=repr(item_id)))

    def select(self, selectors: list[str] | tuple[str, ...]) -> list[Item]:
        """Items named by ids (`1.2`) or section numbers (`1`), in curriculum order, without repeats."""
        chosen: list[Item] = []
        for selector in selectors:
            if "." in selector:
                found = [self.item(selector)]
            else:
                found = [item for item in self.items if item.section == selector]
                if not found:
                    raise UnknownItem(_("There is no section {id}; sections are {ids}.").format(
                        id=repr(selector), ids=", ".join(s.id for s in self.sections)))
            chosen += [item for item in found if item not in chosen]
        return chosen

    # Paths: derived here and nowhere else.
    @property
    def exercises_dir(self) -> Path:
        return self.root / "exercises"

    def stubs_dir(self, lang: str = "en") -> Path:
        """The stubs in `lang`: exercises/ (English) or exercises/ko/ (the same code, Korean text)."""
        korean = self.exercises_dir / "ko"
        # A Korean student edition (`ptgrade release --lang ko`) has its Korean stubs in exercises/.
        return korean if lang == "ko" and korean.is_dir() else self.exercises_dir

    @property
    def solutions_dir(self) -> Path:
        return self.root / "solutions"

    @property
    def graders_dir(self) -> Path:
        return self.root / "graders"

    def grader_path(self, item: Item) -> Path:
        return self.graders_dir / item.grader_name

    def mutants_dir(self, item: Item) -> Path:
        return self.solutions_dir / "mutants" / item.module_name

    def alternatives_dir(self, item: Item) -> Path:
        """Correct solutions written in other styles than the reference (`verify`: each earns full marks)."""
        return self.solutions_dir / "alternatives" / item.module_name


def find_root() -> Path:
    """The kit's folder: $PTGRADE_ROOT, else the nearest folder up from here holding curriculum.toml,
    else the folder this package was installed from (an editable install)."""
    if os.environ.get("PTGRADE_ROOT"):
        return Path(os.environ["PTGRADE_ROOT"]).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "curriculum.toml").is_file() and (folder / "graders").is_dir():
            return folder
    return Path(__file__).resolve().parents[2]


def _require(entry: dict, key: str, kind: type, where: str):
    if key not in entry:
        raise ManifestError(f"curriculum.toml: {where} has no `{key}`.")
    if not isinstance(entry[key], kind):
        raise ManifestError(f"curriculum.toml: {where} has `{key}` of the wrong type "
                            f"(expected {kind.__name__}).")
    return entry[key]


def _parse_item(entry: dict, index: int) -> Item:
    where = f"item #{index + 1}" + (f" ({entry['id']})" if isinstance(entry.get("id"), str) else "")
    item_id = _require(entry, "id", str, where)
    if not ID_PATTERN.match(item_id):
        raise ManifestError(f"curriculum.toml: {where} has id {item_id!r}; ids look like 2.4.")
    slug = _require(entry, "slug", str, where)
    if not SLUG_PATTERN.match(slug):
        raise ManifestError(f"curriculum.toml: {where} has slug {slug!r}; use lowercase words joined by '-'.")
    hints = entry.get("hints", [])
    if not isinstance(hints, list) or not all(isinstance(h, str) and h.strip() for h in hints):
        raise ManifestError(f"curriculum.toml: {where} has `hints` that are not a list of non-empty strings.")
    available = entry.get("available", True)
    if not isinstance(available, bool):
        raise ManifestError(f"curriculum.toml: {where} has `available` that is not true or false.")
    if available and len(hints) < 2:
        raise ManifestError(f"curriculum.toml: {where} is available but has fewer than 2 hints.")
    hints_ko = entry.get("hints_ko", [])
    if not isinstance(hints_ko, list) or not all(isinstance(h, str) and h.strip() for h in hints_ko):
        raise ManifestError(f"curriculum.toml: {where} has `hints_ko` that are not a list of non-empty strings.")
    if hints_ko and len(hints_ko) != len(hints):
        raise ManifestError(f"curriculum.toml: {where} has {len(hints_ko)} Korean hints for {len(hints)} English ones.")
    answer, answer_ko = entry.get("answer", []), entry.get("answer_ko", [])
    for key, lines in (("answer", answer), ("answer_ko", answer_ko)):
        if not isinstance(lines, list) or not all(isinstance(h, str) and h.strip() for h in lines):
            raise ManifestError(f"curriculum.toml: {where} has `{key}` that is not a list of non-empty strings.")
    if answer_ko and len(answer_ko) != len(answer):
        raise ManifestError(f"curriculum.toml: {where} has {len(answer_ko)} Korean answer lines for {len(answer)} "
                            "English ones.")
    extras = entry.get("extras", [])
    if not isinstance(extras, list) or not all(isinstance(e, str) for e in extras):
        raise ManifestError(f"curriculum.toml: {where} has `extras` that are not a list of strings.")
    timeout = entry.get("timeout", DEFAULT_TIMEOUT)
    if not isinstance(timeout, int) or timeout <= 0:
        raise ManifestError(f"curriculum.toml: {where} has `timeout` that is not a positive integer.")
    unknown = set(entry) - {"id", "slug", "title", "title_ko", "hints", "hints_ko", "answer", "answer_ko", "available",
                            "extras", "timeout"}
    if unknown:
        raise ManifestError(f"curriculum.toml: {where} has unknown keys: {', '.join(sorted(unknown))}.")
    return Item(id=item_id, slug=slug, title=_require(entry, "title", str, where),
                title_ko=_require(entry, "title_ko", str, where), hints=tuple(hints), hints_ko=tuple(hints_ko),
                available=available, extras=tuple(extras), timeout=timeout, answer=tuple(answer),
                answer_ko=tuple(answer_ko))


def parse(text: str, root: Path) -> Manifest:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(f"curriculum.toml is not valid TOML: {error}.") from None
    items = [_parse_item(entry, i) for i, entry in enumerate(data.get("item", []))]
    if not items:
        raise ManifestError("curriculum.toml lists no [[item]].")
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ManifestError(f"curriculum.toml: item {item.id} is listed twice.")
        seen.add(item.id)
    ordered = sorted(items, key=lambda i: tuple(int(p) for p in i.id.split(".")))
    if ordered != items:
        raise ManifestError("curriculum.toml: items are not in curriculum order "
                            f"({', '.join(i.id for i in items)}).")
    sections = []
    for index, entry in enumerate(data.get("section", [])):
        where = f"section #{index + 1}"
        section_id = _require(entry, "id", str, where)
        members = tuple(item for item in items if item.section == section_id)
        sections.append(Section(id=section_id, title=_require(entry, "title", str, where),
                                title_ko=_require(entry, "title_ko", str, where), items=members))
    orphans = [item.id for item in items if item.section not in {s.id for s in sections}]
    if orphans:
        raise ManifestError(f"curriculum.toml: items {', '.join(orphans)} belong to no [[section]].")
    return Manifest(root=root, sections=tuple(sections), welcome=data.get("welcome", ""))


def load(root: Path | None = None) -> Manifest:
    root = root or find_root()
    path = root / "curriculum.toml"
    if not path.is_file():
        raise ManifestError(f"No curriculum.toml in {root}; run ptgrade from the kit's folder "
                            "or set PTGRADE_ROOT.")
    return parse(path.read_text(encoding="utf-8"), root)
