"""Jiangsu rules 12-16: technical defence (三（一）4, 附件 八项措施 四)."""

from __future__ import annotations

from campus_security.sdk import (
    Context,
    DeviceKind,
    Outcome,
    Placement,
    School,
    failed,
    judge_devices,
    passed,
    rule,
)

from ._common import (
    _TOL,
    C_3_1_4,
    END_2019,
    END_2022,
    _devices,
    _probe_note,
    _select,
    _working,
)

# --- 12-16: technical defence (三（一）4, 附件 八项措施 四) -----------------------------------


@rule(
    "jiangsu.one-key-alarm",
    title=("门卫值班室一键式紧急报警", "one-key emergency alarm in the gatehouse"),
    citation=C_3_1_4,
    binding_from=END_2019,
    passes=(
        "门卫值班室设有可用的一键式紧急报警装置",
        "a working one-key alarm is placed in the gatehouse",
    ),
    fails=(
        f"门卫值班室无一键式紧急报警装置（未注明位置、在别处、探测不可达或时钟偏差超过{_TOL}秒的不计）",
        "no one-key alarm in the gatehouse (unplaced, elsewhere, unreachable or off-clock ones "
        "do not count)",
    ),
    devices=(DeviceKind.ONE_KEY_ALARM,),
)
def one_key_alarm(school: School, ctx: Context) -> Outcome:
    """「在门卫值班室设置一键式紧急报警装置」, 100 % 达标 by 2019-12-31."""
    ok, probe = _devices(school, ctx, DeviceKind.ONE_KEY_ALARM, (Placement.GATEHOUSE,))
    elsewhere = [
        d.id
        for d in school.devices
        if d.kind is DeviceKind.ONE_KEY_ALARM and d.placement is not Placement.GATEHOUSE
    ]
    ev = {"devices": [d.id for d in ok], "not_in_gatehouse": elsewhere, "probe": probe.evidence()}
    if ok:
        return passed(
            "门卫值班室设有一键式紧急报警：{ids}",
            "one-key alarm in the gatehouse: {ids}",
            ids=", ".join(ev["devices"]),
            **ev,
        )
    pz, pe = _probe_note(probe, paren=False)
    return failed(
        "门卫值班室无可用的一键式紧急报警装置（位置不在门卫值班室或未注明：{e}{pz}）",
        "no working one-key alarm placed in the gatehouse (placement not the gatehouse or not "
        "given: {e}{pe})",
        pz=pz,
        pe=pe,
        e=", ".join(elsewhere) or "-",
        **ev,
    )


VIDEO_PLACEMENTS = (Placement.GATE, Placement.KEY_AREA, Placement.CROWD_AREA)


@rule(
    "jiangsu.video-surveillance",
    title=(
        "校门口、重要部位及人员聚集场所视频监控",
        "video at the gate, key areas and crowd areas",
    ),
    citation=C_3_1_4,
    binding_from=END_2019,
    passes=(
        "校门口、重要部位、人员聚集场所均有可用的视频监控",
        "working cameras at the gate, at key areas and at crowd areas",
    ),
    fails=(
        f"校门口、重要部位或人员聚集场所缺少可用的视频监控（探测不可达或时钟偏差超过{_TOL}秒的不计）",
        "no working camera at the gate, at key areas or at crowd areas (unreachable or "
        "off-clock ones do not count)",
    ),
    devices=(DeviceKind.VIDEO_SURVEILLANCE,),
)
def video_surveillance(school: School, ctx: Context) -> Outcome:
    """「在校门口、重要部位及人员聚集场所安装视频图像采集装置」 (附件 八项措施 四).

    Dated by 三（一）4 「视频监控系统达标率达到100%」.
    """
    ok, probe = _devices(school, ctx, DeviceKind.VIDEO_SURVEILLANCE, VIDEO_PLACEMENTS)
    found = {p.value: [d.id for d in ok if d.placement is p] for p in VIDEO_PLACEMENTS}
    missing = [p for p in VIDEO_PLACEMENTS if not found[p.value]]
    ev = {"found": found, "missing": [p.value for p in missing], "probe": probe.evidence()}
    if not missing:
        return passed(
            "校门口、重要部位、人员聚集场所均有视频监控",
            "cameras at the gate, key areas and crowd areas",
            **ev,
        )
    pz, pe = _probe_note(probe, paren=True)
    return failed(
        "缺少视频监控的位置：{zh}{pz}",
        "no working camera at: {en}{pe}",
        zh="、".join(p.zh for p in missing),
        en=", ".join(p.value for p in missing),
        pz=pz,
        pe=pe,
        **ev,
    )


