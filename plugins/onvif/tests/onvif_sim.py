"""An ONVIF device simulator for the tests: SOAP 1.2 over HTTP on 127.0.0.1.

One :class:`Simulator` (an aiohttp server on a random loopback port, in its own
thread with its own event loop) serves any number of simulated devices, each under
its own path: ``http://127.0.0.1:PORT/<name>/onvif/device_service`` and
``.../<name>/onvif/media_service``. It answers GetSystemDateAndTime (without
authentication, as ONVIF Core allows), GetDeviceInformation, GetCapabilities,
GetProfiles and GetVideoSources with ONVIF SOAP answers, and checks the
WS-Security UsernameToken digest of every other request: Base64(SHA-1(nonce +
created + password)), with ``Created`` within five minutes of the device's own
clock, as cameras do. A wrong username or password gets a SOAP fault with the
subcode ``ter:NotAuthorized``.

A device can be made slow (``delay`` seconds before every answer), wrong-clocked
(``clock_offset`` seconds ahead of real time), without video (``video_sources=0``)
or dead (:meth:`Simulator.dead_endpoint`: a loopback port nobody listens on, so the
connection is refused). Only loopback is ever bound or contacted.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import socket
import ssl
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from aiohttp import web
from lxml import etree

ENV = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DIGEST = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
    "#PasswordDigest"
)
NS = {
    "env": ENV,
    "wsse": WSSE,
    "wsu": WSU,
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tt": "http://www.onvif.org/ver10/schema",
    "ter": "http://www.onvif.org/ver10/error",
}
CREATED_WINDOW = dt.timedelta(minutes=5)
UNAUTHENTICATED = frozenset({"GetSystemDateAndTime"})
HOST = "127.0.0.1"
STALLED = 1.0
"""A device this slow (seconds per answer) is stalled: not counted in ``max_in_flight``."""


@dataclass
class SimDevice:
    """One simulated ONVIF device."""

    name: str
    username: str = "admin"
    password: str = "correct horse"
    clock_offset: float = 0.0
    """Seconds the device's clock is ahead of real time (negative: behind)."""
    delay: float = 0.0
    """Seconds to wait before every answer."""
    manufacturer: str = "SimVision"
    model: str = "SV-IPC-2"
    firmware: str = "V5.7.3 build 240101"
    video_sources: int = 1
    clock_needs_auth: bool = False
    requests: Counter[str] = field(default_factory=Counter)
    auth_failures: int = 0

    def now(self) -> dt.datetime:
        """The device's clock."""
        return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.clock_offset)


def password_digest(nonce: bytes, created: str, password: str) -> str:
    """WS-Security UsernameToken PasswordDigest."""
    return base64.b64encode(
        hashlib.sha1(nonce + created.encode() + password.encode()).digest()
    ).decode()


def _envelope(body: str) -> bytes:
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope {ns}><env:Body>{body}'
        "</env:Body></env:Envelope>"
    ).encode()


def fault(code: str, subcode: str, reason: str) -> bytes:
    """A SOAP 1.2 fault with an ONVIF subcode."""
    return _envelope(
        f"<env:Fault><env:Code><env:Value>env:{code}</env:Value><env:Subcode>"
        f"<env:Value>ter:{subcode}</env:Value></env:Subcode></env:Code>"
        f'<env:Reason><env:Text xml:lang="en">{escape(reason)}</env:Text></env:Reason>'
        "</env:Fault>"
    )


def _datetime(tag: str, t: dt.datetime) -> str:
    return (
        f"<tt:{tag}><tt:Time><tt:Hour>{t.hour}</tt:Hour><tt:Minute>{t.minute}</tt:Minute>"
        f"<tt:Second>{t.second}</tt:Second></tt:Time><tt:Date><tt:Year>{t.year}</tt:Year>"
        f"<tt:Month>{t.month}</tt:Month><tt:Day>{t.day}</tt:Day></tt:Date></tt:{tag}>"
    )


def _answer(device: SimDevice, operation: str, base: str) -> bytes | None:
    if operation == "GetSystemDateAndTime":
        now = device.now()
        local = now.astimezone(dt.timezone(dt.timedelta(hours=8)))
        return _envelope(
            "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
            "<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>"
            "<tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone>"
            f"{_datetime('UTCDateTime', now)}{_datetime('LocalDateTime', local)}"
            "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>"
        )
    if operation == "GetDeviceInformation":
        return _envelope(
            "<tds:GetDeviceInformationResponse>"
            f"<tds:Manufacturer>{escape(device.manufacturer)}</tds:Manufacturer>"
            f"<tds:Model>{escape(device.model)}</tds:Model>"
            f"<tds:FirmwareVersion>{escape(device.firmware)}</tds:FirmwareVersion>"
            f"<tds:SerialNumber>SN-{escape(device.name)}</tds:SerialNumber>"
            "<tds:HardwareId>1</tds:HardwareId></tds:GetDeviceInformationResponse>"
        )
    if operation == "GetCapabilities":
        return _envelope(
            "<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Media>"
            f"<tt:XAddr>{base}/onvif/media_service</tt:XAddr><tt:StreamingCapabilities>"
            "<tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP>"
            "<tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities>"
            "</tt:Media></tds:Capabilities></tds:GetCapabilitiesResponse>"
        )
    if operation == "GetProfiles":
        profiles = "".join(
            f'<trt:Profiles token="Profile_{i}" fixed="true"><tt:Name>main{i}</tt:Name>'
            f'<tt:VideoSourceConfiguration token="VSC_{i}"><tt:Name>vsc{i}</tt:Name>'
            f"<tt:UseCount>1</tt:UseCount><tt:SourceToken>VideoSource_{i}</tt:SourceToken>"
            '<tt:Bounds x="0" y="0" width="1920" height="1080"/>'
            "</tt:VideoSourceConfiguration></trt:Profiles>"
            for i in range(1, device.video_sources + 1)
        )
        return _envelope(f"<trt:GetProfilesResponse>{profiles}</trt:GetProfilesResponse>")
    if operation == "GetVideoSources":
        sources = "".join(
            f'<trt:VideoSources token="VideoSource_{i}"><tt:Framerate>25</tt:Framerate>'
            "<tt:Resolution><tt:Width>1920</tt:Width><tt:Height>1080</tt:Height>"
            "</tt:Resolution></trt:VideoSources>"
            for i in range(1, device.video_sources + 1)
        )
        return _envelope(f"<trt:GetVideoSourcesResponse>{sources}</trt:GetVideoSourcesResponse>")
    return None


