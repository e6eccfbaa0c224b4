"""Observed facts about devices: what a device adapter reports after probing one."""

from __future__ import annotations

import datetime as dt

import attrs

from ._checks import check_fields
from .values import Text

__all__ = ["DeviceStatus"]


@attrs.frozen
class DeviceStatus:
    """The status of one device of the roster, as a device adapter probed it.

    ``clock_offset`` is the device clock minus the prober's clock, in seconds.
    ``fault`` explains, in Chinese and English, why the device is unreachable or
    misbehaving; it never contains a credential. ``probed`` is false when the device
    was not contacted at all (the roster gives no endpoint, no adapter handles it, its
    credential is not set...): the ``fault`` says why, and rules judge such a device by
    the roster's declaration, as if it had no status (it is not "down").
    """

    __attrs_post_init__ = check_fields

    device_id: str
    reachable: bool
    probed_at: dt.datetime
    manufacturer: str | None = None
    model: str | None = None
    firmware: str | None = None
    clock_offset: float | None = None
    fault: Text | None = None
    probed: bool = True
