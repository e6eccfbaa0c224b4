"""The domain model: schools, guards, companies, equipment, devices and their records.

All classes are frozen, slotted attrs classes validated at construction. A validator
that rejects a value raises :class:`~campus_security.model.values.InvalidValue` naming
the field, so that roster errors point at ``schools[3].guards[0].hired_on`` rather
than at the object.

Derived facts are properties, never fields: a guard's birth date, age and gender come
from the ID number, a school is a boarding school when it has boarders.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any, TypeVar

import attrs

from ._checks import check_fields
from .enums import (
    BackgroundFlag,
    Cadence,
    DeviceKind,
    DrillKind,
    EquipmentKind,
    Gender,
    HireSource,
    InspectorLevel,
    Locality,
    Ownership,
    PlaceKind,
    Placement,
    SchoolKind,
    TrainingKind,
)
from .patrols import GridArea, SchoolPatrol, SchoolPatrolSeries, patrol_counts
from .provenance import Provenance, RegistryCheck
from .series import DaySeries
from .values import CreditCode, IdNumber, InvalidValue, RegionCode, invalid

__all__ = [
    "BackgroundCheck",
    "Device",
    "Drill",
    "Equipment",
    "Facilities",
    "Guard",
    "Hazard",
    "Inspection",
    "InspectionSeries",
    "PolicePatrol",
    "RectificationNotice",
    "Roster",
    "Routines",
    "School",
    "SecurityCompany",
    "SkillAssessment",
    "Training",
    "Waiver",
    "roster_problems",
]

T = TypeVar("T")


# --- validators that name their field --------------------------------------------


def _non_empty(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str):
        raise invalid(
            f"应为字符串，实为 {type(value).__name__}",
            f"expected a string, got {type(value).__name__}",
            field=attribute.name,
        )
    if not value.strip():
        raise invalid("不能为空", "must not be empty", field=attribute.name)


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _non_negative(_inst: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise invalid(
            f"应为非负整数：{value!r}",
            f"must be a whole number, zero or more: {value!r}",
            field=attribute.name,
        )


def _positive(_inst: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise invalid(
            f"应为正整数：{value!r}",
            f"must be a whole number, one or more: {value!r}",
            field=attribute.name,
        )


def _not_before(other: str, zh_other: str) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """Validator: the date, when given, is not before the field ``other``."""

    def check(inst: object, attribute: attrs.Attribute[Any], value: dt.date | None) -> None:
        start = getattr(inst, other)
        # wrong types are reported by the field checks (check_fields), not compared here
        if _is_date(value) and _is_date(start) and value < start:
            raise invalid(
                f"不能早于{zh_other}（{start}）：{value}",
                f"must not be before {other} ({start}): {value}",
                field=attribute.name,
            )

    return check


def _unique(
    items: Sequence[T], key: Callable[[T], object], field: str, what: Sequence[str]
) -> None:
    """Reject the first repeated key; the message shows ``str(key)`` (masked for ID numbers)."""
    if len(items) < 2:  # the common case for hazards, notices, series
        return
    seen: set[object] = set()
    for i, item in enumerate(items):
        k = key(item)
        if k in seen:
            raise invalid(
                f"{what[0]}重复：{k}",
                f"duplicate {what[1]}: {k}",
                field=f"{field}[{i}]",
            )
        seen.add(k)


def _is_collection(value: object) -> bool:
    return isinstance(value, list | tuple | set | frozenset)


_GRID_AREA = operator.attrgetter("grid_area")


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    # anything but a collection is left for check_fields to report, naming the field
    if type(value) is tuple:
        return value
    return tuple(value) if _is_collection(value) else value  # type: ignore[return-value]


def _frozenset(value: Iterable[Any]) -> frozenset[Any]:
    if type(value) is frozenset:
        return value
    return frozenset(value) if _is_collection(value) else value  # type: ignore[return-value]


# --- people and companies -----------------------------------------------------------


@attrs.frozen
class SecurityCompany:
    """A security service company (保安服务企业).

    A company without a ``permit_number`` (保安服务许可证) is unlicensed.
    """

    __attrs_post_init__ = check_fields

    id: str = attrs.field(validator=_non_empty)
    """企业编号: the company's id in the roster, which guards refer to (``Guard.company_id``)."""
    name: str = attrs.field(validator=_non_empty)
    """企业名称: the company's registered name."""
    nature: str | None = None
    """企业性质 as the census form records it (e.g. 国有, 民营)."""
    permit_number: str | None = None
    """保安服务许可证编号; ``None`` means the company holds no permit."""
    police_authority: str | None = None
    """属地公安机关: the police authority the company is registered with."""
    credit_code: CreditCode | None = None
    """统一社会信用代码, checked with GB 32100's check character."""
    registry_check: RegistryCheck | None = None
    """许可证核验: the certificate registry's word on the permit, when a registry was pulled."""

    @property
    def licensed(self) -> bool:
        """Whether the company holds a security service permit."""
        return bool(self.permit_number)

    @property
    def permit_valid(self) -> bool:
        """Licensed, and, when checked against a registry, valid there."""
        return self.licensed and (self.registry_check is None or self.registry_check.valid)


