"""Pages of a list that do not grow with the table: keyset (cursor) paging on the rows' id.

A page is ``{"items": [...], "next": cursor or null, "count": N, "count_is_exact": bool}``. The
next page starts after the last row's id (``WHERE id > cursor ORDER BY id LIMIT n``, through the
primary key's index), so the thousandth page costs what the first does; the count stops at
``COUNT_LIMIT`` (``count_is_exact`` says whether it did), so a province's million rows are not
counted on every page (a regency officer's payments are found by one index probe each: counting ten
thousand of them took 150 ms on the benchmark province, a thousand 15 ms). The cursor is the last id
as text: opaque to clients, checked here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import ModelWrapValidatorHandler, ValidationInfo, model_validator

from jamsostek.core.errors import InvalidField

M = TypeVar("M", bound=Model)
T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
COUNT_LIMIT = 1_000
CURSOR_PATTERN = r"^[0-9]{1,18}$"


class Row(Schema):
    """A schema of the answers of lists, validated from a dict as pydantic validates it. Django
    Ninja wraps every value it validates in its ``DjangoGetter`` (to read a model's attributes and
    run ``resolve_*`` methods); for a page of 50 dicts that cost 3.8 ms of a request's 10 ms on the
    benchmark province. A dict (``as_rows`` makes them from models) is validated as it is, by the
    field names or their aliases; anything else still goes through Ninja's getter. A ``Row`` has
    no ``resolve_*`` methods."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo) -> Any:
        if type(values) is dict:
            return handler(values)
        return handler(DjangoGetter(values, cls, info.context))


def as_rows(schema: type[Row]) -> Callable[[Sequence[Model]], list[dict[str, Any]]]:
    """A page's ``serialize`` that reads each field of ``schema`` (by its alias, if it has one) from
    the models' attributes into a dict."""
    keys = [field.alias or name for name, field in schema.model_fields.items()]
    return lambda rows: [{key: getattr(row, key) for key in keys} for row in rows]


class PageQuery(Schema):
    """The paging parameters of every list operation."""

    cursor: str | None = Field(
        None,
        pattern=CURSOR_PATTERN,
        description="the `next` of the previous page (omit for the first page)",
        examples=["12345"],
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"rows per page, at most {MAX_LIMIT}")


class Page(Row, Generic[T]):
    items: list[T]
    next: str | None = Field(description="the cursor of the next page; null on the last page")
    count: int = Field(description=f"rows in the whole list, counted up to {COUNT_LIMIT:,}")
    count_is_exact: bool = Field(description="false when the list has more rows than `count`")


def page(
    rows: QuerySet[M],
    query: PageQuery,
    serialize: Callable[[Sequence[M]], list[Any]] | None = None,
    *,
    descending: bool = False,
) -> dict[str, Any]:
    """One page of ``rows`` after ``query.cursor``, in id order (newest first with ``descending``).
    ``serialize`` turns the page's rows into the items (all at once, e.g. to log the NIKs shown)."""
    ordered = rows.order_by("-pk" if descending else "pk")
    if query.cursor is not None:
        try:
            after = int(query.cursor)
        except ValueError:
            raise InvalidField(_("is not a cursor of this list"), field="cursor") from None
        ordered = ordered.filter(pk__lt=after) if descending else ordered.filter(pk__gt=after)
    chunk = list(ordered[: query.limit + 1])
    more = len(chunk) > query.limit
    chunk = chunk[: query.limit]
    counted = rows.order_by()[: COUNT_LIMIT + 1].count()
    return {
        "items": serialize(chunk) if serialize else chunk,
        "next": str(chunk[-1].pk) if more else None,
        "count": min(counted, COUNT_LIMIT),
        "count_is_exact": counted <= COUNT_LIMIT,
    }
