"""Sphinx configuration of the API reference.

Built by ``nox -s docs`` into ``site/api/`` (after the mkdocs guide, which links to it)
with warnings as errors and nitpicky references::

    sphinx-build -W --keep-going -n -b html docs/api site/api

Each page documents one public module (``API_MODULES`` of ``docs/_hooks/docbuilder.py``) through
the ``cs-module`` directive below: the names whose home the module is are documented
there, and the names it re-exports link to their home. Objects are defined in private
submodules (``campus_security.engine.rules``) but documented and cross-referenced under
their public names (``campus_security.engine.Standard``): the ``missing-reference``
handler maps one to the other, so type hints link to the right entry. ``objects.inv``
lists the public names, and the defining modules' names as aliases of them (autodoc's
canonical names), so an intersphinx reference written either way resolves.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import re
import sys
from pathlib import Path
from typing import Any

import attrs
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

import campus_security

sys.path.insert(0, str(Path(__file__).parent.parent / "_hooks"))
import docbuilder as _docs

project = "campus-security"
author = "campus-security developers"
project_copyright = "campus-security developers"
release = version = campus_security.__version__
language = "en"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
]

exclude_patterns = ["_build"]
nitpicky = True

# --- autodoc ---------------------------------------------------------------------------
autodoc_default_options = {"members": True, "undoc-members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
autodoc_class_signature = "mixed"
python_use_unqualified_type_names = True
add_module_names = False
toc_object_entries_show_parents = "hide"

# The build is offline (no intersphinx inventories to fetch), so references to the
# standard library and to third-party packages cannot resolve; they are rendered as
# code. Every reference to campus_security itself must resolve.
_EXTERNAL = (
    r"(datetime|collections\.abc|typing|types|pathlib|os|enum|re|asyncio|concurrent"
    r"|attrs|attr|pluggy|rich|click|cattrs|orjson|stdnum|sqlalchemy|alembic|abc)(\..+)?"
)
nitpick_ignore_regex = [
    (r"py:.*", _EXTERNAL),
    # builtins and typing names as they appear in signatures
    (r"py:.*", r"(Any|Callable|Iterable|Iterator|Mapping|Sequence|Awaitable|TypeVar|T|Path)"),
    (r"py:.*", r"(date|datetime|timezone|timedelta|PathLike|Enum|ValueError|Exception)"),
    (r"py:.*", r"(Console|HookimplMarker|HookspecMarker|Attribute|OrjsonConverter)"),
    (r"py:.*", r"(NoneType|ellipsis|Ellipsis|Protocol)"),
    # a module's own type variables (``T`` of a generic function's signature)
    (r"py:class", r"campus_security(\.\w+)*\.T"),
    # the pipeline's internal record types, named in signatures only
    (r"py:.*", r".*\b(Structurer|LineProblem|LinesRoster|Reader|IO)"),
]

# --- doctests of the docstrings (sphinx-build -b doctest) ------------------------------------
doctest_global_setup = f"""
import datetime as dt
import sys
sys.path.insert(0, {str(Path(__file__).parent.parent / "_hooks")!r})
import docbuilder as _docs
for _name in (*_docs.API_MODULES, *_docs.API_SUBMODULES.get("campus_security.formats", ())):
    exec(f"from {{_name}} import *")
"""

# --- HTML -----------------------------------------------------------------------------------
html_theme = "furo"
html_title = f"campus-security {release} API"
html_theme_options = {
    "announcement": (
        "This is the Python API reference. The guide, the tutorial and the rule catalogue are"
        ' on the <a href="../index.html">campus-security documentation site</a>.'
    ),
}
html_show_sourcelink = False
html_copy_source = False


class ModuleDirective(SphinxDirective):
    """``.. cs-module:: NAME``: a public module's page, from what the module exports.

    The module's public submodules (``_docs.API_SUBMODULES``) follow as sections, when
    they are installed.
    """

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        """The module's automodule, its members, and its re-exports as links."""
        name = self.arguments[0]
        lines = _module_lines(name)
        for sub in _docs.API_SUBMODULES.get(name, ()):
            try:
                importlib.import_module(sub)
            except ImportError:
                continue
            title = f"``{sub}``"
            lines += [title, "-" * len(title), "", *_module_lines(sub)]
        content = StringList(lines, source=f"<cs-module {name}>")
        node = nodes.section()
        nested_parse_with_titles(self.state, content, node)
        return node.children


