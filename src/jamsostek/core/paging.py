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

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField, Model, QuerySet
from django.db.models.expressions import RawSQL
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
    benchmark province. A dict (a page read with ``fields``) is validated as it is, by the
    field names or their aliases; anything else still goes through Ninja's getter. A ``Row`` has
    no ``resolve_*`` methods."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo) -> Any:
        if type(values) is dict:
            return handler(values)
        return handler(DjangoGetter(values, cls, info.context))


def columns(schema: type[Row]) -> list[str]:
    """The keys of ``schema``'s rows: each field's alias, if it has one, else its name. Where each is
    a column of the listed table (``regency_id``, not ``regency``), ``page(..., fields=columns(...))``
    reads the page as dicts of those columns alone: no model is built, no other column is read or
    parsed (a row's time stamps were two thirds of the values parsed for a page of memberships)."""
    return [field.alias or name for name, field in schema.model_fields.items()]


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
    serialize: Callable[[Sequence[Any]], list[Any]] | None = None,
    *,
    descending: bool = False,
    fields: Sequence[str] | None = None,
) -> dict[str, Any]:
    """One page of ``rows`` after ``query.cursor``, in id order (newest first with ``descending``).
    With ``fields`` (columns of the table, the primary key among them) the rows are dicts of those
    columns (``.values()``), else models. ``serialize`` turns the page's rows into the items (all at
    once, e.g. to log the NIKs shown); without it the rows are the items."""
    key = rows.model._meta.pk.attname
    if fields is not None and key not in fields:
        raise ValueError(f"a page's fields must include the primary key {key!r}")
    ordered = rows.order_by("-pk" if descending else "pk")
    if query.cursor is not None:
        try:
            after = int(query.cursor)
        except ValueError:
            raise InvalidField(_("is not a cursor of this list"), field="cursor") from None
        ordered = ordered.filter(pk__lt=after) if descending else ordered.filter(pk__gt=after)
    counting = rows.order_by().values("pk")[: COUNT_LIMIT + 1]
    try:
        sql, params = counting.query.sql_with_params()
    except EmptyResultSet:  # rows the user may not see any of (``none()``): nothing to ask the database
        return {"items": serialize([]) if serialize else [], "next": None, "count": 0, "count_is_exact": True}
    # The bounded count rides in the page's own query, as an uncorrelated subquery that both databases
    # evaluate once: one round trip instead of two, and no second query for Django to compile.
    counted_sql = RawSQL(f"SELECT COUNT(*) FROM ({sql}) AS counted", params, output_field=IntegerField())
    chunk: list[Any]
    if fields is None:
        chunk = list(ordered.annotate(_counted=counted_sql)[: query.limit + 1])
        numbers = [row._counted for row in chunk[:1]]
        last = chunk[query.limit - 1].pk if len(chunk) > query.limit else None
    else:
        chunk = list(ordered.values(*fields).annotate(_counted=counted_sql)[: query.limit + 1])
        numbers = [row.pop("_counted") for row in chunk]
        last = chunk[query.limit - 1][key] if len(chunk) > query.limit else None
    chunk = chunk[: query.limit]
    if numbers:
        counted = numbers[0]
    elif query.cursor is None:
        counted = 0  # nothing on the first page: the list is empty
    else:
        counted = counting.count()  # past the end of a list: counted on its own
    return {
        "items": serialize(chunk) if serialize else chunk,
        "next": str(last) if last is not None else None,
        "count": min(counted, COUNT_LIMIT),
        "count_is_exact": counted <= COUNT_LIMIT,
    }
