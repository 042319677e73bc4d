"""Criteria sets in the web app: uploaded by the secretariat, checked, compared, made available.

The shipped sets and the administrator's directory (``SMARTCOMMUNE_CRITERIA_DIR``) come
from :mod:`smartcommune.criteria.registry`; sets uploaded through the web are stored in
the database (several application servers share no disk) with their content hash.
:mod:`~smartcommune.criteriasets.store` finds a set by code among all three, and refuses
a set whose content differs from the one a round was opened with.
"""
