"""A rule whose evidence holds a value JSON cannot encode."""

from campus_security.sdk import hookimpl, passed

from ._misbehaving import standard


class Opaque:
    """Neither JSON nor anything the report knows."""


def check(school, ctx):
    return passed("合格", "passes", thing=Opaque())


@hookimpl
def campus_security_standards():
    return [standard("evidenceland", check)]
