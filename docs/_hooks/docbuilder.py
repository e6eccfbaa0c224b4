"""The documentation's generated pages, rendered from the code at build time.

The mkdocs hook (``docs/_hooks/campus_security_docs.py``) and the Sphinx
configuration (``docs/api/conf.py``) call these functions, and ``tests/test_docs.py``
checks what they return; nothing here imports mkdocs or Sphinx. Every page or table
rendered here comes from the objects themselves:

- the rule catalogue, from the standards the installed plugins provide (the list
  ``campus-security rules`` prints), through :func:`campus_security.report.rule_document`;
- the hook reference, from the hook specifications and their docstrings;
- the roster format's field tables, from the attrs classes of the model and the
  attribute docstrings written after each field;
- the command-line reference, from the click commands.

This module is private: its functions may change with the documentation.
"""

from __future__ import annotations

import ast
import datetime as dt
import enum
import importlib
import importlib.metadata
import inspect
import re
import textwrap
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import attrs
import click

from campus_security import hookspecs
from campus_security.engine import Standard
from campus_security.model import CreditCode, DaySeries, IdNumber, RegionCode, Roster
from campus_security.plugins import PluginManager
from campus_security.report import standard_document

__all__ = [
    "API_MODULES",
    "API_SUBMODULES",
    "Page",
    "api_home",
    "canonical_name",
    "chinese_term",
    "cli_reference",
    "documented_members",
    "field_docs",
    "hook_reference",
    "hook_specs",
    "mentioned_ids",
    "roster_classes",
    "roster_reference",
    "rst_to_markdown",
    "rule_catalogue",
    "run_cli",
    "standards_by_plugin",
    "undocumented_fields",
]

Page = tuple[str, str]
"""A generated page: its path under ``docs/`` and its Markdown."""

API_MODULES = (
    "campus_security",
    "campus_security.model",
    "campus_security.engine",
    "campus_security.formats",
    "campus_security.errors",
    "campus_security.plugins",
    "campus_security.hookspecs",
    "campus_security.sdk",
    "campus_security.testing",
    "campus_security.devices",
    "campus_security.record_sources",
    "campus_security.report",
    "campus_security.pipeline",
    "campus_security.store",
)
"""The public API: one page of the Sphinx reference each, in this order."""

API_SUBMODULES = {
    "campus_security.engine": ("campus_security.engine.rollup",),
    "campus_security.formats": ("campus_security.formats.census",),
    "campus_security.reports": (
        "campus_security.reports.html",
        "campus_security.reports.csv",
        "campus_security.reports.sarif",
        "campus_security.reports.junit",
    ),
    "campus_security.record_sources": (
        "campus_security.record_sources.tables",
        "campus_security.record_sources.merge",
    ),
}
"""Public submodules documented on their parent's page, when they are installed."""

# Where each public object is documented: the first of these modules that exports
# it. The top-level package and the SDK re-export objects documented elsewhere.
_HOMES = (
    "campus_security.model",
    "campus_security.engine",
    "campus_security.errors",
    "campus_security.formats",
    "campus_security.formats.census",
    "campus_security.hookspecs",
    "campus_security.plugins",
    "campus_security.devices",
    "campus_security.record_sources",
    "campus_security.record_sources.tables",
    "campus_security.record_sources.merge",
    "campus_security.report",
    "campus_security.reports",
    "campus_security.reports.csv",
    "campus_security.reports.sarif",
    "campus_security.reports.junit",
    "campus_security.store",
    "campus_security.testing",
    "campus_security",
)


def _homes() -> tuple[str, ...]:
    found = []
    for name in _HOMES:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        found.append(name)
    return tuple(found)


# --- where an object is documented ----------------------------------------------------


@cache
def _home_names() -> dict[int, str]:
    homes: dict[int, str] = {}
    for module_name in _homes():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if isinstance(obj, str | int | float | bool | frozenset | tuple) or obj is None:
                continue  # constants are interned or shared; they are found by name
            homes.setdefault(id(obj), f"{module_name}.{name}")
    for spec in hook_specs():  # hook specs are documented in hookspecs, not in its __all__
        homes[id(getattr(hookspecs, spec.name))] = f"{hookspecs.__name__}.{spec.name}"
    return homes


