"""One decision per distinct decision number of a round, and one annex line per assessment
that recorded it (its recognition as recorded).  A decision's date and signer are those most
assessments recorded with the number (ties: the earliest date, the first signer by name)."""

from collections import Counter

from django.db import migrations


def _issuing_body(name: str) -> str:
    # As smartcommune.rounds.workflow.issuing_body (a migration keeps its own copy).
    for kind in ("Tỉnh ", "Thành phố "):
        if name.startswith(kind):
            name = kind.lower() + name[len(kind):]
    return f"Ủy ban nhân dân {name}"


def decisions_from_assessments(apps, schema_editor):
    Assessment = apps.get_model("rounds", "Assessment")
    Decision = apps.get_model("rounds", "Decision")
    DecisionLine = apps.get_model("rounds", "DecisionLine")
    decided = (Assessment.objects.exclude(decision_number="").exclude(decision_date=None)
               .select_related("round__province").order_by("round_id", "decision_number", "pk"))
    groups: dict[tuple[int, str], list] = {}
    for a in decided:
        groups.setdefault((a.round_id, a.decision_number), []).append(a)
    for (_round_id, number), assessments in groups.items():
        dates = Counter(a.decision_date for a in assessments)
        signers = Counter(a.decision_signer for a in assessments)
        date = min(dates, key=lambda d: (-dates[d], d))
        signer = min(signers, key=lambda s: (-signers[s], s))
        first = assessments[0]
        decision = Decision.objects.create(
            round_id=first.round_id, number=number, date=date, signer_name=signer,
            issuing_body=_issuing_body(first.round.province.name),
        )
        DecisionLine.objects.bulk_create([
            DecisionLine(decision=decision, assessment=a, recognised=bool(a.decision_recognised))
            for a in assessments
        ])


class Migration(migrations.Migration):
    dependencies = [("rounds", "0004_decisions_and_appraisal")]

    operations = [migrations.RunPython(decisions_from_assessments, migrations.RunPython.noop)]
