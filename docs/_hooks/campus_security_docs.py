"""mkdocs hooks: the pages generated from the code, and a nav that takes pages as they come.

- The rule catalogue (``rules/``) and the hook reference (``reference/hooks.md``) are
  generated from the installed plugins and from ``campus_security.hookspecs`` by
  :mod:`docbuilder` (beside this file), so they cannot drift from the code.
- A hand-written page may hold a generated block: ``<!-- cs:NAME [ARG] -->`` on a line
  of its own is replaced by what NAME renders (see ``BLOCKS``).
- A backticked id such as ``cangzhou.guard-staffing`` whose prefix is an installed
  standard must name one of its rules or targets, or the build warns (and fails in
  strict mode): no page describes a rule that does not exist.
- The nav in mkdocs.yml may name pages that other work adds later: ``optional:PATH`` is
  kept only when PATH exists, and a path with ``*`` expands to the matching pages not
  already in the nav (so a last ``*.md`` entry collects any page no entry names).
- The Sphinx API reference is built into ``site/api/`` after mkdocs; its pages are
  registered here as excluded files so that links to them are recognised.
"""

from __future__ import annotations

import contextlib
import fnmatch
import logging
import re
import shlex
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from campus_security.plugins import PluginManager

sys.path.insert(0, str(Path(__file__).parent))
import docbuilder as _docs

log = logging.getLogger("mkdocs.hooks.campus_security")

OPTIONAL = "optional:"
SPHINX_PAGES = (
    "api/index.html",
    "api/genindex.html",
    "api/py-modindex.html",
    "api/search.html",
    "api/objects.inv",
    *(f"api/{m}.html" for m in _docs.API_MODULES),
)

_state: dict[str, Any] = {}


