"""Census-form, device-adapter and record-source hooks that fail."""

from campus_security.sdk import hookimpl


@hookimpl
def campus_security_census_forms():
    raise RuntimeError("form file unreadable")


@hookimpl
def campus_security_device_adapters():
    raise SystemExit(3)


@hookimpl
def campus_security_record_sources():
    raise RuntimeError("source unreachable")
