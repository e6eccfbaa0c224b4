"""Enumerations of the glossary. Values are the stable names used in roster files."""

from __future__ import annotations

from enum import Enum

__all__ = [
    "BackgroundFlag",
    "Cadence",
    "DeviceKind",
    "DrillKind",
    "EquipmentKind",
    "Gender",
    "HireSource",
    "InspectorLevel",
    "Locality",
    "Ownership",
    "PlaceKind",
    "Placement",
    "RegistryStatus",
    "SchoolKind",
    "TrainingKind",
]


class _Labelled(str, Enum):
    """An enum whose members carry a Chinese label (``zh``)."""

    zh: str

    def __new__(cls, value: str, zh: str) -> _Labelled:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.zh = zh
        return obj

    def __str__(self) -> str:
        return str(self.value)


class SchoolKind(_Labelled):
    """学校类别: the kind of institution."""

    KINDERGARTEN = ("kindergarten", "幼儿园")
    PRIMARY = ("primary", "小学")
    SECONDARY = ("secondary", "中学")
    COMBINED = ("combined", "九年一贯制、完全中学")
    VOCATIONAL = ("vocational", "中职")

    @property
    def is_kindergarten(self) -> bool:
        """Rules mostly split 中小学 (everything else) from 幼儿园."""
        return self is SchoolKind.KINDERGARTEN


class Ownership(_Labelled):
    """办学性质: public (公办) or private (民办)."""

    PUBLIC = ("public", "公办")
    PRIVATE = ("private", "民办")


class Locality(_Labelled):
    """城乡属性: the national statistical urban/town/rural split."""

    URBAN = ("urban", "城区")
    TOWN = ("town", "镇区")
    RURAL = ("rural", "乡村")


class Gender(_Labelled):
    """性别."""

    MALE = ("male", "男")
    FEMALE = ("female", "女")


class HireSource(_Labelled):
    """How a guard was engaged."""

    COMPANY = ("company", "保安服务公司派驻")
    SELF_HIRED = ("self_hired", "学校自聘")
    PROPERTY = ("property", "物业")


class BackgroundFlag(_Labelled):
    """Findings of a background check (背景审查)."""

    DRUGS = ("drugs", "涉毒")
    LEGAL_CASE = ("legal_case", "涉法")
    LAWSUIT = ("lawsuit", "涉诉")
    MENTAL_ILLNESS = ("mental_illness", "精神疾病")
    CRIMINAL_RECORD = ("criminal_record", "犯罪前科")


class TrainingKind(_Labelled):
    """Kinds of guard training."""

    PRE_JOB = ("pre_job", "岗前培训")
    ROTATION = ("rotation", "轮训")


class EquipmentKind(_Labelled):
    """Protective equipment (安保防护装备)."""

    RUBBER_BATON = ("rubber_baton", "橡胶保安棍")
    STEEL_FORK = ("steel_fork", "防护钢叉")
    SHIELD = ("shield", "防护盾牌")
    CUT_RESISTANT_GLOVES = ("cut_resistant_gloves", "防割手套")
    STAB_RESISTANT_VEST = ("stab_resistant_vest", "防刺背心")
    DEFENSE_SPRAY = ("defense_spray", "自卫喷雾剂")
    FLASHLIGHT = ("flashlight", "强光手电")
    RIOT_HELMET = ("riot_helmet", "防暴头盔")
    RADIO = ("radio", "对讲机")
    """Communication equipment for gate guards (通讯器材)."""


class DeviceKind(_Labelled):
    """Technical-defence (技防) devices and systems."""

    ONE_KEY_ALARM = ("one_key_alarm", "一键式紧急报警")
    INTRUSION_ALARM = ("intrusion_alarm", "入侵报警")
    VIDEO_SURVEILLANCE = ("video_surveillance", "视频监控")
    ACCESS_CONTROL = ("access_control", "出入口控制")
    ELECTRONIC_PATROL = ("electronic_patrol", "电子巡查")
    POLICE_CAMERA = ("police_camera", "公安自建探头")


class DrillKind(_Labelled):
    """Drills and practice sessions."""

    EMERGENCY = ("emergency", "应急演练")
    FORMATION = ("formation", "队列训练")
    EQUIPMENT = ("equipment", "防护器械使用训练")
    FIRE_EQUIPMENT = ("fire_equipment", "消防器材使用训练")


class Cadence(_Labelled):
    """Hazard-check cadence (隐患排查机制)."""

    DAILY = ("daily", "日巡查")
    WEEKLY = ("weekly", "周检查")
    MONTHLY = ("monthly", "月排查")
    QUARTERLY = ("quarterly", "季度总结")


class InspectorLevel(_Labelled):
    """Who inspected (督导检查)."""

    SCHOOL = ("school", "学校")
    POLICE_STATION = ("police_station", "派出所")
    COUNTY = ("county", "县级")
    CITY = ("city", "市级")
    PROVINCE = ("province", "省级")


class Placement(_Labelled):
    """Where a device is installed."""

    GATE = ("gate", "校门口")
    GATEHOUSE = ("gatehouse", "门卫室")
    KEY_AREA = ("key_area", "重点部位")
    PERIMETER = ("perimeter", "周界")
    OUTSIDE_GATE = ("outside_gate", "校门外")
    CROWD_AREA = ("crowd_area", "人员聚集场所")
    OTHER = ("other", "其他")


class RegistryStatus(_Labelled):
    """证件状态: a certificate's or permit's status in the registry, or a merge conflict.

    The registry's statuses are ``valid``, ``revoked`` and ``suspended``; the others
    are what merging a registry export into a roster found.
    """

    VALID = ("valid", "有效")
    REVOKED = ("revoked", "已吊销")
    SUSPENDED = ("suspended", "暂扣")
    NOT_REGISTERED = ("not_registered", "未登记")
    NUMBER_MISMATCH = ("number_mismatch", "证号与登记不符")
    HELD_BY_ANOTHER = ("held_by_another", "证号登记在他人名下")


class PlaceKind(_Labelled):
    """巡查部位: the kind of place a school's own patrol checks in at."""

    GATE = ("gate", "校门口")
    TEACHING_BUILDING = ("teaching_building", "教学楼")
    DORMITORY = ("dormitory", "学生宿舍")
    GIRLS_DORMITORY = ("girls_dormitory", "女生宿舍")
    CANTEEN = ("canteen", "食堂")
    OFFICE = ("office", "办公楼")
    LABORATORY = ("laboratory", "实验室")
    PERIMETER = ("perimeter", "周界")
    OTHER = ("other", "其他")
