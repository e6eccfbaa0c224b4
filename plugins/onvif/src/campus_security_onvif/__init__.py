"""campus-security's ONVIF device adapter: the reference adapter for IP cameras and NVRs.

ONVIF is the protocol nearly every IP camera and NVR speaks; this plugin probes the
roster's devices whose ``protocol`` is ``onvif``: reachability, manufacturer,
model and firmware, the clock offset, and for video devices the media profiles and
video sources, authenticating with a WS-Security digest. See
:mod:`campus_security_onvif.conversation` and ``docs/device-adapters.md``.

Install it, and ``campus-security devices probe ROSTER -o status.json`` uses it.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Iterable

from campus_security.devices import Credential, DeviceAdapter
from campus_security.model import Device, DeviceStatus
from campus_security.sdk import hookimpl

from .common import KINDS, VIDEO_KINDS, device_service_url

__all__ = [
    "ADAPTER",
    "KINDS",
    "VIDEO_KINDS",
    "campus_security_device_adapters",
    "device_service_url",
    "prepare",
    "probe",
]


async def probe(device: Device, credential: Credential | None, timeout: float) -> DeviceStatus:
    """Probe one ONVIF device (see :func:`campus_security_onvif.conversation.probe`).

    The ONVIF client stack (zeep, lxml, aiohttp, the WSDLs) is imported on the first
    probe, not when the plugin loads: ``campus-security check`` loads every plugin and
    should not pay for it.
    """
    from .conversation import probe as _probe

    return await _probe(device, credential, timeout)


async def prepare() -> None:
    """Import the ONVIF client stack and load the WSDLs, off the event loop, before probing."""
    conversation = await asyncio.to_thread(
        importlib.import_module, "campus_security_onvif.conversation"
    )
    await conversation.load_documents()


ADAPTER = DeviceAdapter(
    name="onvif", protocols=("onvif",), kinds=KINDS, probe=probe, prepare=prepare
)
"""The ONVIF adapter."""


@hookimpl
def campus_security_device_adapters() -> Iterable[DeviceAdapter]:
    """The ONVIF adapter (hook implementation)."""
    return [ADAPTER]