def _parse_created(text: str) -> dt.datetime | None:
    try:
        t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else None


def check_token(device: SimDevice, header: Any) -> bool:
    """Whether the request's UsernameToken authenticates as the device's user."""
    if header is None:
        return False
    token = header.find("wsse:Security/wsse:UsernameToken", NS)
    if token is None:
        return False
    username = token.findtext("wsse:Username", None, NS)
    password = token.find("wsse:Password", NS)
    nonce = token.findtext("wsse:Nonce", None, NS)
    created = token.findtext("wsu:Created", None, NS)
    if None in (username, password, nonce, created) or password.get("Type") != DIGEST:
        return False
    when = _parse_created(created)
    if when is None or abs(when - device.now()) > CREATED_WINDOW:
        return False
    try:
        raw_nonce = base64.b64decode(nonce, validate=True)
    except ValueError:
        return False
    expected = password_digest(raw_nonce, created, device.password)
    return username == device.username and password.text == expected


async def _cancel_the_rest() -> None:
    current = asyncio.current_task()
    rest = [t for t in asyncio.all_tasks() if t is not current]
    for task in rest:
        task.cancel()
    await asyncio.gather(*rest, return_exceptions=True)


class Simulator:
    """Simulated ONVIF devices on 127.0.0.1, served from a background thread."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self.ssl_context = ssl_context
        self.scheme = "https" if ssl_context else "http"
        self.devices: dict[str, SimDevice] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.total_requests = 0
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._dead_port: int | None = None

    # --- devices --------------------------------------------------------------------------

    def add(self, device: SimDevice) -> str:
        """Serve ``device``; return its endpoint (the device service URL)."""
        self.devices[device.name] = device
        return f"{self.scheme}://{HOST}:{self.port}/{device.name}/onvif/device_service"

    def dead_endpoint(self) -> str:
        """An endpoint on a loopback port that refuses connections."""
        if self._dead_port is None:
            with socket.socket() as s:
                s.bind((HOST, 0))
                self._dead_port = s.getsockname()[1]
        return f"http://{HOST}:{self._dead_port}/onvif/device_service"

    # --- serving ----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        # Requests to stalled devices are not counted: the server keeps sleeping on them
        # after the client has given up, so they would count against a bound that the
        # client no longer holds them to.
        device = self.devices.get(request.match_info["name"])
        counted = device is not None and device.delay < STALLED
        with self._lock:
            self.total_requests += 1
            if counted:
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._answer(request)
        finally:
            if counted:
                with self._lock:
                    self.in_flight -= 1

    async def _answer(self, request: web.Request) -> web.Response:
        device = self.devices.get(request.match_info["name"])
        if device is None:
            return web.Response(status=404)
        if device.delay:
            await asyncio.sleep(device.delay)
        body = await request.read()
        try:
            doc = etree.fromstring(body)
            op_element = doc.find("env:Body", NS)[0]
        except (etree.XMLSyntaxError, IndexError, TypeError):
            return self._reply(fault("Sender", "WellFormed", "not a SOAP 1.2 envelope"), 400)
        operation = etree.QName(op_element).localname
        device.requests[operation] += 1
        needs_auth = operation not in UNAUTHENTICATED or device.clock_needs_auth
        if needs_auth and not check_token(device, doc.find("env:Header", NS)):
            device.auth_failures += 1
            return self._reply(fault("Sender", "NotAuthorized", "Sender not Authorized"), 400)
        base = f"{self.scheme}://{HOST}:{self.port}/{device.name}"
        answer = _answer(device, operation, base)
        if answer is None:
            return self._reply(
                fault("Receiver", "ActionNotSupported", f"{operation} not supported"), 400
            )
        return self._reply(answer, 200)

    @staticmethod
    def _reply(body: bytes, status: int) -> web.Response:
        return web.Response(
            body=body, status=status, content_type="application/soap+xml", charset="utf-8"
        )

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        app = web.Application()
        app.router.add_post("/{name}/onvif/{service}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, HOST, 0, backlog=1024, ssl_context=self.ssl_context)
        loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        ready.set()
        loop.run_forever()
        loop.run_until_complete(self._runner.cleanup())
        loop.run_until_complete(_cancel_the_rest())  # handlers still sleeping for slow devices
        loop.close()

    def __enter__(self) -> Simulator:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the ONVIF simulator did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None and self._thread is not None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
