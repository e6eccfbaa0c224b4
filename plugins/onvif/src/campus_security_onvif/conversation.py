"""Probe one ONVIF device: device information, clock, media, over WS-Security digest.

Built on onvif-zeep-async: its bundled WSDLs (loaded from disk through its
``AsyncSafeTransport``, which refuses any remote fetch), its aiohttp transport for
zeep, and its WS-Security ``UsernameToken`` with a clock-offset correction. The
aiohttp session is ours, so that TLS certificates are verified (the library's own
``ONVIFCamera`` never verifies them) unless the roster says ``verify_tls: false``
for the device or the operator names it with ``--insecure-device``.

The conversation, within one time budget:

1. ``GetSystemDateAndTime`` without authentication (ONVIF Core puts it in the
   PRE_AUTH access class: a device answers it before authentication), falling back
   to an authenticated call for devices that want one;
   the clock offset is the device's UTC time minus the midpoint of the request;
2. ``GetDeviceInformation`` (authenticated): manufacturer, model, firmware;
3. for video devices, ``GetCapabilities`` (Media) to find the media service, then
   ``GetProfiles`` and ``GetVideoSources``: a camera or NVR with no video source or
   no media profile is reported as faulty.

Authentication is the WS-Security UsernameToken with a password digest
(Base64(SHA-1(nonce + created + password))), its ``Created`` time shifted by the
measured clock offset so that a device with a wrong clock still accepts it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import socket
import ssl
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import zeep.exceptions
from zeep.wsdl import Document

from campus_security.devices import Credential, scrub
from campus_security.model import Device, DeviceStatus, Text

from .common import VIDEO_KINDS, device_service_url


def _import_onvif() -> Any:
    """Import onvif-zeep-async without its import-time ``logging.basicConfig``.

    ``onvif.client`` configures the root logger when imported (an INFO handler on
    stderr) if nothing else has; a library must not, so that is undone here.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    import onvif.client
    import onvif.definition
    import onvif.settings
    import onvif.transport
    import onvif.util
    import onvif.zeep_aiohttp

    for h in root.handlers[:]:
        if h not in handlers:
            root.removeHandler(h)
    root.setLevel(level)
    return onvif


onvif = _import_onvif()

__all__ = ["load_documents", "probe"]

_WSDL_DIR = Path(onvif.client.__file__).parent / "wsdl"
_SERVICES = onvif.definition.SERVICES
_MAX_DETAIL = 300
_TRUNCATION = 0.5


# --- WS-Security headers never reach a log ------------------------------------------------------

_SECRET_ELEMENT = re.compile(
    r"(<(?:[\w-]+:)?(Username|Password|Nonce)\b[^>]*>)(.*?)(</(?:[\w-]+:)?\2>)", re.DOTALL
)


