"""Where merged records came from, and what a registry said about a certificate or permit.

A record pulled from another system (a certificate registry, a background review, an
electronic patrol platform, a ledger) carries its :class:`Provenance`: the record
source that read it, the file or URL it was read from, and when. A guard's certificate
and a company's permit, checked against the police certificate registry
(保安服务监管信息系统), carry a :class:`RegistryCheck`: the registry's word, which the
rules that require certificates judge when it is there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from ._checks import check_fields
from .enums import RegistryStatus
from .values import invalid

__all__ = ["Provenance", "RegistryCheck"]


def _non_empty(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if isinstance(value, str) and not value.strip():  # a non-string: check_fields says so
        raise invalid("不能为空", "must not be empty", field=attribute.name)


def _aware(_inst: object, attribute: attrs.Attribute[Any], value: dt.datetime) -> None:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        raise invalid("时间须带时区", "a timestamp needs a UTC offset", field=attribute.name)


@attrs.frozen
class Provenance:
    """数据来源: the record source, file or URL, and time a merged record came from."""

    source: str = attrs.field(validator=_non_empty)
    """来源: the name of the record source that read it (``campus-security sources``)."""
    location: str = attrs.field(validator=_non_empty)
    """文件或地址: the export file or the URL it was read from (never a credential)."""
    retrieved_at: dt.datetime = attrs.field(validator=_aware)
    """取得时间: when it was read, with its UTC offset."""

    __attrs_post_init__ = check_fields

    def cite(self) -> tuple[str, str]:
        """The provenance as a short (Chinese, English) citation for messages."""
        day = self.retrieved_at.date().isoformat()
        return (
            f"{self.source}：{self.location}，{day}取得",
            f"{self.source}: {self.location}, retrieved {day}",
        )


@attrs.frozen
class RegistryCheck:
    """证件核验: what the certificate registry says of a guard's certificate or a permit.

    ``status`` is the registry's status of the certificate (``valid``, ``revoked``,
    ``suspended``) or what the merge found (``not_registered``: the registry does not
    know the holder or the number; ``number_mismatch``: the registry holds another
    number for this holder; ``held_by_another``: the registry gives the number to
    another holder). Only ``valid`` counts as verified.
    """

    status: RegistryStatus
    """核验结果: the registry's status, or the conflict the merge found."""
    source: Provenance
    """数据来源: the registry export this check was made against."""
    registered_number: str | None = None
    """登记证号: the number the registry holds for this holder, when it has one."""
    issued_by: str | None = None
    """发证机关: the issuing authority, as the registry names it."""
    issued_on: dt.date | None = None
    """发证日期: when the certificate or permit was issued, as the registry says."""

    __attrs_post_init__ = check_fields

    @property
    def valid(self) -> bool:
        """Whether the registry holds the certificate or permit as valid."""
        return self.status is RegistryStatus.VALID
