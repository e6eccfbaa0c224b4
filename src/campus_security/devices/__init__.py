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

from ._credentials import (
    CLOCK_TOLERANCE,
    DEFAULT_CONCURRENCY,
    DEFAULT_TIMEOUT,
    ENV_PREFIX,
    PREPARE_TIMEOUT,
    STATUS_FORMAT,
    STATUS_VERSION,
    Credential,
    CredentialError,
    Credentials,
    Secret,
    env_names,
    scrub,
)
from ._probing import DeviceAdapter, Prepare, Probe, probe_devices
from ._status import (
    STATUS_MAX_AGE_DAYS,
    DeviceJudgement,
    device_status_document,
    dump_device_status,
    dumps_device_status,
    judge_devices,
    load_device_status,
    loads_device_status,
    stale_statuses,
)

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