def documented_members(module_name: str) -> tuple[list[str], list[tuple[str, str]]]:
    """What the API page of ``module_name`` documents, and what it only links to.

    Returns the names documented on the page (those whose home it is, in ``__all__``
    order, and the hook specs of :mod:`campus_security.hookspecs`) and, for the names
    it re-exports, ``(name, canonical name)`` pairs.
    """
    module = importlib.import_module(module_name)
    here: list[str] = []
    elsewhere: list[tuple[str, str]] = []
    names = list(getattr(module, "__all__", ()))
    if module_name == hookspecs.__name__:
        names += [s.name for s in hook_specs()]
    for name in names:
        home = canonical_name(f"{module_name}.{name}")
        if home is None or home == f"{module_name}.{name}":
            here.append(name)
        else:
            elsewhere.append((name, home))
    return here, elsewhere


def _resolve(dotted: str) -> Any:
    """The object a dotted path names (module, then attributes), or raise LookupError."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            try:
                obj = getattr(obj, attr)
            except AttributeError:
                raise LookupError(dotted) from None
        return obj
    raise LookupError(dotted)


def canonical_name(dotted: str) -> str | None:
    """The name under which the API reference documents the object ``dotted`` names.

    Objects are defined in private submodules (``campus_security.engine.rules``) and
    documented where the public API exports them (``campus_security.engine``):
    ``campus_security.engine.rules.Standard`` becomes
    ``campus_security.engine.Standard``. ``None`` when the object is not public.
    """
    if dotted in API_MODULES or dotted in _homes():
        return dotted
    try:
        obj = _resolve(dotted)
    except LookupError:
        return None
    found = _home_names().get(id(obj))
    if found is not None:
        return found
    # Constants (strings, numbers) cannot be told apart by identity: they are found by
    # name, in the home module that holds the private module defining them.
    last = dotted.rpartition(".")[2]
    for home in sorted(_homes(), key=len, reverse=True):
        if dotted.startswith(home + "."):
            module = importlib.import_module(home)
            if last in getattr(module, "__all__", ()) and getattr(module, last) is obj:
                return f"{home}.{last}"
    parent, _, attr = dotted.rpartition(".")
    if parent and inspect.isclass(_safe_resolve(parent)):
        owner = canonical_name(parent)
        return f"{owner}.{attr}" if owner else None
    return None


def _safe_resolve(dotted: str) -> Any:
    try:
        return _resolve(dotted)
    except LookupError:
        return None


def api_home(dotted: str) -> tuple[str, str] | None:
    """The API reference page (a module of :data:`API_MODULES`) and anchor of an object."""
    name = canonical_name(dotted)
    if name is None:
        return None
    page = max((m for m in API_MODULES if name == m or name.startswith(m + ".")), key=len)
    return page, f"module-{name}" if name in _homes() or name in API_MODULES else name


def _api_link(dotted: str, api_base: str, text: str | None = None) -> str:
    label = f"`{text or dotted}`"
    where = api_home(dotted)
    if where is None:
        return label
    page, anchor = where
    return f"[{label}]({api_base}{page}.html#{anchor})"


# --- reStructuredText (docstrings) to Markdown -----------------------------------------

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|data|mod|obj|exc|const):`([^`]+)`")
_LITERAL = re.compile(r"``(.+?)``")


def _inline(text: str, api_base: str) -> str:
    def role(m: re.Match[str]) -> str:
        body = m.group(1)
        label: str | None = None
        explicit = re.fullmatch(r"(.+?)\s*<(.+)>", body)
        if explicit:
            label, body = explicit.group(1), explicit.group(2)
        short = body.startswith("~")
        body = body.lstrip("~")
        if short and label is None:
            label = body.rsplit(".", 1)[-1]
        if body.startswith("."):  # relative to the module: not resolvable here
            return f"`{label or body.lstrip('.')}`"
        return _api_link(body, api_base, label)

    return _LITERAL.sub(lambda m: f"`{m.group(1)}`", _ROLE.sub(role, text))


def rst_to_markdown(text: str, *, api_base: str = "api/", language: str = "python") -> str:
    """Markdown for a docstring written in the reStructuredText that Sphinx reads.

    Handles what this project's docstrings use: paragraphs, bullet lists, ``::``
    literal blocks, doctest blocks, inline literals and cross-reference roles (which
    become links into the API reference at ``api_base``).
    """
    lines = textwrap.dedent(text.expandtabs()).strip("\n").splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(">>>"):
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i])
                i += 1
            out += ["```pycon", *block, "```"]
            continue
        if line.rstrip().endswith("::"):
            intro = line.rstrip()[:-2].rstrip()
            if intro:
                out.append(_inline(intro, api_base) + ("" if intro.endswith(":") else ":"))
            i += 1
            block = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith((" ", "\t"))):
                block.append(lines[i])
                i += 1
            code = textwrap.dedent("\n".join(block)).strip("\n")
            out += ["", f"```{language}", code, "```", ""]
            continue
        out.append(_inline(line, api_base))
        i += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of a cleaned docstring (``inspect.getdoc``), indentation kept."""
    return [p.strip("\n") for p in re.split(r"\n\s*\n", text.strip("\n")) if p.strip()]


