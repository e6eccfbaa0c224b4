"""Device SDK: constants, secrets and credentials, scrubbing.

Re-exported by :mod:`campus_security.devices`.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import attrs

from ..errors import CampusSecurityError
from ..model import Text

DEFAULT_CONCURRENCY = 32
"""Devices probed at once unless the caller says otherwise."""

DEFAULT_TIMEOUT = 10.0
"""Seconds one device's probe may take unless the caller says otherwise."""

PREPARE_TIMEOUT = 60.0
"""Seconds an adapter's ``prepare`` may take."""

CLOCK_TOLERANCE = 10.0
"""Largest device clock offset, in seconds, that :func:`judge_devices` accepts.

GB/T 28181-2016 9.10.1 requires every device of a networked video system to keep
Beijing time by SIP or NTP synchronisation, and its SIP example keeps devices within
1 s of the server. A probe measures the offset to about a second (ONVIF and most
device APIs report whole seconds; half the round trip adds its share), so a
tolerance near 1 s would flag synchronised devices. 10 s is an order of magnitude
above that error, far below the minutes or hours by which an unsynchronised device
drifts or jumps (a quartz clock drifts 2-9 s a day; a reset device restarts at
1970 or 2000), and still lets a recording be aligned with an alarm log or a 110
call record to the second it matters. It is an engineering choice, not a number
a standard prints: pass ``clock_tolerance=`` to use another.
"""

ENV_PREFIX = "CAMPUS_SECURITY_CRED_"
"""Environment variables ``CAMPUS_SECURITY_CRED_<REF>_USERNAME`` / ``_PASSWORD``."""

STATUS_FORMAT = "campus-security/device-status"
STATUS_VERSION = "1.1"
_STATUS_VERSIONS = frozenset({"1.0", "1.1"})
"""1.1 adds a status's ``probed`` (false: not contacted); a 1.0 status was probed."""

_MIN_SCRUB = 4
"""Secret values shorter than this are not scrubbed from text (they would mangle it)."""


# --- secrets and credentials ----------------------------------------------------------------


