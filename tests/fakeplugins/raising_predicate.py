"""A rule whose ``applies_when`` predicate raises."""

from campus_security.sdk import applies_when, hookimpl, passed

from ._misbehaving import standard


def in_scope(school):
    raise ValueError("the predicate broke")


def check(school, ctx):
    return passed("合格", "passes")


@hookimpl
def campus_security_standards():
    return [standard("predland", check, applies_when(in_scope, "某些学校", "some schools"))]
