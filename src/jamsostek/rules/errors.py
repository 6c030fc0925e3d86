"""The rules package's exceptions: one hierarchy, mapped to one error shape at the edges."""

from __future__ import annotations

from typing import Any

# Messages per error code, English and Bahasa Indonesia. The CLI and the web pick the language;
# the rules package only carries the code, the field and the parameters.
MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("is required", "wajib diisi"),
    "not_integer": (
        "must be a whole number of rupiah, got {value!r}",
        "harus bilangan bulat rupiah, bukan {value!r}",
    ),
    "not_number": (
        "must be a whole number, got {value!r}",
        "harus bilangan bulat, bukan {value!r}",
    ),
    "negative": ("must not be negative, got {value}", "tidak boleh negatif, bukan {value}"),
    "too_large": (
        "must be at most {maximum}, got {value}",
        "paling besar {maximum}, bukan {value}",
    ),
    "out_of_range": (
        "must be between {low} and {high}, got {value}",
        "harus antara {low} dan {high}, bukan {value}",
    ),
    "not_one_of": (
        "must be one of {choices}, got {value!r}",
        "harus salah satu dari {choices}, bukan {value!r}",
    ),
    "bad_period": (
        "must be a month written YYYY-MM, got {value!r}",
        "harus bulan dengan format YYYY-MM, bukan {value!r}",
    ),
    "bad_date": (
        "must be a date written YYYY-MM-DD, got {value!r}",
        "harus tanggal dengan format YYYY-MM-DD, bukan {value!r}",
    ),
    "before_rules": (
        "{value} is before {program} existed under the encoded rules (first month: {first})",
        "{value} sebelum {program} berlaku menurut aturan yang dikodekan (bulan pertama: {first})",
    ),
    "unknown_segment": (
        "unknown segment {value!r}; expected one of pu, bpu, jakon, pmi",
        "segmen {value!r} tidak dikenal; pilihan: pu, bpu, jakon, pmi",
    ),
    "one_of_required": (
        "give exactly one of {choices}",
        "isi tepat satu dari {choices}",
    ),
    "empty": ("must not be empty", "tidak boleh kosong"),
    # Benefit rules.
    "before_rules_date": (
        "{value} is before the encoded {program} rules (first day: {first})",
        "{value} sebelum aturan {program} yang dikodekan (hari pertama: {first})",
    ),
    "before": (
        "must not be before {other} ({limit}), got {value}",
        "tidak boleh sebelum {other} ({limit}), bukan {value}",
    ),
    "more_than": (
        "must not be more than {other} ({limit}), got {value}",
        "tidak boleh lebih dari {other} ({limit}), bukan {value}",
    ),
    "bad_rate": (
        "must be a rate from 0 to 1 or a percentage (0.35 or 35%), got {value!r}",
        "harus tingkat antara 0 dan 1 atau persen (0.35 atau 35%), bukan {value!r}",
    ),
    "missing_return": (
        "no declared return rate for {year}",
        "tidak ada tingkat hasil pengembangan untuk tahun {year}",
    ),
    "not_applicable": ("does not apply to {what}", "tidak berlaku untuk {what}"),
    "bad_spec": (
        "must be written {form}, got {value!r}",
        "harus ditulis {form}, bukan {value!r}",
    ),
    "bad_file": ("cannot read {value!r}: {problem}", "tidak dapat membaca {value!r}: {problem}"),
    "bad_json": ("is not valid JSON: {problem}", "bukan JSON yang sah: {problem}"),
}


class RulesError(Exception):
    """Base class for every error raised by ``jamsostek.rules``."""


class InvalidInput(RulesError):
    """An input value that the rules cannot accept. Names the field and the reason."""

    def __init__(self, field: str, code: str, *, row: int | None = None, **params: Any) -> None:
        self.field = field
        self.code = code
        self.row = row
        self.params = params
        super().__init__(self.message("en"))

    def reason(self, language: str = "en") -> str:
        english, indonesian = MESSAGES[self.code]
        template = indonesian if language.startswith("id") else english
        return template.format(**self.params)

    def message(self, language: str = "en") -> str:
        where = f"row {self.row}: " if self.row is not None else ""
        if language.startswith("id") and self.row is not None:
            where = f"baris {self.row}: "
        return f"{where}{self.field}: {self.reason(language)}"


class ParameterError(RulesError):
    """A parameter file that breaks the parameter format (raised when loading)."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class ParameterNotInForce(RulesError):
    """A parameter asked for on a date where the encoded law gives it no value."""

    def __init__(self, name: str, on: object, first: object | None) -> None:
        self.name = name
        self.on = on
        self.first = first
        super().__init__(f"parameter {name} has no value in force on {on} (first value: {first})")
