from campus_security.sdk import hookimpl


@hookimpl
def campus_security_standard():  # misspelt: no such hook
    return []
