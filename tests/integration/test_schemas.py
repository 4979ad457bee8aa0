"""Tests of the stream JSON Schemas in catalog/schemas/ (run: python3 -m pytest -q tests/integration/test_schemas.py).

- every stream has a schema, each a valid draft-07 schema following the project's rules
  (additionalProperties true everywhere, no $ref/allOf/not, naive dates marked
  timestamp_without_timezone, parent ids required on child streams, deletion marker);
- every record captured from a real WooCommerce 10 store validates (after adding the parent ids
  the connector adds);
- wrong types are rejected, so the schemas are not vacuous.
All files are found relative to this file; nothing outside the repository is read.
"""

from __future__ import annotations

import copy
import json
import pathlib
import re
import sys

import pytest
import yaml
from jsonschema import Draft7Validator, ValidationError

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import schema_check  # noqa: E402
from schema_check import STREAMS, load_schema, record_errors, validate_record  # noqa: E402

DATA = HERE.parent / "data"
CAPTURES = DATA / "real-store-captures"

CHILD_PARENT_IDS = {
    "refunds": "order_id",
    "order_notes": "order_id",
    "product_variations": "product_id",
    "shipping_zone_locations": "zone_id",
    "shipping_zone_methods": "zone_id",
    "product_attribute_terms": "attribute_id",
}
DELETION_STREAMS = ("orders", "products", "product_variations", "coupons", "inventory")


# --------------------------------------------------------------------------- helpers


def walk(node, path="#"):
    """Yield (path, subschema) for every schema object inside `node`."""
    if not isinstance(node, dict):
        return
    yield path, node
    for key in ("properties", "patternProperties"):
        for name, sub in node.get(key, {}).items():
            yield from walk(sub, f"{path}/{key}/{name}")
    if isinstance(node.get("items"), dict):
        yield from walk(node["items"], f"{path}/items")
    if isinstance(node.get("additionalProperties"), dict):
        yield from walk(node["additionalProperties"], f"{path}/additionalProperties")


def types_of(schema) -> set:
    t = schema.get("type", [])
    return {t} if isinstance(t, str) else set(t)


def up_id(record, resource: str) -> int:
    """The parent id from a record's _links.up href (…/orders/123 or …/products/45)."""
    href = record["_links"]["up"][0]["href"]
    match = re.search(rf"/{resource}/(\d+)$", href)
    assert match, href
    return int(match.group(1))


def with_order_id_from_up(record):
    return {**record, "order_id": up_id(record, "orders")}


def with_order_id_from_parent(record):
    return {**record, "order_id": record["parent_id"]}


def with_product_id(record):
    return {**record, "product_id": up_id(record, "products")}


def unchanged(record):
    return record


# capture file -> (stream, how the connector enriches each record)
CAPTURE_STREAMS = {
    "order_single.json": ("orders", unchanged),
    "order_create_post.json": ("orders", unchanged),
    "order_update_put.json": ("orders", unchanged),
    "order_delete_trash.json": ("orders", unchanged),
    "orders_page2_per100.json": ("orders", unchanged),
    "orders_modified_after_gmt.json": ("orders", unchanged),
    "orders_after_created_gmt.json": ("orders", unchanged),
    "orders_status_refunded.json": ("orders", unchanged),
    "orders_status_trash.json": ("orders", unchanged),
    "webhook_delivery_order_created.json": ("orders", unchanged),
    "webhook_delivery_order_updated.json": ("orders", unchanged),
    "order_notes.json": ("order_notes", with_order_id_from_up),
    "order_refunds.json": ("refunds", with_order_id_from_up),
    "refunds_all.json": ("refunds", with_order_id_from_parent),
    "products_page1_per100.json": ("products", unchanged),
    "products_modified_after.json": ("products", unchanged),
    "products_outofstock.json": ("products", unchanged),
    "webhook_delivery_product_updated.json": ("products", unchanged),
    "product_variations.json": ("product_variations", with_product_id),
    "products_categories.json": ("product_categories", unchanged),
    "products_tags.json": ("product_tags", unchanged),
    "products_attributes.json": ("product_attributes", unchanged),
    "products_reviews.json": ("product_reviews", unchanged),
    "customers_page1_per100.json": ("customers", unchanged),
    "customers_orderby_registered.json": ("customers", unchanged),
    "customer_create_post.json": ("customers", unchanged),
    "webhook_delivery_customer_created.json": ("customers", unchanged),
    "coupons.json": ("coupons", unchanged),
    "taxes.json": ("tax_rates", unchanged),
    "tax_classes.json": ("tax_classes", unchanged),
    "payment_gateways.json": ("payment_gateways", unchanged),
}


