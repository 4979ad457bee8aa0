"""Validate connector records against the stream schemas in catalog/schemas/.

Importable helper for the integration tests (and handy from a shell):

    from schema_check import load_schema, validate_record
    validate_record("orders", record)          # raises jsonschema.ValidationError

Schemas are JSON Schema draft-07. Date-time fields carry an Airbyte hint:
- "airbyte_type": "timestamp_without_timezone" -> WooCommerce's naive "2026-11-29T01:10:39"
  (no offset) is accepted, and an offset or "Z" is rejected;
- "airbyte_type": "timestamp_with_timezone" -> a full RFC 3339 date-time with "Z" or an offset
  is required.
A plain "format": "date-time" without a hint requires RFC 3339, as the standard says.
"""

from __future__ import annotations

import datetime
import functools
import json
import pathlib
import re

import jsonschema
from jsonschema import Draft7Validator, ValidationError

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO_ROOT / "catalog" / "schemas"

STREAMS = (
    "orders", "order_notes", "refunds", "products", "product_variations", "product_categories",
    "product_tags", "product_attributes", "product_attribute_terms", "product_reviews",
    "product_shipping_classes", "customers", "coupons", "tax_rates", "tax_classes",
    "shipping_zones", "shipping_zone_locations", "shipping_zone_methods", "shipping_methods",
    "payment_gateways", "system_status_tools", "inventory",
)

_NAIVE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$")
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_naive_datetime(value: str) -> bool:
    """True for 'YYYY-MM-DDTHH:MM:SS[.ffffff]' that is a real calendar time, no offset."""
    if not _NAIVE.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_rfc3339_datetime(value: str) -> bool:
    """True for an RFC 3339 date-time with 'Z' or a numeric offset."""
    if not _RFC3339.match(value):
        return False
    text = value[:-1] + "+00:00" if value[-1] in "Zz" else value
    # fromisoformat before 3.11 accepts at most 6 fractional digits: trim longer fractions.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        datetime.datetime.fromisoformat(text.replace("t", "T"))
    except ValueError:
        return False
    return True


def _is_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _format(validator, fmt, instance, schema):
    """'format' keyword aware of the sibling 'airbyte_type' hint (see module docstring)."""
    if not isinstance(instance, str):
        return
    if fmt == "date-time":
        airbyte_type = schema.get("airbyte_type")
        if airbyte_type == "timestamp_without_timezone":
            if not is_naive_datetime(instance):
                yield ValidationError(
                    f"{instance!r} is not a naive date-time (YYYY-MM-DDTHH:MM:SS, no offset)")
        elif not is_rfc3339_datetime(instance):
            yield ValidationError(f"{instance!r} is not an RFC 3339 date-time with a time zone")
    elif fmt == "date":
        if not _is_date(instance):
            yield ValidationError(f"{instance!r} is not a date (YYYY-MM-DD)")


RecordValidator = jsonschema.validators.extend(Draft7Validator, {"format": _format})


def schema_path(stream: str) -> pathlib.Path:
    return SCHEMA_DIR / f"{stream}.json"


@functools.lru_cache(maxsize=None)
def _load(stream: str) -> str:
    return schema_path(stream).read_text(encoding="utf-8")


def load_schema(stream: str) -> dict:
    """The parsed schema of `stream` (a fresh copy each call)."""
    return json.loads(_load(stream))


@functools.lru_cache(maxsize=None)
def _validator(stream: str):
    schema = load_schema(stream)
    Draft7Validator.check_schema(schema)
    return RecordValidator(schema)


def record_errors(stream: str, record) -> list[str]:
    """Every validation problem of `record`, as 'path: message' strings (empty if valid)."""
    errors = sorted(_validator(stream).iter_errors(record), key=lambda e: list(e.absolute_path))
    return ["/".join(str(p) for p in e.absolute_path) + ": " + e.message for e in errors]


def validate_record(stream: str, record) -> None:
    """Raise jsonschema.ValidationError if `record` does not match the stream's schema."""
    error = jsonschema.exceptions.best_match(_validator(stream).iter_errors(record))
    if error is not None:
        raise error


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 3:
        sys.exit("usage: schema_check.py STREAM FILE.json|FILE.jsonl")
    stream_name, path = sys.argv[1], pathlib.Path(sys.argv[2])
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    else:
        data = json.loads(text)
        records = data if isinstance(data, list) else [data]
    bad = 0
    for index, rec in enumerate(records):
        for problem in record_errors(stream_name, rec):
            bad += 1
            print(f"record {index}: {problem}")
    print(f"{len(records)} records, {bad} problems")
    sys.exit(1 if bad else 0)