@attrs.frozen
class BackgroundCheck:
    """A background check (背景审查) of a guard, with the problems it found."""

    __attrs_post_init__ = check_fields

    checked_on: dt.date
    """审查日期: the day the check was made."""
    flags: frozenset[BackgroundFlag] = attrs.field(factory=frozenset, converter=_frozenset)
    """审查发现: what the check found; empty when it found nothing."""
    reviewed_by: str | None = None
    """审查机关: the authority that made the check, as the record names it."""
    source: Provenance | None = None
    """数据来源: where the record was pulled from (``None``: entered in the roster)."""

    @property
    def clear(self) -> bool:
        """Whether the check found nothing."""
        return not self.flags


@attrs.frozen
class Training:
    """A training course a guard attended: pre-job (岗前培训) or rotation (轮训)."""

    __attrs_post_init__ = check_fields

    kind: TrainingKind
    """培训类型: pre-job (岗前培训) or rotation (轮训)."""
    started_on: dt.date
    """开始日期: the first day of the course."""
    days: int = attrs.field(validator=_positive)
    """培训天数: the length of the course in days, one or more."""
    provider: str | None = None
    """培训机构: who ran the course, as the record names it (free text)."""
    provider_approved: bool = False
    """The provider is a training school approved by the provincial police (保安员培训资质)."""

    @property
    def ends_on(self) -> dt.date:
        """The course's last day: ``started_on`` plus ``days - 1``."""
        return self.started_on + dt.timedelta(days=self.days - 1)

    def completed_by(self, on: dt.date) -> bool:
        """Whether the course had ended on or before ``on``."""
        return self.ends_on <= on


@attrs.frozen
class SkillAssessment:
    """A skill assessment (技能考核) of a guard."""

    __attrs_post_init__ = check_fields

    assessed_on: dt.date
    """考核日期: the day of the assessment."""
    passed: bool
    """考核合格: whether the guard passed."""