@rule(
    "jiangsu.police-link",
    title=(
        "一键报警和重要部位视频与公安联网",
        "alarm and key-area video linked to the police",
    ),
    citation=C_3_1_4,
    binding_from=END_2019,
    passes=(
        "有一键式紧急报警和校门口、重要部位或人员聚集场所视频，且均与公安机关联网",
        "a one-key alarm and gate, key-area or crowd-area video exist, all linked to the police",
    ),
    fails=(
        f"缺少一键式紧急报警或上述视频，或其中有设备未与公安机关联网、探测不可达或时钟偏差超过{_TOL}秒",
        "no one-key alarm or no such video, or one of them is not linked to the police, "
        "probed unreachable or off-clock",
    ),
    devices=(DeviceKind.ONE_KEY_ALARM, DeviceKind.VIDEO_SURVEILLANCE),
)
def police_link(school: School, ctx: Context) -> Outcome:
    """「校园一键式紧急报警系统和重要部位视频监控与公安机关联网率达到100%」.

    Also 二(四) and 附件 八项措施 四 「并接入公安机关监控报警平台」.
    """
    declared_alarms = _select(school, DeviceKind.ONE_KEY_ALARM)
    declared_video = _select(school, DeviceKind.VIDEO_SURVEILLANCE, VIDEO_PLACEMENTS)
    # Every judged alarm and camera must answer with a right clock: a dead or off-clock
    # device is not 联网 (module docstring), even when another one still counts.
    linked = (DeviceKind.ONE_KEY_ALARM, DeviceKind.VIDEO_SURVEILLANCE)
    probe = judge_devices(school, ctx, linked, [*declared_alarms, *declared_video])
    alarms = _working(declared_alarms, probe)
    video = _working(declared_video, probe)
    unlinked = [d.id for d in (*alarms, *video) if not d.linked_to_police]
    missing = []
    if not alarms:
        missing.append(("一键式紧急报警", "one-key alarm"))
    if not video:
        missing.append(("校门口、重要部位或人员聚集场所视频", "gate, key-area or crowd-area video"))
    ev = {
        "alarms": [d.id for d in alarms],
        "video": [d.id for d in video],
        "unlinked": unlinked,
        "missing": [m[1] for m in missing],
        "probe": probe.evidence(),
    }
    if not missing and not unlinked and not probe.failing:
        return passed(
            "一键式紧急报警{a}台、视频{v}路均与公安机关联网",
            "{a} one-key alarm(s) and {v} camera(s), all linked to the police",
            a=len(alarms),
            v=len(video),
            **ev,
        )
    pz, pe = _probe_note(probe, paren=False)
    return failed(
        "缺少：{mz}；未联网：{ul}{pz}",
        "missing: {me}; not linked: {ul}{pe}",
        mz="、".join(m[0] for m in missing) or "无",
        me=", ".join(m[1] for m in missing) or "none",
        ul=", ".join(unlinked) or "-",
        pz=pz,
        pe=pe,
        **ev,
    )


@rule(
    "jiangsu.police-camera",
    title=("校门外公安自建探头", "police camera outside the gate"),
    citation=C_3_1_4,
    binding_from=END_2019,
    passes=("校门外有可用的公安自建探头", "a working police camera outside the gate"),
    fails=(
        f"校门外无可用的公安自建探头（探测不可达或时钟偏差超过{_TOL}秒的不计）",
        "no working police camera outside the gate (unreachable or off-clock ones do not count)",
    ),
    devices=(DeviceKind.POLICE_CAMERA,),
)
def police_camera(school: School, ctx: Context) -> Outcome:
    """「学校门外一定区域公安自建探头安装率达到100%」 (also 附件 八项措施 四)."""
    ok, probe = _devices(school, ctx, DeviceKind.POLICE_CAMERA, (Placement.OUTSIDE_GATE, None))
    ev = {"devices": [d.id for d in ok], "probe": probe.evidence()}
    if ok:
        return passed(
            "校门外有公安自建探头：{ids}",
            "police camera(s) outside the gate: {ids}",
            ids=", ".join(ev["devices"]),
            **ev,
        )
    pz, pe = _probe_note(probe, paren=True)
    return failed(
        "校门外无可用的公安自建探头{pz}",
        "no working police camera outside the gate{pe}",
        pz=pz,
        pe=pe,
        **ev,
    )


SYSTEM_KINDS = (DeviceKind.INTRUSION_ALARM, DeviceKind.ACCESS_CONTROL, DeviceKind.ELECTRONIC_PATROL)


@rule(
    "jiangsu.security-systems",
    title=(
        "入侵报警、出入口控制、电子巡查系统",
        "intrusion alarm, access control and electronic patrol systems",
    ),
    citation=C_3_1_4,
    binding_from=END_2022,
    passes=(
        "入侵报警、出入口控制、电子巡查系统各有可用设备",
        "a working intrusion alarm, access control and electronic patrol system",
    ),
    fails=(
        f"缺少其中某类系统（探测不可达或时钟偏差超过{_TOL}秒的设备不计）",
        "one of the three systems is missing (unreachable or off-clock devices do not count)",
    ),
    devices=SYSTEM_KINDS,
)
def security_systems(school: School, ctx: Context) -> Outcome:
    """「进一步规范…入侵报警、…出入口控制和电子巡查等系统建设」 with 二(四) 全面达标."""
    declared = [d for d in school.devices if d.kind in SYSTEM_KINDS]
    probe = judge_devices(school, ctx, SYSTEM_KINDS)
    ok = _working(declared, probe)
    missing = [k for k in SYSTEM_KINDS if not any(d.kind is k for d in ok)]
    ev = {"missing": [k.value for k in missing], "probe": probe.evidence()}
    if not missing:
        return passed(
            "入侵报警、出入口控制、电子巡查系统齐全",
            "intrusion alarm, access control and electronic patrol all present",
            **ev,
        )
    pz, pe = _probe_note(probe, paren=True)
    return failed(
        "缺少：{zh}{pz}",
        "missing: {en}{pe}",
        zh="、".join(k.zh for k in missing),
        en=", ".join(k.value for k in missing),
        pz=pz,
        pe=pe,
        **ev,
    )