class Secret:
    """A secret string that never shows itself: ``str``, ``repr`` and formatting give ``***``.

    >>> s = Secret("hunter2")
    >>> (str(s), repr(s), f"{s}", s.reveal())
    ('***', 'Secret(***)', '***', 'hunter2')
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret value itself: hand it to the protocol library and nowhere else."""
        return self._value

    def __str__(self) -> str:
        return "***"

    def __repr__(self) -> str:
        return "Secret(***)"

    def __format__(self, spec: str) -> str:
        return format("***", spec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> Any:  # pickling would write the value out: refuse
        raise TypeError("a Secret cannot be pickled")


def _as_secret(value: Secret | str) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


@attrs.frozen
class Credential:
    """A resolved credential: the reference the roster names, a username and a password.

    Both the username and the password are :class:`Secret`; the repr shows only the
    reference.
    """

    ref: str
    username: Secret = attrs.field(converter=_as_secret)
    password: Secret = attrs.field(converter=_as_secret)

    def secrets(self) -> tuple[str, ...]:
        """The secret values, for scrubbing text."""
        return (self.username.reveal(), self.password.reveal())


class CredentialError(CampusSecurityError):
    """A credential that cannot be resolved, or a credentials file that cannot be read.

    The message names the reference and where it was looked for, never a value.
    """

    def __init__(self, message: Text) -> None:
        self.message = message
        super().__init__(str(message))


def env_names(ref: str) -> tuple[str, str]:
    """The environment variables that hold ``ref``'s username and password.

    The reference is upper-cased and every character other than a letter or digit
    becomes ``_``:

    >>> env_names("school-12/gate cam")
    ('CAMPUS_SECURITY_CRED_SCHOOL_12_GATE_CAM_USERNAME', 'CAMPUS_SECURITY_CRED_SCHOOL_12_GATE_CAM_PASSWORD')
    """  # noqa: E501
    key = re.sub(r"[^A-Za-z0-9]", "_", ref).upper()
    return f"{ENV_PREFIX}{key}_USERNAME", f"{ENV_PREFIX}{key}_PASSWORD"


class Credentials:
    """Resolves a device's ``credential_ref`` to a :class:`Credential`.

    A file the operator names (:meth:`from_file`) is consulted first, then the
    environment (:func:`env_names`). Nothing is read from the roster. ``warnings``
    lists problems that do not stop a probe (a credentials file others can read).

    >>> creds = Credentials(environ={"CAMPUS_SECURITY_CRED_GATE_USERNAME": "admin",
    ...                              "CAMPUS_SECURITY_CRED_GATE_PASSWORD": "s3cret!"})
    >>> creds.resolve("gate")
    Credential(ref='gate', username=Secret(***), password=Secret(***))
    """

    def __init__(
        self,
        entries: Mapping[str, Credential] | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        source: str | None = None,
    ) -> None:
        self._entries = dict(entries or {})
        self._environ = os.environ if environ is None else environ
        self.source = source
        self.warnings: list[Text] = []

    def __repr__(self) -> str:
        return f"Credentials({len(self._entries)} from file, source={self.source!r})"

    @classmethod
    def from_file(
        cls, path: str | PathLike[str], *, environ: Mapping[str, str] | None = None
    ) -> Credentials:
        """Read credentials from a TOML (``.toml``) or JSON file.

        Each top-level key is a credential reference holding ``username`` and
        ``password``::

            ["school-12-gate"]
            username = "probe"
            password = "..."

        Errors name the file and the reference, never a value.
        """
        p = Path(path)
        where = str(p)
        try:
            data = p.read_bytes()
            mode = p.stat().st_mode
        except OSError as exc:
            raise CredentialError(
                Text(
                    f"无法读取凭据文件 {where}：{exc.strerror}",
                    f"cannot read the credentials file {where}: {exc.strerror}",
                )
            ) from None
        try:
            if p.suffix.lower() == ".toml":
                doc: Any = tomllib.loads(data.decode("utf-8"))
            else:
                doc = json.loads(data)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError):
            # The decoder's message may quote the offending text, which may be a secret.
            raise CredentialError(
                Text(
                    f"凭据文件 {where} 不是有效的 TOML 或 JSON",
                    f"the credentials file {where} is not valid TOML or JSON",
                )
            ) from None
        if not isinstance(doc, dict):
            raise CredentialError(
                Text(
                    f"凭据文件 {where} 应为以凭据引用为键的对象",
                    f"the credentials file {where} must map credential references to entries",
                )
            )
        entries: dict[str, Credential] = {}
        for ref, entry in doc.items():
            if (
                not isinstance(entry, dict)
                or not isinstance(entry.get("username"), str)
                or not isinstance(entry.get("password"), str)
            ):
                raise CredentialError(
                    Text(
                        f"凭据文件 {where}：{ref!r} 须有字符串 username 和 password",
                        f"credentials file {where}: {ref!r} needs string username and password",
                    )
                )
            entries[str(ref)] = Credential(str(ref), entry["username"], entry["password"])
        creds = cls(entries, environ=environ, source=where)
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            creds.warnings.append(
                Text(
                    f"凭据文件 {where} 可被其他用户读取；请执行 chmod 600",
                    f"the credentials file {where} is readable by others; chmod 600 it",
                )
            )
        return creds

    def resolve(self, ref: str) -> Credential:
        """The credential for ``ref``, or :class:`CredentialError` saying where to set it."""
        found = self._entries.get(ref)
        if found is not None:
            return found
        user_var, pass_var = env_names(ref)
        username, password = self._environ.get(user_var), self._environ.get(pass_var)
        if username is not None and password is not None:
            return Credential(ref, username, password)
        where_zh = f"环境变量 {user_var} 和 {pass_var}"
        where_en = f"the environment variables {user_var} and {pass_var}"
        if self.source:
            where_zh += f"或凭据文件 {self.source}"
            where_en += f" or the credentials file {self.source}"
        raise CredentialError(
            Text(
                f"凭据引用 {ref!r} 未设置：请在{where_zh}中提供",
                f"credential reference {ref!r} is not set: provide it in {where_en}",
            )
        )

    def secrets(self) -> tuple[str, ...]:
        """Every secret value this resolver can hand out (file entries and set variables)."""
        values: list[str] = []
        for c in self._entries.values():
            values.extend(c.secrets())
        for name, value in self._environ.items():
            if name.startswith(ENV_PREFIX) and name.endswith(("_USERNAME", "_PASSWORD")):
                values.append(value)
        return tuple(values)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret value of at least four characters replaced by ``***``.

    Longer secrets are replaced first, so that a secret containing another is
    replaced whole.

    >>> scrub("login admin:hunter2 failed", ["hunter2"])
    'login admin:*** failed'
    """
    for value in sorted({s for s in secrets if len(s) >= _MIN_SCRUB}, key=len, reverse=True):
        text = text.replace(value, "***")
    return text


def _scrub_text(text: Text | None, secrets: Sequence[str]) -> Text | None:
    if text is None or not secrets:
        return text
    return Text(scrub(text.zh, secrets), scrub(text.en, secrets))


def _scrub_str(value: str | None, secrets: Sequence[str]) -> str | None:
    return None if value is None else scrub(value, secrets)


# --- adapters ---------------------------------------------------------------------------------
