"""A rule whose check raises KeyboardInterrupt, as a Ctrl-C during the check does."""

from campus_security.sdk import hookimpl

from ._misbehaving import standard


def check(school, ctx):
    raise KeyboardInterrupt


@hookimpl
def campus_security_standards():
    return [standard("ctrlcland", check)]
