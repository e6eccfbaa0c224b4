"""The device-adapter SDK: probe the roster's technical-defence devices and judge them.

A device adapter (a plugin's :class:`DeviceAdapter`) speaks one or more protocols
(``Device.protocol``) for some device kinds, and probes one device at a time,
returning a :class:`~campus_security.model.DeviceStatus`: whether the device
answered, when it was probed, what it says it is, how far its clock is off, and
any fault.

This module gives adapters and their callers what they share:

- :class:`Secret`, :class:`Credential` and :class:`Credentials`: a roster names a
  credential *reference*; the operator supplies the username and password in the
  environment (``CAMPUS_SECURITY_CRED_<REF>_USERNAME`` / ``_PASSWORD``) or in a
  TOML or JSON file. A :class:`Secret` prints as ``***``;
- :func:`probe_devices`: probe many devices concurrently, with a bound on
  concurrency and a timeout for every device, so that one dead or slow device
  never stalls or fails the others. Every message is scrubbed of known secrets;
- the device-status file (``campus-security/device-status``): :func:`dumps_device_status`,
  :func:`load_device_status`;
- :func:`judge_devices`: what a rule needs to judge a school's devices from
  ``ctx.device_status`` (unreachable devices, clocks off by more than
  :data:`CLOCK_TOLERANCE`).

``docs/device-adapters.md`` is the guide; ``plugins/onvif/`` the worked example.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import os
import re
import stat
import tomllib
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs
import orjson

from ._atomic import write_bytes_atomic
from .engine.rules import Context
from .errors import CampusSecurityError, Problem, RosterError, unreadable_file
from .formats.roster_json import structure, unstructure
from .model import Device, DeviceKind, DeviceStatus, Roster, School, Text
from .model.values import invalid

__all__ = [
    "CLOCK_TOLERANCE",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_TIMEOUT",
    "ENV_PREFIX",
    "PREPARE_TIMEOUT",
    "STATUS_FORMAT",
    "STATUS_MAX_AGE_DAYS",
    "STATUS_VERSION",
    "Credential",
    "CredentialError",
    "Credentials",
    "DeviceAdapter",
    "DeviceJudgement",
    "Prepare",
    "Probe",
    "Secret",
    "device_status_document",
    "dump_device_status",
    "dumps_device_status",
    "env_names",
    "judge_devices",
    "load_device_status",
    "loads_device_status",
    "probe_devices",
    "scrub",
    "stale_statuses",
]

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

Probe = Callable[[Device, Credential | None, float], Awaitable[DeviceStatus]]
"""``probe(device, credential, timeout)``: probe one device within ``timeout`` seconds.

``credential`` is the resolved ``device.credential_ref`` (``None`` when the device
names none). The probe returns a :class:`DeviceStatus` for ``device.id``; it may
raise, and :func:`probe_devices` turns the exception into a fault. It must not
block the event loop (run blocking code with :func:`asyncio.to_thread`), and must
never put a credential in the status, a log record or an exception.
"""


def _as_tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(values)


def _protocols(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v.casefold() for v in values)


Prepare = Callable[[], Awaitable[None]]
"""``prepare()``: get ready to probe (import a protocol stack, load schemas, warm a pool)."""


@attrs.frozen
class DeviceAdapter:
    """A device adapter: its name, the protocols and device kinds it handles, its probe.

    Protocol names compare case-insensitively with ``Device.protocol``. ``prepare``,
    when given, is awaited once before the adapter's first probe of a run, outside
    any device's timeout (bounded by :data:`PREPARE_TIMEOUT`), so that one-off
    start-up costs are not charged to the first devices probed.
    """

    name: str
    protocols: tuple[str, ...] = attrs.field(converter=_protocols)
    kinds: tuple[DeviceKind, ...] = attrs.field(converter=_as_tuple)
    probe: Probe = attrs.field(eq=False, hash=False, repr=False)
    prepare: Prepare | None = attrs.field(default=None, eq=False, hash=False, repr=False)

    def handles(self, device: Device) -> bool:
        """Whether this adapter can probe ``device``."""
        return (
            device.protocol is not None
            and device.protocol.casefold() in self.protocols
            and device.kind in self.kinds
        )


# --- probing ----------------------------------------------------------------------------------


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _fault(device: Device, at: dt.datetime, zh: str, en: str) -> DeviceStatus:
    return DeviceStatus(device_id=device.id, reachable=False, probed_at=at, fault=Text(zh, en))


def _not_probed(device: Device, at: dt.datetime, zh: str, en: str) -> DeviceStatus:
    """A device that was not contacted: not down, judged by the roster's declaration."""
    return DeviceStatus(
        device_id=device.id, reachable=False, probed_at=at, fault=Text(zh, en), probed=False
    )


