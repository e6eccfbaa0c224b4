"""Reading and writing rosters: the versioned JSON roster format and its converter."""

from .readers import read_roster, register_reader, registered_suffixes
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
    "read_roster",
    "register_reader",
    "registered_suffixes",
]