def _sentences(paragraph: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+(?=[A-Z:])", " ".join(paragraph.split()))


# --- the hook reference ------------------------------------------------------------------


@attrs.frozen
class HookDoc:
    """One hook specification, as the hook reference shows it."""

    name: str
    signature: str
    arguments: tuple[tuple[str, str, str], ...]
    """(name, annotation, description) of each argument."""
    returns: str
    """The return annotation."""
    summary: str
    description: tuple[str, ...]
    called: tuple[str, ...]
    """The sentences that say when the hook is called."""
    returned: tuple[str, ...]
    """The sentences that say what the hook returns."""
    example: str
    """The docstring's literal blocks and their introductions (reStructuredText)."""
    lineno: int


def hook_specs(module: types.ModuleType = hookspecs) -> list[HookDoc]:
    """Every hook specification of ``module``, in source order, with its documentation."""
    marker = f"{hookspecs.PROJECT}_spec"
    docs: list[HookDoc] = []
    for name, fn in vars(module).items():
        if not (inspect.isfunction(fn) and hasattr(fn, marker)):
            continue
        sig = inspect.signature(fn)
        doc = inspect.getdoc(fn) or ""
        params = _param_fields(doc)
        arguments = tuple(
            (p.name, _annotation(p.annotation), params.get(p.name, ""))
            for p in sig.parameters.values()
        )
        paragraphs = _paragraphs(doc)
        summary = paragraphs[0] if paragraphs else ""
        description: list[str] = []
        called: list[str] = []
        returned: list[str] = []
        example: list[str] = []
        in_example = False
        for para in paragraphs[1:]:
            if in_example or para.rstrip().endswith("::"):
                in_example = True
                example.append(para)
                continue
            if para.lstrip().startswith(":param"):
                continue
            kept: list[str] = []
            for sentence in _sentences(para):
                if sentence.startswith("Called"):
                    called.append(sentence)
                elif sentence.startswith("Return"):
                    returned.append(sentence)
                else:
                    kept.append(sentence)
            if kept:
                description.append(" ".join(kept))
        docs.append(
            HookDoc(
                name=name,
                signature=f"def {name}{_signature(sig)}",
                arguments=arguments,
                returns=_annotation(sig.return_annotation),
                summary=" ".join(summary.split()),
                description=tuple(description),
                called=tuple(called),
                returned=tuple(returned),
                example="\n\n".join(example),
                lineno=fn.__code__.co_firstlineno,
            )
        )
    return sorted(docs, key=lambda d: d.lineno)


def _annotation(annotation: Any) -> str:
    if annotation is inspect.Signature.empty:
        return ""
    return annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)


