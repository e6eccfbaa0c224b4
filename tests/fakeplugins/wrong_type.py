from campus_security.sdk import hookimpl


@hookimpl
def campus_security_standards():
    return ["not a standard"]
