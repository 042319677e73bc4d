"""Reads of the results: one module per page, reads only, every argument keyword-only.

* :mod:`.overview` -- the province overview (matrix, district counts, criteria most
  missed, communes closest to recognition, comparison with the year before), also read by
  the map and the province exports;
* :mod:`.national` -- the results index (provinces and years) and the national summary;
* :mod:`.scorecard` -- a commune's scorecard (every criterion, evidence, trend);
* :mod:`.search` -- find my commune (by name, accents optional);
* :mod:`.common` -- what the pages share: :class:`~.common.ResultsNotFound`, finding the
  province and its round, the district of a commune, averages.

Each page's read comes with its *stamp* (``overview_stamp``, ``national_stamp``,
``scorecard_stamp``): what the page depends on, cheaply, for
:mod:`smartcommune.results.caching`.

Who sees what is decided by :mod:`smartcommune.rounds.access` alone
(:func:`~smartcommune.rounds.access.visible_assessments`): the secretariat, the
agencies and administrators see every commune of their province's round, a district
reviewer the communes of their district, a commune officer their own commune plus the
published results of the others, and the public (``AnonymousUser``) only published
results.  Whatever the viewer may not see is absent, as if it did not exist: a page with
nothing visible raises :class:`~.common.ResultsNotFound`, an ``Http404``, so views answer
404 (not 403) and disclose nothing.

Every result is the engine's (:func:`smartcommune.criteria.engine.evaluate`) on the stored
values, the same call as :func:`smartcommune.rounds.evaluation.evaluate_assessment`, made in
bulk by :func:`smartcommune.rounds.evaluation.evaluations_of` (which keeps results per
assessment version).  The number of queries does not grow with the number of communes: the
assessments with their units and districts in one query, all their values in one, the
previous year's assessments and values in one each.
"""
