"""The per-school rules of 苏公通〔2019〕635号 and its annex 八项措施, clause by clause.

The source is the original text (``seeds/004_e6646cfad1a5c38c.txt``); the colleague's
spec (``plugins/jiangsu/SPEC.md``) was checked against it figure by figure. Every
reading that the text leaves open is decided here, with its reason.

Citations
    Clauses are cited as the document prints them. Section 三 prints full-width brackets
    and items ``1.`` to ``5.``: ``三（一）2``. Section 四 prints ``(一) (二) (三)``
    half-width but ``（四）`` full-width: ``四(二)``, ``四（四）``. The annex is cited as
    ``附件 八项措施 <n>`` with the printed numeral. A rule carries one citation, the
    clause that gives it its date or its wording; the other clauses it rests on are
    named in its docstring and in ``docs/coverage/jiangsu.md``.

Deadlines ("2019年底前" and the like)
    "By the end of 2019" means the state must hold on 31 December 2019 itself, so a dated
    rule binds from the deadline day (``binding_from=2019-12-31``) and its rate target is
    due that day. The day before, a failure is reported as not yet binding; on the day
    it is a failure.

Construction items with no date of their own (rules guard-equipment, perimeter,
security-systems, police-room)
    四(二) closes the plan with 「有力有序推进校园人防、物防、技防建设，确保2022年前实现全面
    达标」. "2022年前" is read as "by the end of 2022" (2022-12-31), like the 「2022年底前」 of
    三（一）2 and 三（一）3 and the 2019-2022 span of the 三年行动; the literal "before 2022"
    (2021-12-31) would clash with those. These rules bind from 2022-12-31 and have
    derived 100 % targets due that day ("全面达标" read as every school).

Routines and records with no date
    They bind from the day the notice was distributed (2019-12-03, 「2019年12月3日印发」):
    the annex is to be passed down at once (「迅速传达…确保各项措施落到实处」).

Record windows never reach back before 2019-12-03
    A month, semester or patrol day that began before the notice is not judged.

Guards are counted as of the evaluation date
    A guard whose ``hired_on`` is after ``ctx.on`` is not yet in post and is ignored; a
    guard without ``hired_on`` counts as in post (the core's ``Guard.on_staff`` and
    ``School.guards_on_staff``).

Declared and probed devices (C6)
    A device counts when it is declared with the right kind and placement, unless
    ``judge_devices`` reports it failing: a device adapter probed it unreachable, or its
    clock is off by more than ``CLOCK_TOLERANCE`` (10 s). A dead device is not 达标, and
    neither is one whose clock is wrong: video and alarm records are kept to be used as
    evidence (the annex's cameras serve 公安机关监控报警平台), and a recording or alarm log
    whose clock is off cannot be aligned with the platform's records, an alarm log or a
    110 call record, so it is useless as evidence. The 10 s tolerance is the core's,
    justified at ``CLOCK_TOLERANCE`` and in docs/device-adapters.md (GB/T 28181-2016
    9.10.1 requires networked video devices to keep Beijing time by SIP or NTP; a
    synchronised device is within about 1 s, a probe measures to about 1 s, an
    unsynchronised device drifts by minutes); the comparison is strict, so an offset of
    exactly 10 s passes and 10.5 s fails. The same reading applies to the intrusion
    alarm, access control and electronic patrol systems (``jiangsu.security-systems``),
    whose logs are only evidence with a right clock. The evidence holds the probe's
    judgement of the judged devices under ``probe``; a failing rule's message gives its
    summary. Without a status file, or for a device with no status, the declaration is
    judged, as before. ``jiangsu.police-link`` also fails when any judged alarm or
    camera fails the probe: a dead or off-clock device is not 联网 in any useful sense,
    even if another device of its kind still counts.

School kinds and localities
    "中小学" is every kind but ``KINDERGARTEN`` (vocational and combined schools included);
    "幼儿园" is ``KINDERGARTEN``. 城市 is ``URBAN``; 城镇, 县城 and 乡镇 are ``TOWN``; 乡村
    and 农村 are ``RURAL``; 「治安交通环境复杂的乡村」 is ``RURAL`` with ``complex_area``.
    「乡镇中心学校」 is ``School.township_central`` on a school that is not a kindergarten:
    the annex sentence that names it (附件 八项措施 一, 六) lists 「城市中小学、幼儿园及乡镇
    中心学校」, naming 幼儿园 apart from 学校, so a township's central kindergarten is not
    one. A central school may lie in a 乡中心区, which statistics class as ``RURAL``; the
    flag, not the locality, decides.

Staffing (三（一）2)
    The per-school number depends on 「相关标准」 that the document does not give, so the
    checkable floor is one full-time guard (配备率 = the share of schools that have one).
    Part-time guards do not count. Private 中小学 are in the 2019 rule (「全省中小学」 has
    no ownership split); only private kindergartens have until 2020-12-31.

First-hire age (三（一）2, 「2022年底前…首次聘用专职保安员年龄不得超过50岁」)
    - The text says 50岁; age is counted in whole years (周岁), the legal reckoning, and
      "不得超过50岁" is "at most 50": a guard hired on the 50th birthday passes, one hired
      on the 51st birthday fails (someone born on 29 February turns 51 on 1 March).
    - Age is measured on the hire date (``hired_on``), not on the evaluation date: the
      condition attaches to 首次聘用; measuring later would invent a retirement age.
    - It governs first hires from the deadline day on (``hired_on >= 2022-12-31``) and
      binds from that day. Earlier hires are never judged: the same sentence asks only
      health and training of guards already in post (在职保安).
    - A full-time guard with no ``hired_on`` may be such a hire. Over 50 on the evaluation
      date, the roster cannot show compliance: FAIL, asking for the date. At most 50, the
      guard was at most 50 on any earlier hire date: judged and compliant.
    - Part-time guards are not judged (the text says 专职).

Background checks (三（一）2)
    Every guard in post is judged, full-time or not (the text says 门卫、保安员). The latest
    check dated on or before the evaluation date decides (``Guard.latest_background_check``):
    a later clear check supersedes an earlier flagged one, since a flag such as 涉诉 can
    lapse. Two checks on the same latest day are read together (any flag fails).

Anti-ramming (三（一）3, 附件 八项措施 三)
    Two rules split the schools, because the deadlines differ: urban, town and complex
    rural schools by 2019-12-31, other rural schools by 2022-12-31. A school whose gate no
    motor vehicle can reach (``vehicle_access`` false) is exempt in both: the 2022 sentence
    sets the end state for every school and exempts such gates, and an earlier stage
    cannot sensibly be stricter than the end state. The annex sentence
    「学校大门口应安装硬质防冲撞设施」 is the standing form of the same duty; its timing comes
    from 三（一）3.

Video (三（一）4, 附件 八项措施 四)
    The annex asks for cameras 「在校门口、重要部位及人员聚集场所」, so a school needs a
    counting camera at each of ``GATE``, ``KEY_AREA`` and ``CROWD_AREA``. The annex adds
    「并接入公安机关监控报警平台」 for all of them, so the police-link rule requires every
    counting one-key alarm and every counting camera at those three placements to be
    linked. ``full_coverage`` is not asked (that is Pucheng's wording). Cameras placed
    elsewhere (``OTHER``, ``PERIMETER``) are neither required nor judged for the link.

One-key alarm
    It must be in the gatehouse (「在门卫值班室设置一键式紧急报警装置」): an alarm with no
    placement or elsewhere does not count for the alarm rule. The link rule reads every
    counting alarm, wherever it is.

Police camera outside the gate
    A ``POLICE_CAMERA`` counts when placed ``OUTSIDE_GATE`` or undeclared (the kind itself
    is the police's own camera outside the gate); ``linked_to_police`` is not asked.

Security systems (三（一）4, 二(四))
    「进一步规范…入侵报警、视频监控、出入口控制和电子巡查等系统建设」 with 「技防系统建设实现
    全面达标」 is read as each school having an intrusion alarm, access control and an
    electronic patrol system (one-key alarm and video are judged by their own rules). The
    text never says each school must have each system in so many words; this is the
    strongest reading the plan's 全面达标 supports.

Gate duty, registration, passes (三（一）5, 附件 八项措施 五)
    Booleans of the roster, which is the school's state on the evaluation date. Vehicle
    passes are read into ``pass_system``. Pick-up checks bind 小学 and 幼儿园; ``COMBINED``
    schools are judged because a 九年一贯制 school has primary grades (a 完全中学 with no
    primary grades needs a waiver until the core splits the kind).

Monthly self-check (三（一）5, 「每月安全隐患自查整改制度」)
    Counting records are the school's own inspections (``InspectorLevel.SCHOOL``) with
    cadence ``MONTHLY`` or unstated. Daily, weekly and quarterly checks are other routines
    and do not count. A periodic rule (``every=Every.MONTH``). As of a date, the current
    calendar month is never failed before it ends: PASS if it already has a check
    (``ctx.current``), otherwise the previous month (``ctx.period``) decides. Over a
    window, each month wholly inside it is judged on its own records: the early pass is
    for a check as of a date, which must say something about the running month, while a
    window asks about each finished month. December 2019 began before the notice and is
    not judged, so January 2020 is the first month judged (on 1 February 2020).

Hazards and notices (三（一）5 「及时整改」, 附件 八项措施 八 「限期改正」)
    A hazard or notice fails once it is open the day after its deadline; rectifying on the
    deadline day passes. A hazard without a deadline is never overdue (「及时」 sets no
    period). Notices from any issuer count.

Police school-gate post (护学岗)
    三（二）1 dates it: 「2019年底前，公安机关在城市、县城及乡镇学校全部设立护学岗」 (``URBAN`` and
    ``TOWN``, every kind, 学校 being generic there). The annex (八项措施 一) adds
    乡镇中心学校 wherever they lie. One rule covers both, from 2019-12-31.

Police patrol (附件 八项措施 六, 「每日每校巡查工作不少于2次」)
    - Population: 城市中小学、幼儿园 (``URBAN``) and 乡镇中心学校 (``township_central``,
      not kindergartens). Other town schools are outside the sentence.
    - Window: a daily duty (``every=Every.DAY``). As of a date, the seven calendar days
      before it are judged together (``lookback=7``),
      ``Period(max(on - 7 days, 2019-12-03), on - 1 day)``. The evaluation day is left out
      because its patrols may still be under way; seven days cover a whole week, weekend
      included, without condemning a school for gaps long past. Nothing is judged on
      2019-12-03 itself. Over a window (``check --from/--to``) each day inside it is
      judged on its own, so the report lists the days that lapsed.
    - Every calendar day counts, not only school days: 每日 is unqualified, while the very
      next sentence limits 社会面巡防 to 「上、放学时段和师生在校期间」. The contrast shows
      that 每日每校 is not limited to school days.
    - The counts of all records of a day are summed; a day needs at least 2.

Police room (附件 八项措施 七)
    A campus police room set up 「按照…“五统一”要求」: the room and ``police_room_unified``.
    四（四） lists 校园警务室 among the plan's acceptance items, so it is a construction item
    binding from 2022-12-31.

Emergency drill (三（三）2, 「每学期至少开展1次应急演练」)
    Only ``DrillKind.EMERGENCY`` counts. Semesters follow the glossary (autumn 1 Sep - 31
    Jan, spring 1 Feb - 31 Aug); the document sets no other dates. A periodic rule
    (``every=Every.SEMESTER``), judged like the monthly self-check: as of a date the
    current semester is never failed before it ends (PASS if it already has a drill,
    otherwise the previous semester decides); over a window each semester wholly inside
    it is judged on its own drills. Autumn 2019 was three months old when the notice came
    out and is not judged, so spring 2020 is the first semester judged (on 1 September 2020).

Rural joint defence (三（二）1, 附件 八项措施 一)
    「农村学校要根据当地治安情况，依托村校联防机制」 names every rural school, so every
    ``RURAL`` school is judged, central schools included (a police post does not replace
    the village mechanism the clause asks for).

Legal vice principal (附件 八项措施 七)
    「选派社区民警担任法制副校长」 is a per-school appointment with no date: it binds from the
    notice. It is not a 人防/物防/技防 construction item, so 四(二)'s 2022 date does not apply.

School buses (三（一）5)
    「健全校车安全管理制度，配备安全管理人员」 binds the schools that run school buses
    (``operates_school_bus``); ``school_bus_management`` records both parts.
"""

