"""Joins three changes made side by side: values fed by the product's own records (0004),
the hash of a round's criteria set and count and choice values (0004, 0005), decisions and
appraisal sessions (0004, 0005)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('rounds', '0004_criterionvalue_fed_by'),
        ('rounds', '0005_criterionvalue_count_choice'),
        ('rounds', '0005_decisions_from_assessments'),
    ]

    operations = [
    ]
