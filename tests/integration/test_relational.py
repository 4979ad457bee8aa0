"""The output switch and the relational output (docs/relational.md), against the demo store.

- output raw (the default): discover and every record exactly as without the option;
- output relational: the relational family (same stream names, plus continents, currencies and
  reports); every record validates against its discovered schema with formats checked
  (timestamp_with_timezone needs an offset) and no property outside the schema but _extra;
- a plugin field lands in _extra; money text that is not a decimal becomes null with one WARN;
- masked payment gateway secrets never appear;
- net revenue = total - refunds, on orders with none, partial and full refunds (checked against
  the refunds stream's positive amounts);
- money_as number writes the store's own decimal text as the JSON number;
- countries and states are rows of /data/continents' lists: every state of the store's answer
  exactly once, keyed by country and state code together; a country without states gives none;
- Singer mode offers the same family with the same keys.
"""
import base64
import json
import re
import ssl
import subprocess
import urllib.request
import sys
from decimal import Decimal

import pytest

from conftest import BIN, Connector, start_store

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
import schema_check  # noqa: E402

REFERENCE_STREAMS = {"continents", "countries", "states", "currencies", "reports"}
SECRETS = ("sk_test_demo_secret_0000", "sk_live_demo_secret_0000")


def nested_streams(cat):
    """The nested-list streams (test_nested.py): rows carrying _parent_version."""
    return {s["stream"]["name"] for s in cat["streams"]
            if "_parent_version" in s["stream"]["json_schema"]["properties"]}


def full_read(connector, cfg):
    cat = connector.catalog(cfg)
    run = connector.run("read", config=cfg, catalog=cat)
    assert run.returncode == 0, (run.errors(), run.stderr[-2000:])
    return cat, run


def by_stream(run, streams):
    return {s: sorted(run.records(s), key=lambda r: json.dumps(r, sort_keys=True))
            for s in streams}


@pytest.fixture(scope="module")
def raw_and_relational(store, tmp_path_factory):
    c = Connector(tmp_path_factory.mktemp("relational"))
    raw_cat, raw = full_read(c, store.config())
    rel_cat, rel = full_read(c, store.config(output="relational"))
    return raw_cat, raw, rel_cat, rel


def test_spec_offers_the_switch_defaulting_to_raw(connector):
    spec = connector.run("spec").of("SPEC")[0]["spec"]["connectionSpecification"]["properties"]
    assert spec["output"]["enum"] == ["raw", "relational"]
    assert spec["output"]["default"] == "raw"
    assert "relational" in spec["output"]["title"]
    assert spec["money_as"]["enum"] == ["string", "number"]


def test_raw_output_is_exactly_todays(store, connector, raw_and_relational):
    raw_cat, raw, _, _ = raw_and_relational
    explicit_cat = connector.catalog(store.config(output="raw"))
    assert explicit_cat == raw_cat
    names = [s["stream"]["name"] for s in raw_cat["streams"]]
    assert sorted(names) == sorted(schema_check.STREAMS)
    for s in raw_cat["streams"]:
        assert s["stream"]["json_schema"] == schema_check.load_schema(s["stream"]["name"])
    explicit = connector.run("read", config=store.config(output="raw"), catalog=explicit_cat)
    assert explicit.returncode == 0, explicit.errors()
    assert by_stream(explicit, names) == by_stream(raw, names)
    # and it is WooCommerce's JSON, not the relational shape
    for order in explicit.records("orders"):
        assert isinstance(order["billing"], dict) and isinstance(order["line_items"], list)
        assert "date_modified_gmt" in order and "date_modified_at" not in order
    assert not any("_extra" in r for r in explicit.records())
    assert not any("output: relational" in m["log"]["message"] for m in explicit.of("LOG"))


def test_relational_discover_offers_the_family(raw_and_relational):
    raw_cat, _, rel_cat, rel = raw_and_relational
    raw_streams = {s["stream"]["name"]: s["stream"] for s in raw_cat["streams"]}
    rel_streams = {s["stream"]["name"]: s["stream"] for s in rel_cat["streams"]}
    nested = nested_streams(rel_cat)  # issue #13's, each named after a raw stream
    assert nested and all(any(n.startswith(r + "_") for r in raw_streams) for n in nested)
    assert set(rel_streams) - nested == set(raw_streams) | REFERENCE_STREAMS
    for name, raw_stream in raw_streams.items():
        stream = rel_streams[name]
        assert stream["source_defined_primary_key"] == raw_stream["source_defined_primary_key"]
        assert stream["json_schema"]["additionalProperties"] is False
        if "default_cursor_field" in raw_stream:
            (raw_cursor,) = raw_stream["default_cursor_field"]
            assert stream["default_cursor_field"] == [raw_cursor.replace("_gmt", "_at")]
    assert any("output: relational" in m["log"]["message"] for m in rel.of("LOG"))



