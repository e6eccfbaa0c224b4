"""The census form of 郑教安〔2019〕53号 as a :class:`FormLayout`, for import and export.

《郑州市中小学幼儿园保安员基本情况调查表》, the annex (附件) of the notice, is the form
三（一） asks every school to fill in, one form per school and one record per guard
(一校一表，一人一档). This module gives the core's census import and export its exact
printed title, its header line (填报单位：, 联系人及联系方式：, 签字（盖章）：) and its
nine columns in printed order, taken from :mod:`campus_security_zhengzhou.census`:

- ``campus-security export roster.json --form zhengzhou-guard-census -o form.xlsx``
  writes the form as printed (签字（盖章） left blank for the signature or seal);
- ``campus-security import form.xlsx`` recognises the form by its title.

The plugin provides the layout through the ``campus_security_census_forms`` hook.
"""

from __future__ import annotations

from collections.abc import Iterable

from campus_security.sdk import FormLayout, hookimpl

from .census import CENSUS_COLUMNS, CENSUS_FORM_TITLE, CENSUS_HEADER_LABELS

__all__ = ["CENSUS_FORM", "campus_security_census_forms"]

CENSUS_FORM = FormLayout(
    id="zhengzhou-guard-census",
    title=CENSUS_FORM_TITLE,
    kind="guard",
    header_fields=CENSUS_HEADER_LABELS,
    columns=CENSUS_COLUMNS,
)
"""郑州市中小学幼儿园保安员基本情况调查表, as printed in the annex of 郑教安〔2019〕53号."""


@hookimpl
def campus_security_census_forms() -> Iterable[FormLayout]:
    """Provide the Zhengzhou guard census form."""
    return [CENSUS_FORM]