def capture_records(name):
    data = json.loads((CAPTURES / name).read_text(encoding="utf-8"))
    return data if isinstance(data, list) else [data]


def first_capture(stream):
    for name, (s, enrich) in CAPTURE_STREAMS.items():
        if s == stream:
            return copy.deepcopy(enrich(capture_records(name)[0]))
    raise AssertionError(f"no capture for {stream}")


# Records of streams the real-store captures do not cover, shaped after WooCommerce's REST
# controllers (field names and types), with the parent ids the connector adds.
SYNTHETIC = {
    "product_attribute_terms": {
        "id": 23, "attribute_id": 2, "name": "XL", "slug": "xl", "description": "",
        "menu_order": 4, "count": 12,
        "_links": {"self": [{"href": "https://shop.example/wp-json/wc/v3/products/attributes/2/terms/23"}]},
    },
    "product_shipping_classes": {
        "id": 31, "name": "Bulky", "slug": "bulky", "description": "Large parcels", "count": 5,
    },
    "shipping_zones": {"id": 0, "name": "Locations not covered by your other zones", "order": 0},
    "shipping_zone_locations": {"zone_id": 1, "code": "DE", "type": "country",
                                "_links": {"describes": [{"href": "https://shop.example/wp-json/wc/v3/shipping/zones/1"}]}},
    "shipping_zone_methods": {
        "id": 3, "zone_id": 1, "instance_id": 3, "title": "Flat rate", "order": 1, "enabled": True,
        "method_id": "flat_rate", "method_title": "Flat rate",
        "method_description": "<p>Lets you charge a fixed rate for shipping.</p>",
        "settings": {
            "title": {"id": "title", "label": "Name", "description": "", "type": "text",
                      "value": "Flat rate", "default": "Flat rate", "tip": "", "placeholder": ""},
            "tax_status": {"id": "tax_status", "label": "Tax status", "description": "",
                           "type": "select", "value": "taxable", "default": "taxable", "tip": "",
                           "placeholder": "", "options": {"taxable": "Taxable", "none": "None"}},
            "cost": {"id": "cost", "label": "Cost", "description": "", "type": "text",
                     "value": "5.00", "default": "", "tip": "", "placeholder": ""},
        },
    },
    "shipping_methods": {"id": "flat_rate", "title": "Flat rate",
                         "description": "Lets you charge a fixed rate for shipping."},
    "system_status_tools": {"id": "clear_transients", "name": "WooCommerce transients",
                            "action": "Clear transients",
                            "description": "This tool will clear the product/shop transients cache."},
    "inventory": {
        "id": 10, "product_id": 10, "variation_id": None, "sku": "HOODIE", "name": "Hoodie",
        "manage_stock": True, "stock_managed_by": "self", "stock_quantity": 7,
        "stock_status": "instock", "backorders": "no", "low_stock_amount": None,
        "date_modified_gmt": "2026-11-28T23:10:39", "_ab_cdc_deleted_at": None,
    },
}


def sample(stream):
    if stream in SYNTHETIC:
        return copy.deepcopy(SYNTHETIC[stream])
    return first_capture(stream)