class _QuietSphinxLinks(logging.Filter):
    """Drop mkdocs' notes that links into the Sphinx reference leave the mkdocs site."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("'api/" in message and "excluded from the built site" in message)


for _name in ("mkdocs.structure.pages", "mkdocs.structure.nav"):
    logging.getLogger(_name).addFilter(_QuietSphinxLinks())


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Generate the pages, then resolve the nav's optional and wildcard entries."""
    docs_dir = Path(config.docs_dir)
    _state["root"] = root = Path(config.config_file_path).parent
    # Snippet paths ("examples/...") are relative to the repository, wherever mkdocs runs.
    snippets = config.mdx_configs.setdefault("pymdownx.snippets", {})
    snippets["base_path"] = [str(root)]
    pm = PluginManager()
    standards = pm.standards()
    for failure in pm.failures:
        log.warning("plugin problem while generating the rule catalogue: %s", failure)

    def coverage(standard_id: str) -> str | None:
        page = f"coverage/{standard_id}.md"
        return page if (docs_dir / page).is_file() else None

    pages = dict(
        _docs.rule_catalogue(standards, plugins=_docs.standards_by_plugin(pm), coverage=coverage)
    )
    pages["reference/hooks.md"] = _docs.hook_reference(api_base="../api/")
    _state["pages"] = pages
    _state["titles"] = {f"rules/{s.id}.md": f"{s.id} · {s.document}" for s in standards}
    _state["standard_ids"] = {s.id for s in standards}
    _state["known_ids"] = {x.id for s in standards for x in (*s.rules, *s.targets)}

    available = {p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")}
    available |= set(pages)
    _state["available"] = available
    used = set(_explicit_paths(config.nav or []))
    config.nav = _resolve_nav(config.nav or [], available, used)
    return config


def _explicit_paths(nav: list[Any]) -> list[str]:
    found: list[str] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found += _explicit_paths(value)
        elif isinstance(value, str) and "*" not in value:
            found.append(value.removeprefix(OPTIONAL))
    return found


def _resolve_value(value: Any, available: set[str], used: set[str]) -> Any:
    """The nav value with optional and wildcard entries resolved; None to drop it.

    ``used`` holds the pages already in the nav: a wildcard takes only the others, so
    a last ``"*.md"`` entry collects every page no other entry names.
    """
    if isinstance(value, list):
        items = _resolve_nav(value, available, used)
        return items or None
    if not isinstance(value, str) or "://" in value:
        return value
    if value.startswith(OPTIONAL):
        path = value.removeprefix(OPTIONAL)
        return path if path in available else None
    if "*" in value:
        matched = sorted(p for p in available if fnmatch.fnmatch(p, value) and p not in used)
        used.update(matched)
        titles = _state.get("titles", {})
        return [{titles[p]: p} if p in titles else p for p in matched] or None
    return value


def _resolve_nav(nav: list[Any], available: set[str], used: set[str]) -> list[Any]:
    out: list[Any] = []
    for item in nav:
        if isinstance(item, dict):
            ((title, value),) = item.items()
            resolved = _resolve_value(value, available, used)
            if resolved is not None:
                out.append({title: resolved})
        else:
            resolved = _resolve_value(item, available, used)
            if isinstance(resolved, list):
                out += resolved
            elif resolved is not None:
                out.append(resolved)
    return out


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages, and the Sphinx pages (built later) as excluded files."""
    for path, markdown in _state["pages"].items():
        files.append(File.generated(config, path, content=markdown))
    for path in SPHINX_PAGES:
        files.append(File.generated(config, path, content=""))
    return files


def _api_base(page: Page) -> str:
    return "../" * page.file.src_uri.count("/") + "api/"


def _block_roster_fields(page: Page, _arg: str) -> str:
    return _docs.roster_reference(api_base=_api_base(page))


def _block_run(page: Page, arg: str) -> str:
    """``<!-- cs:run ARGS -->``: the real output of ``campus-security ARGS``.

    It runs in ``docs/snippets/``, where the example files the pages offer are.
    """
    here = _state["root"] / "docs" / "snippets"  # the example files the pages offer
    args = shlex.split(arg)
    for name in args:
        if re.search(r"\.(json|jsonl|xlsx|xls|ods|csv)$", name) and not (here / name).is_file():
            log.warning("%s: cs:run names a missing file snippets/%s", page.file.src_uri, name)
    with contextlib.chdir(here):
        code, output = _docs.run_cli(args)
    return (
        f"```console\n$ campus-security {arg}\n{output.rstrip()}\n```\n\n"
        f"<small>Exit status {code}. Generated when this site was built.</small>\n"
    )


def _block_cli(_page: Page, _arg: str) -> str:
    return _docs.cli_reference()


def _block_roster_header(_page: Page, _arg: str) -> str:
    from campus_security.formats import FORMAT, SUPPORTED_VERSIONS, VERSION

    supported = ", ".join(f'`"{v}"`' for v in sorted(SUPPORTED_VERSIONS))
    return (
        "| key | type | meaning |\n|---|---|---|\n"
        f'| `format` | string, **required** | always `"{FORMAT}"` |\n'
        f"| `version` | string, **required** | the format version: this library writes"
        f' `"{VERSION}"` and reads {supported} |\n'
        "| `companies` | array of [SecurityCompany](#securitycompany) objects | default `[]` |\n"
        "| `schools` | array of [School](#school) objects | default `[]` |\n"
    )


def _block_if_page(_page: Page, arg: str) -> str:
    """``<!-- cs:if-page PATH TEXT -->``: TEXT when the page PATH (under docs/) exists."""
    path, _, text = arg.partition(" ")
    return text if path in _state["available"] else ""


BLOCKS = {
    "if-page": _block_if_page,
    "roster-fields": _block_roster_fields,
    "run": _block_run,
    "roster-header": _block_roster_header,
    "cli": _block_cli,
}
_MARKER = re.compile(r"^<!-- cs:([a-z-]+)(?:\s+(.+?))?\s*-->$", re.M)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill the generated blocks; warn about ids of rules that do not exist."""

    def fill(m: re.Match[str]) -> str:
        block = BLOCKS.get(m.group(1))
        if block is None:
            log.warning("%s: unknown generated block %r", page.file.src_uri, m.group(1))
            return m.group(0)
        return block(page, m.group(2) or "")

    markdown = _MARKER.sub(fill, markdown)
    for unknown in sorted(
        _docs.mentioned_ids(markdown, _state["standard_ids"]) - _state["known_ids"]
    ):
        log.warning(
            "%s mentions `%s`, which is neither a rule nor a target of the installed standards",
            page.file.src_uri,
            unknown,
        )
    return markdown
