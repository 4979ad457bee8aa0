"""The connector foundation end to end: spec, check, discover and a full read of every stream."""
import json

import jsonschema
import pytest

import schema_check
from conftest import Connector

SECRET_MASK = "**********"


def pk_of(record, pk):
    return tuple(json.dumps(record.get(path[0])) for path in pk)


def test_spec_is_a_valid_spec(connector):
    run = connector.run("spec")
    assert run.returncode == 0
    spec = run.of("SPEC")[0]["spec"]["connectionSpecification"]
    # store_url always; consumer_key and consumer_secret unless auth_method is
    # application_password, which needs username and application_password instead.
    assert set(spec["required"]) == {"store_url"}
    validator = jsonschema.Draft7Validator(spec)
    key = {"store_url": "https://s.example", "consumer_key": "ck_a1", "consumer_secret": "cs_a1"}
    app = {"store_url": "https://s.example", "auth_method": "application_password",
           "username": "bot", "application_password": "abcd efgh"}
    assert validator.is_valid(key) and validator.is_valid(app)
    for field in ("consumer_key", "consumer_secret"):
        assert not validator.is_valid({k: v for k, v in key.items() if k != field}), field
    for field in ("username", "application_password"):
        assert not validator.is_valid({k: v for k, v in app.items() if k != field}), field
    assert not validator.is_valid({k: v for k, v in app.items() if k != "auth_method"})
    assert spec["properties"]["consumer_secret"]["airbyte_secret"] is True
    assert spec["properties"]["consumer_key"]["airbyte_secret"] is True
    assert spec["properties"]["application_password"]["airbyte_secret"] is True
    assert "application_password" in spec["properties"]["auth_method"]["enum"]
    assert spec["additionalProperties"] is True


def test_help_and_usage_errors(connector):
    help_run = connector.run("--help", raw=True)
    assert help_run.returncode == 0 and "usage" in help_run.stdout
    bad = connector.run("bogus", raw=True)
    assert bad.returncode == 2 and bad.stdout == "" and "usage" in bad.stderr
    bad = connector.run("read", "--nope", "x", raw=True)
    assert bad.returncode == 2


def test_check_succeeds(store, connector):
    run = connector.run("check", config=store.config())
    status = run.of("CONNECTION_STATUS")[0]["connectionStatus"]
    assert run.returncode == 0
    assert status["status"] == "SUCCEEDED", status


def test_check_wrong_secret_says_so(store, connector):
    run = connector.run("check", config=store.config(consumer_secret="cs_wrong_but_fake"))
    status = run.of("CONNECTION_STATUS")[0]["connectionStatus"]
    assert run.returncode == 0 and status["status"] == "FAILED"
    assert "secret" in status["message"]


