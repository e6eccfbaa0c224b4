"""A rule whose check raises a BaseException that is neither Exception nor SystemExit."""

from campus_security.sdk import hookimpl

from ._misbehaving import standard


class Panic(BaseException):
    """Not an Exception: ``except Exception`` lets it through."""


def check(school, ctx):
    raise Panic("the plugin panicked")


@hookimpl
def campus_security_standards():
    return [standard("panicland", check)]
