"""Reading and writing rosters: the versioned JSON roster format and its converter."""

from .roster_json import (
    FORMAT,
    SUPPORTED_VERSIONS,
    VERSION,
    dump_roster,
    dumps_roster,
    load_roster,
    loads_roster,
    make_converter,
)

__all__ = [
    "FORMAT",
    "SUPPORTED_VERSIONS",
    "VERSION",
    "dump_roster",
    "dumps_roster",
    "load_roster",
    "loads_roster",
    "make_converter",
]