def _signature(sig: inspect.Signature) -> str:
    params = ", ".join(
        f"{p.name}: {_annotation(p.annotation)}" if p.annotation is not p.empty else p.name
        for p in sig.parameters.values()
    )
    ret = _annotation(sig.return_annotation)
    return f"({params})" + (f" -> {ret}" if ret else "")


def _param_fields(doc: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for m in re.finditer(r"^:param\s+(?:\S+\s+)?(\w+):\s*(.*(?:\n[ \t]+.*)*)", doc, re.M):
        fields[m.group(1)] = " ".join(m.group(2).split())
    return fields


def hook_reference(module: types.ModuleType = hookspecs, *, api_base: str = "../api/") -> str:
    """The hook reference page: every hook spec of ``module`` with its documentation."""
    specs = hook_specs(module)
    out = [
        "# Hook reference 钩子参考",
        "",
        "<!-- Generated from campus_security/hookspecs.py at build time: edit the docstrings"
        " there. -->",
        "",
        rst_to_markdown(module.__doc__ or "", api_base=api_base),
        f"This page is generated from the docstrings of {_api_link(module.__name__, api_base)}"
        " when the documentation is built, so every hook the library declares is here.",
        "",
        "| hook | summary |",
        "|---|---|",
    ]
    out += [f"| [`{s.name}`](#{s.name}) | {_inline(s.summary, api_base)} |" for s in specs]
    for s in specs:
        out += [
            "",
            f"## `{s.name}` {{#{s.name}}}",
            "",
            _inline(s.summary, api_base),
            "",
            "```python",
            "@hookimpl",
            f"{s.signature}: ...",
            "```",
            "",
        ]
        out += [_inline(d, api_base) + "\n" for d in s.description]
        out += ["**Arguments**", ""]
        if s.arguments:
            out += ["| name | type | meaning |", "|---|---|---|"]
            out += [f"| `{n}` | `{a}` | {_inline(d, api_base) or '—'} |" for n, a, d in s.arguments]
        else:
            out.append(
                "None. (pluggy passes an implementation only the arguments it names, so an"
                " argument added later breaks no plugin.)"
            )
        returned = _inline(" ".join(s.returned), api_base)
        out += ["", "**Returns**", "", f"`{s.returns or 'None'}`. {returned}".rstrip()]
        out += ["", "**When it is called**", "", _inline(" ".join(s.called), api_base) or "—"]
        out += ["", "**Example**", "", rst_to_markdown(s.example, api_base=api_base)]
        out += [f"API reference: {_api_link(f'{module.__name__}.{s.name}', api_base)}.", ""]
    return "\n".join(out).rstrip() + "\n"


# --- the rule catalogue --------------------------------------------------------------------


def standards_by_plugin(pm: PluginManager) -> dict[str, str]:
    """Which plugin (entry-point name) provides each standard, by standard id."""
    found: dict[str, str] = {}
    for impl in pm.pm.hook.campus_security_standards.get_hookimpls():
        try:
            result: Any = impl.function()
            provided = list(result or ())
        except Exception:  # reported by the manager itself
            continue
        for std in provided:
            if isinstance(std, Standard):
                found.setdefault(std.id, impl.plugin_name)
    return found


def _distribution(plugin: str) -> str | None:
    for ep in importlib.metadata.entry_points(group=hookspecs.PROJECT):
        if ep.name == plugin and ep.dist is not None:
            return f"{ep.dist.name} {ep.dist.version}"
    return None


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _bilingual(doc: Mapping[str, str] | None) -> str:
    if not doc:
        return "—"
    return f"{_cell(doc['zh'])}<br>{_cell(doc['en'])}"


def _jurisdiction(codes: Iterable[str]) -> str:
    return ", ".join(f"`{c}` {RegionCode(c).name}" for c in codes)


def rule_catalogue(
    standards: Sequence[Standard],
    *,
    plugins: Mapping[str, str] | None = None,
    coverage: Callable[[str], str | None] = lambda _id: None,
) -> list[Page]:
    """The rule catalogue: an index page and one page per standard.

    ``standards`` are the installed ones (``PluginManager().standards()``); every rule
    of every standard gets a section whose anchor is its id, and nothing else does.
    ``plugins`` maps standard ids to plugin names; ``coverage`` returns the path
    (relative to ``docs/``) of a standard's coverage page, if it has one.
    """
    plugins = plugins or {}
    docs = [standard_document(s) for s in standards]
    index = [
        "# Rule catalogue 规则目录",
        "",
        "<!-- Generated at build time from the installed plugins' standards. -->",
        "",
        "Every rule of every standard installed where the documentation was built, generated"
        " from the rules' own metadata: the same standards and rules that"
        " `campus-security rules` lists (`--format json` for programs). A rule cannot be"
        " missing here, and nothing here describes a rule that does not exist.",
        "",
        "Each rule's id is stable: findings, waivers (`Waiver.rule_id`) and reports refer to"
        " it, and its section below has the id as its anchor"
        " (`rules/<standard>.html#<rule id>`).",
        "",
        "## Standards 标准",
        "",
        "| standard | title | document 文号 | jurisdiction 辖区 | in force 施行 | rules"
        " | targets |",
        "|---|---|---|---|---|---|---|",
    ]
    for d in docs:
        until = d["in_force_until"] or ""
        index.append(
            f"| [`{d['id']}`]({d['id']}.md) | {_bilingual(d['title'])} | {_cell(d['document'])}"
            f" | {_jurisdiction(d['jurisdiction'])} | {d['in_force_from']} – {until}"
            f" | {len(d['rules'])} | {len(d['targets'])} |"
        )
    if not docs:
        index.append("| — | no standard is installed | | | | | |")
    index += [
        "",
        f"## All rules 全部规则 ({sum(len(d['rules']) for d in docs)})",
        "",
        "| rule | title | citation 出处 | applies to 适用范围 |",
        "|---|---|---|---|",
    ]
    for d in docs:
        for r in d["rules"]:
            cit = r["citation"]
            index.append(
                f"| [`{r['id']}`]({d['id']}.md#{r['id']}) | {_bilingual(r['title'])}"
                f" | {_cell(cit['document'])} {_cell(cit['clause'])} | {_bilingual(r['applies'])} |"
            )
    pages: list[Page] = [("rules/index.md", "\n".join(index) + "\n")]
    for std, d in zip(standards, docs, strict=True):
        pages.append((f"rules/{d['id']}.md", _standard_page(std, d, plugins, coverage)))
    return pages


def _standard_page(
    std: Standard,
    d: Mapping[str, Any],
    plugins: Mapping[str, str],
    coverage: Callable[[str], str | None],
) -> str:
    plugin = plugins.get(std.id)
    dist = _distribution(plugin) if plugin else None
    until = d["in_force_until"] or "(no end date 长期有效)"
    out = [
        f"# `{d['id']}`: {_cell(d['title']['zh'])}",
        "",
        f"*{_cell(d['title']['en'])}*",
        "",
        "<!-- Generated at build time from the standard's own metadata. -->",
        "",
        "| | standard 标准 |",
        "|---|---|",
        f"| standard id | `{d['id']}` |",
        f"| document 文号 | {_cell(d['document'])} |",
        f"| issued by 发文单位 | {_bilingual(d['issued_by'])} |",
        f"| jurisdiction 辖区 | {_jurisdiction(d['jurisdiction'])} and every code under it |",
        f"| in force 施行 | {d['in_force_from']} – {until} |",
    ]
    if std.url:
        out.append(f"| source | <{std.url}> |")
    if plugin:
        out.append(
            f"| plugin 插件 | `{plugin}`{f' ({dist})' if dist else ''};"
            f" switch it off with `--block-plugin {plugin}` |"
        )
    page = coverage(std.id)
    if page:
        out.append(f"| coverage 覆盖情况 | [requirement by requirement](../{page}) |")
    out.append(f"| rules | {len(d['rules'])} |")
    targets_of: dict[str, list[str]] = {}
    for t in d["targets"]:
        targets_of.setdefault(t["rule_id"], []).append(t["id"])
    if d["targets"]:
        out += [
            "",
            "## Rate targets 达标率目标",
            "",
            "A target is a rate over the schools of the jurisdiction that its rule applies to;"
            " before its due date it is reported as pending.",
            "",
            "| target | title | counts rule | citation 出处 | due 期限 | threshold | applies to |",
            "|---|---|---|---|---|---|---|",
        ]
        for t in d["targets"]:
            cit = t["citation"]
            out.append(
                f"| `{t['id']}` {{#{t['id']}}} | {_bilingual(t['title'])}"
                f" | [`{t['rule_id']}`](#{t['rule_id']}) | {_cell(cit['document'])}"
                f" {_cell(cit['clause'])} | {t['due']} | {t['threshold']:.0%}"
                f" | {_bilingual(t['applies'])} |"
            )
    out += ["", "## Rules 规则", ""]
    for r, rule in zip(d["rules"], std.rules, strict=True):
        cit = r["citation"]
        out += [
            f"### `{r['id']}` {{#{r['id']}}}",
            "",
            f"**{_cell(r['title']['zh'])}**<br>{_cell(r['title']['en'])}",
            "",
            "| | rule 规则 |",
            "|---|---|",
            f"| citation 出处 | {_cell(cit['document'])} {_cell(cit['clause'])} |",
            f"| applies to 适用范围 | {_bilingual(r['applies'])} |",
        ]
        if r["binding_from"]:
            out.append(
                f"| binding from 起算日期 | {r['binding_from']}: before it a failure is reported"
                " as not yet binding |"
            )
        out += [
            f"| passes 合格 | {_bilingual(r['passes'])} |",
            f"| fails 不合格 | {_bilingual(r['fails'])} |",
        ]
        if rule.devices:
            kinds = ", ".join(f"`{k.value}` {k.zh}" for k in rule.devices)
            out.append(f"| reads probed devices | {kinds} |")
        if r["id"] in targets_of:
            links = ", ".join(f"[`{t}`](#{t})" for t in targets_of[r["id"]])
            out.append(f"| rate targets | {links} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


_ID_MENTION = re.compile(r"`([a-z][a-z0-9_]*)\.([a-z0-9][a-z0-9-]*)`")


def mentioned_ids(markdown: str, standard_ids: Iterable[str]) -> set[str]:
    """Ids in backticks (`` `std.slug` ``) whose prefix is one of ``standard_ids``.

    The docs check each against the installed rules and targets, so that no page
    describes a rule that does not exist.
    """
    known = set(standard_ids)
    return {f"{a}.{b}" for a, b in _ID_MENTION.findall(markdown) if a in known}


# --- the roster format ------------------------------------------------------------------------


@cache
def _module_field_docs(path: str) -> dict[str, dict[str, str]]:
    tree = ast.parse(Path(path).read_text("utf-8"))
    found: dict[str, dict[str, str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        docs: dict[str, str] = {}
        body = node.body
        for stmt, nxt in zip(body, [*body[1:], None], strict=True):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(nxt, ast.Expr)
                and isinstance(nxt.value, ast.Constant)
                and isinstance(nxt.value.value, str)
            ):
                docs[stmt.target.id] = inspect.cleandoc(nxt.value.value)
        found[node.name] = docs
    return found


def field_docs(cls: type) -> dict[str, str]:
    """The attribute docstrings of an attrs class: the string written after each field."""
    source = inspect.getsourcefile(cls)
    if source is None:
        return {}
    return _module_field_docs(source).get(cls.__name__, {})


_CJK = r"\u3400-\u9fff\uf900-\ufaff"


def chinese_term(doc: str) -> str:
    """The Chinese term a field's docstring gives, or ``""``.

    The term opens the docstring (``在校生数 (幼儿 for kindergartens).``) or stands in
    brackets in it (``The day the school first engaged the guard (首次聘用).``).

    >>> chinese_term("保安服务许可证编号; ``None`` means the company holds no permit.")
    '保安服务许可证编号'
    >>> chinese_term("The day the school first engaged the guard (首次聘用).")
    '首次聘用'
    """
    text = " ".join(doc.split())
    m = re.match(rf"^[0-9A-Za-z]*[{_CJK}][^:;,.(（]*", text)
    if m:
        return re.split(r"\s+(?=[A-Za-z`])", m.group(0))[0].strip()
    m = re.search(rf"[(（]([^()（）]*[{_CJK}][^()（）]*)[)）]", text)
    if m:
        return m.group(1).strip()
    m = re.search(rf"[{_CJK}][{_CJK}、]*", text)
    return m.group(0) if m else ""


def _type_hints(cls: type) -> dict[str, Any]:
    attrs.resolve_types(cls)
    return {a.name: a.type for a in attrs.fields(cls)}


def _walk_types(tp: Any) -> Iterator[type]:
    origin = get_origin(tp)
    if origin is not None:
        for arg in get_args(tp):
            if arg is not Ellipsis:
                yield from _walk_types(arg)
    elif isinstance(tp, type):
        yield tp


def roster_classes() -> tuple[list[type], list[type[enum.Enum]]]:
    """The attrs classes and enums a roster file is made of, in the order a reader meets them."""
    classes: list[type] = []
    enums: list[type[enum.Enum]] = []

    def visit(cls: type) -> None:
        if cls in classes:
            return
        classes.append(cls)
        for tp in _type_hints(cls).values():
            for t in _walk_types(tp):
                if t in _VALUE_TYPES:
                    continue
                if attrs.has(t):
                    visit(t)
                elif issubclass(t, enum.Enum) and t not in enums:
                    enums.append(t)

    visit(Roster)
    return classes, enums


def undocumented_fields() -> list[str]:
    """``Class.field`` for every roster field without an attribute docstring."""
    classes, _ = roster_classes()
    return [
        f"{cls.__name__}.{a.name}"
        for cls in classes
        for a in attrs.fields(cls)
        if not field_docs(cls).get(a.name)
    ]


_VALUE_TYPES: dict[type, str] = {
    IdNumber: "[ID number](#id-number)",
    RegionCode: "[region code](#region-code)",
    CreditCode: "[credit code](#credit-code)",
    DaySeries: "[day series](#day-series)",
}
_SCALARS: dict[type, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    dt.date: "[date](#dates)",
    dt.datetime: "[timestamp](#dates)",
}


def _json_type(tp: Any) -> str:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        inner = " or ".join(_json_type(a) for a in args)
        return f"{inner} or null" if len(args) < len(get_args(tp)) else inner
    if origin is tuple:
        return f"array of {_json_type(get_args(tp)[0])}"
    if origin is frozenset:
        return f"array of {_json_type(get_args(tp)[0])} (a set: no repeats, written sorted)"
    if isinstance(tp, type):
        if tp in _VALUE_TYPES:
            return f"string: {_VALUE_TYPES[tp]}"
        if attrs.has(tp):
            return f"[{tp.__name__}](#{tp.__name__.lower()}) object"
        if issubclass(tp, enum.Enum):
            return f"string, one of [{tp.__name__}](#{tp.__name__.lower()})"
        if tp in _SCALARS:
            return _SCALARS[tp]
    return f"`{tp}`"


def _json_default(a: attrs.Attribute[Any]) -> str:
    default = a.default
    if default is attrs.NOTHING:
        return "**required**"
    factory = getattr(default, "factory", None)
    if callable(factory) and hasattr(default, "takes_self"):  # attrs.Factory
        default = factory()
    if default is None:
        return "`null`"
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    if isinstance(default, enum.Enum):
        return f'`"{default.value}"`'
    if isinstance(default, tuple | frozenset | list):
        return "`[]`" if not default else f"`{list(default)}`"
    if attrs.has(type(default)):
        return "`{}` (every field at its default)"
    if isinstance(default, str):
        return f'`"{default}"`'
    return f"`{default}`"


def _first_paragraph(doc: str | None) -> str:
    paragraphs = _paragraphs(doc or "")
    return " ".join(paragraphs[0].split()) if paragraphs else ""


def roster_reference(*, api_base: str = "api/") -> str:
    """The field tables of the roster format: every class and field, from the model."""
    classes, enums = roster_classes()
    out: list[str] = []
    for cls in classes:
        name = cls.__name__
        docs = field_docs(cls)
        out += [
            f"### `{name}` {{#{name.lower()}}}",
            "",
            rst_to_markdown(inspect.getdoc(cls) or "", api_base=api_base).strip(),
            "",
            f"API: {_api_link(f'campus_security.model.{name}', api_base)}.",
            "",
            "| field | 中文 | type | default | meaning |",
            "|---|---|---|---|---|",
        ]
        for a in attrs.fields(cls):
            doc = docs.get(a.name, "")
            meaning = _inline(" ".join(doc.split()), api_base) if doc else "—"
            out.append(
                f"| `{a.name}` | {chinese_term(doc) or '—'} | {_json_type(a.type)}"
                f" | {_json_default(a)} | {_cell(meaning)} |"
            )
        out.append("")
    out += ["## Enumerations 枚举", ""]
    out += [
        "An enumeration is written by its value (the left column); the Chinese label is"
        " what the regulations say.",
        "",
    ]
    for e in enums:
        out += [
            f"### `{e.__name__}` {{#{e.__name__.lower()}}}",
            "",
            _inline(_first_paragraph(e.__doc__), api_base),
            "",
            "| value | 中文 | Python |",
            "|---|---|---|",
        ]
        for member in e:
            zh = getattr(member, "zh", "")
            out.append(f'| `"{member.value}"` | {zh or "—"} | `{e.__name__}.{member.name}` |')
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# --- the command line ---------------------------------------------------------------------------


def _commands(
    group: click.Command, ctx: click.Context
) -> Iterator[tuple[click.Command, click.Context]]:
    yield group, ctx
    if isinstance(group, click.Group):
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                yield from _commands(cmd, click.Context(cmd, info_name=name, parent=ctx))


def cli_reference(command: click.Command | None = None, *, prog: str = "campus-security") -> str:
    """The reference of every command and option, from the click commands themselves."""
    if command is None:
        from campus_security.cli import main

        command = main
    root = click.Context(command, info_name=prog)
    out: list[str] = []
    for cmd, ctx in _commands(command, root):
        path = ctx.command_path
        depth = min(path.count(" ") + 2, 4)
        anchor = path.replace(" ", "-")
        out += [f"{'#' * depth} `{path}` {{#{anchor}}}", ""]
        help_text = inspect.cleandoc(cmd.help or "")
        out += [_cell_paragraphs(help_text), "", "```text", cmd.get_usage(ctx), "```", ""]
        rows = []
        for param in cmd.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            names, help_ = record
            if isinstance(param, click.Argument):
                help_ = help_ or "argument"
            rows.append(f"| `{names}` | {_cell(help_) or '—'} |")
        if rows:
            out += ["| option | meaning |", "|---|---|", *rows, ""]
        if isinstance(cmd, click.Group):
            subs = [
                (n, c)
                for n in cmd.list_commands(ctx)
                if (c := cmd.get_command(ctx, n)) is not None and not c.hidden
            ]
            out += ["| command | what it does |", "|---|---|"]
            out += [
                f"| [`{n}`](#{anchor}-{n}) | {_cell(c.get_short_help_str(limit=200))} |"
                for n, c in subs
            ]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _cell_paragraphs(text: str) -> str:
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip())


def run_cli(args: Sequence[str], *, width: int = 100) -> tuple[int, str]:
    """Run ``campus-security ARGS`` in-process; return the exit status and what it printed.

    Standard output and standard error are captured together, as a terminal shows
    them, at ``width`` columns, so a page can show a command's real output.
    """
    import contextlib
    import io
    import os

    from campus_security.cli import run

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)
    try:
        with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
            code = run(list(args))
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
    stream.flush()
    return code, raw.getvalue().decode("utf-8")
