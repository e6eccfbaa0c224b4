"""Reading a form's guard rows: ID numbers, genders, birth dates, certificates, companies."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from ...census_forms import (
    BIRTH_DATE,
    CERTIFICATE,
    COMPANY_NAME,
    COMPANY_NATURE,
    ETHNICITY,
    GENDER,
    HIRED_ON,
    ID_NUMBER,
    NAME,
    POLICE_AUTHORITY,
    _label,
)
from ...errors import Problem
from ...model import (
    Gender,
    Guard,
    IdNumber,
    InvalidValue,
    School,
    SchoolKind,
    SecurityCompany,
    Text,
)
from ...spreadsheets.grids import Cell, _Grid
from .blocks import _Block
from .cells import _NONE_WORDS, _cell_date, _cell_text, _clean_code, _is_blank, _ref, company_id_for


@attrs.define
class _CompanyDraft:
    id: str
    name: str
    nature: str | None
    police_authority: str | None
    permit_number: str | None = None
    credit_code: Any = None
    nature_ref: str | None = None
    police_ref: str | None = None

    def build(self) -> SecurityCompany:
        return SecurityCompany(
            id=self.id,
            name=self.name,
            nature=self.nature,
            permit_number=self.permit_number,
            police_authority=self.police_authority,
            credit_code=self.credit_code,
        )


@attrs.define
class _GuardRow:
    id_number: IdNumber
    name: str
    ethnicity: str | None
    certificate_number: str | None
    company_id: str | None
    hired_on: dt.date | None
    has_hired_column: bool


def _gender_of(text: str) -> Gender | None:
    lab = _label(text).lower()
    if lab in {"男", "男性", "m", "male"}:
        return Gender.MALE
    if lab in {"女", "女性", "f", "female"}:
        return Gender.FEMALE
    return None


_KIND_WORDS: dict[str, SchoolKind] = {
    **{_label(k.zh): k for k in SchoolKind},
    **{k.value: k for k in SchoolKind},
    "九年一贯制": SchoolKind.COMBINED,
    "完全中学": SchoolKind.COMBINED,
    "十二年一贯制": SchoolKind.COMBINED,
    "初中": SchoolKind.SECONDARY,
    "高中": SchoolKind.SECONDARY,
    "初级中学": SchoolKind.SECONDARY,
    "高级中学": SchoolKind.SECONDARY,
    "中等职业学校": SchoolKind.VOCATIONAL,
    "职业高中": SchoolKind.VOCATIONAL,
    "职高": SchoolKind.VOCATIONAL,
}


def _school_kind(value: SchoolKind | str) -> SchoolKind | None:
    if isinstance(value, SchoolKind):
        return value
    return _KIND_WORDS.get(_label(value).lower()) or _KIND_WORDS.get(_label(value))


class _GuardRows:
    """The part of the census reader that reads guard rows and the companies they name."""

    source: str
    problems: list[Problem]
    notes: list[Problem]
    companies: dict[str, _CompanyDraft]
    company_order: list[str]
    ambiguous: dict[str, list[str]]
    taken_company_ids: set[str]

    formula_refs: set[str]

    def bad(self, path: str, zh: str, en: str) -> None:
        if path in self.formula_refs:  # a formula without its result: said once, there
            return
        self.problems.append(Problem(path, Text(zh, en), self.source))

    def note(self, path: str, zh: str, en: str) -> None:
        self.notes.append(Problem(path, Text(zh, en), self.source))

    # -- guards

    def read_guards(
        self, block: _Block, by_key: dict[str, int], rows: list[int]
    ) -> list[_GuardRow] | None:
        grid = block.grid
        before = len(self.problems)
        seen: dict[str, int] = {}
        out: list[_GuardRow] = []

        def cell(r: int, key: str) -> tuple[Cell, str]:
            c = by_key.get(key)
            if c is None:
                return None, ""
            return grid.get(r, c), _ref(grid.name, r, c)

        for r in rows:
            raw_name, name_ref = cell(r, NAME)
            name = _cell_text(raw_name)
            if not name:
                self.bad(name_ref or _ref(grid.name, r), "姓名不能为空", "the name is missing")
            id_number = self.read_id(*cell(r, ID_NUMBER), r=r, grid=grid)
            if id_number is not None:
                first = seen.get(id_number.value)
                if first is not None:
                    self.bad(
                        cell(r, ID_NUMBER)[1],
                        f"身份证号码与第{first + 1}行重复",
                        f"the ID number repeats row {first + 1}",
                    )
                seen.setdefault(id_number.value, r)
                self.check_gender(id_number, *cell(r, GENDER))
                self.check_birth(id_number, *cell(r, BIRTH_DATE))
            elif by_key.get(GENDER) is not None:
                self.check_gender(None, *cell(r, GENDER))
            ethnicity = _cell_text(cell(r, ETHNICITY)[0]) or None
            certificate = self.read_certificate(*cell(r, CERTIFICATE))
            company_id = self.read_company(r, block, by_key)
            hired_on = None
            raw_hired, hired_ref = cell(r, HIRED_ON)
            if not _is_blank(raw_hired):
                parsed = _cell_date(raw_hired)
                if parsed is None or parsed[1]:
                    self.bad(
                        hired_ref,
                        f"首次聘用日期无法识别：{_cell_text(raw_hired)!r}（应写作 YYYY-MM-DD）",
                        f"not a date: {_cell_text(raw_hired)!r} (write YYYY-MM-DD)",
                    )
                else:
                    hired_on = parsed[0]
            if id_number is not None and name:
                out.append(
                    _GuardRow(
                        id_number,
                        name,
                        ethnicity,
                        certificate,
                        company_id,
                        hired_on,
                        HIRED_ON in by_key,
                    )
                )
        return out if len(self.problems) == before else None

    def read_id(self, raw: Cell, ref: str, *, r: int, grid: _Grid) -> IdNumber | None:
        if _is_blank(raw):
            self.bad(ref or _ref(grid.name, r), "身份证号码不能为空", "the ID number is missing")
            return None
        if isinstance(raw, float | int) and not isinstance(raw, bool) and abs(raw) >= 1e15:
            self.bad(
                ref,
                "身份证号码被存成了数字，表格程序只保留15位有效数字，末尾几位已丢失；"
                "请把该列设为文本格式后重新填写",
                "the ID number was stored as a number, and spreadsheet programs keep only "
                "15 significant digits, so its last digits are lost; format the column as "
                "text and enter it again",
            )
            return None
        text = _clean_code(_cell_text(raw)).upper()
        if "*" in text:
            self.bad(
                ref,
                "身份证号码已脱敏（含 *），不能导入；请用 --show-personal-data 导出完整号码",
                "the ID number is masked (has *) and cannot be imported; export with "
                "--show-personal-data for full numbers",
            )
            return None
        try:
            return IdNumber(text)
        except InvalidValue as exc:
            self.problems.append(Problem(ref, exc.message, self.source))
            return None

    def check_gender(self, id_number: IdNumber | None, raw: Cell, ref: str) -> None:
        if _is_blank(raw):
            return
        text = _cell_text(raw)
        stated = _gender_of(text)
        if stated is None:
            self.bad(ref, f"性别应为男或女：{text!r}", f"gender must be 男 or 女: {text!r}")
            return
        if id_number is None:
            return
        derived = Gender.MALE if int(id_number.value[16]) % 2 else Gender.FEMALE
        if stated is not derived:
            self.bad(
                ref,
                f"性别“{text}”与身份证号码不符（号码第17位表示{derived.zh}）",
                f"gender {text!r} disagrees with the ID number (its 17th digit says "
                f"{derived.value})",
            )

    def check_birth(self, id_number: IdNumber, raw: Cell, ref: str) -> None:
        if _is_blank(raw):
            return
        parsed = _cell_date(raw)
        if parsed is None:
            text = _cell_text(raw)
            self.bad(
                ref,
                f"出生日期无法识别：{text!r}（应写作 YYYY-MM-DD）",
                f"not a date: {text!r} (write YYYY-MM-DD)",
            )
            return
        when, month_only = parsed
        birth = id_number.birth_date
        agrees = (when.year, when.month) == (birth.year, birth.month)
        if not month_only:
            agrees = agrees and when.day == birth.day
        if not agrees:
            # Neither date is shown: the one derived from the ID number is personal data,
            # which messages never hold, and the cell reference locates the one typed.
            self.bad(
                ref,
                "出生日期与身份证号码中的出生日期不符",
                "the birth date disagrees with the one in the ID number",
            )

    def read_certificate(self, raw: Cell, ref: str) -> str | None:
        if _is_blank(raw):
            return None
        text = _clean_code(_cell_text(raw))
        if _label(text) in _NONE_WORDS:
            return None
        return text

    def read_company(self, r: int, block: _Block, by_key: dict[str, int]) -> str | None:
        grid = block.grid

        def value(key: str) -> tuple[str | None, str]:
            c = by_key.get(key)
            if c is None:
                return None, ""
            text = _cell_text(grid.get(r, c))
            if not text or _label(text) in _NONE_WORDS:
                return None, _ref(grid.name, r, c)
            return text, _ref(grid.name, r, c)

        name, name_ref = value(COMPANY_NAME)
        nature, nature_ref = value(COMPANY_NATURE)
        police, police_ref = value(POLICE_AUTHORITY)
        if name is None:
            if nature is not None or police is not None:
                self.bad(
                    name_ref or nature_ref or police_ref,
                    "填写了企业性质或属地公安机关，但缺少保安服务企业名称",
                    "the company's nature or police authority is given but not its name",
                )
            return None
        key = _label(name)
        if key in self.ambiguous:
            ids = ", ".join(self.ambiguous[key])
            self.bad(
                name_ref,
                f"名册中有多家企业名为“{name}”（{ids}），无法确定是哪一家",
                f"the roster has several companies named {name!r} ({ids}); cannot tell which",
            )
            return None
        draft = self.companies.get(key)
        if draft is None:
            cid, n = company_id_for(name), 2
            while cid in self.taken_company_ids:
                cid, n = f"{company_id_for(name)}-{n}", n + 1
            self.taken_company_ids.add(cid)
            draft = _CompanyDraft(cid, name, None, None)
            self.companies[key] = draft
            self.company_order.append(key)
        for attr, given, ref, what in (
            ("nature", nature, nature_ref, ("企业性质", "nature")),
            ("police_authority", police, police_ref, ("属地公安机关", "police authority")),
        ):
            if given is None:
                continue
            had = getattr(draft, attr)
            if had is None:
                setattr(draft, attr, given)
                setattr(draft, "nature_ref" if attr == "nature" else "police_ref", ref)
            elif _label(had) != _label(given):
                where = getattr(draft, "nature_ref" if attr == "nature" else "police_ref")
                zh_where = f"（{where}）" if where else "（名册）"
                en_where = f" ({where})" if where else " (the roster)"
                self.bad(
                    ref,
                    f"{name}的{what[0]}“{given}”与此前的“{had}”{zh_where}不一致",
                    f"{name}: {what[1]} {given!r} differs from {had!r}{en_where}",
                )
        return draft.id

    @staticmethod
    def new_guard(g: _GuardRow) -> Guard:
        return Guard(
            id_number=g.id_number,
            name=g.name,
            company_id=g.company_id,
            certificate_number=g.certificate_number,
            ethnicity=g.ethnicity,
            hired_on=g.hired_on,
        )

    def merge_guards(self, school: School, rows: list[_GuardRow], ref: str) -> tuple[Guard, ...]:
        """The form's census items replace the roster's; everything else is kept."""
        by_id = {g.id_number.value: g for g in rows}
        out: list[Guard] = []
        kept = 0
        for g in school.guards:
            row = by_id.pop(g.id_number.value, None)
            if row is None:
                out.append(g)
                kept += 1
                continue
            out.append(
                attrs.evolve(
                    g,
                    name=row.name,
                    ethnicity=row.ethnicity,
                    certificate_number=row.certificate_number,
                    company_id=row.company_id,
                    hired_on=row.hired_on if row.has_hired_column else g.hired_on,
                )
            )
        out.extend(self.new_guard(r) for r in rows if r.id_number.value in by_id)
        if kept:
            self.note(
                ref,
                f"名册中学校 {school.id} 有{kept}名保安员不在调查表中，已保留",
                f"school {school.id}: {kept} guard(s) of the roster are not on the form; kept",
            )
        return tuple(out)
