"""The unified commerce streams (docs/unified.md), against the demo store.

- discover offers the eight unified streams only with `unified: true`, with their versioned
  schemas (catalog/unified/), keys and cursors; Singer mode offers the same;
- every unified record validates against its versioned schema, formats checked;
- every WooCommerce status, a custom one and a mapped custom one land where the decision table
  (read from docs/unified.md, so the docs cannot drift) says; payment follows date_paid_gmt and
  the refunds (none, partial, full);
- subtotal - discounts + shipping + fees + tax = total, to the cent, on every order;
- a guest appears once per email, and the documented view (extracted from docs/unified.md, run
  in sqlite3 over the loaded records) counts every customer's orders right;
- a trashed order is a tombstone;
- an incremental read after an order edit and refunds updates the order and its payment status.
"""
import hashlib
import json
import pathlib
import re
import sqlite3
import subprocess
import sys
from decimal import Decimal

import pytest

from conftest import BIN, Connector, start_store

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import schema_check  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
UNIFIED_DIR = ROOT / "catalog" / "unified"
DOC = (ROOT / "docs" / "unified.md").read_text(encoding="utf-8")
STREAMS = ["unified_orders", "unified_order_lines", "unified_customers", "unified_products",
           "unified_product_variants", "unified_inventory_levels", "unified_refunds",
           "unified_discounts"]
STATUS_MAP = {"awaiting-shipment": "open"}


def unified_schema(stream):
    return json.loads((UNIFIED_DIR / f"{stream}.json").read_text(encoding="utf-8"))


def validator(stream):
    schema = unified_schema(stream)
    schema_check.Draft7Validator.check_schema(schema)
    return schema_check.RecordValidator(schema)


