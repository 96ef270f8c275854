"""Letter templates: Jinja2 in a sandbox, turned into a tiny, safe paragraph markup.

How a template becomes a PDF, safely:

1. The template is parsed by a ``SandboxedEnvironment`` with autoescape on and
   ``StrictUndefined``. Before anything is rendered its syntax tree is checked against a
   whitelist: only plain text, the declared field names, ``{% if %}``/``{% else %}``, simple
   comparisons and a handful of text filters (``upper``, ``lower``, ``title``, ``capitalize``,
   ``trim``, ``default``). Attribute or item access (``x.y``, ``x['y']``), calls, loops,
   includes, ``safe`` and arithmetic are refused, as is any name that is not a field of that
   kind of letter. So ``{{ ''.__class__ }}`` never reaches the renderer.
2. Field values are escaped by autoescape (``<`` becomes ``&lt;``, ``&`` becomes ``&amp;``), so a
   name can never become markup.
3. The rendered text is split into blocks at blank lines; a block starting ``## `` is a heading.
   The only tags a block may carry are ``<b>``, ``</b>``, ``<i>``, ``</i>`` written in the template
   itself, properly nested; anything else (``<font>``, ``<img>``, ``<a>``...) is refused. A bare
   ``&`` typed in the template is escaped. Line breaks become ``<br/>``.
4. ``documents/templated.py`` lays these blocks out on the letterhead with reportlab.

Any problem raises ``TemplateProblem`` (a ``ValidationError`` on the field ``body``) with a
plain message; nothing is half-rendered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from ccc_desktop.models.errors import ValidationError
from ccc_desktop.resources import read_text, resource_path


class TemplateProblem(ValidationError):
    def __init__(self, message: str) -> None:
        super().__init__(message, "body")


@dataclass(frozen=True)
class TemplateField:
    name: str
    description: str
    sample: str


@dataclass(frozen=True)
class LetterKind:
    kind: str
    title: str
    default_file: str  # under resources/templates/
    fields: tuple[TemplateField, ...]
    subject_type: str = "summons"

    @property
    def field_names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields)

    def samples(self) -> dict[str, str]:
        return {f.name: f.sample for f in self.fields}

    def default_body(self) -> str:
        return read_text("templates", self.default_file)


@dataclass(frozen=True)
class Block:
    """One paragraph of safe reportlab markup; style is 'body', 'heading' or 'space' (a gap)."""

    style: str
    markup: str


# ---- the fields a summons letter may use --------------------------------------------------------
CENTRE_FIELDS = (
    TemplateField("centre_name", "The centre's name", "Riverside Child Contact Centre"),
    TemplateField("centre_address", "The centre's address", "The Old School\n12 Mill Lane\nChesterfield S40 1AA"),
    TemplateField("centre_phone", "The centre's telephone number", "01246 555 014"),
    TemplateField("centre_email", "The centre's email address", "office@riverside-ccc.org.uk"),
    TemplateField("chair_name", "The Chair of the management committee", "Margaret Holt"),
    TemplateField("naccc_contact", "The NACCC office (from the centre's details)", "NACCC, Nottingham office"),
    TemplateField("solicitor_name", "The committee's solicitor", "David Brook"),
    TemplateField("solicitor_firm", "The committee solicitor's firm", "Brook & Hale LLP"),
    TemplateField("today", "Today's date", "26 November 2026"),
    TemplateField("signed_by", "Who is signing (your name)", "Carol Dean"),
)
SUMMONS_FIELDS = (
    TemplateField("case_number", "The court's case number", "DE26P01234"),
    TemplateField("court", "The court", "Derby Family Court"),
    TemplateField("court_address", "The court's address", "Morledge\nDerby DE1 2XE"),
    TemplateField("hearing_date", "The hearing date", "14 December 2026"),
    TemplateField("hearing_time", "The hearing time (may be empty)", "10:00"),
    TemplateField("received_date", "The date the summons was received", "20 November 2026"),
    TemplateField("served_on", "Who was served: the centre or a volunteer's name", "the centre"),
    TemplateField("applicant", "The party or solicitor who applied for the summons", "Smith & Co Solicitors"),
    TemplateField("applicant_address", "Their address", "4 High Street\nDerby DE1 1AA"),
    TemplateField("respond_by", "The date to respond by (may be empty)", "4 December 2026"),
)

# The legal area's letters; each area lists its letter kinds in its ``Area`` (services/area.py),
# with a default under resources/templates/. Nothing is registered by importing a module.
SUMMONS_LETTERS = (
    LetterKind("summons_court", "Witness summons: letter to the court", "summons_court.txt",
               CENTRE_FIELDS + SUMMONS_FIELDS),
    LetterKind("summons_solicitor", "Witness summons: letter to the solicitor",
               "summons_solicitor.txt", CENTRE_FIELDS + SUMMONS_FIELDS),
    LetterKind("summons_naccc", "Witness summons: letter to the NACCC office", "summons_naccc.txt",
               CENTRE_FIELDS + SUMMONS_FIELDS),
    LetterKind("summons_committee_solicitor", "Witness summons: note for the committee solicitor",
               "summons_committee_solicitor.txt", CENTRE_FIELDS + SUMMONS_FIELDS),
)


def letter_kind(kinds: Iterable[LetterKind], kind: str) -> LetterKind:
    """The letter kind called ``kind`` among ``kinds`` (a ValidationError if there is none)."""
    for known in kinds:
        if known.kind == kind:
            return known
    raise ValidationError(f"There is no letter template called {kind!r}.", "kind")


def shipped_default_exists(kind: LetterKind) -> bool:
    return resource_path("templates", kind.default_file).is_file()


# ---- the sandbox ----------------------------------------------------------------------------------
ALLOWED_FILTERS = frozenset({"upper", "lower", "title", "capitalize", "trim", "default", "d"})
_ALLOWED_NODES: tuple[type[nodes.Node], ...] = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const, nodes.If,
    nodes.CondExpr, nodes.Not, nodes.And, nodes.Or, nodes.Compare, nodes.Operand, nodes.Filter,
    nodes.Concat,
)
_NODE_WORDS = {
    nodes.Getattr: "reading a part of a field (a dot, as in x.y)",
    nodes.Getitem: "reading a part of a field (square brackets)",
    nodes.Call: "calling a function",
    nodes.For: "loops ({% for %})",
    nodes.Include: "including another template",
    nodes.Import: "importing",
    nodes.FromImport: "importing",
    nodes.Macro: "macros",
    nodes.Assign: "setting variables",
    nodes.AssignBlock: "setting variables",
    nodes.Extends: "extending another template",
    nodes.Block: "blocks",
    nodes.ScopedEvalContextModifier: "switching escaping off",
    nodes.EvalContextModifier: "switching escaping off",
}


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    env.globals.clear()
    env.filters = {k: v for k, v in env.filters.items() if k in ALLOWED_FILTERS}
    env.tests = {k: v for k, v in env.tests.items() if k in ("defined", "none")}
    return env


_ENV = _environment()


def _fields_list(kind: LetterKind) -> str:
    return ", ".join(sorted(kind.field_names))


MAX_NESTING = 20
_BLOCK_TAG = re.compile(r"\{%-?\s*(\w+)")


def _check_depth(body: str) -> None:
    """Refuse deep nesting before Jinja parses it (its parser recurses once per level)."""
    depth = 0
    for m in _BLOCK_TAG.finditer(body):
        word = m.group(1)
        if word in ("if", "for", "macro", "block", "filter", "with", "call"):
            depth += 1
            if depth > MAX_NESTING:
                raise TemplateProblem(f"The template nests {{% {word} %}} more than {MAX_NESTING} "
                                      "levels deep; simplify it.")
        elif word.startswith("end"):
            depth = max(0, depth - 1)


def check_template(body: str, kind: LetterKind):
    """Parse and check against the whitelist; returns the compiled template or raises."""
    if not body.strip():
        raise TemplateProblem("The template is empty. Write the letter, or restore the default.")
    if len(body) > 50_000:
        raise TemplateProblem("The template is too long (over 50,000 characters).")
    _check_depth(body)
    try:
        tree = _ENV.parse(body)
    except RecursionError:
        raise TemplateProblem(f"The template nests {{% if %}} too deeply; keep it to "
                              f"{MAX_NESTING} levels.") from None
    except TemplateSyntaxError as exc:
        raise TemplateProblem(
            f"The template cannot be read at line {exc.lineno}: {exc.message}. "
            "Check that every {{ has a matching }} and every {% if %} an {% endif %}.") from None
    all_nodes = list(tree.find_all(nodes.Node))
    # The most useful message first: escaping switched off, then unknown fields, then the rest.
    if any(isinstance(n, nodes.EvalContextModifier) for n in all_nodes):
        raise TemplateProblem("Letter templates cannot use switching escaping off "
                              "({% autoescape %}).")
    statements = (nodes.For, nodes.Include, nodes.Import, nodes.FromImport, nodes.Macro,
                  nodes.Assign, nodes.AssignBlock, nodes.Extends, nodes.Block)
    all_nodes.sort(key=lambda n: 0 if isinstance(n, statements) else 1 if isinstance(n, nodes.Name) else 2)
    for node in all_nodes:
        if isinstance(node, nodes.Name):
            if node.ctx != "load":
                raise TemplateProblem("Templates cannot set variables.")
            if node.name not in kind.field_names:
                raise TemplateProblem(
                    f"The template uses {{{{ {node.name} }}}}, which is not a field of this "
                    f"letter. The fields are: {_fields_list(kind)}.")
        elif isinstance(node, nodes.Filter):
            if node.name not in ALLOWED_FILTERS:
                raise TemplateProblem(
                    f"The template uses the filter |{node.name}, which letters cannot use. "
                    f"Allowed: {', '.join(sorted(ALLOWED_FILTERS - {'d'}))}.")
        elif not isinstance(node, _ALLOWED_NODES):
            what = next((w for t, w in _NODE_WORDS.items() if isinstance(node, t)),
                        f"this kind of expression ({type(node).__name__})")
            raise TemplateProblem(f"Letter templates cannot use {what}. Use only the fields, "
                                  "plain text, <b>/<i> and {% if field %} ... {% endif %}.")
    try:
        return _ENV.from_string(tree)
    except Exception as exc:  # noqa: BLE001 - any compile error is the template's fault
        raise TemplateProblem(f"The template cannot be used: {exc}") from None


_TAG = re.compile(r"<[^>]*>")
_ALLOWED_TAGS = {"<b>": ("b", True), "</b>": ("b", False), "<i>": ("i", True), "</i>": ("i", False)}
_BARE_AMP = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#\d{1,6}|#x[0-9a-fA-F]{1,6});)")


def _safe_markup(block: str) -> str:
    block = _BARE_AMP.sub("&amp;", block)
    stack: list[str] = []
    for m in _TAG.finditer(block):
        tag = m.group(0)
        if tag not in _ALLOWED_TAGS:
            raise TemplateProblem(
                f"The template contains {tag}, which letters cannot use. The only tags allowed "
                "are <b>bold</b> and <i>italic</i>.")
        name, opening = _ALLOWED_TAGS[tag]
        if opening:
            stack.append(name)
        elif not stack or stack.pop() != name:
            raise TemplateProblem(f"The template closes {tag} without opening it first.")
    if "<" in _TAG.sub("", block) or ">" in _TAG.sub("", block):
        raise TemplateProblem("The template contains a stray < or >; write it as &lt; or &gt;.")
    if stack:
        raise TemplateProblem(f"The template opens <{stack[-1]}> without closing it.")
    return block.replace("\n", "<br/>")


def _clean_value(value: object) -> str:
    s = "" if value is None else str(value)
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    # A value cannot start a new paragraph or heading of its own.
    return re.sub(r"\n\s*\n+", "\n", s).strip()


def render_blocks(body: str, kind: LetterKind, values: Mapping[str, object]) -> list[Block]:
    """Render the whole template, then check its markup; raises TemplateProblem, never half-renders."""
    template = check_template(body, kind)
    missing = kind.field_names - values.keys()
    if missing:
        raise TemplateProblem(f"No value for: {', '.join(sorted(missing))}.")
    context = {k: _clean_value(values[k]) for k in kind.field_names}
    try:
        out = template.render(context)
    except Exception as exc:  # noqa: BLE001 - sandbox refusals, undefined names, filter errors
        raise TemplateProblem(f"The template could not be filled in: {exc}") from None
    blocks: list[Block] = []
    for raw in re.split(r"\n[ \t]*\n", out.replace("\r\n", "\n")):
        raw = raw.strip("\n").rstrip()
        if not raw.strip():
            # Two or more blank lines in a row leave a gap (e.g. room for a signature).
            if blocks and blocks[-1].style != "space":
                blocks.append(Block("space", ""))
            continue
        if raw.startswith("## "):
            blocks.append(Block("heading", _safe_markup(raw[3:].strip())))
        else:
            blocks.append(Block("body", _safe_markup(raw)))
    while blocks and blocks[-1].style == "space":
        blocks.pop()
    if not blocks:
        raise TemplateProblem("The template produces an empty letter.")
    return blocks
