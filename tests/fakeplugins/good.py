import datetime as dt

from campus_security.sdk import Citation, Standard, Text, failed, hookimpl, passed, rule


@rule(
    "goodland.has-guard",
    title=("有保安员", "has a guard"),
    citation=Citation("好〔2024〕1号", "一"),
)
def has_guard(school, ctx):
    return passed("有", "yes") if school.guards else failed("无", "no")


STANDARD = Standard(
    id="goodland",
    title=Text("好地方", "Goodland"),
    document="好〔2024〕1号",
    issued_by=Text("局", "bureau"),
    jurisdiction=["110000"],
    in_force_from=dt.date(2020, 1, 1),
    rules=[has_guard],
)


@hookimpl
def campus_security_standards():
    return [STANDARD]
