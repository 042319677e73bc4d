"""The yearly round: assessments, values, evidence, workflow transitions, audit, notifications."""