def _endpoint_has_userinfo(endpoint: str) -> bool:
    try:
        parts = urlsplit(endpoint if "//" in endpoint else f"//{endpoint}")
    except ValueError:
        return False
    return "@" in parts.netloc


def _exception_text(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def _probe_one(
    device: Device,
    adapters: Sequence[DeviceAdapter],
    *,
    timeout: float,
    credentials: Credentials,
    insecure: frozenset[str],
    unprepared: Mapping[str, str],
    now: Callable[[], dt.datetime],
) -> DeviceStatus:
    at = now()
    if not device.endpoint or not device.protocol:
        return _not_probed(
            device,
            at,
            "名册未给出该设备的地址（endpoint）和协议（protocol），无法探测",
            "the roster gives no endpoint and protocol for this device: it cannot be probed",
        )
    if _endpoint_has_userinfo(device.endpoint):
        return _not_probed(
            device,
            at,
            "设备地址中含有用户名或口令：名册不得保存凭据，请改用 credential_ref",
            "the endpoint embeds a username or password: rosters must not hold "
            "credentials, use credential_ref",
        )
    adapter = next((a for a in adapters if a.handles(device)), None)
    if adapter is not None and adapter.name in unprepared:
        detail = unprepared[adapter.name]
        return _not_probed(
            device,
            at,
            f"设备适配器 {adapter.name} 未能就绪：{detail}",
            f"device adapter {adapter.name} could not get ready: {detail}",
        )
    if adapter is None:
        return _not_probed(
            device,
            at,
            f"没有可探测协议 {device.protocol!r}、设备类别 {device.kind.zh} 的设备适配器；"
            "请安装相应插件",
            f"no device adapter handles protocol {device.protocol!r} for "
            f"{device.kind.value} devices: install the plugin that does",
        )
    credential: Credential | None = None
    if device.credential_ref:
        try:
            credential = credentials.resolve(device.credential_ref)
        except CredentialError as exc:
            return _not_probed(device, at, exc.message.zh, exc.message.en)
    if device.id in insecure and device.verify_tls:
        device = attrs.evolve(device, verify_tls=False)
    # The adapter gets most of the budget so that its own, more precise, timeout
    # message usually wins; the hard limit below holds whatever the adapter does.
    budget = timeout - min(0.5, timeout * 0.2)
    try:
        status = await asyncio.wait_for(adapter.probe(device, credential, budget), timeout)
    except TimeoutError:
        return _fault(
            device,
            at,
            f"设备在 {timeout:g} 秒内未应答（适配器 {adapter.name}）",
            f"no answer within {timeout:g} s (adapter {adapter.name})",
        )
    except (KeyboardInterrupt, asyncio.CancelledError):
        raise
    except BaseException as exc:  # plugin code: SystemExit too must not end the run
        detail = _exception_text(exc)
        return _fault(
            device,
            at,
            f"适配器 {adapter.name} 探测出错：{detail}",
            f"adapter {adapter.name} failed: {detail}",
        )
    if not isinstance(status, DeviceStatus) or status.device_id != device.id:
        return _fault(
            device,
            at,
            f"适配器 {adapter.name} 返回了无效的状态",
            f"adapter {adapter.name} returned an invalid status",
        )
    return status


def _scrub_status(status: DeviceStatus, secrets: Sequence[str]) -> DeviceStatus:
    if not secrets:
        return status
    return attrs.evolve(
        status,
        manufacturer=_scrub_str(status.manufacturer, secrets),
        model=_scrub_str(status.model, secrets),
        firmware=_scrub_str(status.firmware, secrets),
        fault=_scrub_text(status.fault, secrets),
    )


async def _prepare(adapters: Sequence[DeviceAdapter], secrets: Sequence[str]) -> dict[str, str]:
    """Prepare the adapters that will probe; map the name of each that failed to why."""

    async def one(adapter: DeviceAdapter) -> str | None:
        assert adapter.prepare is not None
        try:
            await asyncio.wait_for(adapter.prepare(), PREPARE_TIMEOUT)
        except TimeoutError:
            return f"prepare() > {PREPARE_TIMEOUT:g} s"
        except (KeyboardInterrupt, asyncio.CancelledError):
            raise
        except BaseException as exc:  # plugin code: SystemExit too must not end the run
            return scrub(_exception_text(exc), secrets)
        return None

    outcomes = await asyncio.gather(*(one(a) for a in adapters))
    return {a.name: why for a, why in zip(adapters, outcomes, strict=True) if why is not None}


async def probe_devices(
    devices: Roster | Iterable[Device],
    adapters: Iterable[DeviceAdapter],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout: float = DEFAULT_TIMEOUT,
    credentials: Credentials | None = None,
    insecure_devices: Iterable[str] = (),
    on_status: Callable[[DeviceStatus], None] | None = None,
    now: Callable[[], dt.datetime] = _utcnow,
) -> list[DeviceStatus]:
    """Probe every device (of a roster, or given) and return their statuses, in order.

    At most ``concurrency`` devices are probed at once, and each probe is cut off
    after ``timeout`` seconds, so the whole run takes at most about
    ``ceil(len(devices) / concurrency) * timeout`` seconds. A probe that times out,
    raises or returns nonsense yields a status with a fault; it never stops the
    others. A device with no endpoint or protocol, an endpoint that embeds a
    password, no adapter that handles it, or a credential reference that cannot be
    resolved gets a status with a fault saying so, without being contacted
    (``probed`` false: not down, judged by the roster's declaration).

    Each adapter that will probe is first prepared (``DeviceAdapter.prepare``), outside
    the devices' timeouts; an adapter that cannot get ready gives its devices a fault.
    ``credentials`` resolves ``Device.credential_ref`` (default: the environment).
    ``insecure_devices`` names devices whose TLS certificate is not verified (as
    if their ``verify_tls`` were false). ``on_status`` is called with each status
    as it completes (progress). Every text of every status is scrubbed of the
    secrets ``credentials`` knows.
    """
    if concurrency < 1:
        raise invalid(
            f"并发数至少为 1：{concurrency}", f"concurrency must be at least 1: {concurrency}"
        )
    if not (timeout > 0 and math.isfinite(timeout)):
        raise invalid(
            f"超时应为正的秒数：{timeout}",
            f"timeout must be a positive number of seconds: {timeout}",
        )
    items = (
        [d for s in devices.schools for d in s.devices]
        if isinstance(devices, Roster)
        else list(devices)
    )
    kept = tuple(adapters)
    creds = credentials if credentials is not None else Credentials()
    secrets = creds.secrets()
    insecure = frozenset(insecure_devices)
    results: list[DeviceStatus | None] = [None] * len(items)
    queue = iter(enumerate(items))
    unprepared = await _prepare(
        [a for a in kept if a.prepare is not None and any(a.handles(d) for d in items)],
        secrets,
    )

    async def worker() -> None:
        for i, device in queue:  # a shared iterator: each device goes to one worker
            status = await _probe_one(
                device,
                kept,
                timeout=timeout,
                credentials=creds,
                insecure=insecure,
                unprepared=unprepared,
                now=now,
            )
            status = _scrub_status(status, secrets)
            results[i] = status
            if on_status is not None:
                on_status(status)

    workers = [asyncio.ensure_future(worker()) for _ in range(min(concurrency, len(items)))]
    try:
        await asyncio.gather(*workers)
    finally:
        for w in workers:
            w.cancel()
    return [r for r in results if r is not None]


# --- the device-status file -------------------------------------------------------------------


def device_status_document(
    statuses: Iterable[DeviceStatus], probed_at: dt.datetime
) -> dict[str, Any]:
    """The statuses as a JSON-ready device-status document."""
    return {
        "format": STATUS_FORMAT,
        "version": STATUS_VERSION,
        "probed_at": probed_at.isoformat(),
        "statuses": unstructure(list(statuses)),
    }


def dumps_device_status(statuses: Iterable[DeviceStatus], probed_at: dt.datetime) -> bytes:
    """A device-status file's bytes (indented UTF-8 JSON, final newline)."""
    return orjson.dumps(
        device_status_document(statuses, probed_at),
        option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE,
    )


def dump_device_status(
    statuses: Iterable[DeviceStatus], probed_at: dt.datetime, path: str | PathLike[str]
) -> None:
    """Write a device-status file (atomically: the old file or the whole new one)."""
    write_bytes_atomic(path, dumps_device_status(statuses, probed_at))


def _problem(path: str, zh: str, en: str, source: str | None) -> Problem:
    return Problem(path, Text(zh, en), source)


def loads_device_status(data: bytes | str, *, source: str | None = None) -> dict[str, DeviceStatus]:
    """Read a device-status document; map device ids to statuses.

    Every problem is collected and raised as one :class:`RosterError` with paths
    (``statuses[3].probed_at``).
    """
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise RosterError(
            [
                _problem(
                    f"line {exc.lineno}, column {exc.colno}",
                    f"不是有效的 JSON：{exc.msg}",
                    f"not valid JSON: {exc.msg}",
                    source,
                )
            ],
            source,
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != STATUS_FORMAT:
        got = doc.get("format") if isinstance(doc, dict) else None
        raise RosterError(
            [
                _problem(
                    "format",
                    f"不是设备状态文件：format 应为 {STATUS_FORMAT!r}，实为 {got!r}",
                    f"not a device-status file: format must be {STATUS_FORMAT!r}, got {got!r}",
                    source,
                )
            ],
            source,
        )
    problems: list[Problem] = []
    version = doc.get("version")
    if version not in _STATUS_VERSIONS:
        known = ", ".join(sorted(_STATUS_VERSIONS))
        problems.append(
            _problem(
                "version",
                f"不支持的设备状态文件版本 {version!r}（本版本库支持：{known}）",
                f"unsupported device-status version {version!r} (this library reads: {known})",
                source,
            )
        )
    extra = sorted(set(doc) - {"format", "version", "probed_at", "statuses"})
    problems += [
        _problem(
            k,
            "未知字段（本格式中没有此字段）",
            "unknown field (this format has no such field)",
            source,
        )
        for k in extra
    ]
    try:
        structure(doc.get("probed_at"), dt.datetime, path="probed_at", source=source)
    except RosterError as exc:
        problems.extend(exc.problems)
    items = doc.get("statuses", [])
    out: dict[str, DeviceStatus] = {}
    if not isinstance(items, list):
        problems.append(_problem("statuses", "应为数组", "expected an array", source))
        items = []
    for i, item in enumerate(items):
        try:
            st = structure(item, DeviceStatus, path=f"statuses[{i}]", source=source)
        except RosterError as exc:
            problems.extend(exc.problems)
            continue
        if st.device_id in out:
            problems.append(
                _problem(
                    f"statuses[{i}].device_id",
                    f"设备编号重复：{st.device_id}",
                    f"duplicate device id: {st.device_id}",
                    source,
                )
            )
        out[st.device_id] = st
    if problems:
        raise RosterError(problems, source)
    return out


def load_device_status(path: str | PathLike[str]) -> dict[str, DeviceStatus]:
    """Read a device-status file written by ``campus-security devices probe``."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise unreadable_file(str(p), exc) from None
    return loads_device_status(data, source=str(p))


# --- judging devices in rules -------------------------------------------------------------------


@attrs.frozen
class DeviceJudgement:
    """What the probed statuses say about a school's declared devices of some kinds.

    - ``devices``: the declared devices of those kinds (ids, roster order);
    - ``unreachable``: probed, did not answer;
    - ``clock_off``: answered, clock off by more than the tolerance: ``(id, offset)``;
    - ``unverified``: answered, but the probe reported a fault (e.g. the prober's
      credential was refused): online, not otherwise verified;
    - ``unprobed``: no status for the device, or one saying it was not contacted
      (``DeviceStatus.probed`` false: no endpoint, no adapter...): judge it by the
      roster's declaration;
    - ``faults``: the fault of every device that has one.

    A rule fails the school when :attr:`failing` is non-empty; :meth:`summary` says
    why, in both languages, and :meth:`evidence` is ready for the finding.
    """

    devices: tuple[str, ...]
    unreachable: tuple[str, ...]
    clock_off: tuple[tuple[str, float], ...]
    unverified: tuple[str, ...]
    unprobed: tuple[str, ...]
    faults: Mapping[str, Text] = attrs.field(factory=dict, hash=False)
    tolerance: float = CLOCK_TOLERANCE

    @property
    def failing(self) -> tuple[str, ...]:
        """Devices that fail: unreachable, or clock off by more than the tolerance."""
        return self.unreachable + tuple(i for i, _ in self.clock_off)

    @property
    def ok(self) -> bool:
        """No device fails."""
        return not self.failing

    @property
    def probed(self) -> bool:
        """Whether any of the devices has a probed status."""
        return len(self.unprobed) < len(self.devices)

    def summary(self) -> Text:
        """Why devices fail, e.g. ``探测不可达：cam1；时钟偏差超过10秒：cam2（+325秒）``."""
        zh: list[str] = []
        en: list[str] = []
        if self.unreachable:
            zh.append("探测不可达：" + "、".join(self.unreachable))
            en.append("probed unreachable: " + ", ".join(self.unreachable))
        if self.clock_off:
            tol = f"{self.tolerance:g}"
            zh.append(
                f"时钟偏差超过{tol}秒："
                + "、".join(f"{i}（{o:+.0f}秒）" for i, o in self.clock_off)
            )
            en.append(
                f"clock off by more than {tol} s: "
                + ", ".join(f"{i} ({o:+.0f} s)" for i, o in self.clock_off)
            )
        return Text("；".join(zh), "; ".join(en))

    def evidence(self) -> dict[str, Any]:
        """JSON-ready evidence for a finding."""
        return {
            "unreachable": list(self.unreachable),
            "clock_off": {i: round(o, 1) for i, o in self.clock_off},
            "clock_tolerance_s": self.tolerance,
            "unverified": list(self.unverified),
            "unprobed": list(self.unprobed),
        }


def judge_devices(
    school: School,
    ctx: Context,
    kinds: Iterable[DeviceKind],
    devices: Iterable[Device] | None = None,
    *,
    clock_tolerance: float = CLOCK_TOLERANCE,
) -> DeviceJudgement:
    """Judge ``school``'s declared devices of ``kinds`` by ``ctx.device_status``.

    ``devices`` narrows the judgement to those devices (matched by id; say, the
    devices at one placement that a rule counts): only the school's devices of
    ``kinds`` that are among them are judged, still in roster order. Without it
    every declared device of ``kinds`` is judged::

        cameras = [d for d in school.devices if d.placement is Placement.GATE]
        probe = judge_devices(school, ctx, (DeviceKind.VIDEO_SURVEILLANCE,), cameras)

    Without probed statuses (``check`` run without ``--device-status``, the common
    case) every device is ``unprobed`` and nothing fails: the rule judges the
    declaration, as before; this judgement is returned at once, without looking up a
    status per device.

    A rule that reads statuses declares the kinds in ``Rule.devices``::

        @rule("myregion.police-link", ..., devices=(DeviceKind.ONE_KEY_ALARM,))
        def police_link(school, ctx):
            ...  # the declaration checks
            probe = judge_devices(school, ctx, (DeviceKind.ONE_KEY_ALARM,))
            if not probe.ok:
                why = probe.summary()
                return failed("一键报警探测未通过：{zh}", "one-key alarm probe failed: {en}",
                              zh=why.zh, en=why.en, **probe.evidence())
    """
    wanted = frozenset(kinds)
    keep = None if devices is None else frozenset(d.id for d in devices)
    judged = [d for d in school.devices if d.kind in wanted and (keep is None or d.id in keep)]
    if not ctx.device_status:
        # Nothing probed: every device is unprobed and nothing fails.
        ids = tuple(d.id for d in judged)
        return DeviceJudgement(
            devices=ids,
            unreachable=(),
            clock_off=(),
            unverified=(),
            unprobed=ids,
            faults={},
            tolerance=clock_tolerance,
        )
    unreachable: list[str] = []
    clock_off: list[tuple[str, float]] = []
    unverified: list[str] = []
    unprobed: list[str] = []
    faults: dict[str, Text] = {}
    for d in judged:
        st = ctx.device_status.get(d.id)
        if st is None or not st.probed:
            unprobed.append(d.id)
            if st is not None and st.fault is not None:
                faults[d.id] = st.fault
            continue
        if st.fault is not None:
            faults[d.id] = st.fault
        if not st.reachable:
            unreachable.append(d.id)
            continue
        if st.clock_offset is not None and abs(st.clock_offset) > clock_tolerance:
            clock_off.append((d.id, st.clock_offset))
        if st.fault is not None:
            unverified.append(d.id)
    return DeviceJudgement(
        devices=tuple(d.id for d in judged),
        unreachable=tuple(unreachable),
        clock_off=tuple(clock_off),
        unverified=tuple(unverified),
        unprobed=tuple(unprobed),
        faults=faults,
        tolerance=clock_tolerance,
    )


STATUS_MAX_AGE_DAYS = 7
"""How old a probed status may be, in days before the evaluation date, before ``check``
warns that it no longer shows the devices as they are on that date (platforms poll
their devices daily; a week leaves room for a weekend and a holiday)."""


def stale_statuses(
    statuses: Mapping[str, DeviceStatus], on: dt.date, max_age_days: int = STATUS_MAX_AGE_DAYS
) -> tuple[list[str], list[str]]:
    """Device ids whose status was probed after ``on``, and those probed too long before it.

    Dates are compared in China's local time. Neither kind is dropped: the caller decides
    (``campus-security check`` warns on standard error).
    """
    from .model import CHINA_TZ

    later: list[str] = []
    older: list[str] = []
    for device_id, status in sorted(statuses.items()):
        day = status.probed_at.astimezone(CHINA_TZ).date()
        if day > on:
            later.append(device_id)
        elif (on - day).days > max_age_days:
            older.append(device_id)
    return later, older
