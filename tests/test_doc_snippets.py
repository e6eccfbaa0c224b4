"""The Python snippets of the guide run as written.

Each page's ``python`` blocks run in order in one namespace (a later block may use what an
earlier one defined, as a reader would), in a directory holding the demo roster as
``roster.json``. Blocks that include a file (``--8<--``) are left out: the included files
are tested where they live.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("docs/embedding.md", "README.md")
_BLOCK = re.compile(r"^```python[^\n]*\n(.*?)^```", re.S | re.M)


def blocks(page: Path) -> list[str]:
    return [b for b in _BLOCK.findall(page.read_text("utf-8")) if "--8<--" not in b]


@pytest.mark.parametrize("page", PAGES)
def test_the_snippets_of_the_page_run(page: str, tmp_path: Path, monkeypatch, capsys) -> None:
    found = blocks(ROOT / page)
    assert found, page
    if page == "README.md":
        monkeypatch.chdir(ROOT)  # the README's paths are the repository's
    else:
        shutil.copy(ROOT / "examples" / "roster.json", tmp_path / "roster.json")
        monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__snippet__"}
    for i, code in enumerate(found):
        try:
            exec(compile(code, f"{page} (python block {i + 1})", "exec"), namespace)
        except Exception as exc:  # name the block, not this line
            pytest.fail(f"{page}, python block {i + 1}: {type(exc).__name__}: {exc}\n{code}")
    capsys.readouterr()
