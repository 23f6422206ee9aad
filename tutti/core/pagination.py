"""Pages of a list whose length is already known."""

from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property

if TYPE_CHECKING:
    _Paginator = Paginator[Any]
else:  # Django's Paginator takes no type arguments at run time.
    _Paginator = Paginator


class CountedPaginator(_Paginator):
    """A Paginator given the count of its list, which the caller has already made (to choose
    what to list, say), so that the page does not run the same COUNT again."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count