def assert_invalid(stream, record):
    with pytest.raises(ValidationError):
        validate_record(stream, record)


# --------------------------------------------------------------------------- schema files


def test_schema_dir_is_in_the_repository():
    assert schema_check.SCHEMA_DIR == HERE.parents[1] / "catalog" / "schemas"
    assert schema_check.SCHEMA_DIR.is_dir()


@pytest.mark.parametrize("stream", STREAMS)
def test_every_stream_has_a_schema(stream):
    assert schema_check.schema_path(stream).is_file()


def test_no_schema_without_a_stream():
    files = {p.stem for p in schema_check.SCHEMA_DIR.glob("*.json")}
    assert files == set(STREAMS)


@pytest.mark.parametrize("stream", STREAMS)
def test_schema_is_valid_draft07(stream):
    schema = load_schema(stream)
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is True
    assert set(schema["required"]) <= set(schema["properties"])


@pytest.mark.parametrize("stream", STREAMS)
def test_every_object_allows_additional_properties(stream):
    for path, node in walk(load_schema(stream)):
        if "object" in types_of(node) or "properties" in node:
            assert node.get("additionalProperties") is True, path


@pytest.mark.parametrize("stream", STREAMS)
def test_no_ref_allof_or_not(stream):
    text = json.dumps(load_schema(stream))
    for keyword in ('"$ref"', '"allOf"', '"not"', '"oneOf"'):
        assert keyword not in text


@pytest.mark.parametrize("stream", STREAMS)
def test_dates_are_marked_for_airbyte(stream):
    for path, node in walk(load_schema(stream)):
        name = path.rsplit("/", 1)[-1]
        if name == "_ab_cdc_deleted_at":
            assert node["format"] == "date-time", path
            assert node["airbyte_type"] == "timestamp_with_timezone", path
        elif re.fullmatch(r"date_\w+", name):
            assert node["format"] == "date-time", path
            assert node["airbyte_type"] == "timestamp_without_timezone", path
            assert "null" in types_of(node), path
        if "format" in node:
            assert node["format"] in ("date-time", "date"), path


@pytest.mark.parametrize("stream", STREAMS)
def test_primary_keys_are_required_and_not_nullable(stream):
    schema = load_schema(stream)
    for key in schema["required"]:
        assert "null" not in types_of(schema["properties"][key]), key


def test_ids_are_integers_except_string_keys():
    string_keyed = {"payment_gateways", "shipping_methods", "system_status_tools"}
    for stream in STREAMS:
        props = load_schema(stream)["properties"]
        if "id" not in props:
            continue
        expected = "string" if stream in string_keyed else "integer"
        assert props["id"]["type"] == expected, stream


@pytest.mark.parametrize("stream,field", sorted(CHILD_PARENT_IDS.items()))
def test_child_streams_require_parent_id(stream, field):
    schema = load_schema(stream)
    assert field in schema["required"]
    assert schema["properties"][field]["type"] == "integer"
    record = sample(stream)
    del record[field]
    assert_invalid(stream, record)


@pytest.mark.parametrize("stream", DELETION_STREAMS)
def test_deletion_streams_declare_cdc_marker(stream):
    assert "_ab_cdc_deleted_at" in load_schema(stream)["properties"]


def test_stream_definitions_match_the_schemas():
    """catalog/streams.yaml: each stream has a schema; primary keys and cursors exist in it."""
    definitions = yaml.safe_load((HERE.parents[1] / "catalog" / "streams.yaml").read_text())
    defined = {d["name"]: d for d in definitions["streams"]}
    assert set(defined) == set(STREAMS)
    for name, definition in defined.items():
        schema = load_schema(name)
        for key_path in definition.get("primary_key", []):
            assert len(key_path) == 1, (name, key_path)
            field = key_path[0]
            assert field in schema["required"], (name, field)
            assert "null" not in types_of(schema["properties"][field]), (name, field)
        cursor = (definition.get("cursor") or {}).get("field")
        if cursor:
            assert cursor in schema["properties"], (name, cursor)
            assert schema["properties"][cursor]["format"] == "date-time", (name, cursor)
        parent = definition.get("parent")
        if parent:
            assert parent["key"] == CHILD_PARENT_IDS[name], name


