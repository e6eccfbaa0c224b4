"""Reading and writing rosters: the versioned JSON roster format and its converter.

Census spreadsheets (:mod:`campus_security.formats.census`) register their reader for
``.xlsx``, ``.xlsm``, ``.xls``, ``.ods`` and ``.csv`` here, so :func:`read_roster` and
``campus-security check`` accept a census form.
"""

from .census import IMPORT_SUFFIXES, read_census
from .readers import read_roster, register_reader, registered_suffixes
from .roster_json import (
    FORMAT,
    SUPPORTED_VERSIONS,
    VERSION,
    RosterConverter,
    dump_roster,
    dumps_roster,
    load_roster,
    loads_roster,
    make_converter,
)

register_reader(IMPORT_SUFFIXES, read_census)

__all__ = [
    "FORMAT",
    "SUPPORTED_VERSIONS",
    "VERSION",
    "RosterConverter",
    "dump_roster",
    "dumps_roster",
    "load_roster",
    "loads_roster",
    "make_converter",
    "read_roster",
    "register_reader",
    "registered_suffixes",
]
