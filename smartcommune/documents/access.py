"""Who may take which document (on top of :mod:`smartcommune.rounds.access`, which
decides who reaches which assessment):

* a commune's self-assessment report: whoever's roles reach the assessment -- its commune
  officers, its district's reviewers, the province's agencies and secretariat --
  and administrators;
* a district's Tờ trình: the district's reviewers, the province's secretariat, administrators;
* the appraisal minutes, the draft decision, the province's report and the province's
  templates: the province's secretariat and administrators.

Anyone else is answered 404, as for anything they may not see."""

from __future__ import annotations

from smartcommune.accounts.models import Role
from smartcommune.rounds import access
from smartcommune.rounds.models import Assessment
from smartcommune.units.models import Unit


def may_take_self_assessment(user, assessment: Assessment) -> bool:
    return access.assessments_in_scope(user).filter(pk=assessment.pk).exists()


def may_take_district_proposal(user, district: Unit) -> bool:
    return (access.is_admin(user) or access.is_secretariat_of(user, district.parent)
            or district.pk in access.units_by_role(user)[Role.DISTRICT_REVIEWER])


def may_take_province_documents(user, province: Unit) -> bool:
    return access.is_admin(user) or access.is_secretariat_of(user, province)