def test_schemas_fit_the_airbyte_catalog_message():
    protocol = yaml.safe_load((DATA / "airbyte_protocol.yaml").read_text(encoding="utf-8"))
    message = {
        "type": "CATALOG",
        "catalog": {"streams": [{"name": s, "json_schema": load_schema(s),
                                 "supported_sync_modes": ["full_refresh"]} for s in STREAMS]},
    }
    schema = {**protocol, "$ref": "#/definitions/AirbyteMessage"}
    schema.pop("properties", None)
    Draft7Validator(schema).validate(message)


# --------------------------------------------------------------------------- real records


def test_capture_table_covers_every_capture_file():
    files = {p.name for p in CAPTURES.glob("*.json")}
    assert files == set(CAPTURE_STREAMS)


@pytest.mark.parametrize("name", sorted(CAPTURE_STREAMS))
def test_real_store_records_validate(name):
    stream, enrich = CAPTURE_STREAMS[name]
    records = capture_records(name)
    assert records, name
    problems = []
    for index, record in enumerate(records):
        problems += [f"{name}[{index}] {p}" for p in record_errors(stream, enrich(record))]
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("stream", sorted(SYNTHETIC))
def test_synthetic_records_validate(stream):
    validate_record(stream, sample(stream))


def test_every_stream_is_exercised_by_some_record():
    covered = {s for s, _ in CAPTURE_STREAMS.values()} | set(SYNTHETIC)
    assert covered == set(STREAMS)


# --------------------------------------------------------------------------- strictness


def test_order_total_as_number_fails():
    record = first_capture("orders")
    validate_record("orders", record)
    record["total"] = 12.5
    assert_invalid("orders", record)


@pytest.mark.parametrize("stream", STREAMS)
def test_id_of_the_wrong_type_fails(stream):
    record = sample(stream)
    schema = load_schema(stream)
    key = schema["required"][0]
    record[key] = 123 if schema["properties"][key]["type"] == "string" else "123"
    assert_invalid(stream, record)


@pytest.mark.parametrize(
    "stream,path,bad",
    [
        ("orders", ("line_items", 0, "total"), 3.0),
        ("orders", ("line_items", 0, "quantity"), "2"),
        ("orders", ("billing", "email"), 42),
        ("orders", ("customer_id",), "7"),
        ("orders", ("prices_include_tax",), "yes"),
        ("orders", ("line_items",), {"id": 1}),
        ("products", ("price",), 19.99),
        ("products", ("regular_price",), 19),
        ("products", ("categories", 0, "id"), "15"),
        ("products", ("dimensions",), "10x10x10"),
        ("product_variations", ("stock_quantity",), "5"),
        ("customers", ("is_paying_customer",), "true"),
        ("coupons", ("amount",), 10),
        ("refunds", ("amount",), 5.0),
        ("tax_rates", ("rate",), 20.0),
        ("payment_gateways", ("enabled",), "yes"),
        ("inventory", ("stock_managed_by",), "warehouse"),
        ("inventory", ("variation_id",), "12"),
    ],
)
def test_wrong_nested_types_fail(stream, path, bad):
    record = sample(stream)
    target = record
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = bad
    assert_invalid(stream, record)


