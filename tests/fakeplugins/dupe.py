from campus_security.sdk import hookimpl

from .good import STANDARD


@hookimpl
def campus_security_standards():
    return [STANDARD]