@attrs.frozen
class Guard:
    """A security guard (保安员) working at a school.

    Birth date, age and gender are derived from :attr:`id_number`; nothing derived
    is stored.
    """

    __attrs_post_init__ = check_fields

    id_number: IdNumber
    """身份证号码 (GB 11643): personal data, masked in every output unless asked."""
    name: str = attrs.field(validator=_non_empty)
    """姓名."""
    full_time: bool = True
    """专职 (full-time) or 兼职; only full-time guards count towards staffing rules."""
    hire_source: HireSource = HireSource.COMPANY
    """聘用方式: how the guard was engaged (派驻, 学校自聘, 物业)."""
    company_id: str | None = None
    """所属保安服务企业: the :class:`SecurityCompany` that employs the guard, by id."""
    certificate_number: str | None = None
    """国家保安员证编号; ``None`` means uncertified (无证)."""
    ethnicity: str | None = None
    """民族, as the census form records it."""
    team_leader: bool = False
    """保安班长."""
    uniform: bool = False
    """统一着保安服: the guard wears the guard uniform on duty."""
    hired_on: dt.date | None = None
    """The day the school first engaged the guard (首次聘用)."""
    background_checks: tuple[BackgroundCheck, ...] = attrs.field(default=(), converter=_tuple)
    """背景审查: the checks made of the guard, any number."""
    trainings: tuple[Training, ...] = attrs.field(default=(), converter=_tuple)
    """培训记录: the courses the guard attended."""
    skill_assessments: tuple[SkillAssessment, ...] = attrs.field(default=(), converter=_tuple)
    """技能考核: the guard's assessments."""
    registry_check: RegistryCheck | None = None
    """保安员证核验: the certificate registry's word on the certificate, when one was pulled."""

    @property
    def birth_date(self) -> dt.date:
        """出生日期, from the ID number."""
        return self.id_number.birth_date

    @property
    def gender(self) -> Gender:
        """性别, from the ID number's 17th digit (odd: male)."""
        return Gender.MALE if int(self.id_number.value[16]) % 2 else Gender.FEMALE

    @property
    def certified(self) -> bool:
        """Whether the guard holds a national guard certificate (保安员证)."""
        return bool(self.certificate_number)

    @property
    def certificate_valid(self) -> bool:
        """Certified, and, when checked against a registry, valid there.

        Without a :attr:`registry_check` this is :attr:`certified`: the roster's word.
        """
        return self.certified and (self.registry_check is None or self.registry_check.valid)

    def age_on(self, on: dt.date) -> int:
        """Age in whole years (周岁) on ``on``."""
        return self.id_number.age_on(on)

    def on_staff(self, on: dt.date) -> bool:
        """Whether the guard is on staff on ``on``: hired by then, or no hire date recorded.

        The model records no departure date: the roster's guards are the current staff.
        """
        return self.hired_on is None or self.hired_on <= on

    def latest_background_check(self, on: dt.date) -> BackgroundCheck | None:
        """The most recent background check on or before ``on``.

        Two checks on that same day are merged: the flags of either count.
        """
        done = [c for c in self.background_checks if c.checked_on <= on]
        if not done:
            return None
        last = max(c.checked_on for c in done)
        flags: frozenset[BackgroundFlag] = frozenset().union(
            *(c.flags for c in done if c.checked_on == last)
        )
        return BackgroundCheck(last, flags)


# --- equipment, devices, facilities ----------------------------------------------------


@attrs.frozen
class Equipment:
    """Protective equipment held at the school."""

    __attrs_post_init__ = check_fields

    kind: EquipmentKind
    """装备类别: which protective equipment."""
    quantity: int = attrs.field(default=1, validator=_non_negative)
    """数量: how many the school holds, zero or more."""
    national_standard: bool = False
    """国标产品: the item is a product made to the national standard."""


@attrs.frozen
class Device:
    """A technical-defence (技防) device or system at the school.

    The connection fields (``endpoint``, ``protocol``, ``credential_ref``) are for
    device adapters that probe the device; the roster never holds a credential, only
    a reference that the adapter resolves at run time.
    """

    __attrs_post_init__ = check_fields

    id: str = attrs.field(validator=_non_empty)
    """设备编号: the device's id, unique in the school."""
    kind: DeviceKind
    """设备类别: which technical-defence device or system."""
    linked_to_police: bool = False
    """与公安机关联网."""
    placement: Placement | None = None
    """安装位置: where the device is installed, when the record says."""
    full_coverage: bool = False
    """For video: the system covers the whole campus without blind spots (全覆盖、无死角)."""
    endpoint: str | None = None
    """接入地址: where a device adapter reaches the device (a URL or a host), if it is probed."""
    protocol: str | None = None
    """接入协议: the protocol a device adapter speaks to it (``DeviceAdapter.protocols``)."""
    credential_ref: str | None = None
    """凭据引用: a name the adapter resolves to a credential at run time, never the credential."""
    verify_tls: bool = True
    """校验证书: whether the adapter verifies the device's TLS certificate."""
    linked_to_education: bool = False
    """接入教育部门监控或报警平台 (some standards accept this link instead of the police)."""


@attrs.frozen
class Facilities:
    """Physical defence (物防) at the school."""

    __attrs_post_init__ = check_fields

    gatehouse: bool = False
    """门卫值班室."""
    closed_management: bool = False
    """封闭化管理."""
    perimeter: bool = False
    """围墙、护栏."""
    anti_ramming: bool = False
    """硬质防冲撞设施 at the gate."""
    guard_room: bool = False
    """校园警卫室 (Cangzhou)."""
    police_room: bool = False
    """校园警务室."""
    parent_waiting_area: bool = False
    """家长等候区."""
    guard_post: bool = False
    """护学岗: a police post at the gate at peak hours."""
    police_room_unified: bool = False
    """警务室五统一: the campus police room meets the 五统一 (Jiangsu 八项措施 七)."""