def _module_lines(name: str) -> list[str]:
    here, elsewhere = _docs.documented_members(name)
    lines = [f".. automodule:: {name}", "   :no-members:", ""]
    for member in here:
        lines += [f".. auto{_kind(name, member)}:: {name}.{member}", ""]
    if elsewhere:
        lines += [
            ".. rubric:: Re-exported names",
            "",
            f"``{name}`` also exports these names, documented where they are defined:",
            "",
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 30 70",
            "",
            "   * - name",
            "     - documented as",
        ]
        for member, home in elsewhere:
            lines += [f"   * - ``{member}``", f"     - :py:obj:`{home}`"]
        lines.append("")
    return lines


def _kind(module: str, member: str) -> str:
    obj = getattr(importlib.import_module(module), member)
    if inspect.isclass(obj):
        return "exception" if issubclass(obj, BaseException) else "class"
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return "function"
    return "data"


def _resolve_public(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.Element | None:
    """Resolve a reference to a private module's object to its public entry."""
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    candidates = [target]
    module = node.get("py:module")
    if module and not target.startswith("campus_security"):
        candidates.insert(0, f"{module}.{target}")
    for candidate in candidates:
        if not candidate.startswith("campus_security"):
            continue
        public = _docs.canonical_name(candidate)
        if public is None or public == target:
            continue
        domain = env.get_domain("py")
        new = node.deepcopy()
        new["reftarget"] = public
        found = domain.resolve_xref(
            env, node.get("refdoc", ""), app.builder, node["reftype"], public, new, contnode
        )
        if found is not None:
            return found
    return None


def _public_bases(app: Sphinx, name: str, obj: Any, options: Any, bases: list[Any]) -> None:
    """Show a private base class (``_Labelled``) as the public bases it stands for."""
    i = 0
    while i < len(bases):
        base = bases[i]
        if isinstance(base, type) and base.__name__.startswith("_"):
            bases[i : i + 1] = list(base.__bases__)
            continue
        i += 1


_ATTRS_DEFAULT = re.compile(r"attr_dict\['(\w+)'\]\.default")


def _default_text(value: Any) -> str:
    if callable(getattr(value, "factory", None)) and hasattr(value, "takes_self"):
        value = value.factory()  # attrs.Factory
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if attrs.has(type(value)):
        return f"{type(value).__name__}()"
    return repr(value)


def _attrs_defaults(
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,
    options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    """Show an attrs class's defaults as values, not as ``attr_dict['x'].default``."""
    if signature is None or not (inspect.isclass(obj) and attrs.has(obj)):
        return None
    fields = attrs.fields_dict(obj)
    return _ATTRS_DEFAULT.sub(lambda m: _default_text(fields[m[1]].default), signature), (
        return_annotation
    )


def _enum_labels(
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Add the values and Chinese labels of a labelled enumeration to its docstring."""
    if not (inspect.isclass(obj) and issubclass(obj, enum.Enum)):
        return
    members = [m for m in obj if getattr(m, "zh", None)]
    if not members:
        return
    lines += ["", ".. list-table::", "   :header-rows: 1", "", "   * - value", "     - 中文"]
    for m in members:
        lines += [f"   * - ``{m.value}``", f"     - {m.zh}"]
    lines.append("")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive and the reference resolver."""
    app.add_directive("cs-module", ModuleDirective)
    app.connect("missing-reference", _resolve_public)
    app.connect("autodoc-process-bases", _public_bases)
    app.connect("autodoc-process-signature", _attrs_defaults)
    app.connect("autodoc-process-docstring", _enum_labels)
    return {"parallel_read_safe": True}
