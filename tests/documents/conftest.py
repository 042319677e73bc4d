from tests.results.conftest import _media_in_tmp, _no_kept_results, _results_cache_in_tmp  # noqa: F401
