"""A rule whose check ends the process: ``sys.exit(0)``."""

import sys

from campus_security.sdk import hookimpl

from ._misbehaving import standard


def check(school, ctx):
    sys.exit(0)


@hookimpl
def campus_security_standards():
    return [standard("exitland", check)]
