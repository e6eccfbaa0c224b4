from campus_security.sdk import hookimpl


@hookimpl
def campus_security_standards():
    raise RuntimeError("rule file unreadable")
