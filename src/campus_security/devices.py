"""The device-adapter SDK: records that device plugins hand over.

A device adapter speaks one or more protocols (``Device.protocol``) and probes one
device of the roster at a time, returning a :class:`~campus_security.model.DeviceStatus`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import attrs

from .model import Device, DeviceKind, DeviceStatus

__all__ = ["DeviceAdapter", "Probe"]

Probe = Callable[[Device, float], Awaitable[DeviceStatus]]
"""``probe(device, timeout)``: probe one device, within ``timeout`` seconds."""


def _as_tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(values)


@attrs.frozen
class DeviceAdapter:
    """A device adapter: its name, the protocols and device kinds it handles, its probe."""

    name: str
    protocols: tuple[str, ...] = attrs.field(converter=_as_tuple)
    kinds: tuple[DeviceKind, ...] = attrs.field(converter=_as_tuple)
    probe: Probe = attrs.field(eq=False, hash=False, repr=False)

    def handles(self, device: Device) -> bool:
        """Whether this adapter can probe ``device``."""
        return device.protocol in self.protocols and device.kind in self.kinds