def test_discover_says_which_output_it_offers(store, connector):
    relational = connector.run("discover", config=store.config(output="relational"))
    assert any("output: relational" in m["log"]["message"] for m in relational.of("LOG"))
    raw = connector.run("discover", config=store.config())
    assert raw.of("LOG") == []


def test_every_relational_record_validates_with_formats(raw_and_relational):
    _, _, rel_cat, rel = raw_and_relational
    for s in rel_cat["streams"]:
        name, schema = s["stream"]["name"], s["stream"]["json_schema"]
        validator = schema_check.RecordValidator(schema)
        records = rel.records(name)
        # nested-list streams the demo store leaves empty: test_nested.py
        assert records or name in nested_streams(rel_cat), f"{name}: no record to check"
        for record in records:
            errors = [e.message for e in validator.iter_errors(record)]
            assert not errors, (name, errors[:3], record)
            assert not any(k.endswith("_gmt") for k in record), (name, sorted(record))
            for key, value in record.items():
                if key == "_extra":
                    continue
                column = schema["properties"][key]
                if isinstance(value, (list, dict)):
                    assert set(column["type"]) & {"object", "array"}, (name, key)
        timestamps = [k for k, v in schema["properties"].items()
                      if v.get("airbyte_type") == "timestamp_with_timezone"]
        for key in timestamps:
            for record in records:
                if record.get(key) is not None:
                    assert record[key].endswith("Z"), (name, key, record[key])


def test_relational_records_are_flattened_and_typed(raw_and_relational):
    _, raw, _, rel = raw_and_relational
    raw_orders = {o["id"]: o for o in raw.records("orders")}
    for order in rel.records("orders"):
        source = raw_orders[order["id"]]
        assert order["billing_email"] == source["billing"]["email"]
        assert order["shipping_city"] == source["shipping"]["city"]
        assert order["date_modified_at"] == source["date_modified_gmt"] + "Z"
        assert order["total"] == source["total"]
        assert order["currency"] == source["currency"]
        assert "line_items" not in order and "billing" not in order and "date_created" not in order
    methods = raw.records("shipping_zone_methods")
    rel_methods = {(m["zone_id"], m["instance_id"]): m for m in rel.records("shipping_zone_methods")}
    for m in methods:
        relm = rel_methods[(m["zone_id"], int(m["instance_id"]))]
        assert isinstance(relm["instance_id"], int)
        assert "settings" not in relm


def test_masked_gateway_secrets_never_appear(raw_and_relational):
    _, _, _, rel = raw_and_relational
    assert rel.records("payment_gateways")
    for secret in SECRETS:
        assert secret not in rel.stdout and secret not in rel.stderr
    for g in rel.records("payment_gateways"):
        assert "settings" not in g and "settings" not in g.get("_extra", {})


def test_net_revenue_is_total_minus_refunds(raw_and_relational):
    _, raw, _, rel = raw_and_relational
    refunded = {}
    for r in raw.records("refunds"):
        refunded[r["order_id"]] = refunded.get(r["order_id"], Decimal(0)) + Decimal(r["amount"])
    kinds = {"none": 0, "partial": 0, "full": 0}
    for order in rel.records("orders"):
        total = Decimal(order["total"])
        taken = refunded.get(order["id"], Decimal(0))
        assert Decimal(order["refunded_total"]) == taken, order["id"]
        assert Decimal(order["net_total"]) == total - taken, order["id"]
        assert re.fullmatch(r"-?\d+\.\d{2}", order["net_total"]), order["net_total"]
        kinds["none" if taken == 0 else "full" if taken >= total else "partial"] += 1
    assert all(n > 0 for n in kinds.values()), kinds


