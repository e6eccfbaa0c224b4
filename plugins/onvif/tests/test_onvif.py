"""The ONVIF adapter against a real ONVIF conversation with the simulator on 127.0.0.1."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time

import attrs
import pytest
from campus_security_onvif import ADAPTER, campus_security_device_adapters, device_service_url
from campus_security_onvif.conversation import _posix_utc_offset, probe
from onvif_sim import SimDevice, Simulator

from campus_security.devices import Credential, Credentials, probe_devices
from campus_security.model import Device, DeviceKind, DeviceStatus
from campus_security.plugins import PluginManager

USER, PASSWORD = "probe-user", "Tr0ub4dor&3-secret"
CRED = Credential("cam", USER, PASSWORD)
_names = itertools.count()


def new_device(
    sim: Simulator,
    kind: DeviceKind = DeviceKind.VIDEO_SURVEILLANCE,
    **behaviour: object,
) -> tuple[Device, SimDevice]:
    simulated = SimDevice(f"d{next(_names)}", username=USER, password=PASSWORD)
    for k, v in behaviour.items():
        setattr(simulated, k, v)
    endpoint = sim.add(simulated)
    device = Device(
        id=simulated.name, kind=kind, endpoint=endpoint, protocol="onvif", credential_ref="cam"
    )
    return device, simulated


def run_probe(
    device: Device, credential: Credential | None = CRED, timeout: float = 3.0
) -> DeviceStatus:
    return asyncio.run(probe(device, credential, timeout))


def test_the_plugin_provides_the_adapter() -> None:
    (adapter,) = campus_security_device_adapters()
    assert adapter is ADAPTER and adapter.protocols == ("onvif",)
    assert DeviceKind.VIDEO_SURVEILLANCE in adapter.kinds
    assert "onvif" in {a.name for a in PluginManager().device_adapters()}


def test_healthy_camera_reports_itself_and_its_clock(sim: Simulator) -> None:
    device, simulated = new_device(sim)
    status = run_probe(device)
    assert status.reachable and status.fault is None, status.fault
    assert (status.manufacturer, status.model, status.firmware) == (
        simulated.manufacturer,
        simulated.model,
        simulated.firmware,
    )
    assert status.clock_offset is not None and abs(status.clock_offset) <= 1.0
    assert status.probed_at.tzinfo is not None
    ops = simulated.requests
    assert ops["GetProfiles"] == ops["GetVideoSources"] == ops["GetDeviceInformation"] == 1
    assert simulated.auth_failures == 0


@pytest.mark.parametrize("offset", [600.0, -3600.0, 86400.0 * 400])
def test_wrong_clock_is_measured_and_the_device_still_authenticates(
    sim: Simulator, offset: float
) -> None:
    device, simulated = new_device(sim, clock_offset=offset)
    status = run_probe(device)
    assert status.reachable and status.fault is None, status.fault
    assert status.clock_offset == pytest.approx(offset, abs=1.0)
    assert simulated.auth_failures == 0  # the token's Created was shifted by the offset


def test_device_that_wants_authentication_for_its_clock(sim: Simulator) -> None:
    device, _ = new_device(sim, clock_needs_auth=True, clock_offset=-42.0)
    status = run_probe(device)
    assert status.reachable and status.fault is None
    assert status.clock_offset == pytest.approx(-42.0, abs=1.0)


def test_wrong_password_is_a_clear_fault_without_the_password(sim: Simulator) -> None:
    device, simulated = new_device(sim)
    status = run_probe(device, Credential("cam", USER, "not-the-password"))
    assert status.reachable  # the device answered: it refused the credential
    assert status.fault is not None
    assert "NotAuthorized" in status.fault.en and "'cam'" in status.fault.en
    assert "认证失败" in status.fault.zh
    assert "not-the-password" not in repr(status) and USER not in repr(status)
    assert simulated.auth_failures == 1
    assert status.clock_offset is not None  # read before authentication


def test_no_credential_at_all(sim: Simulator) -> None:
    device, _ = new_device(sim)
    status = run_probe(device, None)
    assert status.reachable and status.fault is not None
    assert "NotAuthorized" in status.fault.en and "none set" in status.fault.en


def test_slow_device_times_out_within_the_budget(sim: Simulator) -> None:
    device, _ = new_device(sim, delay=5.0)
    start = time.monotonic()
    status = run_probe(device, timeout=0.5)
    assert time.monotonic() - start < 1.5
    assert not status.reachable and status.fault is not None
    assert "GetSystemDateAndTime" in status.fault.en and "0.5 s" in status.fault.en


def test_dead_device_is_unreachable(sim: Simulator) -> None:
    device = Device(
        id="dead", kind=DeviceKind.ONE_KEY_ALARM, endpoint=sim.dead_endpoint(), protocol="onvif"
    )
    status = run_probe(device)
    assert not status.reachable and status.fault is not None
    assert "cannot connect" in status.fault.en and "无法连接" in status.fault.zh


def test_camera_without_video_source_is_faulty(sim: Simulator) -> None:
    device, _ = new_device(sim, video_sources=0)
    status = run_probe(device)
    assert status.reachable and status.fault is not None
    assert "no video source" in status.fault.en


def test_alarm_is_not_asked_for_media(sim: Simulator) -> None:
    device, simulated = new_device(sim, kind=DeviceKind.ONE_KEY_ALARM)
    status = run_probe(device)
    assert status.reachable and status.fault is None
    assert "GetProfiles" not in simulated.requests and "GetCapabilities" not in simulated.requests


def test_tls_certificate_is_verified_unless_the_device_says_not(tls_sim: Simulator) -> None:
    device, _ = new_device(tls_sim)
    assert device.endpoint is not None and device.endpoint.startswith("https://")
    status = run_probe(device)
    assert not status.reachable and status.fault is not None
    assert "TLS certificate" in status.fault.en and "verify_tls: false" in status.fault.en
    insecure = run_probe(attrs.evolve(device, verify_tls=False))
    assert insecure.reachable and insecure.fault is None


def test_insecure_device_option_of_probe_devices(tls_sim: Simulator) -> None:
    device, _ = new_device(tls_sim)
    creds = Credentials({"cam": CRED})
    strict, relaxed = (
        asyncio.run(probe_devices([device], [ADAPTER], credentials=creds, insecure_devices=i))[0]
        for i in ((), (device.id,))
    )
    assert not strict.reachable and relaxed.reachable


def test_endpoint_forms() -> None:
    assert device_service_url("10.0.0.5") == "http://10.0.0.5/onvif/device_service"
    assert (
        device_service_url("http://10.0.0.5:8000/") == "http://10.0.0.5:8000/onvif/device_service"
    )
    assert device_service_url("https://h/onvif/dev") == "https://h/onvif/dev"


def test_posix_time_zones() -> None:
    assert _posix_utc_offset("CST-8") is not None
    assert _posix_utc_offset("CST-8").total_seconds() == 8 * 3600  # type: ignore[union-attr]
    assert _posix_utc_offset("EST5EDT").total_seconds() == -5 * 3600  # type: ignore[union-attr]
    assert _posix_utc_offset("<+0530>-5:30").total_seconds() == 5.5 * 3600  # type: ignore[union-attr]
    assert _posix_utc_offset("garbage") is None


def test_importing_the_plugin_leaves_the_root_logger_alone() -> None:
    import subprocess
    import sys

    code = (
        "import logging, campus_security_onvif.conversation; r = logging.getLogger();"
        "print(len(r.handlers), r.level)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", str(logging.WARNING)]


def test_soap_envelopes_in_debug_logs_hide_the_token(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    device, _ = new_device(sim)
    with caplog.at_level(logging.DEBUG):
        status = run_probe(device)
    assert status.reachable
    assert "UsernameToken" in caplog.text  # the envelopes were logged...
    assert USER not in caplog.text and PASSWORD not in caplog.text  # ...without the token


def test_hundreds_of_devices_with_a_few_dead_slow_and_wrong_clocked(sim: Simulator) -> None:
    """The bound holds, the dead and the slow cost only their timeout, the rest report."""
    # A generous timeout: on a loaded two-core machine a healthy simulated device has been
    # seen to take over 1.6 s to answer; the slow ones (30 s) still exceed it by far.
    timeout, concurrency = 6.0, 40
    devices: list[Device] = []
    expect_clock: dict[str, float] = {}
    dead: set[str] = set()
    slow: set[str] = set()
    for i in range(300):
        if i % 60 == 7:  # 5 dead
            d = Device(
                id=f"dead{i}",
                kind=DeviceKind.VIDEO_SURVEILLANCE,
                endpoint=sim.dead_endpoint(),
                protocol="onvif",
                credential_ref="cam",
            )
            dead.add(d.id)
        elif i % 100 == 13:  # 3 slow
            d = new_device(sim, delay=30.0)[0]
            slow.add(d.id)
        elif i % 100 == 42:  # 3 wrong clocks
            d, simulated = new_device(sim, clock_offset=-900.0, delay=0.02)
            expect_clock[d.id] = simulated.clock_offset
        else:  # a little latency, so that requests overlap at the simulator
            d = new_device(sim, delay=0.02)[0]
        devices.append(d)
    sim.max_in_flight = 0
    start = time.monotonic()
    statuses = asyncio.run(
        probe_devices(
            devices,
            [ADAPTER],
            concurrency=concurrency,
            timeout=timeout,
            credentials=Credentials({"cam": CRED}),
        )
    )
    elapsed = time.monotonic() - start
    assert [s.device_id for s in statuses] == [d.id for d in devices]
    down = {s.device_id for s in statuses if not s.reachable}
    assert down == dead | slow and len(down) == 8
    for s in statuses:
        if s.device_id in down:
            assert s.fault is not None
        elif s.device_id in expect_clock:
            assert s.clock_offset == pytest.approx(expect_clock[s.device_id], abs=1.5)
        else:
            assert s.fault is None and s.clock_offset is not None and abs(s.clock_offset) < 1.5
    assert 1 < sim.max_in_flight <= concurrency
    # Bounded, not serial: the 3 slow devices alone would cost 3 timeouts one after another.
    assert elapsed < 3 * timeout, elapsed