@attrs.frozen
class Routines:
    """Management routines (制度) the school has in place."""

    __attrs_post_init__ = check_fields

    gate_duty: bool = False
    """专人值守，持械上岗: a dedicated, equipped guard on the gate."""
    visitor_registration: bool = False
    """外来人员登记."""
    vehicle_registration: bool = False
    """外来车辆登记."""
    pass_system: bool = False
    """校内人员凭证出入."""
    pickup_check: bool = False
    """家长接送核验 (primary schools and kindergartens)."""
    key_area_patrol: bool = False
    """重点部位巡视巡逻."""
    night_patrol: bool = False
    """夜间巡查 (boarding schools, girls' dormitories especially)."""
    round_the_clock_duty: bool = False
    """24小时值班 (boarding schools)."""
    emergency_plan: bool = False
    """应急预案."""
    risk_list: bool = False
    """安全风险隐患清单 with a responsible person."""
    grid_management: bool = False
    """网格化管理: a responsible person per grid area."""
    staff_gate_duty: bool = False
    """上下学教职员值守: staff on the gate when pupils arrive and leave."""
    school_bus_management: bool = False
    """校车安全管理制度 with a safety manager (schools that run school buses)."""
    village_joint_defence: bool = False
    """村校联防: joint defence with the village (rural schools)."""
    duty_rota: bool = False
    """值班制度."""
    hazard_check: bool = False
    """隐患排查制度."""
    security_organization: bool = False
    """保卫组织: the school has a security organisation."""


# --- records --------------------------------------------------------------------------


@attrs.frozen
class Drill:
    """A drill or practice session held at the school."""

    __attrs_post_init__ = check_fields

    kind: DrillKind
    """演练类别: which kind of drill or practice."""
    held_on: dt.date
    """演练日期: the day it was held."""


@attrs.frozen
class Inspection:
    """A hazard check or a supervisory inspection of the school.

    A school's own checks carry a ``cadence``; an inspection by the police station,
    county, city or province carries its ``level``.
    """

    __attrs_post_init__ = check_fields

    inspected_on: dt.date
    """检查日期: the day of the check or inspection."""
    level: InspectorLevel = InspectorLevel.SCHOOL
    """检查单位: who inspected; ``school`` for the school's own checks."""
    cadence: Cadence | None = None
    """排查频次 of the school's own checks: 日巡查, 周检查, 月排查 or 季度总结."""
    inspector: str | None = None
    """检查人: who inspected, as the record names them."""
    grid_area: str | None = None
    """网格: the school's grid area checked (``GridArea.id``), when the record says."""


@attrs.frozen
class InspectionSeries:
    """Inspections of one level and cadence, counted per day (检查记录按日计数).

    The compact form of routine records that carry nothing but their day: a count of
    ``n`` on a day stands for ``n`` :class:`Inspection` records of this ``level`` and
    ``cadence`` on that day, with no inspector named. A year of daily checks is one
    series instead of 365 records. Rules read both forms through
    :meth:`School.inspection_days` and :meth:`School.inspection_dates`.
    """

    __attrs_post_init__ = check_fields

    days: DaySeries
    """检查日期及次数: how many inspections were held on each day."""
    level: InspectorLevel = InspectorLevel.SCHOOL
    """检查单位: who inspected; ``school`` for the school's own checks."""
    cadence: Cadence | None = None
    """排查频次 of the school's own checks: 日巡查, 周检查, 月排查 or 季度总结."""

    def records(self) -> tuple[Inspection, ...]:
        """The series as the :class:`Inspection` records it stands for, in day order."""
        return tuple(
            Inspection(day, self.level, self.cadence)
            for day, n in self.days.counts_between()
            for _ in range(n)
        )