def test_reference_streams_are_read(raw_and_relational):
    _, _, _, rel = raw_and_relational
    continents = {c["code"]: c for c in rel.records("continents")}
    assert set(continents) == {"AF", "AN", "AS", "EU", "NA", "OC", "SA"}
    assert "countries" not in continents["EU"]  # a list: a nested-list stream (issue #13)
    assert {"code": "USD", "name": "United States (US) dollar", "symbol": "&#36;"}.items() <= \
        {c["code"]: c for c in rel.records("currencies")}["USD"].items()
    assert "orders/totals" in {r["slug"] for r in rel.records("reports")}


def store_get(store, route):
    """GET a WooCommerce route of the demo store (HTTPS, its CA, the consumer key pair)."""
    req = urllib.request.Request(store.https + "/wp-json/wc/v3" + route)
    token = base64.b64encode(f"{store.key}:{store.secret}".encode()).decode()
    req.add_header("Authorization", "Basic " + token)
    context = ssl.create_default_context(cafile=store.ca_file)
    with urllib.request.urlopen(req, timeout=30, context=context) as r:
        return json.loads(r.read())


def test_countries_and_states_are_the_rows_of_the_continents_answer(store, raw_and_relational):
    _, _, rel_cat, rel = raw_and_relational
    keys = {s["stream"]["name"]: s["stream"]["source_defined_primary_key"]
            for s in rel_cat["streams"]}
    assert keys["countries"] == [["code"]]
    assert keys["states"] == [["country_code"], ["code"]]
    answer = store_get(store, "/data/continents")
    expected_countries = {(c["code"], k["code"]): k for c in answer for k in c["countries"]}
    expected_states = [(c["code"], k["code"], s["code"], s["name"])
                       for c in answer for k in c["countries"] for s in k["states"]]
    assert len(set(expected_states)) == len(expected_states)

    countries = rel.records("countries")
    assert len({c["code"] for c in countries}) == len(countries)  # the key is unique
    assert {(c["continent_code"], c["code"]) for c in countries} == set(expected_countries)
    for c in countries:
        source = expected_countries[(c["continent_code"], c["code"])]
        scalars = {k: v for k, v in source.items() if k != "states"}
        assert {**scalars, "continent_code": c["continent_code"]} == c, c
        assert "states" not in c and "_extra" not in c

    states = rel.records("states")
    got = [(s["continent_code"], s["country_code"], s["code"], s["name"]) for s in states]
    assert sorted(got) == sorted(expected_states)  # every state exactly once
    assert len({(s["country_code"], s["code"]) for s in states}) == len(states)  # unique key
    assert len({s["code"] for s in states}) < len(states)  # state codes repeat across countries
    without_states = {k["code"] for c in answer for k in c["countries"] if not k["states"]}
    assert without_states  # the demo store has some (France, Antarctica)
    assert not {s["country_code"] for s in states} & without_states


def test_money_as_number_writes_the_stores_decimal_text(store, connector, raw_and_relational):
    _, raw, _, _ = raw_and_relational
    cfg = store.config(output="relational", money_as="number")
    run = connector.run("read", config=cfg, catalog=connector.catalog(cfg, ["orders"]))
    assert run.returncode == 0, run.errors()
    raw_totals = {o["id"]: o["total"] for o in raw.records("orders")}
    lines = [line for line in run.stdout.splitlines() if '"type":"RECORD"' in line]
    assert len(lines) == len(raw_totals)
    for line in lines:
        order_id = json.loads(line)["record"]["data"]["id"]
        # the exact token, e.g. 40.00 (a float round trip would write 40.0 or 40)
        assert f'"total":{raw_totals[order_id]},' in line or \
            f'"total":{raw_totals[order_id]}}}' in line, line[:400]


def test_plugin_field_lands_in_extra_and_bad_money_is_null_with_one_warn(tmp_path_factory):
    store = start_store(tmp_path_factory, "--seed", "7", "--orders", "30")
    try:
        store.control("plugin_field", {"resource": "orders", "field": "_loyalty_points",
                                       "value": {"points": 12, "tier": "gold"}})
        store.control("plugin_field", {"resource": "orders", "field": "shipping_total",
                                       "value": "4,90"})
        c = Connector(tmp_path_factory.mktemp("plugin"))
        cfg = store.config(output="relational")
        run = c.run("read", config=cfg, catalog=c.catalog(cfg, ["orders"]))
        assert run.returncode == 0, run.errors()
        orders = run.records("orders")
        assert len(orders) == store.counts()["orders"] > 0
        for o in orders:
            assert o["_extra"]["_loyalty_points"] == {"points": 12, "tier": "gold"}
            assert "_loyalty_points" not in o
            assert o["shipping_total"] is None
            assert o["total"] is not None
        warns = [m["log"]["message"] for m in run.of("LOG") if m["log"]["level"] == "WARN"]
        about = [w for w in warns if "orders.shipping_total" in w]
        assert len(about) == 1, warns
        raw_run = c.run("read", config=store.config(), catalog=c.catalog(store.config(), ["orders"]))
        assert all(o["_loyalty_points"]["points"] == 12 and o["shipping_total"] == "4,90"
                   for o in raw_run.records("orders"))
    finally:
        store.stop()