def test_check_unknown_key_says_so(store, connector):
    run = connector.run("check", config=store.config(consumer_key="ck_unknown_fake_key"))
    status = run.of("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "FAILED"
    assert "unknown" in status["message"]


def test_check_refused_connection(connector):
    run = connector.run("check", config={"store_url": "https://127.0.0.1:9", "consumer_key": "ck_x1",
                                         "consumer_secret": "cs_x1"})
    status = run.of("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "FAILED" and "connect" in status["message"]


def test_check_untrusted_certificate(store, connector):
    cfg = store.config()
    del cfg["ca_certificate"]
    run = connector.run("check", config=cfg)
    status = run.of("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "FAILED" and "ca_certificate" in status["message"]


def test_discover_lists_every_stream(store, connector):
    run = connector.run("discover", config=store.config())
    assert run.returncode == 0
    streams = {s["name"]: s for s in run.of("CATALOG")[0]["catalog"]["streams"]}
    assert set(streams) == set(schema_check.STREAMS)
    assert streams["orders"]["default_cursor_field"] == ["date_modified_gmt"]
    assert "incremental" in streams["orders"]["supported_sync_modes"]
    assert streams["tax_rates"]["supported_sync_modes"] == ["full_refresh"]
    assert streams["refunds"]["source_defined_primary_key"] == [["order_id"], ["id"]]


@pytest.fixture(scope="module")
def full_read(store, tmp_path_factory):
    c = Connector(tmp_path_factory.mktemp("full"))
    cfg = store.config()
    run = c.run("read", config=cfg, catalog=c.catalog(cfg))
    return run


def test_full_read_exits_zero(full_read):
    assert full_read.returncode == 0, full_read.errors()
    assert full_read.errors() == []


def test_every_stream_arrives_exactly_once_with_the_store_counts(store, full_read):
    counts = store.counts()
    for stream in schema_check.STREAMS:
        records = full_read.records(stream)
        assert len(records) == counts[stream], f"{stream}: {len(records)} != {counts[stream]}"
        keys = {"inventory": [["id"]], "refunds": [["order_id"], ["id"]],
                "order_notes": [["order_id"], ["id"]],
                "product_variations": [["product_id"], ["id"]],
                "product_attribute_terms": [["attribute_id"], ["id"]],
                "shipping_zone_locations": [["zone_id"], ["code"], ["type"]],
                "shipping_zone_methods": [["zone_id"], ["instance_id"]],
                "tax_classes": [["slug"]], }.get(stream, [["id"]])
        seen = {pk_of(r, keys) for r in records}
        assert len(seen) == len(records), f"{stream}: duplicate primary keys"


def test_records_validate_against_their_schema(full_read):
    for stream in schema_check.STREAMS:
        for rec in full_read.records(stream)[:300]:
            errors = schema_check.record_errors(stream, rec)
            assert not errors, f"{stream}: {errors[:3]}"


def test_stream_statuses_and_estimates(full_read):
    statuses = {}
    for t in full_read.traces("STREAM_STATUS"):
        name = t["stream_status"]["stream_descriptor"]["name"]
        statuses.setdefault(name, []).append(t["stream_status"]["status"])
    for stream in schema_check.STREAMS:
        assert statuses[stream][0] == "STARTED"
        assert "RUNNING" in statuses[stream]
        assert statuses[stream][-1] == "COMPLETE"
    estimates = {t["estimate"]["name"]: t["estimate"]["row_estimate"]
                 for t in full_read.traces("ESTIMATE")}
    assert estimates["orders"] == len(full_read.records("orders"))


def test_child_records_carry_parent_ids(full_read):
    assert all(isinstance(r["order_id"], int) for r in full_read.records("order_notes"))
    assert all(isinstance(r["order_id"], int) for r in full_read.records("refunds"))
    assert all(isinstance(r["product_id"], int) for r in full_read.records("product_variations"))
    assert all(isinstance(r["zone_id"], int) for r in full_read.records("shipping_zone_locations"))


def test_payment_gateway_secrets_are_masked(full_read):
    gateways = full_read.records("payment_gateways")
    masked = 0
    for g in gateways:
        for sid, setting in (g.get("settings") or {}).items():
            if isinstance(setting, dict) and setting.get("type") == "password":
                assert setting.get("value") in ("", SECRET_MASK), (g["id"], sid)
                masked += setting.get("value") == SECRET_MASK
    assert masked >= 1
    assert "sk_test_demo" not in json.dumps(gateways)


def test_inventory_follows_stock_inheritance(full_read):
    inv = full_read.records("inventory")
    products = {p["id"]: p for p in full_read.records("products")}
    variations = {v["id"]: v for v in full_read.records("product_variations")}
    by_kind = {"self": 0, "parent": 0, "none": 0}
    for item in inv:
        by_kind[item["stock_managed_by"]] += 1
        if item["variation_id"] is None:
            assert products[item["product_id"]]["type"] == "simple"
            continue
        v = variations[item["variation_id"]]
        if v["manage_stock"] == "parent":
            assert item["stock_managed_by"] == "parent"
            assert item["stock_quantity"] == products[item["product_id"]]["stock_quantity"]
        elif v["manage_stock"] is True:
            assert item["stock_managed_by"] == "self"
            assert item["stock_quantity"] == v["stock_quantity"]
    assert by_kind["parent"] > 0 and by_kind["self"] > 0


def test_full_refresh_states_mark_completion(full_read):
    for stream in ("orders", "tax_rates", "customers"):
        states = full_read.states(stream)
        assert states, stream
        assert states[-1]["state"]["stream"]["stream_state"] == {"__ab_full_refresh_sync_complete": True}


@pytest.mark.parametrize("content,needle", [
    ("{not json", "not valid JSON"),
    ("store_url: [unclosed", "YAML"),
    ('{"consumer_key": "ck_a1", "consumer_secret": "cs_a1"}', "store_url"),
    ('{"store_url": "ftp://x", "consumer_key": "ck_a1", "consumer_secret": "cs_a1"}', "store_url"),
    ('{"store_url": "http://shop.example.com", "consumer_key": "ck_a1", "consumer_secret": "cs_a1"}',
     "https"),
    ('{"store_url": "https://x.example", "consumer_key": "ck_a1"}', "consumer_secret"),
    ('{"store_url": "https://x.example", "consumer_key": "ck_a1", "consumer_secret": "cs_a1", '
     '"start_date": "yesterday"}', "start_date"),
    ('{"store_url": "https://x.example", "consumer_key": "ck_a1", "consumer_secret": "cs_a1", '
     '"requests_per_window": "lots"}', "requests_per_window"),
    ("", "empty"),
    ("\x00\x01\x02", "binary"),
])
def test_bad_config_gives_config_error(connector, content, needle):
    path = connector.write("bad.cfg", content)
    run = connector.run("discover", "--config", path)
    assert run.returncode != 0
    errors = run.errors()
    assert errors and errors[0]["failure_type"] == "config_error"
    assert needle.lower() in errors[0]["message"].lower(), errors[0]["message"]
    check = connector.run("check", "--config", path)
    assert check.returncode == 0
    assert check.of("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "FAILED"


def test_yaml_config_and_airbyte_aliases(store, connector):
    yaml_cfg = (f"store_url: {store.https}\nconsumer_key: ck_demo_key\n"
                f"consumer_secret: cs_demo_secret\nca_certificate: {store.ca_file}\n")
    run = connector.run("check", "--config", connector.write("c.yaml", yaml_cfg))
    assert run.of("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "SUCCEEDED"
    alias = {"shop": store.https.replace("https://", ""), "api_key": "ck_demo_key",
             "api_secret": "cs_demo_secret", "ca_certificate": store.ca_file}
    run = connector.run("check", config=alias)
    assert run.of("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "SUCCEEDED"


def test_bad_catalog_and_state(store, connector):
    cfg = store.config()
    run = connector.run("read", config=cfg, catalog={"streams": "nope"})
    assert run.returncode != 0 and run.errors()[0]["failure_type"] == "config_error"
    cat = connector.catalog(cfg, ["tax_rates"])
    run = connector.run("read", config=cfg, catalog=cat, state='[{"type": "STREAM"}]')
    assert run.returncode != 0 and run.errors()[0]["failure_type"] == "config_error"


def test_readonly_key_skips_manager_streams(store, connector):
    cfg = store.config(consumer_key="ck_demo_readonly", consumer_secret="cs_demo_readonly")
    cat = connector.catalog(cfg, ["tax_rates", "orders"])
    run = connector.run("read", config=cfg, catalog=cat)
    assert run.returncode == 0, run.errors()
    assert run.records("tax_rates") == []
    assert len(run.records("orders")) == store.counts()["orders"]
    warns = [m["log"]["message"] for m in run.of("LOG") if m["log"]["level"] == "WARN"]
    assert any("tax_rates" in w and "manager" in w for w in warns)
    check = connector.run("check", config=cfg)
    msg = check.of("CONNECTION_STATUS")[0]["connectionStatus"]["message"]
    assert "tax_rates" in msg


def test_readonly_key_keeps_a_skipped_streams_state_as_it_came(store, connector):
    # A stream skipped before it read anything checkpoints its incoming state exactly as it came
    # (an older blob gains no checkpoint_version, a key the connector does not know stays).
    cfg = store.config(consumer_key="ck_demo_readonly", consumer_secret="cs_demo_readonly")
    cat = connector.catalog(cfg, ["tax_rates"])
    blob = {"x_plugin": {"k": 1}, "resume_page": 3}
    state = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "tax_rates"},
                                           "stream_state": blob}}]
    run = connector.run("read", config=cfg, catalog=cat, state=state)
    assert run.returncode == 0, run.errors()
    assert run.records("tax_rates") == []
    assert run.states("tax_rates")[-1]["state"]["stream"]["stream_state"] == blob


def test_plain_http_basic_is_refused_by_the_store(store, connector):
    # Loopback http is allowed by the connector, but WooCommerce ignores Basic over http.
    run = connector.run("check", config=store.config(store_url=store.http))
    status = run.of("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "FAILED"