@attrs.frozen
class Hazard:
    """A hazard (隐患) found at the school, with its rectification deadline."""

    __attrs_post_init__ = check_fields

    id: str = attrs.field(validator=_non_empty)
    """隐患编号: the hazard's id, unique in the school; notices refer to it."""
    found_on: dt.date
    """发现日期: the day the hazard was found."""
    location: str | None = None
    """隐患部位: where the hazard is."""
    category: str | None = None
    """隐患类别: what kind of hazard, as the record names it."""
    rectify_by: dt.date | None = attrs.field(
        default=None, validator=_not_before("found_on", "发现日期")
    )
    """限期整改: the deadline."""
    rectified_on: dt.date | None = attrs.field(
        default=None, validator=_not_before("found_on", "发现日期")
    )
    """整改完成: the day it was fixed, ``None`` while open."""
    on_the_spot: bool = False
    """责令现场整改: ordered rectified on the spot."""
    found_by: InspectorLevel | None = None
    """Who found the hazard (发现单位), when the record says."""
    responsible: str | None = None
    """专人盯办: the person responsible for following the hazard up."""
    grid_area: str | None = None
    """网格: the school's grid area where it was found (``GridArea.id``), when the record says."""

    def is_open(self, on: dt.date) -> bool:
        """Whether the hazard was found and not yet rectified on ``on``."""
        return self.found_on <= on and (self.rectified_on is None or self.rectified_on > on)

    def is_overdue(self, on: dt.date) -> bool:
        """Whether the hazard is open on ``on`` and its deadline has passed."""
        return self.is_open(on) and self.rectify_by is not None and on > self.rectify_by


@attrs.frozen
class RectificationNotice:
    """A rectification notice (限期整改通知书) naming hazards and a deadline."""

    __attrs_post_init__ = check_fields

    id: str = attrs.field(validator=_non_empty)
    """通知书编号: the notice's id, unique in the school."""
    issued_on: dt.date
    """下发日期: the day the notice was issued."""
    rectify_by: dt.date = attrs.field(validator=_not_before("issued_on", "下发日期"))
    """整改期限: the deadline the notice sets."""
    issued_by: InspectorLevel = InspectorLevel.POLICE_STATION
    """下发单位: who issued the notice."""
    hazard_ids: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    """涉及隐患: the ids of the school's hazards the notice names."""
    closed_on: dt.date | None = attrs.field(
        default=None, validator=_not_before("issued_on", "下发日期")
    )
    """整改销号日期: the day the notice was closed, ``None`` while open."""

    def is_overdue(self, on: dt.date) -> bool:
        """Whether the notice is still open on ``on`` after its deadline."""
        open_ = self.issued_on <= on and (self.closed_on is None or self.closed_on > on)
        return open_ and on > self.rectify_by


@attrs.frozen
class PolicePatrol:
    """Police patrols (公安巡逻) of the school on one day."""

    __attrs_post_init__ = check_fields

    patrolled_on: dt.date
    """巡逻日期: the day of the patrols."""
    count: int = attrs.field(default=1, validator=_positive)
    """巡逻次数: patrols that day, one or more."""


@attrs.frozen
class Waiver:
    """A waiver (豁免) of one rule for one school: who granted it, why, until when.

    While in force (on or before ``until``) a failing finding of the rule is reported
    as WAIVED. After ``until`` the rule counts again and the finding says the waiver
    has expired.
    """

    __attrs_post_init__ = check_fields

    rule_id: str = attrs.field(validator=_non_empty)
    """规则编号: the id of the waived rule, as the rule catalogue lists it."""
    granted_by: str = attrs.field(validator=_non_empty)
    """批准单位: who granted the waiver."""
    reason: str = attrs.field(validator=_non_empty)
    """豁免理由: why the rule is waived."""
    until: dt.date
    """有效期至: the last day the waiver is in force."""

    def active(self, on: dt.date) -> bool:
        """Whether the waiver is in force on ``on``."""
        return on <= self.until


# --- the school -------------------------------------------------------------------------


