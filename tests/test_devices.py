"""The device-adapter SDK: credentials, bounded probing, the status file, judging devices."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import pickle
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE_ROSTER
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from campus_security import dump_roster
from campus_security.cli import _app as cli_app
from campus_security.cli import run
from campus_security.devices import (
    CLOCK_TOLERANCE,
    Credential,
    CredentialError,
    Credentials,
    DeviceAdapter,
    Secret,
    dumps_device_status,
    env_names,
    judge_devices,
    load_device_status,
    loads_device_status,
    probe_devices,
    scrub,
)
from campus_security.engine import Context, Evaluator, Status
from campus_security.errors import RosterError
from campus_security.model import Device, DeviceKind, DeviceStatus, Text
from campus_security.plugins import PluginManager
from campus_security.sdk import Citation, Standard, failed, hookimpl, passed, rule
from campus_security.testing import make_roster, make_school

T0 = dt.datetime(2024, 11, 20, 8, 0, tzinfo=dt.UTC)
ALL_KINDS = tuple(DeviceKind)


def device(i: int | str, **fields: Any) -> Device:
    values: dict[str, Any] = {
        "id": f"dev-{i}",
        "kind": DeviceKind.VIDEO_SURVEILLANCE,
        "endpoint": f"http://127.0.0.1:9/{i}",
        "protocol": "fake",
    }
    values.update(fields)
    return Device(**values)


def up(d: Device, **fields: Any) -> DeviceStatus:
    return DeviceStatus(device_id=d.id, reachable=True, probed_at=T0, **fields)


def adapter(probe: Any, name: str = "fake", kinds: tuple[DeviceKind, ...] = ALL_KINDS) -> Any:
    return DeviceAdapter(name, ["FAKE"], kinds, probe)


def run_probe(devices: Any, adapters: Any, **kw: Any) -> list[DeviceStatus]:
    return asyncio.run(probe_devices(devices, adapters, **kw))


# --- secrets and credentials ------------------------------------------------------------------


def test_secret_never_shows_itself() -> None:
    s = Secret("hunter2-long")
    assert str(s) == f"{s}" == f"{s:>5}".strip() == "***"
    assert "hunter2" not in repr(s) and s.reveal() == "hunter2-long"
    with pytest.raises(TypeError):
        pickle.dumps(s)
    c = Credential("gate", "admin-user", "hunter2-long")
    assert "admin-user" not in repr(c) and "hunter2" not in repr(c) and "gate" in repr(c)


def test_credentials_from_the_environment() -> None:
    user_var, pass_var = env_names("school-1/gate")
    assert user_var == "CAMPUS_SECURITY_CRED_SCHOOL_1_GATE_USERNAME"
    creds = Credentials(environ={user_var: "probe", pass_var: "pa55word"})
    c = creds.resolve("school-1/gate")
    assert (c.username.reveal(), c.password.reveal()) == ("probe", "pa55word")
    assert set(creds.secrets()) == {"probe", "pa55word"}


def test_missing_credential_says_where_to_set_it() -> None:
    with pytest.raises(CredentialError) as exc:
        Credentials(environ={}).resolve("gate")
    assert "CAMPUS_SECURITY_CRED_GATE_PASSWORD" in str(exc.value)
    assert "环境变量" in exc.value.message.zh


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_credentials_file_comes_before_the_environment(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"creds{suffix}"
    if suffix == ".toml":
        path.write_text('["gate"]\nusername = "file-user"\npassword = "file-pass"\n')
    else:
        path.write_text(json.dumps({"gate": {"username": "file-user", "password": "file-pass"}}))
    path.chmod(0o600)
    user_var, pass_var = env_names("gate")
    creds = Credentials.from_file(path, environ={user_var: "env-user", pass_var: "env-pass"})
    assert creds.resolve("gate").password.reveal() == "file-pass"
    assert creds.warnings == []
    path.chmod(0o644)
    assert Credentials.from_file(path).warnings  # readable by others: warned


def test_bad_credentials_file_does_not_echo_its_content(tmp_path: Path) -> None:
    path = tmp_path / "creds.toml"
    path.write_text('["gate"]\nusername = "u"\npassword = "sup3r-s3cret\n')  # unterminated
    with pytest.raises(CredentialError) as exc:
        Credentials.from_file(path)
    assert "sup3r" not in str(exc.value) and str(path) in str(exc.value)
    path.write_text('["gate"]\nusername = "u"\n')
    with pytest.raises(CredentialError, match="needs string username and password"):
        Credentials.from_file(path)


def test_scrub_replaces_longest_first() -> None:
    assert scrub("pw=abcdef and abcd", ["abcd", "abcdef"]) == "pw=*** and ***"
    assert scrub("a b c", ["a"]) == "a b c"  # too short to scrub without mangling text


# --- probing --------------------------------------------------------------------------------------


def test_concurrency_is_bounded_and_order_kept() -> None:
    in_flight = peak = 0

    async def probe(d: Device, credential: Credential | None, timeout: float) -> DeviceStatus:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.002)
        in_flight -= 1
        return up(d)

    devices = [device(i) for i in range(400)]
    seen: list[str] = []
    statuses = run_probe(
        devices, [adapter(probe)], concurrency=25, on_status=lambda s: seen.append(s.device_id)
    )
    assert [s.device_id for s in statuses] == [d.id for d in devices]
    assert peak == 25 and sorted(seen) == sorted(d.id for d in devices)


def test_slow_and_failing_devices_do_not_stall_or_fail_the_rest() -> None:
    async def probe(d: Device, credential: Credential | None, timeout: float) -> DeviceStatus:
        if d.id.endswith("-hang"):
            await asyncio.sleep(3600)
        if d.id.endswith("-boom"):
            raise ConnectionRefusedError("connection refused")
        if d.id.endswith("-junk"):
            return "not a status"  # type: ignore[return-value]
        return up(d)

    devices = [device(f"{i}-hang" if i % 7 == 0 else i) for i in range(60)]
    devices += [device("x-boom"), device("x-junk")]
    start = time.monotonic()
    statuses = {s.device_id: s for s in run_probe(devices, [adapter(probe)], timeout=0.3)}
    assert time.monotonic() - start < 3 * 0.3 + 1.0  # 9 hung devices, all at once
    hung = [s for i, s in statuses.items() if i.endswith("-hang")]
    assert len(hung) == 9
    assert all(not s.reachable and s.fault and "0.3 s" in s.fault.en for s in hung)
    boom = statuses["dev-x-boom"]
    assert not boom.reachable and boom.fault is not None
    assert "ConnectionRefusedError" in boom.fault.en
    assert "invalid status" in statuses["dev-x-junk"].fault.en  # type: ignore[union-attr]
    assert sum(s.reachable for s in statuses.values()) == 60 - 9


def test_devices_that_cannot_be_probed_say_why() -> None:
    async def probe(d: Device, credential: Credential | None, timeout: float) -> DeviceStatus:
        raise AssertionError("must not be called")

    devices = [
        device("no-endpoint", endpoint=None),
        device("userinfo", endpoint="http://admin:pw@10.0.0.1/"),
        device("other", protocol="gb28181"),
        device("kind", kind=DeviceKind.ELECTRONIC_PATROL),
        device("cred", credential_ref="missing"),
    ]
    only_video = adapter(probe, kinds=(DeviceKind.VIDEO_SURVEILLANCE,))
    statuses = run_probe(devices, [only_video], credentials=Credentials(environ={}))
    assert all(not s.reachable and s.fault is not None for s in statuses)
    en = [s.fault.en for s in statuses if s.fault is not None]
    assert "no endpoint" in en[0]
    assert "must not hold credentials" in en[1] and "pw" not in en[1].replace("pwd", "")
    assert "no device adapter handles protocol 'gb28181'" in en[2]
    assert "electronic_patrol" in en[3]
    assert "CAMPUS_SECURITY_CRED_MISSING_USERNAME" in en[4]


def test_credential_and_tls_choice_reach_the_adapter() -> None:
    got: dict[str, tuple[Credential | None, bool, float]] = {}

    async def probe(d: Device, credential: Credential | None, timeout: float) -> DeviceStatus:
        got[d.id] = (credential, d.verify_tls, timeout)
        return up(d)

    user_var, pass_var = env_names("cam")
    creds = Credentials(environ={user_var: "u1234", pass_var: "p1234"})
    devices = [device("a", credential_ref="cam"), device("b"), device("c", verify_tls=False)]
    run_probe(devices, [adapter(probe)], credentials=creds, insecure_devices=["dev-b"], timeout=5)
    assert got["dev-a"][0] == Credential("cam", "u1234", "p1234") and got["dev-a"][1]
    assert got["dev-b"][0] is None and got["dev-b"][1] is False
    assert got["dev-c"][1] is False
    assert 0 < got["dev-a"][2] < 5  # the adapter gets a budget inside the hard limit


def test_adapters_are_prepared_once_outside_the_timeouts() -> None:
    calls: list[str] = []

    async def probe(d: Device, credential: Credential | None, timeout: float) -> DeviceStatus:
        return up(d)

    async def slow_prepare() -> None:
        calls.append("slow")
        await asyncio.sleep(0.3)  # longer than a device's timeout: not charged to devices

    async def broken_prepare() -> None:
        calls.append("broken")
        raise ImportError("no module named vendor_sdk")

    async def unused_prepare() -> None:
        calls.append("unused")

    adapters = [
        DeviceAdapter("slow", ["fake"], ALL_KINDS, probe, prepare=slow_prepare),
        DeviceAdapter("broken", ["other"], ALL_KINDS, probe, prepare=broken_prepare),
        DeviceAdapter("unused", ["nobody"], ALL_KINDS, probe, prepare=unused_prepare),
    ]
    devices = [device(i) for i in range(5)] + [device("o", protocol="other")]
    statuses = run_probe(devices, adapters, timeout=0.1)
    assert sorted(calls) == ["broken", "slow"]
    assert all(s.reachable for s in statuses[:5])
    fault = statuses[5].fault
    assert fault is not None and "broken could not get ready" in fault.en
    assert "ImportError" in fault.en


def test_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="concurrency"):
        run_probe([], [], concurrency=0)
    with pytest.raises(ValueError, match="timeout"):
        run_probe([], [], timeout=float("nan"))
    assert run_probe([], []) == []


# --- the status file -----------------------------------------------------------------------------


def test_status_file_round_trip(tmp_path: Path) -> None:
    a, b = device("a"), device("b")
    statuses = [
        up(a, manufacturer="Acme", model="X1", firmware="1.2", clock_offset=-3.5),
        DeviceStatus(b.id, False, T0, fault=Text("不可达", "unreachable")),
    ]
    path = tmp_path / "status.json"
    path.write_bytes(dumps_device_status(statuses, T0))
    doc = json.loads(path.read_text())
    assert doc["format"] == "campus-security/device-status" and doc["version"] == "1.1"
    assert doc["probed_at"] == T0.isoformat()
    assert doc["statuses"][1] == {
        "device_id": "dev-b",
        "reachable": False,
        "probed_at": T0.isoformat(),
        "fault": {"zh": "不可达", "en": "unreachable"},
    }
    assert load_device_status(path) == {s.device_id: s for s in statuses}


def test_status_file_problems_are_all_reported_with_paths() -> None:
    doc = {
        "format": "campus-security/device-status",
        "version": "9.9",
        "probed_at": "2024-11-20T08:00:00",
        "statuses": [
            {"device_id": "a", "reachable": "yes", "probed_at": T0.isoformat()},
            {"device_id": "b", "reachable": True, "probed_at": T0.isoformat(), "extra": 1},
            {"device_id": "c", "reachable": True, "probed_at": T0.isoformat()},
            {"device_id": "c", "reachable": True, "probed_at": T0.isoformat()},
        ],
        "surprise": True,
    }
    with pytest.raises(RosterError) as exc:
        loads_device_status(json.dumps(doc), source="s.json")
    paths = {p.path for p in exc.value.problems}
    assert paths == {
        "version",
        "surprise",
        "probed_at",
        "statuses[0].reachable",
        "statuses[1].extra",
        "statuses[3].device_id",
    }
    with pytest.raises(RosterError, match="not a device-status file"):
        loads_device_status(b'{"format": "campus-security/roster"}')
    with pytest.raises(RosterError, match="not valid JSON"):
        loads_device_status(b"{")
    with pytest.raises(RosterError, match="cannot read"):
        load_device_status("/nonexistent/status.json")


# --- judging --------------------------------------------------------------------------------------


def test_judge_devices() -> None:
    cams = [device(i) for i in range(5)]
    alarm = device("alarm", kind=DeviceKind.ONE_KEY_ALARM)
    school = make_school(devices=[*cams, alarm])
    statuses = {
        cams[0].id: up(cams[0], clock_offset=CLOCK_TOLERANCE),  # at the tolerance: fine
        cams[1].id: up(cams[1], clock_offset=-CLOCK_TOLERANCE - 0.1),
        cams[2].id: DeviceStatus(cams[2].id, False, T0, fault=Text("断", "down")),
        cams[3].id: up(cams[3], fault=Text("认证失败", "auth failed")),
        alarm.id: DeviceStatus(alarm.id, False, T0),
    }
    ctx = Context(on=T0.date(), device_status=statuses)
    j = judge_devices(school, ctx, [DeviceKind.VIDEO_SURVEILLANCE])
    assert j.devices == tuple(c.id for c in cams)
    assert j.unreachable == (cams[2].id,)
    assert j.clock_off == ((cams[1].id, -CLOCK_TOLERANCE - 0.1),)
    assert j.unverified == (cams[3].id,) and j.unprobed == (cams[4].id,)
    assert j.failing == (cams[2].id, cams[1].id) and not j.ok and j.probed
    assert "探测不可达：dev-2" in j.summary().zh and "(-10 s)" in j.summary().en
    assert j.evidence()["clock_off"] == {cams[1].id: -10.1}
    assert judge_devices(
        school, ctx, [DeviceKind.VIDEO_SURVEILLANCE], clock_tolerance=60
    ).failing == (cams[2].id,)
    unprobed = judge_devices(school, Context(on=T0.date()), ALL_KINDS)
    assert unprobed.ok and not unprobed.probed and len(unprobed.unprobed) == 6


def test_judge_devices_narrowed_to_some_devices() -> None:
    cams = [device(i) for i in range(4)]
    alarm = device("alarm", kind=DeviceKind.ONE_KEY_ALARM)
    school = make_school(devices=[*cams, alarm])
    statuses = {
        cams[0].id: DeviceStatus(cams[0].id, False, T0, fault=Text("断", "down")),
        cams[1].id: up(cams[1], clock_offset=CLOCK_TOLERANCE + 1),
        cams[2].id: up(cams[2], fault=Text("认证失败", "auth failed")),
        alarm.id: DeviceStatus(alarm.id, False, T0),
    }
    ctx = Context(on=T0.date(), device_status=statuses)
    video = (DeviceKind.VIDEO_SURVEILLANCE,)
    # Given out of order, judged in roster order; cams[0] (unreachable) is left out.
    j = judge_devices(school, ctx, video, [cams[3], cams[2], cams[1]])
    assert j.devices == (cams[1].id, cams[2].id, cams[3].id)
    assert j.unreachable == () and set(j.faults) == {cams[2].id}
    assert j.clock_off == ((cams[1].id, CLOCK_TOLERANCE + 1),)
    assert j.unverified == (cams[2].id,) and j.unprobed == (cams[3].id,)
    # Devices of other kinds are not judged even when given.
    assert judge_devices(school, ctx, video, [alarm, cams[3]]).devices == (cams[3].id,)
    # The same as narrowing the full judgement.
    full = judge_devices(school, ctx, video)
    assert judge_devices(school, ctx, video, cams) == full
    # Nothing to judge.
    empty = judge_devices(school, ctx, video, [])
    assert empty.devices == () and empty.ok and not empty.probed
    # No statuses at all: every selected device unprobed, nothing fails.
    none = judge_devices(school, Context(on=T0.date()), video, [cams[2], cams[0]])
    assert none.devices == none.unprobed == (cams[0].id, cams[2].id)
    assert none.ok and not none.failing and none.faults == {}
    assert none.tolerance == CLOCK_TOLERANCE


DOC = "测试〔2024〕1号"


@rule(
    "probe.video-online",
    title=("视频监控在线", "video online"),
    citation=Citation(DOC, "三（一）4"),
    devices=(DeviceKind.VIDEO_SURVEILLANCE,),
)
def video_online(school: Any, ctx: Context) -> Any:
    j = judge_devices(school, ctx, (DeviceKind.VIDEO_SURVEILLANCE,))
    if j.ok:
        return passed("视频监控探测通过", "video probe passed", **j.evidence())
    return failed("视频监控：{zh}", "video: {en}", zh=j.summary().zh, en=j.summary().en)


STANDARD = Standard(
    id="probe",
    title=Text("测试", "test"),
    document=DOC,
    issued_by=Text("测试", "test"),
    jurisdiction=["110000"],
    in_force_from=dt.date(2020, 1, 1),
    rules=[video_online],
)


def test_rules_read_statuses_through_the_evaluator() -> None:
    cam = device("cam")
    school = make_school(devices=[cam])
    on = T0.date()
    without = Evaluator([STANDARD], on).school(school)
    assert without.findings[0].status is Status.PASS
    dead = {cam.id: DeviceStatus(cam.id, False, T0)}
    finding = Evaluator([STANDARD], on, device_status=dead).school(school).findings[0]
    assert finding.status is Status.FAIL and "探测不可达" in finding.message.zh


# --- the command line, and no secret anywhere ---------------------------------------


class _FakePlugin:
    """A device-adapter plugin whose probe tries hard to leak the credential."""

    @staticmethod
    async def probe(d: Device, credential: Credential | None, timeout: float) -> DeviceStatus:
        assert credential is not None
        pw, user = credential.password.reveal(), credential.username.reveal()
        if d.id.endswith("raise"):
            raise PermissionError(f"login {user}:{pw} refused")
        if d.id.endswith("hang"):
            await asyncio.sleep(3600)
        return up(
            d, model=f"model {pw}", fault=Text(f"口令 {pw} 错误", f"password {pw} for {user}")
        )

    @hookimpl
    def campus_security_device_adapters(self) -> list[DeviceAdapter]:
        return [DeviceAdapter("leaky", ["fake"], ALL_KINDS, self.probe)]

    @hookimpl
    def campus_security_standards(self) -> list[Standard]:
        return [STANDARD]


@pytest.fixture
def fake_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    real = cli_app.load_plugins

    def load(block: Any) -> PluginManager:
        pm = real(block)
        pm.register(_FakePlugin(), "fake")
        return pm

    for module in ("campus_security.cli.devices", "campus_security.cli.check"):
        monkeypatch.setattr(f"{module}.load_plugins", load)


def _roster(tmp_path: Path) -> Path:
    school = make_school(
        region_code="110101",
        devices=[device("ok", credential_ref="cam"), device("raise", credential_ref="cam")],
    )
    other = make_school(region_code="110102", devices=[device("hang", credential_ref="cam")])
    path = tmp_path / "roster.json"
    dump_roster(make_roster(school, other), path)
    return path


def _probe_cli(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    user: str,
    password: str,
    timeout: float = 0.3,
) -> tuple[int, str, bytes]:
    creds = tmp_path / "creds.json"
    creds.write_text(json.dumps({"cam": {"username": user, "password": password}}))
    os.chmod(creds, 0o600)
    out_file = tmp_path / "status.json"
    code = run(
        [
            "devices",
            "probe",
            str(_roster(tmp_path)),
            "--credentials",
            str(creds),
            "--timeout",
            str(timeout),
            "-v",
            "-o",
            str(out_file),
        ]
    )
    out, err = capsys.readouterr()
    return code, out + err, out_file.read_bytes()


def test_probe_command_writes_statuses_and_check_uses_them(
    fake_plugins: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, output, data = _probe_cli(tmp_path, capsys, "probe-user", "s3cret-pass")
    assert code == 1  # a device did not answer
    # dev-ok answered with a fault: unverified, not up
    assert "dev-hang" in output and "3 device(s): 0 up, 1 unverified, 2 down" in output
    statuses = loads_device_status(data)
    assert statuses["dev-ok"].reachable and not statuses["dev-hang"].reachable
    status_file = tmp_path / "status.json"
    roster = tmp_path / "roster.json"
    code = run(["check", str(roster), "--on", "2024-11-20", "--format", "json",
                "--device-status", str(status_file), "--standard", "probe"])  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    by_school = {f["school_id"]: f for f in report["findings"]}
    assert {f["status"] for f in by_school.values()} == {"fail"}
    assert all(
        f["citation"] == {"document": DOC, "clause": "三（一）4"} for f in report["findings"]
    )
    code = run(["check", str(roster), "--on", "2024-11-20", "--standard", "probe"])
    assert code == 0  # without a status file: the declaration, as before
    capsys.readouterr()
    assert run(["check", str(roster), "--device-status", str(roster)]) == 2
    assert "not a device-status file" in capsys.readouterr().err


def test_insecure_device_must_name_a_roster_device(
    fake_plugins: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["devices", "probe", str(_roster(tmp_path)), "--insecure-device", "nope"])
    assert code == 2 and "nope" in capsys.readouterr().err
    code = run(["devices", "probe", str(_roster(tmp_path)), "--credentials", "/nonexistent.toml"])
    assert code == 2 and "cannot read the credentials file" in capsys.readouterr().err


_PLAIN_OUTPUT: list[str] = []

_secret_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Z")),
    min_size=8,
    max_size=40,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(user=_secret_text, password=_secret_text)
def test_no_secret_in_any_output(
    fake_plugins: None,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    user: str,
    password: str,
) -> None:
    tmp = tmp_path_factory.mktemp("leak")
    if not _PLAIN_OUTPUT:  # what the output holds anyway, with harmless credentials
        code, output, data = _probe_cli(tmp, capsys, "u-placeholder", "p-placeholder", 0.1)
        _PLAIN_OUTPUT.append(output + data.decode("utf-8"))
    # A secret that the output holds whatever the credentials (say "statuses", a JSON
    # key) proves nothing either way.
    for secret in (user, password):
        assume(secret not in _PLAIN_OUTPUT[0])
        assume(json.dumps(secret, ensure_ascii=False)[1:-1] not in _PLAIN_OUTPUT[0])
    code, output, data = _probe_cli(tmp, capsys, user, password, timeout=0.1)
    assert code == 1
    text = output + data.decode("utf-8")
    assert password not in text and user not in text
    for secret in (user, password):  # nor JSON-escaped
        assert json.dumps(secret, ensure_ascii=False)[1:-1] not in text


def test_stale_statuses_boundaries_in_china_time() -> None:
    import datetime as dt

    from campus_security.devices import STATUS_MAX_AGE_DAYS, stale_statuses
    from campus_security.model import DeviceStatus

    on = dt.date(2024, 11, 20)
    utc = dt.UTC

    def at(y: int, m: int, d: int, h: int) -> DeviceStatus:
        return DeviceStatus("x", True, dt.datetime(y, m, d, h, tzinfo=utc))

    # 15:59 UTC is 23:59 in China on the evaluation date; 16:00 UTC is already the next day.
    assert stale_statuses({"a": at(2024, 11, 20, 15)}, on) == ([], [])
    assert stale_statuses({"a": at(2024, 11, 20, 16)}, on) == (["a"], [])
    edge = on - dt.timedelta(days=STATUS_MAX_AGE_DAYS)
    assert stale_statuses({"a": at(edge.year, edge.month, edge.day, 4)}, on) == ([], [])
    older = edge - dt.timedelta(days=1)
    assert stale_statuses({"a": at(older.year, older.month, older.day, 4)}, on) == ([], ["a"])


def test_devices_without_an_address_are_not_probed_not_down(capsys, tmp_path: Path) -> None:
    """Issue 12: a probe of the demo roster (no endpoints) turned 68 failures into 104."""
    status_file = tmp_path / "status.json"
    code = run(["devices", "probe", str(EXAMPLE_ROSTER), "-o", str(status_file)])
    err = capsys.readouterr().err
    assert code == 1  # every device has a problem: it could not be probed
    statuses = load_device_status(status_file)
    assert statuses and all(not s.probed and not s.reachable for s in statuses.values())
    assert f"{len(statuses)} not probed" in err and " 0 down" in err
    assert "未探测 / not probed" in err

    def fails(*extra: str) -> int:
        out = tmp_path / "report.json"
        run(["check", str(EXAMPLE_ROSTER), "--on", "2024-11-20", "--format", "json",
             "-o", str(out), *extra])  # fmt: skip
        capsys.readouterr()
        return json.loads(out.read_bytes())["summary"]["fail"]

    assert fails("--device-status", str(status_file)) == fails()


def test_a_not_probed_status_reads_back_and_is_judged_by_the_declaration(tmp_path: Path) -> None:
    a = device("a")
    status = DeviceStatus(a.id, False, T0, fault=Text("无地址", "no endpoint"), probed=False)
    doc = json.loads(dumps_device_status([status], T0))
    assert doc["statuses"][0]["probed"] is False
    assert loads_device_status(json.dumps(doc)) == {a.id: status}
    school = make_school(region_code="110101", devices=[a])
    ctx = Context(on=T0.date(), device_status={a.id: status})
    judged = judge_devices(school, ctx, (a.kind,))
    assert judged.ok and judged.unprobed == (a.id,) and judged.faults == {a.id: status.fault}
