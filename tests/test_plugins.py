from __future__ import annotations

import importlib.metadata

import pytest
from conftest import entry_points_of as _eps

from campus_security import plugins as plugins_module
from campus_security.plugins import PluginManager
from campus_security.sdk import hookimpl


@pytest.fixture
def pm() -> PluginManager:
    return PluginManager(load_entrypoints=False)


def test_installed_plugins_are_found_through_entry_points() -> None:
    pm = PluginManager()
    assert "cangzhou" in pm.plugin_names
    assert "cangzhou" in {s.id for s in pm.standards()}
    assert not pm.failures


def test_entry_point_discovery(fake_entry_points) -> None:
    fake_entry_points(goodland="fakeplugins.good")
    pm = PluginManager()
    assert pm.plugin_names == ("goodland",)
    assert [s.id for s in pm.standards()] == ["goodland"]


def test_a_plugin_that_fails_to_import_is_reported_and_others_load(fake_entry_points) -> None:
    fake_entry_points(broken="fakeplugins.broken_import", goodland="fakeplugins.good")
    pm = PluginManager()
    assert [s.id for s in pm.standards()] == ["goodland"]
    (failure,) = pm.failures
    assert failure.plugin == "broken" and failure.stage == "load"
    assert "frobnicate" in failure.message.en and "插件无法导入" in failure.message.zh


def test_a_hook_that_raises_is_isolated(fake_entry_points) -> None:
    fake_entry_points(bad="fakeplugins.broken_hook", goodland="fakeplugins.good")
    pm = PluginManager()
    assert [s.id for s in pm.standards()] == ["goodland"]
    (failure,) = pm.failures
    assert (failure.plugin, failure.stage) == ("bad", "campus_security_standards")
    assert "rule file unreadable" in failure.message.en


def test_a_hook_returning_the_wrong_type_is_reported(fake_entry_points) -> None:
    fake_entry_points(wrong="fakeplugins.wrong_type", goodland="fakeplugins.good")
    pm = PluginManager()
    assert [s.id for s in pm.standards()] == ["goodland"]
    assert "not a Standard" in pm.failures[0].message.en


def test_a_misspelt_hook_is_an_error_not_a_no_op(fake_entry_points) -> None:
    fake_entry_points(typo="fakeplugins.typo", goodland="fakeplugins.good")
    pm = PluginManager()
    assert pm.plugin_names == ("goodland",)
    (failure,) = pm.failures
    assert failure.plugin == "typo" and "campus_security_standard" in failure.message.en


def test_duplicate_standard_names_both_plugins(fake_entry_points) -> None:
    fake_entry_points(first="fakeplugins.good", second="fakeplugins.dupe")
    pm = PluginManager()
    assert [s.id for s in pm.standards()] == ["goodland"]
    (failure,) = pm.failures
    assert failure.plugin == "second"
    assert "first" in failure.message.en and "goodland" in failure.message.en
    assert "first" in failure.message.zh


def test_blocking_a_plugin_by_name(fake_entry_points) -> None:
    fake_entry_points(goodland="fakeplugins.good", bad="fakeplugins.broken_import")
    pm = PluginManager(block=["bad", "goodland"])
    assert pm.plugin_names == () and not pm.failures


def test_registering_in_code(pm: PluginManager) -> None:
    import fakeplugins.good as good

    assert pm.register(good, "mine")
    assert [s.id for s in pm.standards()] == ["goodland"]


def test_registering_an_object_with_hook_methods(pm: PluginManager) -> None:
    import fakeplugins.good as good

    class App:
        @hookimpl
        def campus_security_standards(self):
            return [good.STANDARD]

    pm.register(App(), "app")
    assert pm.standards()[0].id == "goodland"


def test_device_adapters_hook_is_collected(pm: PluginManager) -> None:
    from campus_security.devices import DeviceAdapter
    from campus_security.model import Device, DeviceKind

    async def probe(device, credential, timeout):  # pragma: no cover - not called here
        raise AssertionError

    class Vendor:
        @hookimpl
        def campus_security_device_adapters(self):
            return [DeviceAdapter("acme", ["acme-http"], [DeviceKind.ONE_KEY_ALARM], probe)]

    pm.register(Vendor(), "vendor")
    (adapter,) = pm.device_adapters()
    assert adapter.name == "acme" and adapter.protocols == ("acme-http",)
    assert adapter.handles(Device(id="d", kind=DeviceKind.ONE_KEY_ALARM, protocol="ACME-HTTP"))
    assert not adapter.handles(Device(id="d", kind=DeviceKind.ONE_KEY_ALARM))


def test_every_hook_is_documented() -> None:
    from campus_security import hookspecs

    pm = PluginManager(load_entrypoints=False)
    hooks = [h for h in dir(pm.pm.hook) if h.startswith("campus_security_")]
    assert hooks
    for name in hooks:
        doc = getattr(hookspecs, name).__doc__ or ""
        assert "Example" in doc and "Called" in doc, name


# --- which distribution provides each plugin ---------------------------------------------


def test_installed_versions_name_each_plugins_distribution() -> None:
    found = plugins_module.installed_versions()
    assert found["cangzhou"] == plugins_module.PluginVersion(
        "cangzhou",
        "campus-security-cangzhou",
        importlib.metadata.version("campus-security-cangzhou"),
    )
    assert list(found) == sorted(found)
    assert {v.plugin for v in found.values()} == set(found)
    for v in found.values():  # every plugin of this repository is installed from its wheel
        assert v.distribution is not None and v.distribution.startswith("campus-security-")
        assert v.version == importlib.metadata.version(v.distribution)


def test_installed_versions_import_no_plugin(fake_entry_points) -> None:
    # A plugin that cannot even be imported is still listed (without a distribution:
    # a fake entry point belongs to none).
    fake_entry_points(broken="fakeplugins.broken_import")
    assert plugins_module.installed_versions() == {
        "broken": plugins_module.PluginVersion("broken", None, None)
    }


def test_manager_versions_cover_registered_plugins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    real = {ep.name: ep for ep in importlib.metadata.entry_points(group="campus_security")}
    eps = [
        real["cangzhou"],
        *_eps(broken="fakeplugins.broken_import", goodland="fakeplugins.good"),
    ]
    monkeypatch.setattr(plugins_module.importlib.metadata, "entry_points", lambda group: eps)
    pm = PluginManager(block=["goodland"])
    from fakeplugins import dupe

    assert pm.register(dupe, "in-code")
    versions = pm.versions()
    assert set(versions) == {"cangzhou", "in-code"}  # not the broken one, not the blocked one
    assert versions["cangzhou"].distribution == "campus-security-cangzhou"
    assert versions["cangzhou"].version == importlib.metadata.version("campus-security-cangzhou")
    assert versions["in-code"] == plugins_module.PluginVersion("in-code", None, None)
    assert str(versions["in-code"]) == "in-code (registered in code / 代码注册)"
    assert str(versions["cangzhou"]).startswith("cangzhou (campus-security-cangzhou ")