from __future__ import annotations

from ._common import (
    DOCUMENT,
    END_2019,
    END_2020,
    END_2022,
    ISSUED,
    MAX_FIRST_HIRE_AGE,
    MIN_DAILY_PATROLS,
    PATROL_WINDOW_DAYS,
    patrol_window,
)
from .rules_guards import (
    anti_ramming_other,
    anti_ramming_priority,
    closed_management,
    gatehouse,
    guard_background_check,
    guard_certificate,
    guard_equipment,
    guard_first_hire_age,
    guard_staffing,
    guard_staffing_private_kindergarten,
    perimeter,
)
from .rules_police import (
    emergency_drill,
    emergency_plan,
    guard_post,
    legal_vice_principal,
    police_patrol,
    police_room,
    village_joint_defence,
)
from .rules_routines import (
    campus_patrol,
    gate_duty,
    hazard_rectification,
    monthly_self_check,
    pass_system,
    pickup_check,
    rectification_notice,
    school_bus_safety,
    staff_gate_duty,
    visitor_vehicle_registration,
)
from .rules_technical import (
    one_key_alarm,
    police_camera,
    police_link,
    security_systems,
    video_surveillance,
)

__all__ = [
    "DOCUMENT",
    "END_2019",
    "END_2020",
    "END_2022",
    "ISSUED",
    "MAX_FIRST_HIRE_AGE",
    "MIN_DAILY_PATROLS",
    "PATROL_WINDOW_DAYS",
    "RULES",
    "patrol_window",
]

RULES = (
    guard_staffing,
    guard_staffing_private_kindergarten,
    guard_certificate,
    guard_background_check,
    guard_first_hire_age,
    guard_equipment,
    perimeter,
    gatehouse,
    closed_management,
    anti_ramming_priority,
    anti_ramming_other,
    one_key_alarm,
    video_surveillance,
    police_link,
    police_camera,
    security_systems,
    gate_duty,
    staff_gate_duty,
    visitor_vehicle_registration,
    pass_system,
    pickup_check,
    campus_patrol,
    monthly_self_check,
    hazard_rectification,
    rectification_notice,
    school_bus_safety,
    guard_post,
    police_patrol,
    police_room,
    legal_vice_principal,
    village_joint_defence,
    emergency_plan,
    emergency_drill,
)