def test_incremental_relational_read_resumes_from_its_state(store, connector):
    cfg = store.config(output="relational")
    cat = connector.catalog(cfg, ["orders"], mode="incremental")
    first = connector.run("read", config=cfg, catalog=cat)
    assert first.returncode == 0, first.errors()
    assert first.records("orders")
    second = connector.run("read", config=cfg, catalog=cat, state=first.final_states())
    assert second.returncode == 0, second.errors()
    assert len(second.records("orders")) < len(first.records("orders"))
    assert all("date_modified_at" in o for o in second.records("orders"))


def test_singer_offers_the_same_family_with_the_same_keys(store, tmp_path, raw_and_relational):
    _, _, rel_cat, _ = raw_and_relational
    cfg_path = Connector(tmp_path).write("config.json", store.config(output="relational"))
    run = subprocess.run([BIN, "--config", cfg_path, "--discover"], capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    singer_cat = {s["tap_stream_id"]: s for s in json.loads(run.stdout)["streams"]}
    airbyte = {s["stream"]["name"]: s["stream"] for s in rel_cat["streams"]}
    assert set(singer_cat) == set(airbyte)
    for name, stream in airbyte.items():
        keys = [p[0] for p in stream["source_defined_primary_key"]]
        assert singer_cat[name]["key_properties"] == keys, name
        assert set(singer_cat[name]["schema"]["properties"]) >= \
            set(stream["json_schema"]["properties"]) - {"_ab_cdc_deleted_at"}, name
    sync = subprocess.run([BIN, "--config", cfg_path], capture_output=True, text=True, timeout=600)
    assert sync.returncode == 0, sync.stderr[-2000:]
    records = [json.loads(line) for line in sync.stdout.splitlines()]
    orders = [m["record"] for m in records if m["type"] == "RECORD" and m["stream"] == "orders"]
    assert orders and all("date_modified_at" in o and "billing" not in o for o in orders)


@pytest.mark.parametrize("field,value", [("output", "tables"), ("money_as", "float")])
def test_a_wrong_output_option_is_a_config_error(store, connector, field, value):
    run = connector.run("discover", config=store.config(**{field: value}))
    assert run.returncode != 0
    (error,) = run.errors()
    assert error["failure_type"] == "config_error"
    assert f"'{field}'" in error["message"] and value in error["message"]


def test_tombstones_are_relational_records_too(tmp_path_factory):
    store = start_store(tmp_path_factory, "--seed", "11", "--orders", "40")
    try:
        c = Connector(tmp_path_factory.mktemp("tombstones"))
        cfg = store.config(output="relational", deletion_detection="trash_and_sweep")
        cat = c.catalog(cfg, ["orders"], mode="incremental")
        schema = cat["streams"][0]["stream"]["json_schema"]
        first = c.run("read", config=cfg, catalog=cat)
        assert first.returncode == 0, first.errors()
        live = sorted(o["id"] for o in first.records("orders") if o["status"] != "trash")
        store.control("trash", {"resource": "orders", "ids": live[:2]})
        store.control("delete", {"resource": "orders", "ids": live[2:3]})
        store.advance_clock(2)
        second = c.run("read", config=cfg, catalog=cat, state=first.final_states())
        assert second.returncode == 0, second.errors()
        records = {o["id"]: o for o in second.records("orders")}
        validator = schema_check.RecordValidator(schema)
        for oid in live[:3]:
            assert records[oid]["_ab_cdc_deleted_at"].endswith("Z"), records[oid]
            assert not [e.message for e in validator.iter_errors(records[oid])], records[oid]
    finally:
        store.stop()
