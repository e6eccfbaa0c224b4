"""Region codes beyond GB/T 2260: the statistics bureau's functional zones (功能区).

GB/T 2260 lists administrative divisions only. Development zones, high-tech zones and
new areas (经济技术开发区, 高新技术产业开发区, 新区...) are administered by their city
like counties, and thousands of schools are registered there, but they have no
GB/T 2260 code. The National Bureau of Statistics gives them one in its
统计用区划代码 (statistical division codes): a code under their city whose county part
starts with 7 (``130971``: the first functional zone of Cangzhou, 1309).

:data:`FUNCTIONAL_ZONES` is the table of those zones the library accepts as a school's
region code. A zone lies under its city by its code (``130971`` starts with ``1309``), so
a standard whose jurisdiction is the city (``130900``) or the province (``130000``)
covers it, like any county of the city.

ID numbers are not read against this table. GB 11643 (4.2 地址码) takes the address code
of an ID number from GB/T 2260; a statistical code is not an address code, so an ID
number beginning ``130971`` is refused (see :class:`~campus_security.model.IdNumber`).

Names: :func:`region_name` gives the short name of a code (``320100``: 南京市,
``320102``: 玄武区, ``320571``: 苏州工业园区) from the GB/T 2260 table the library ships
(``gbt2260.tsv`` beside this module, taken from :data:`GBT2260_SOURCE`, read on first
use) and from :data:`FUNCTIONAL_ZONES`. GB/T 2260 is national standard data, the same
for every region, not a figure of a regional regulation.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import attrs

__all__ = [
    "FUNCTIONAL_ZONES",
    "GBT2260_SOURCE",
    "ZONE_SOURCE",
    "FunctionalZone",
    "functional_zone",
    "region_name",
]

ZONE_SOURCE = "国家统计局《统计用区划代码和城乡划分代码》2023年 (National Bureau of Statistics)"
"""Where :data:`FUNCTIONAL_ZONES` comes from: the publication and its revision (year)."""

GBT2260_SOURCE = (
    "python-stdnum 2.2 (PyPI), stdnum/cn/loc.dat: GB/T 2260 中华人民共和国行政区划代码, "
    "current and former codes with their names, current to 2024"
)
"""Where the shipped GB/T 2260 name table (``gbt2260.tsv``) comes from: the package and its
revision. ``tests/gbt2260_table.py`` makes the table from it, and the tests check the
shipped file against it."""


@attrs.frozen
class FunctionalZone:
    """A functional zone (功能区) of the statistical division codes, under its city."""

    code: str
    """The six-digit statistical code (``130971``)."""
    name: str
    """The zone's Chinese name as the statistics bureau lists it."""
    parent: str
    """The six-digit GB/T 2260 code of the city that administers the zone (``130900``)."""


FUNCTIONAL_ZONES: dict[str, FunctionalZone] = {
    z.code: z
    for z in (
        # 河北省沧州市 (130900)
        FunctionalZone("130971", "沧州经济技术开发区", "130900"),
        FunctionalZone("130972", "沧州高新技术产业开发区", "130900"),
        FunctionalZone("130973", "沧州渤海新区", "130900"),
        # 江苏省苏州市 (320500)
        FunctionalZone("320571", "苏州工业园区", "320500"),
        # 河南省郑州市 (410100)
        FunctionalZone("410171", "郑州经济技术开发区", "410100"),
        FunctionalZone("410172", "郑州高新技术产业开发区", "410100"),
        FunctionalZone("410173", "郑州航空港经济综合实验区", "410100"),
    )
}
"""The functional zones accepted as region codes, by code (source: :data:`ZONE_SOURCE`).

Each zone's code starts with its parent city's four digits, which is what puts it under
the city's and the province's standards.
"""


def functional_zone(code: str) -> FunctionalZone | None:
    """The functional zone of this code, or ``None``."""
    return FUNCTIONAL_ZONES.get(code)


def region_name(code: str) -> str | None:
    """The short Chinese name of a region code, or ``None`` when neither table has it.

    A GB/T 2260 code is named from the table the library ships (taken from
    ``campus_security.model.regions.GBT2260_SOURCE``: a code's current name, or a
    former code's last), a functional zone from the statistics bureau's zones
    (``FUNCTIONAL_ZONES``). The name is the region's own, without its province or
    city: ``南京市``, ``玄武区``.

    >>> region_name("320102"), region_name("320571"), region_name("999999")
    ('玄武区', '苏州工业园区', None)
    """
    name = _gbt2260().get(code)
    if name is not None:
        return name
    zone = FUNCTIONAL_ZONES.get(code)
    return None if zone is None else zone.name


@cache
def _gbt2260() -> dict[str, str]:
    """The shipped GB/T 2260 table, read once on first use."""
    text = resources.files(__package__).joinpath("gbt2260.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, _, name = line.partition("\t")
            out[code] = name
    return out
