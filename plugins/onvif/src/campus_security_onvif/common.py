"""What the adapter declares and how it reads an endpoint: light, imported at plugin load."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from campus_security.model import DeviceKind

__all__ = ["DEVICE_SERVICE_PATH", "KINDS", "VIDEO_KINDS", "device_service_url"]

DEVICE_SERVICE_PATH = "/onvif/device_service"
"""The device service's path when the roster's endpoint gives only host and port."""

VIDEO_KINDS = frozenset({DeviceKind.VIDEO_SURVEILLANCE, DeviceKind.POLICE_CAMERA})
"""Kinds whose media (profiles, video sources) is checked."""

KINDS = (
    DeviceKind.VIDEO_SURVEILLANCE,
    DeviceKind.POLICE_CAMERA,
    DeviceKind.ONE_KEY_ALARM,
    DeviceKind.INTRUSION_ALARM,
    DeviceKind.ACCESS_CONTROL,
)
"""Device kinds the adapter probes: anything that speaks ONVIF device management."""


def device_service_url(endpoint: str) -> str:
    """The device service URL for a roster endpoint.

    ``10.1.2.3``, ``10.1.2.3:8080`` and ``http://10.1.2.3`` get the default path
    ``/onvif/device_service``; a URL with a path is used as it is.

    >>> device_service_url("10.1.2.3:8080")
    'http://10.1.2.3:8080/onvif/device_service'
    >>> device_service_url("https://cam.example/onvif/device_service")
    'https://cam.example/onvif/device_service'
    """
    url = endpoint if "://" in endpoint else f"http://{endpoint}"
    parts = urlsplit(url)
    if parts.path in ("", "/"):
        parts = parts._replace(path=DEVICE_SERVICE_PATH)
    return urlunsplit(parts)
