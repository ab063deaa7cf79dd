"""Pages of a list, for the views: `paginate(request, queryset, per_page)`.

Two kinds of page:

- counted (`count=True`, Django's Paginator): "Page 2 of 7" and the total. For lists whose
  size is bounded by a community (the directory, a referent's members and requests).
- count-free (`count=False`): fetches one row more than the page to know whether there is a
  next one, and never runs a COUNT. For lists that grow with history (alerts, the moderation
  log, orders): counting years of rows on every visit costs more than the page itself.

The page number comes from the query string (`param`, "page" by default), so that two lists
on one page each keep their own. Whatever a person types there gives a page or a 404, never
an error: anything but a positive whole number is the first page; a number past the end is
a 404 (no link points there), on both kinds alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, QueryDict

# Far past any real list; keeps the SQL OFFSET well inside a 64-bit integer.
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page:
    """One page of a list: iterate over it as over the list itself."""

    items: list[Any]
    number: int
    has_next: bool
    param: str
    query: QueryDict = field(repr=False)
    count: int | None = None  # None on a count-free page
    num_pages: int | None = None

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def counted(self) -> bool:
        return self.count is not None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_url(self) -> str:
        return self.url_for(self.number - 1)

    @property
    def next_url(self) -> str:
        return self.url_for(self.number + 1)

    def url_for(self, number: int) -> str:
        """The query string of page `number`, keeping every other parameter (a search, the
        page of another list), URL-encoded."""
        query = self.query.copy()
        if number <= 1:
            query.pop(self.param, None)
        else:
            query[self.param] = str(number)
        return f"?{query.urlencode()}" if query else "?"


def page_number(raw: str | None) -> int:
    """The page asked for: anything but a positive whole number is page 1; past MAX_PAGE, 404."""
    try:
        number = int(raw or "")
    except ValueError:
        return 1
    if number > MAX_PAGE:
        raise Http404
    return max(number, 1)


def paginate(request, queryset, per_page: int, *, param: str = "page", count: bool = True) -> Page:
    """The page of `queryset` (ordered) that the request asks for in `param`."""
    number = page_number(request.GET.get(param))
    if count:
        return _counted_page(request, queryset, per_page, param, number)
    return _count_free_page(request, queryset, per_page, param, number)


def _counted_page(request, queryset, per_page, param, number) -> Page:
    paginator = Paginator(queryset, per_page)
    if number > paginator.num_pages:
        raise Http404
    page = paginator.page(number)
    return Page(
        items=list(page.object_list),
        number=number,
        has_next=page.has_next(),
        param=param,
        query=request.GET,
        count=paginator.count,
        num_pages=paginator.num_pages,
    )


def _count_free_page(request, queryset, per_page, param, number) -> Page:
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    if number > 1 and not rows:
        raise Http404
    return Page(
        items=rows[:per_page], number=number, has_next=len(rows) > per_page, param=param, query=request.GET
    )