class _RedactSecurity(logging.Filter):
    """Blank the UsernameToken in logged SOAP envelopes (zeep's transports log them at DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "Username" in message or "Nonce" in message:
            record.msg, record.args = _SECRET_ELEMENT.sub(r"\1***\4", message), None
        return True


for _name in ("onvif.zeep_aiohttp", "zeep.transports"):
    logging.getLogger(_name).addFilter(_RedactSecurity())


# --- WSDL documents, loaded once from the bundled files ---------------------------------

_DOCUMENTS: dict[str, Document] = {}
_DOCUMENTS_LOCK = threading.Lock()


def _load_document(service: str) -> Document:
    with _DOCUMENTS_LOCK:
        doc = _DOCUMENTS.get(service)
        if doc is None:
            doc = Document(
                str(_WSDL_DIR / _SERVICES[service]["wsdl"]),
                onvif.transport.ASYNC_TRANSPORT,  # local files only: no fetch at run time
                settings=onvif.settings.DEFAULT_SETTINGS,
            )
            _DOCUMENTS[service] = doc
        return doc


async def _document(service: str) -> Document:
    doc = _DOCUMENTS.get(service)
    return doc if doc is not None else await asyncio.to_thread(_load_document, service)


async def load_documents() -> None:
    """Load the WSDLs the probe uses (the adapter's ``prepare``)."""
    for service in ("devicemgmt", "media"):
        await _document(service)


def _binding(service: str) -> str:
    spec = _SERVICES[service]
    return f"{{{spec['ns']}}}{spec['binding']}"


async def _service(service: str, transport: Any, address: str, wsse: Any | None) -> Any:
    # onvif-zeep-async's client: zeep's AsyncClient whose services are asynchronous.
    client = onvif.client.ZeepAsyncClient(
        wsdl=await _document(service),
        wsse=wsse,
        transport=transport,
        settings=onvif.settings.DEFAULT_SETTINGS,
    )
    return client.create_service(_binding(service), address)


# --- endpoints --------------------------------------------------------------------------


def _service_url(advertised: str | None, device_url: str) -> str:
    """The URL of a service the device advertised, reachable the way the device is.

    A device behind NAT advertises its LAN address; when the advertised host is not
    the one the roster names, the roster's scheme, host and port are used with the
    advertised path (as onvif-zeep-async's ``nat_override`` does).
    """
    if not advertised:
        return device_url
    adv, dev = urlsplit(advertised), urlsplit(device_url)
    if adv.hostname == dev.hostname:
        return advertised
    return urlunsplit((dev.scheme, dev.netloc, adv.path or dev.path, adv.query, ""))


def _where(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url


# --- faults -----------------------------------------------------------------------------


class _Failed(Exception):
    """A probe step failed; carries the bilingual fault and whether the device answered."""

    def __init__(self, fault: Text, *, answered: bool) -> None:
        super().__init__(fault.en)
        self.fault = fault
        self.answered = answered


def _short(text: str, secrets: Iterable[str]) -> str:
    text = scrub(" ".join(text.split()), secrets)
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"


def _fault_of(
    exc: BaseException, step: str, url: str, ref: str | None, secrets: list[str]
) -> _Failed:
    """Translate what the client raised during ``step`` into a fault."""
    where = _where(url)
    if isinstance(exc, zeep.exceptions.Fault):
        if onvif.util.is_auth_error(exc):
            who = f"凭据引用 {ref!r} 的" if ref else "（未配置凭据）"
            who_en = f"the credential of reference {ref!r}" if ref else "no credential (none set)"
            return _Failed(
                Text(
                    f"认证失败：设备在 {step} 时拒绝了{who}用户名或口令（ter:NotAuthorized）",
                    f"authentication failed: the device refused {who_en} at {step} "
                    "(ter:NotAuthorized)",
                ),
                answered=True,
            )
        detail = _short(onvif.util.stringify_onvif_error(exc), secrets)
        return _Failed(
            Text(f"设备在 {step} 时返回 SOAP 错误：{detail}", f"SOAP fault at {step}: {detail}"),
            answered=True,
        )
    if isinstance(exc, zeep.exceptions.TransportError):
        code = exc.status_code
        if code == 401:
            return _Failed(
                Text(
                    f"设备在 {step} 时返回 HTTP 401：可能只接受 HTTP 摘要认证，"
                    "本适配器使用 WS-Security",
                    f"HTTP 401 at {step}: the device may accept only HTTP digest "
                    "authentication; this adapter uses WS-Security",
                ),
                answered=True,
            )
        return _Failed(
            Text(
                f"设备在 {step} 时返回 HTTP {code}，不是 ONVIF 应答",
                f"HTTP {code} at {step}: not an ONVIF answer",
            ),
            answered=True,
        )
    if isinstance(exc, zeep.exceptions.Error):
        detail = _short(str(exc), secrets)
        return _Failed(
            Text(f"设备在 {step} 时的应答无效：{detail}", f"invalid answer at {step}: {detail}"),
            answered=True,
        )
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | ssl.SSLCertVerificationError):
        return _Failed(
            Text(
                f"{where} 的 TLS 证书未通过验证；若确属自签名证书，"
                "可仅对该设备设置 verify_tls: false",
                f"the TLS certificate of {where} failed verification; if it is a known "
                "self-signed certificate, set verify_tls: false for this device only",
            ),
            answered=False,
        )
    if isinstance(exc, aiohttp.ClientConnectorError):
        zh, en = _connect_reason(exc.os_error, secrets)
        return _Failed(
            Text(f"无法连接 {where}：{zh}", f"cannot connect to {where}: {en}"),
            answered=False,
        )
    if isinstance(exc, aiohttp.ClientError | OSError):
        detail = _short(f"{type(exc).__name__}: {exc}", secrets)
        return _Failed(
            Text(f"与 {where} 通信失败（{step}）：{detail}", f"{step} to {where} failed: {detail}"),
            answered=False,
        )
    detail = _short(f"{type(exc).__name__}: {exc}", secrets)
    return _Failed(
        Text(f"{step} 出错：{detail}", f"{step} failed: {detail}"),
        answered=False,
    )


def _connect_reason(error: OSError, secrets: Iterable[str]) -> tuple[str, str]:
    if isinstance(error, ConnectionRefusedError):
        return "连接被拒绝（端口无服务）", "connection refused (nothing listens on the port)"
    if isinstance(error, socket.gaierror):
        return "无法解析主机名", "host name not found"
    if isinstance(error, TimeoutError):
        return "连接超时", "connection timed out"
    reason = _short(error.strerror or f"{type(error).__name__}: {error}", secrets)
    return reason, reason


# --- clock ------------------------------------------------------------------------------

_POSIX_TZ = re.compile(r"^[A-Za-z]{3,}|<[^>]+>")
_POSIX_OFFSET = re.compile(r"^([+-]?)(\d{1,2})(?::(\d{2}))?")


def _posix_utc_offset(tz: str) -> dt.timedelta | None:
    """The UTC offset of a POSIX TZ string's standard time (``CST-8`` is UTC+8)."""
    m = _POSIX_TZ.match(tz)
    if not m:
        return None
    n = _POSIX_OFFSET.match(tz[m.end() :])
    if not n:
        return None
    sign = 1 if n.group(1) == "-" else -1  # POSIX counts hours west of Greenwich
    return sign * dt.timedelta(hours=int(n.group(2)), minutes=int(n.group(3) or 0))


def _to_datetime(value: Any, tz: dt.tzinfo) -> dt.datetime | None:
    if value is None or value.Date is None or value.Time is None:
        return None
    d, t = value.Date, value.Time
    try:
        return dt.datetime(d.Year, d.Month, d.Day, t.Hour, t.Minute, t.Second, tzinfo=tz)
    except (TypeError, ValueError):
        return None


def _device_utc(answer: Any) -> dt.datetime | None:
    """The device's UTC time from a GetSystemDateAndTime answer."""
    utc = _to_datetime(answer.UTCDateTime, dt.UTC)
    if utc is not None:
        return utc
    tz = answer.TimeZone.TZ if answer.TimeZone is not None else None
    offset = _posix_utc_offset(tz) if tz else None
    if offset is None:
        return None
    return _to_datetime(answer.LocalDateTime, dt.timezone(offset))


# --- the probe --------------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _Conversation:
    """One probe's state: the step under way, whether the device answered, what it said."""

    def __init__(self, device: Device, credential: Credential | None, url: str) -> None:
        self.device = device
        self.credential = credential
        self.url = url
        self.secrets = list(credential.secrets()) if credential else []
        self.step = "GetSystemDateAndTime"
        self.answered = False
        self.fault: Text | None = None
        self.manufacturer: str | None = None
        self.model: str | None = None
        self.firmware: str | None = None
        self.clock_offset: float | None = None

    async def call(self, service: Any, operation: str, **params: Any) -> Any:
        """Call one operation, recording the step; failures become :class:`_Failed`."""
        self.step = operation
        try:
            answer = await getattr(service, operation)(**params)
        except (TimeoutError, asyncio.CancelledError):
            raise
        except Exception as exc:
            failed = _fault_of(exc, operation, self.url, self.ref, self.secrets)
            self.answered = self.answered or failed.answered
            raise failed from None
        self.answered = True
        return answer

    @property
    def ref(self) -> str | None:
        return self.credential.ref if self.credential else None

    def _wsse(self) -> Any | None:
        if self.credential is None:
            return None
        diff = None if self.clock_offset is None else dt.timedelta(seconds=self.clock_offset)
        return onvif.client.UsernameDigestTokenDtDiff(
            self.credential.username.reveal(),
            self.credential.password.reveal(),
            dt_diff=diff,
            use_digest=True,
        )

    async def run(self, transport: Any) -> None:
        """The conversation: clock, device information, media (video devices)."""
        anonymous = await _service("devicemgmt", transport, self.url, None)
        t0 = _now()
        try:
            answer = await self.call(anonymous, "GetSystemDateAndTime")
        except _Failed:
            if self.credential is None or not self.answered:
                raise
            # Some devices want authentication even for the clock.
            authed = await _service("devicemgmt", transport, self.url, self._wsse())
            t0 = _now()
            answer = await self.call(authed, "GetSystemDateAndTime")
        t1 = _now()
        device_utc = _device_utc(answer)
        if device_utc is not None:
            # The device reports whole seconds, truncated: its clock read, on average,
            # half a second more than it says, at about the midpoint of the request.
            midpoint = t0 + (t1 - t0) / 2
            offset = (device_utc - midpoint).total_seconds() + _TRUNCATION
            self.clock_offset = round(offset, 1)

        devicemgmt = await _service("devicemgmt", transport, self.url, self._wsse())
        info = await self.call(devicemgmt, "GetDeviceInformation")
        self.manufacturer = _text(info.Manufacturer, self.secrets)
        self.model = _text(info.Model, self.secrets)
        self.firmware = _text(info.FirmwareVersion, self.secrets)

        if self.device.kind not in VIDEO_KINDS:
            return
        caps = await self.call(devicemgmt, "GetCapabilities", Category="Media")
        advertised = caps.Media.XAddr if caps is not None and caps.Media is not None else None
        media = await _service("media", transport, _service_url(advertised, self.url), self._wsse())
        profiles = await self.call(media, "GetProfiles")
        sources = await self.call(media, "GetVideoSources")
        if not sources or not profiles:
            self.fault = Text(
                f"设备没有{'视频源' if not sources else '媒体配置（profile）'}：无法提供视频",
                f"the device has no {'video source' if not sources else 'media profile'}: "
                "it cannot deliver video",
            )

    def status(self, at: dt.datetime, *, reachable: bool, fault: Text | None) -> DeviceStatus:
        return DeviceStatus(
            device_id=self.device.id,
            reachable=reachable,
            probed_at=at,
            manufacturer=self.manufacturer,
            model=self.model,
            firmware=self.firmware,
            clock_offset=self.clock_offset,
            fault=fault,
        )


def _text(value: Any, secrets: list[str]) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return scrub(text, secrets)[:_MAX_DETAIL] or None


async def probe(device: Device, credential: Credential | None, timeout: float) -> DeviceStatus:
    """Probe one ONVIF device within ``timeout`` seconds (the adapter's probe).

    Never raises for anything the device or the network does: every failure is a
    status with a fault, ``reachable`` true when the device answered at all.
    """
    at = _now()
    if not device.endpoint:
        raise ValueError("the device has no endpoint")
    conv = _Conversation(device, credential, device_service_url(device.endpoint))
    # ssl=True: aiohttp's default context (certificate and host name verified), built
    # once per process; building one per probe would cost more than the probe itself.
    tls = bool(device.verify_tls)
    try:
        async with asyncio.timeout(timeout):
            async with aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(ssl=tls, limit=2),
                timeout=aiohttp.ClientTimeout(total=timeout),
                trust_env=False,  # cameras sit on the LAN: no HTTP(S)_PROXY detour
            ) as session:
                transport = onvif.zeep_aiohttp.AIOHTTPTransport(
                    session=session, verify_ssl=device.verify_tls
                )
                await conv.run(transport)
    except TimeoutError:
        where = _where(conv.url)
        fault = Text(
            f"设备在 {timeout:.3g} 秒内未应答 {conv.step}（{where}）",
            f"no answer to {conv.step} within {timeout:.3g} s ({where})",
        )
        return conv.status(at, reachable=conv.answered, fault=fault)
    except _Failed as failed:
        return conv.status(at, reachable=conv.answered, fault=failed.fault)
    return conv.status(at, reachable=True, fault=conv.fault)
