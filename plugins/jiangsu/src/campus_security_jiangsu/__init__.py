"""苏公通〔2019〕635号: Jiangsu's three-year school security action plan and its eight measures.

江苏省公安厅、江苏省教育厅《全省加快推动中小学幼儿园安全防范建设三年行动实施方案》 with
its annex 《加强中小学幼儿园治安安全管理八项措施》, distributed 2019-12-03, for every school
and kindergarten of Jiangsu (320000 and the codes under it). Written only against
:mod:`campus_security.sdk`.

In force from the distribution date (「2019年12月3日印发」; no other effective date is
printed) with no end: the plan's dates (2019, 2020, 2022) are deadlines for reaching a
state that is meant to last, the annex's measures are standing ones, and the first-hire
age limit only begins to bind at the end of 2022. If a later Jiangsu document replaces
this one, ``in_force_until`` becomes the day before it takes effect.

Rate targets
    Ten targets are printed in the document (三（一）2, 3, 4 and 三（二）1). Five more are
    derived from 四(二) 「确保2022年前实现全面达标」 for the construction items that have no
    date of their own (guard equipment, perimeter, gatehouse, security systems, police
    room): 100 % by 2022-12-31. Each target counts the schools its rule applies to.
    On 2022-12-31 the province's anti-ramming state is the two anti-ramming targets
    together; the engine rates one rule per target, so there is no combined figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from campus_security.sdk import Citation, Standard, Target, Text, hookimpl

from .rules import DOCUMENT, END_2019, END_2020, END_2022, ISSUED, RULES

__all__ = ["DOCUMENT", "STANDARD", "TARGETS", "campus_security_standards"]


def _target(id_: str, zh: str, en: str, clause: str, rule_id: str, due: dt.date) -> Target:
    return Target(
        id=id_,
        title=Text(zh, en),
        citation=Citation(DOCUMENT, clause),
        rule_id=rule_id,
        due=due,
        threshold=1.0,
    )


TARGETS = (
    # --- printed in the document
    _target(
        "jiangsu.guard-staffing-2019",
        "中小学和公办幼儿园专职保安员配备率100%",
        "full-time guard staffing 100 % in primary/secondary schools and public kindergartens",
        "三（一）2",
        "jiangsu.guard-staffing",
        END_2019,
    ),
    _target(
        "jiangsu.guard-staffing-private-kindergarten-2020",
        "民办幼儿园专职保安员配备率100%",
        "full-time guard staffing 100 % in private kindergartens",
        "三（一）2",
        "jiangsu.guard-staffing-private-kindergarten",
        END_2020,
    ),
    _target(
        "jiangsu.closed-management-2019",
        "中小学幼儿园封闭化管理100%",
        "closed management 100 %",
        "三（一）3",
        "jiangsu.closed-management",
        END_2019,
    ),
    _target(
        "jiangsu.anti-ramming-2019",
        "城市、城镇及治安交通环境复杂的乡村学校硬质防冲撞设施安装率100%",
        "anti-ramming barriers 100 % at urban, town and complex-area rural schools",
        "三（一）3",
        "jiangsu.anti-ramming-priority",
        END_2019,
    ),
    _target(
        "jiangsu.anti-ramming-2022",
        "其他学校（校门前无法通行机动车的除外）均安装硬质防冲撞设施",
        "anti-ramming barriers at every other school whose gate motor vehicles can reach",
        "三（一）3",
        "jiangsu.anti-ramming-other",
        END_2022,
    ),
    _target(
        "jiangsu.one-key-alarm-2019",
        "一键式紧急报警系统达标率100%",
        "one-key emergency alarm compliance 100 %",
        "三（一）4",
        "jiangsu.one-key-alarm",
        END_2019,
    ),
    _target(
        "jiangsu.video-surveillance-2019",
        "视频监控系统达标率100%",
        "video surveillance compliance 100 %",
        "三（一）4",
        "jiangsu.video-surveillance",
        END_2019,
    ),
    _target(
        "jiangsu.police-link-2019",
        "一键式紧急报警系统和重要部位视频监控与公安机关联网率100%",
        "one-key alarm and key-area video linked to the police 100 %",
        "三（一）4",
        "jiangsu.police-link",
        END_2019,
    ),
    _target(
        "jiangsu.police-camera-2019",
        "学校门外一定区域公安自建探头安装率100%",
        "police cameras outside the school gate 100 %",
        "三（一）4",
        "jiangsu.police-camera",
        END_2019,
    ),
    _target(
        "jiangsu.guard-post-2019",
        "城市、县城及乡镇学校全部设立护学岗",
        "police school-gate posts at every urban, county-town and township school",
        "三（二）1",
        "jiangsu.guard-post",
        END_2019,
    ),
    # --- derived from 四(二) 「确保2022年前实现全面达标」
    _target(
        "jiangsu.guard-equipment-2022",
        "护卫器械配备全面达标",
        "protective equipment at every school",
        "四(二)",
        "jiangsu.guard-equipment",
        END_2022,
    ),
    _target(
        "jiangsu.perimeter-2022",
        "围墙、护栏全面达标",
        "walls or fences at every school",
        "四(二)",
        "jiangsu.perimeter",
        END_2022,
    ),
    _target(
        "jiangsu.gatehouse-2022",
        "门卫值班室全面达标",
        "a gatehouse at every school",
        "四(二)",
        "jiangsu.gatehouse",
        END_2022,
    ),
    _target(
        "jiangsu.security-systems-2022",
        "入侵报警、出入口控制、电子巡查系统全面达标",
        "intrusion alarm, access control and electronic patrol at every school",
        "四(二)",
        "jiangsu.security-systems",
        END_2022,
    ),
    _target(
        "jiangsu.police-room-2022",
        "校园警务室全面达标",
        "a campus police room (五统一) at every school",
        "四(二)",
        "jiangsu.police-room",
        END_2022,
    ),
)

STANDARD = Standard(
    id="jiangsu",
    title=Text(
        "全省加快推动中小学幼儿园安全防范建设三年行动实施方案"
        "（附件：加强中小学幼儿园治安安全管理八项措施）",
        "Jiangsu provincial plan for the three-year action to speed up security-defence "
        "building in primary and secondary schools and kindergartens (annex: eight measures "
        "to strengthen public-order security management in primary and secondary schools "
        "and kindergartens)",
    ),
    document=DOCUMENT,
    issued_by=Text(
        "江苏省公安厅、江苏省教育厅",
        "Jiangsu Provincial Public Security Department; Jiangsu Provincial Department of Education",
    ),
    jurisdiction=["320000"],
    in_force_from=ISSUED,
    in_force_until=None,
    rules=RULES,
    targets=TARGETS,
    url=None,
)


@hookimpl
def campus_security_standards() -> Iterable[Standard]:
    """Provide the Jiangsu standard."""
    return [STANDARD]
