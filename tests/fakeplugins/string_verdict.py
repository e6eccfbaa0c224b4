"""A rule that builds its outcome with a string verdict: ``Outcome("pass", ...)``."""

from campus_security.sdk import Outcome, Text, hookimpl

from ._misbehaving import standard


def check(school, ctx):
    return Outcome("pass", Text("合格", "passes"))


@hookimpl
def campus_security_standards():
    return [standard("verdictland", check)]