@pytest.mark.parametrize(
    "value",
    ["text", 12, 1.5, True, None, [], [1, "two", {"three": 3}], {"nested": {"deep": [None]}}],
)
def test_meta_data_values_of_any_json_type_pass(value):
    record = first_capture("orders")
    record["meta_data"] = [{"id": 1, "key": "_any", "value": value}]
    record["line_items"][0]["meta_data"] = [
        {"id": 2, "key": "pa_size", "value": value, "display_key": "Size", "display_value": value}]
    validate_record("orders", record)
    product = first_capture("products")
    product["meta_data"] = [{"id": 3, "key": "_any", "value": value}]
    validate_record("products", product)


def test_meta_data_key_must_be_a_string():
    record = first_capture("orders")
    record["meta_data"] = [{"id": 1, "key": 5, "value": "x"}]
    assert_invalid("orders", record)


# --------------------------------------------------------------------------- dates


def test_naive_dates_pass_and_zoned_or_broken_dates_fail():
    record = first_capture("orders")
    record["date_modified_gmt"] = "2026-11-29T01:10:39"
    validate_record("orders", record)
    for bad in ("2026-11-29T01:10:39Z", "2026-11-29T01:10:39+01:00", "2026-13-29T01:10:39",
                "29.11.2026 01:10", "2026-11-29"):
        record["date_modified_gmt"] = bad
        assert_invalid("orders", record)
    record["date_modified_gmt"] = None
    record["date_paid"] = None
    validate_record("orders", record)


def test_deleted_marker_requires_rfc3339_with_zone():
    record = first_capture("orders")
    for good in ("2026-11-29T01:10:39Z", "2026-11-29T01:10:39.123Z", "2026-11-29T02:10:39+01:00",
                 None):
        record["_ab_cdc_deleted_at"] = good
        validate_record("orders", record)
    for bad in ("2026-11-29T01:10:39", "yesterday", "2026-11-31T01:10:39Z"):
        record["_ab_cdc_deleted_at"] = bad
        assert_invalid("orders", record)


# --------------------------------------------------------------------------- special shapes


def test_variation_manage_stock_may_be_parent():
    record = first_capture("product_variations")
    record["manage_stock"] = "parent"
    validate_record("product_variations", record)


def test_inventory_variation_record():
    record = sample("inventory")
    record.update(id=11, variation_id=11, manage_stock="parent", stock_managed_by="parent",
                  stock_quantity=2.5, _ab_cdc_deleted_at="2026-11-29T01:10:39Z")
    validate_record("inventory", record)
    record.update(manage_stock=False, stock_managed_by="none", stock_quantity=None, sku=None)
    validate_record("inventory", record)


def test_payment_gateway_settings_shape():
    record = first_capture("payment_gateways")
    record["settings"]["api_secret"] = {
        "id": "api_secret", "label": "Secret", "description": "", "type": "password",
        "value": "**********", "default": "", "tip": "", "placeholder": ""}
    record["settings"]["countries"] = {
        "id": "countries", "label": "Countries", "description": "", "type": "multiselect",
        "value": ["DE", "FR"], "default": [], "tip": "", "placeholder": "",
        "options": {"DE": "Germany", "FR": "France"}}
    validate_record("payment_gateways", record)
    record["settings"]["countries"]["label"] = 7
    assert_invalid("payment_gateways", record)


def test_payment_gateway_order_may_be_empty_string_or_integer():
    record = first_capture("payment_gateways")
    for value in ("", 3, None):
        record["order"] = value
        validate_record("payment_gateways", record)


def test_shipping_zone_location_needs_code_and_type():
    record = sample("shipping_zone_locations")
    del record["code"]
    assert_invalid("shipping_zone_locations", record)


def test_system_status_tool_run_result_fields():
    record = sample("system_status_tools")
    record.update(success=True, message="Product transients cleared")
    validate_record("system_status_tools", record)
    record["success"] = "yes"
    assert_invalid("system_status_tools", record)


def test_unknown_extra_fields_are_allowed():
    record = first_capture("orders")
    record["plugin_field"] = {"anything": [1, 2]}
    record["line_items"][0]["plugin_field"] = "x"
    validate_record("orders", record)
