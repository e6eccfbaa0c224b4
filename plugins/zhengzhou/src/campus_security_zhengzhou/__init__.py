"""郑教安〔2019〕53号: Zhengzhou's plan to build up school guard teams, as rules.

郑州市教育局、中共郑州市委政法委员会、郑州市公安局《关于印发〈加强全市学校保安员队伍建设
进一步深化安全建设年活动工作方案〉的通知》, signed 2019-06-24 (printed 2019-07-01), for
the primary and secondary schools and kindergartens (中小学、幼儿园) of Zhengzhou:
410100 and every code under it (the districts, 中牟县, and the county-level cities 巩义,
荥阳, 新密, 新郑, 登封). Written only against :mod:`campus_security.sdk`.

In force from the signing date, 2019-06-24 (三（一） runs "即日起"), with no end: the
plan's 四 sets standing mechanisms ("常态化机制", "每半月", "每年") and calls the work
"长期性" (long-term); no repeal is known. Clause numbers follow the document with its
full-width brackets: 三（一）, 三（二）, 四（二）.

The package also exposes the annexed census form's printed title, header and column
heads (:mod:`campus_security_zhengzhou.census`) for importers and exporters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from campus_security.sdk import Standard, Text, hookimpl

from .census import (
    CENSUS_ANNEX_LINE,
    CENSUS_COLUMNS,
    CENSUS_COLUMNS_CANONICAL,
    CENSUS_FORM_TITLE,
    CENSUS_HEADER_FIELDS,
    CENSUS_HEADER_LABELS,
    census_label,
)
from .census_form import CENSUS_FORM, campus_security_census_forms
from .rules import DOCUMENT, RULES

__all__ = [
    "CENSUS_ANNEX_LINE",
    "CENSUS_COLUMNS",
    "CENSUS_COLUMNS_CANONICAL",
    "CENSUS_FORM",
    "CENSUS_FORM_TITLE",
    "CENSUS_HEADER_FIELDS",
    "CENSUS_HEADER_LABELS",
    "DOCUMENT",
    "STANDARD",
    "campus_security_census_forms",
    "campus_security_standards",
    "census_label",
]

STANDARD = Standard(
    id="zhengzhou",
    title=Text(
        "加强全市学校保安员队伍建设，进一步深化安全建设年活动工作方案",
        "Work plan to strengthen school security-guard teams city-wide and deepen the "
        "Safety Construction Year campaign (Zhengzhou)",
    ),
    document=DOCUMENT,
    issued_by=Text(
        "郑州市教育局、中共郑州市委政法委员会、郑州市公安局",
        "Zhengzhou Municipal Education Bureau, Political and Legal Affairs Commission of "
        "the CPC Zhengzhou Municipal Committee, Zhengzhou Municipal Public Security Bureau",
    ),
    jurisdiction=["410100"],
    in_force_from=dt.date(2019, 6, 24),
    rules=RULES,
)


@hookimpl
def campus_security_standards() -> Iterable[Standard]:
    """Provide the Zhengzhou standard."""
    return [STANDARD]
