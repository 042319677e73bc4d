"""Long lists of the round's pages, a page at a time (``?page=N``).

The links keep the other query parameters (the filters) through Django's
``{% querystring %}`` tag; ``rounds/workflow/_pagination.html`` draws them.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def paginate(request: HttpRequest, object_list, per_page: int | None = None) -> Page:
    """The requested page of ``object_list`` (a queryset is sliced, not loaded whole); a
    missing, unreadable or too large page number gives the first or last page.  ``links``:
    the page numbers to show, long ranges elided."""
    page = Paginator(object_list, per_page or PER_PAGE).get_page(request.GET.get("page"))
    page.links = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
