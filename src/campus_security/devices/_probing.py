"""Device SDK: device adapters and concurrent probing.

Re-exported by :mod:`campus_security.devices`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import attrs

from ..model import Device, DeviceKind, DeviceStatus, Roster, Text
from ..model.values import invalid
from ._credentials import (
    DEFAULT_CONCURRENCY,
    DEFAULT_TIMEOUT,
    PREPARE_TIMEOUT,
    Credential,
    CredentialError,
    Credentials,
    _scrub_str,
    _scrub_text,
    scrub,
)

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