def decision_table():
    """The decision table and the payment rules as docs/unified.md writes them."""
    section = DOC.split("## The decision table", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`") and cells[1] in (
                "open", "completed", "cancelled", "other"):
            rows[cells[0].strip("`")] = tuple(cells[1:])
        elif len(cells) == 4 and cells[0].startswith("any other"):
            rows["*"] = ("other", cells[2], cells[3])
    return rows


def expected_statuses(raw, status_map):
    """What the docs' table says for a raw WooCommerce order."""
    rows = decision_table()
    status = raw["status"]
    order, payment, fulfillment = rows.get(status, rows["*"])
    if status not in rows and status in status_map:
        order = status_map[status]
    if payment == "derived":
        total = Decimal(raw["total"])
        refunded = -sum((Decimal(r["total"]) for r in raw["refunds"]), Decimal(0))
        if total > 0 and refunded >= total:
            payment = "refunded"
        elif refunded > 0:
            payment = "partially_refunded"
        elif not raw.get("date_paid_gmt"):
            payment = "unpaid"
        else:
            payment = "paid"
    return order, payment, fulfillment


def guest_id(store_id, email):
    return "guest-" + hashlib.sha256(f"{store_id}|{email.strip().lower()}".encode()).hexdigest()[:32]


def view_sql():
    m = re.search(r"<!-- unified-view:sqlite -->\s*```sql\n(.*?)```", DOC, re.S)
    assert m, "docs/unified.md lost its SQLite view"
    return m.group(1)


def dedup(records, key):
    """What append + dedup keeps: the last record of each key."""
    out = {}
    for r in records:
        out[tuple(r[k] for k in key)] = r
    return list(out.values())


def catalog_of(connector, cfg, names, mode="incremental"):
    return connector.catalog(cfg, streams=set(names), mode=mode)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A store with every status the table knows, a custom status, a processing order without
    date_paid, a checkout draft and a trashed order; one read of the unified streams (and the
    raw orders, from the same read) with the custom status mapped."""
    store = start_store(tmp_path_factory, "--seed", "42")
    c = Connector(tmp_path_factory.mktemp("unified"))
    base = store.config()
    raw = c.run("read", config=base, catalog=c.catalog(base, streams={"orders"}))
    assert raw.returncode == 0, raw.errors()
    by_status = {}
    for o in raw.records("orders"):
        by_status.setdefault(o["status"], []).append(o["id"])
    processing = by_status["processing"]
    changes = {"awaiting-shipment": processing[0:2], "processing_unpaid": processing[2:3],
               "checkout-draft": processing[3:4], "trash": processing[4:5]}
    assert store.control("set_status", {"ids": changes["awaiting-shipment"],
                                        "status": "awaiting-shipment"})["missing"] == []
    assert store.control("set_status", {"ids": changes["processing_unpaid"],
                                        "status": "processing", "paid": False})["missing"] == []
    assert store.control("set_status", {"ids": changes["checkout-draft"],
                                        "status": "checkout-draft"})["missing"] == []
    assert store.control("trash", {"ids": changes["trash"]})["missing"] == []
    # A guest who ordered three times (once as a registered customer's order made a guest's).
    guests = [o["id"] for o in raw.records("orders") if o["customer_id"] == 0
              and o["status"] not in ("trash", "processing")]
    registered = [o["id"] for o in raw.records("orders") if o["customer_id"] != 0
                  and o["status"] not in ("trash", "processing")]
    changes["same_guest"] = [guests[0], guests[1], registered[0]]
    assert store.control("same_guest", {"ids": changes["same_guest"][1:],
                                        "as": guests[0]})["missing"] == []
    cfg = store.config(unified=True, deletion_detection="trash", unified_status_map=STATUS_MAP)
    cat = catalog_of(c, cfg, STREAMS + ["orders"])
    run = c.run("read", config=cfg, catalog=cat)
    assert run.returncode == 0, (run.errors(), run.stderr[-2000:])
    yield {"store": store, "connector": c, "cfg": cfg, "catalog": cat, "run": run,
           "changes": changes}
    store.stop()


def test_discover_offers_the_unified_streams_only_when_asked(world, connector):
    store = world["store"]
    plain = connector.catalog(store.config())
    assert not [s for s in plain["streams"] if s["stream"]["name"].startswith("unified_")]
    offered = {s["stream"]["name"]: s["stream"] for s in world["catalog"]["streams"]}
    declared = json.loads((UNIFIED_DIR / "streams.json").read_text())["streams"]
    assert sorted(declared) == sorted(STREAMS)
    for name in STREAMS:
        s = offered[name]
        assert s["json_schema"] == unified_schema(name)
        assert s["json_schema"]["x-unified-version"] == 1
        assert s["source_defined_primary_key"] == declared[name]["primary_key"]
        assert s["source_defined_primary_key"][:2] == [["platform"], ["store_id"]]
        if name == "unified_inventory_levels":  # like inventory: no date to filter on
            assert s["supported_sync_modes"] == ["full_refresh"]
        else:
            assert s["default_cursor_field"] == [declared[name]["cursor"]]
            assert "incremental" in s["supported_sync_modes"]
    # beside relational too
    rel = connector.catalog(store.config(unified=True, output="relational"))
    names = {s["stream"]["name"] for s in rel["streams"]}
    assert set(STREAMS) <= names and "orders" in names


def test_every_record_validates_against_its_versioned_schema(world):
    run = world["run"]
    for name in STREAMS:
        records = run.records(name)
        assert records, f"{name}: no record"
        v = validator(name)
        for r in records:
            errors = sorted(v.iter_errors(r), key=str)
            assert not errors, f"{name}: {errors[0].message}: {json.dumps(r)[:400]}"
            assert r["platform"] == "woocommerce"
            assert r["store_id"] == "127.0.0.1"  # the store URL's host


def test_every_status_lands_where_the_decision_table_says(world):
    run = world["run"]
    raw = {o["id"]: o for o in run.records("orders")}
    unified = [o for o in run.records("unified_orders") if o["_ab_cdc_deleted_at"] is None]
    assert len(unified) == len([o for o in raw.values() if o["status"] != "trash"])
    seen = set()
    for u in unified:
        r = raw[int(u["order_id"])]
        assert u["platform_status"] == r["status"]
        got = (u["order_status"], u["payment_status"], u["fulfillment_status"])
        assert got == expected_statuses(r, STATUS_MAP), (r["id"], r["status"], got)
        seen.add(r["status"])
    assert seen >= {"pending", "processing", "on-hold", "completed", "cancelled", "refunded",
                    "failed", "checkout-draft", "awaiting-shipment"}
    by_id = {u["order_id"]: u for u in unified}
    for oid in world["changes"]["awaiting-shipment"]:
        assert by_id[str(oid)]["order_status"] == "open"  # mapped by the config
    for oid in world["changes"]["processing_unpaid"]:  # processing without date_paid_gmt
        assert (by_id[str(oid)]["order_status"], by_id[str(oid)]["payment_status"]) == (
            "open", "unpaid")
        assert by_id[str(oid)]["paid_at"] is None
    payments = {u["payment_status"] for u in unified}
    assert payments == {"unpaid", "paid", "partially_refunded", "refunded", "failed"}


def test_an_unmapped_custom_status_is_other(world, connector):
    store = world["store"]
    cfg = store.config(unified=True)
    run = connector.run("read", config=cfg,
                        catalog=catalog_of(connector, cfg, ["unified_orders"], "full_refresh"))
    assert run.returncode == 0, run.errors()
    by_id = {u["order_id"]: u for u in run.records("unified_orders")}
    for oid in world["changes"]["awaiting-shipment"]:
        u = by_id[str(oid)]
        assert (u["platform_status"], u["order_status"], u["fulfillment_status"]) == (
            "awaiting-shipment", "other", "unknown")


def test_a_wrong_status_map_is_a_config_error(world, connector):
    store = world["store"]
    for bad in ({"awaiting-shipment": "shipped"}, {"processing": "completed"}):
        run = connector.run("discover", config=store.config(unified=True, unified_status_map=bad))
        assert run.returncode != 0
        errors = run.errors()
        assert errors and errors[0]["failure_type"] == "config_error", run.stdout[-500:]
        assert "unified_status_map" in errors[0]["message"]


def test_the_totals_identity_holds_on_every_order(world):
    orders = [o for o in world["run"].records("unified_orders") if o["_ab_cdc_deleted_at"] is None]
    lines = {}
    for line in world["run"].records("unified_order_lines"):
        lines.setdefault(line["order_id"], []).append(line)
    for o in orders:
        d = {k: Decimal(o[k]) for k in ("subtotal", "discount_total", "shipping_total",
                                         "fee_total", "tax_total", "total", "refunded_total",
                                         "net_total")}
        assert d["subtotal"] - d["discount_total"] + d["shipping_total"] + d["fee_total"] + \
            d["tax_total"] == d["total"], o
        assert d["net_total"] == d["total"] - d["refunded_total"]
        assert d["subtotal"] == sum(Decimal(li["subtotal"]) for li in lines[o["order_id"]])
        assert all(li["currency"] == o["currency"] and li["updated_at"] == o["updated_at"]
                   for li in lines[o["order_id"]])


def test_refunded_total_matches_the_refunds_stream(world):
    run = world["run"]
    refunds = {}
    for r in run.records("unified_refunds"):
        refunds[r["order_id"]] = refunds.get(r["order_id"], Decimal(0)) + Decimal(r["amount"])
    for o in run.records("unified_orders"):
        if o["_ab_cdc_deleted_at"] is None:
            assert Decimal(o["refunded_total"]) == refunds.get(o["order_id"], Decimal(0)), o


def test_a_trashed_order_is_a_tombstone(world):
    run = world["run"]
    (trashed,) = world["changes"]["trash"]
    tomb = [o for o in run.records("unified_orders") if o["order_id"] == str(trashed)]
    assert tomb and tomb[-1]["_ab_cdc_deleted_at"] is not None
    assert "order_status" not in tomb[-1]
    assert not [li for li in run.records("unified_order_lines") if li["order_id"] == str(trashed)]


def test_guests_once_per_email_and_the_views_counts(world):
    run = world["run"]
    raw = [o for o in run.records("orders") if o["status"] != "trash"]
    customers = run.records("unified_customers")
    guests = [c for c in customers if c["customer_kind"] == "guest"]
    ids = [g["customer_id"] for g in guests]
    assert len(ids) == len(set(ids)), "a guest emitted twice in one read"
    guest_emails = {o["billing"]["email"].strip().lower() for o in raw
                    if o["customer_id"] == 0 and o["billing"].get("email")}
    assert len(guest_emails) > 10
    assert set(ids) == {guest_id("127.0.0.1", e) for e in guest_emails}
    for g in guests:
        assert g["customer_id"] == guest_id("127.0.0.1", g["email"])
    registered = {c["customer_id"] for c in customers if c["customer_kind"] == "registered"}
    # Every order's customer is a unified customer.
    orders = dedup(run.records("unified_orders"), ("platform", "store_id", "order_id"))
    for o in orders:
        if o["_ab_cdc_deleted_at"] is None:
            assert o["customer_id"] in registered or o["customer_id"] in ids, o

    # The documented view, run as written over the loaded records.
    db = sqlite3.connect(":memory:")
    cols = list(unified_schema("unified_orders")["properties"])
    db.execute("CREATE TABLE unified_orders (%s)" % ", ".join(cols))
    db.executemany("INSERT INTO unified_orders VALUES (%s)" % ", ".join("?" * len(cols)),
                   [[json.dumps(o.get(c)) if isinstance(o.get(c), dict) else o.get(c)
                     for c in cols] for o in orders])
    db.execute(view_sql())
    got = {row[2]: row[3:] for row in db.execute("SELECT * FROM unified_customer_order_stats")}
    want = {}
    for o in raw:
        if o["customer_id"]:
            key = str(o["customer_id"])
        elif o["billing"].get("email"):
            key = guest_id("127.0.0.1", o["billing"]["email"])
        else:
            continue
        created = o["date_created_gmt"] + "Z"
        n, first, last = want.get(key, (0, created, created))
        want[key] = (n + 1, min(first, created), max(last, created))
    assert got == want
    assert any(n > 1 for n, _, _ in want.values())  # some customers ordered more than once
    repeat = [u for u in orders if u["order_id"] in {str(i) for i in world["changes"]["same_guest"]}]
    assert len({u["customer_id"] for u in repeat}) == 1 and repeat[0]["customer_kind"] == "guest"
    assert got[repeat[0]["customer_id"]][0] == 3
    assert ids.count(repeat[0]["customer_id"]) == 1  # one guest record for three orders


def test_incremental_read_after_an_edit_and_refunds(world):
    store, c, cfg = world["store"], world["connector"], world["cfg"]
    run = world["run"]
    cat = catalog_of(c, cfg, ["unified_orders", "unified_customers"])
    paid = [o for o in run.records("unified_orders")
            if o.get("payment_status") == "paid" and o["platform_status"] == "completed"]
    target = paid[0]
    oid = int(target["order_id"])
    state = run.final_states()
    assert {s["stream"]["stream_descriptor"]["name"] for s in state} >= set(STREAMS)
    store.advance_clock(5)
    assert store.control("edit", {"ids": [oid]})["changed"] == [oid]
    store.control("add_refund", {"order_id": oid})
    store.advance_clock(5)
    second = c.run("read", config=cfg, catalog=cat, state=state)
    assert second.returncode == 0, second.errors()
    mine = [o for o in second.records("unified_orders") if o["order_id"] == str(oid)]
    assert mine, "the edited order was not read again"
    after = mine[-1]
    assert after["updated_at"] > target["updated_at"]
    assert after["payment_status"] == "partially_refunded"
    assert Decimal(after["refunded_total"]) > 0
    assert Decimal(after["net_total"]) == Decimal(after["total"]) - Decimal(after["refunded_total"])
    # an incremental read: not every order again
    assert len(second.records("unified_orders")) < len(run.records("unified_orders")) / 2
    # refunds until nothing is left: the demo store refunds at most a quarter (+1 cent) of the
    # total each time, so three more take the rest: refunded.
    for _ in range(3):
        store.control("add_refund", {"order_id": oid})
    store.advance_clock(5)
    third = c.run("read", config=cfg, catalog=cat, state=second.final_states())
    assert third.returncode == 0, third.errors()
    last = [o for o in third.records("unified_orders") if o["order_id"] == str(oid)][-1]
    assert (last["platform_status"], last["payment_status"], last["net_total"]) == (
        "refunded", "refunded", "0.00")


def test_singer_offers_the_same_streams_and_keys(world, tmp_path):
    cfg = world["cfg"]
    path = Connector(tmp_path).write("config.json", cfg)
    out = subprocess.run([BIN, "--config", path, "--discover"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    singer = {s["tap_stream_id"]: s for s in json.loads(out.stdout)["streams"]}
    for s in world["catalog"]["streams"]:
        name = s["stream"]["name"]
        if name in STREAMS:
            assert name in singer
            keys = singer[name].get("key_properties")
            assert keys == [k[0] for k in s["stream"]["source_defined_primary_key"]], name


def test_singer_sync_writes_the_unified_streams(world, tmp_path):
    """Singer mode (a tap): the same records, _ab_cdc_deleted_at as _sdc_deleted_at."""
    cfg = world["cfg"]
    c = Connector(tmp_path)
    path = c.write("config.json", cfg)
    out = subprocess.run([BIN, "--config", path, "--discover"], capture_output=True, text=True)
    catalog = json.loads(out.stdout)
    for entry in catalog["streams"]:
        for m in entry["metadata"]:
            if m["breadcrumb"] == []:
                m["metadata"]["selected"] = entry["tap_stream_id"] in ("unified_orders",
                                                                       "unified_customers")
    sync = subprocess.run([BIN, "--config", path, "--catalog", c.write("catalog.json", catalog)],
                          capture_output=True, text=True, timeout=600)
    assert sync.returncode == 0, sync.stderr[-2000:]
    messages = [json.loads(line) for line in sync.stdout.splitlines()]
    records = {}
    for m in messages:
        if m["type"] == "RECORD":
            records.setdefault(m["stream"], []).append(m["record"])
    airbyte = {s: {r[k] for r in world["run"].records(s)} for s, k in
               (("unified_orders", "order_id"), ("unified_customers", "customer_id"))}
    assert {r["order_id"] for r in records["unified_orders"]} == airbyte["unified_orders"]
    assert {r["customer_id"] for r in records["unified_customers"]} == airbyte["unified_customers"]
    assert all("_ab_cdc_deleted_at" not in r for r in records["unified_orders"])
    bookmarks = [m["value"]["bookmarks"] for m in messages if m["type"] == "STATE"][-1]
    assert "orders" in bookmarks["unified_customers"]["sources"]