@attrs.frozen
class School:
    """A primary/secondary school or kindergarten (中小学幼儿园) and everything it holds."""

    id: str = attrs.field(validator=_non_empty)
    """学校编号: the school's id, unique in the roster; findings refer to it."""
    name: str = attrs.field(validator=_non_empty)
    """学校名称."""
    region_code: RegionCode
    """行政区划代码: the school's GB/T 2260 county code; it decides which standards apply."""
    kind: SchoolKind
    """学校类别."""
    ownership: Ownership = Ownership.PUBLIC
    """办学性质: public (公办) or private (民办)."""
    locality: Locality = Locality.URBAN
    """城乡属性: urban (城区), town (镇区) or rural (乡村)."""
    enrollment: int = attrs.field(default=0, validator=_non_negative)
    """在校生数 (幼儿 for kindergartens)."""
    staff_count: int = attrs.field(default=0, validator=_non_negative)
    """教职工数."""
    boarders: int = attrs.field(default=0, validator=_non_negative)
    """住宿生数; a school with boarders is a boarding school."""
    complex_area: bool = False
    """地处复杂区域 / 情况复杂: the school lies in a complex area."""
    vehicle_access: bool = True
    """车辆可达校门: a motor vehicle can reach the gate (anti-ramming exemptions)."""
    township_central: bool = False
    """乡镇中心学校: the central school of a township."""
    operates_school_bus: bool = False
    """开行校车: the school runs school buses."""
    legal_vice_principal: bool = False
    """法制副校长 / 法制辅导员: a police officer serves as the school's legal vice principal."""
    contact: str | None = None
    """联系人及联系方式: the school's security contact, as census forms record it."""
    facilities: Facilities = Facilities()
    """物防: the physical defences."""
    routines: Routines = Routines()
    """制度: the management routines."""
    guards: tuple[Guard, ...] = attrs.field(default=(), converter=_tuple)
    """保安员: the guards working at the school."""
    equipment: tuple[Equipment, ...] = attrs.field(default=(), converter=_tuple)
    """安保防护装备: the protective equipment the school holds."""
    devices: tuple[Device, ...] = attrs.field(default=(), converter=_tuple)
    """技防设施: the technical-defence devices and systems."""
    drills: tuple[Drill, ...] = attrs.field(default=(), converter=_tuple)
    """演练记录: drills and practice sessions held."""
    inspections: tuple[Inspection, ...] = attrs.field(default=(), converter=_tuple)
    """检查记录: the school's own hazard checks and supervisory inspections."""
    inspection_series: tuple[InspectionSeries, ...] = attrs.field(default=(), converter=_tuple)
    """检查记录（按日计数）: routine inspections in compact form, one per level and cadence."""
    hazards: tuple[Hazard, ...] = attrs.field(default=(), converter=_tuple)
    """隐患: hazards found, open or rectified."""
    rectification_notices: tuple[RectificationNotice, ...] = attrs.field(
        default=(), converter=_tuple
    )
    """整改通知书: notices issued to the school."""
    police_patrols: tuple[PolicePatrol, ...] = attrs.field(default=(), converter=_tuple)
    """公安巡逻记录: police patrols of the school, one record per day."""
    police_patrol_series: DaySeries | None = None
    """公安巡逻（按日计数）: police patrols per day in compact form; with ``police_patrols``."""
    school_patrols: tuple[SchoolPatrol, ...] = attrs.field(default=(), converter=_tuple)
    """电子巡查记录: the school's own patrols, one check-in per record."""
    school_patrol_series: tuple[SchoolPatrolSeries, ...] = attrs.field(default=(), converter=_tuple)
    """电子巡查（按日计数）: the own patrols in compact form, one per place and day or night."""
    waivers: tuple[Waiver, ...] = attrs.field(default=(), converter=_tuple)
    """豁免: waivers of rules granted to the school."""
    grid_areas: tuple[GridArea, ...] = attrs.field(default=(), converter=_tuple)
    """网格: the campus's grid areas, each with its responsible person (网格化管理)."""

    def __attrs_post_init__(self) -> None:
        check_fields(self)
        if self.boarders > self.enrollment:
            raise invalid(
                f"住宿生数（{self.boarders}）不能超过在校生数（{self.enrollment}）",
                f"boarders ({self.boarders}) cannot exceed enrollment ({self.enrollment})",
                field="boarders",
            )
        # Keyed by the IdNumber itself (equal by full value; prints masked in the message).
        _unique(self.guards, lambda g: g.id_number, "guards", ("身份证号码", "ID number"))
        _unique(self.devices, lambda d: d.id, "devices", ("设备编号", "device id"))
        _unique(self.hazards, lambda h: h.id, "hazards", ("隐患编号", "hazard id"))
        _unique(
            self.inspection_series,
            lambda s: (s.level.value, s.cadence.value if s.cadence else "-"),
            "inspection_series",
            ("检查单位与频次", "level and cadence"),
        )
        _unique(
            self.school_patrol_series,
            lambda s: (s.place.value, s.night),
            "school_patrol_series",
            ("巡查部位与时段", "place and day/night"),
        )
        _unique(
            self.rectification_notices,
            lambda n: n.id,
            "rectification_notices",
            ("整改通知书编号", "notice id"),
        )
        _unique(self.grid_areas, lambda a: a.id, "grid_areas", ("网格编号", "grid area id"))
        areas = {a.id for a in self.grid_areas}
        # Grid references, checked in C loops (schools hold thousands of inspections).
        named = set(map(_GRID_AREA, self.inspections))
        named.update(map(_GRID_AREA, self.hazards))
        named.discard(None)
        if not named <= areas:
            for field, records in (("inspections", self.inspections), ("hazards", self.hazards)):
                for i, rec in enumerate(records):
                    area = _GRID_AREA(rec)
                    if area is not None and area not in areas:
                        raise invalid(
                            f"引用了不存在的网格：{area}",
                            f"names a grid area the school does not have: {area}",
                            field=f"{field}[{i}].grid_area",
                        )
        hazard_ids = {h.id for h in self.hazards}
        for i, notice in enumerate(self.rectification_notices):
            for j, hid in enumerate(notice.hazard_ids):
                if hid not in hazard_ids:
                    raise invalid(
                        f"整改通知书引用了不存在的隐患：{hid}",
                        f"the notice names a hazard the school does not have: {hid}",
                        field=f"rectification_notices[{i}].hazard_ids[{j}]",
                    )

    @property
    def is_boarding(self) -> bool:
        """寄宿制: the school has boarders."""
        return self.boarders > 0

    @property
    def full_time_guards(self) -> tuple[Guard, ...]:
        """Every full-time guard of the roster, whatever his hire date.

        A rule counts the guards on staff on its date instead:
        ``ctx.guards(school, full_time=True)``, which is
        ``guards_on_staff(ctx.on, full_time=True)``.
        """
        return tuple(g for g in self.guards if g.full_time)

    def guards_on_staff(self, on: dt.date, *, full_time: bool | None = None) -> tuple[Guard, ...]:
        """The guards on staff on ``on`` (see :meth:`Guard.on_staff`), optionally by contract."""
        return tuple(
            g
            for g in self.guards
            if g.on_staff(on) and (full_time is None or g.full_time is full_time)
        )

    def inspection_days(
        self,
        start: dt.date,
        end: dt.date,
        *,
        level: InspectorLevel | None = None,
        cadences: Collection[Cadence | None] | None = None,
    ) -> list[dt.date]:
        """Distinct days, sorted, with an inspection in ``[start, end]``.

        Counts both forms, ``inspections`` and ``inspection_series``. ``level`` keeps
        one inspector level; ``cadences`` keeps records of those cadences (``None`` in
        it admits records without a cadence).
        """
        return sorted(set(self.inspection_dates(start, end, level=level, cadences=cadences)))

    def inspection_dates(
        self,
        start: dt.date,
        end: dt.date,
        *,
        level: InspectorLevel | None = None,
        cadences: Collection[Cadence | None] | None = None,
    ) -> list[dt.date]:
        """The day of every inspection in ``[start, end]``, sorted, one per record.

        Like :meth:`inspection_days` but counting records: two checks on one day give
        the day twice (a series day with a count of 2 likewise).
        """
        dates = (
            [
                i.inspected_on
                for i in self.inspections
                if start <= i.inspected_on <= end
                and (level is None or i.level is level)
                and (cadences is None or i.cadence in cadences)
            ]
            if self.inspections
            else []
        )
        for s in self.inspection_series:
            if (level is None or s.level is level) and (cadences is None or s.cadence in cadences):
                if start == end:  # one day (a daily rule's period): no index
                    if n := s.days.count(start):
                        dates.extend([start] * n)
                else:
                    for day, n in s.days.counts_between(start, end):
                        dates.extend([day] * n)
        if len(dates) > 1:
            dates.sort()
        return dates

    def patrol_counts(self, start: dt.date, end: dt.date) -> dict[dt.date, int]:
        """Police patrols per day in ``[start, end]``: ``police_patrols`` and the series summed.

        Days without a patrol are left out.
        """
        counts: dict[dt.date, int] = {}
        series = self.police_patrol_series
        if series is not None:
            counts.update(series.counts_between(start, end))
        for p in self.police_patrols:
            if start <= p.patrolled_on <= end:
                counts[p.patrolled_on] = counts.get(p.patrolled_on, 0) + p.count
        return counts

    @property
    def has_school_patrols(self) -> bool:
        """Whether the school has any record of its own patrols (电子巡查)."""
        return bool(self.school_patrols or self.school_patrol_series)

    def school_patrol_counts(
        self,
        start: dt.date,
        end: dt.date,
        *,
        places: Collection[PlaceKind] | None = None,
        night: bool | None = None,
    ) -> dict[dt.date, int]:
        """The school's own patrols per day in ``[start, end]``, records and series summed.

        A night patrol counts on the day its night began (see
        :class:`~campus_security.model.SchoolPatrol`). ``places`` keeps those place kinds;
        ``night`` keeps night (``True``) or day (``False``) patrols. Days without a
        patrol are left out.
        """
        return patrol_counts(
            self.school_patrols, self.school_patrol_series, start, end, places=places, night=night
        )

    def compacted(self) -> School:
        """The same school with its routine records as day series.

        Inspections that name no inspector and no grid area move into
        ``inspection_series`` (one series per level and cadence, added to any series the
        school has), and police patrols into ``police_patrol_series``; inspections with
        an inspector or a grid area stay records. What
        the period queries (:meth:`inspection_days`, :meth:`inspection_dates`,
        :meth:`patrol_counts`), and so the rules, read is unchanged; the order of the
        records within a day is not kept, as a series counts days. A day that would
        count more than a series holds (9 999) raises :class:`InvalidValue`.
        """
        counts: dict[tuple[InspectorLevel, Cadence | None], dict[dt.date, int]] = {}
        for s in self.inspection_series:
            counts.setdefault((s.level, s.cadence), {}).update(s.days.counts_between())
        kept = []
        for i in self.inspections:
            if i.inspector is None and i.grid_area is None:
                days = counts.setdefault((i.level, i.cadence), {})
                days[i.inspected_on] = days.get(i.inspected_on, 0) + 1
            else:
                kept.append(i)
        series = []
        for (level, cadence), days in sorted(
            counts.items(), key=lambda kv: (kv[0][0].value, kv[0][1].value if kv[0][1] else "")
        ):
            found = DaySeries.from_counts(days)
            if found is not None:
                series.append(InspectionSeries(found, level, cadence))
        patrols = self.patrol_counts(dt.date.min, dt.date.max)
        return attrs.evolve(
            self,
            inspections=tuple(kept),
            inspection_series=tuple(series),
            police_patrols=(),
            police_patrol_series=DaySeries.from_counts(patrols),
        )

    @property
    def headcount(self) -> int:
        """Students plus staff (师生人数), the size some staffing rules count."""
        return self.enrollment + self.staff_count


def roster_problems(
    schools: Sequence[School], companies: Sequence[SecurityCompany]
) -> list[InvalidValue]:
    """Every roster-level problem: duplicate ids and guards naming unknown companies.

    Each problem's ``field`` is its path in the roster (``schools[2].guards[0].company_id``).
    """
    problems: list[InvalidValue] = []
    ids: tuple[tuple[list[str], str, str, str], ...] = (
        ([c.id for c in companies], "companies", "企业编号", "company id"),
        ([s.id for s in schools], "schools", "学校编号", "school id"),
    )
    for id_list, field, zh, en in ids:
        seen: set[str] = set()
        for i, item_id in enumerate(id_list):
            if item_id in seen:
                problems.append(
                    invalid(
                        f"{zh}重复：{item_id}",
                        f"duplicate {en}: {item_id}",
                        field=f"{field}[{i}].id",
                    )
                )
            seen.add(item_id)
    known = {c.id for c in companies}
    for i, school in enumerate(schools):
        for j, guard in enumerate(school.guards):
            if guard.company_id is not None and guard.company_id not in known:
                problems.append(
                    invalid(
                        f"保安员所属企业不在名册中：{guard.company_id}",
                        f"the guard's company is not in the roster: {guard.company_id}",
                        field=f"schools[{i}].guards[{j}].company_id",
                    )
                )
    return problems


@attrs.frozen
class Roster:
    """A roster: the security companies and the schools a platform tracks.

    Guards refer to their company by id; the roster checks that every reference
    resolves and that ids are unique.
    """

    schools: tuple[School, ...] = attrs.field(default=(), converter=_tuple)
    """学校: every school the roster tracks."""
    companies: tuple[SecurityCompany, ...] = attrs.field(default=(), converter=_tuple)
    """保安服务企业: the security companies the guards work for."""

    def __attrs_post_init__(self) -> None:
        check_fields(self)
        for problem in roster_problems(self.schools, self.companies):
            raise problem

    def company(self, company_id: str | None) -> SecurityCompany | None:
        """The company with this id, or ``None``."""
        if company_id is None:
            return None
        for c in self.companies:
            if c.id == company_id:
                return c
        return None
