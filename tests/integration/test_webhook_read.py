"""`read` merges the webhook journal (issue 5): the demo store delivers signed webhooks to
`source-woocommerce serve`, which journals them; `read` with `webhook_journal` emits the journaled
changes as records of their streams after each stream's polling pass, keeps its position as
`webhook_seq` in the stream's STATE (nothing twice, nothing skipped, even with deliveries landing
during the read), reads the same from the receiver's `/changes` URL, and WARNs about receiver gaps
and about webhooks WooCommerce disabled.

Binaries come from WCC_BIN (source-woocommerce) and WCC_DEMO_STORE (woo-demo-store), set by ctest.
The demo store's coalescing window is shortened with WOO_DEMO_WEBHOOK_DELAY_MS (see Store in
test_webhooks.py, whose helpers are reused here).
"""
import contextlib
import json
import subprocess
import threading
import time
import types

import pytest

from conftest import Connector
from processes import stop_process
from test_webhooks import BIN, DEMO, SECRET, TOKEN, Receiver, Store, free_port, run_cli, wait_until

pytestmark = pytest.mark.skipif(
    not BIN or not DEMO,
    reason="set WCC_BIN (source-woocommerce) and WCC_DEMO_STORE (woo-demo-store) to run the "
           "webhook read tests (ctest sets both)")

STREAMS = ["orders", "products", "customers", "coupons"]
# Every topic the demo store accepts for the four resources (it refuses customer.restored).
TOPICS = ",".join(f"{r}.{e}" for r in ("order", "product", "customer", "coupon")
                  for e in ("created", "updated", "deleted", "restored")
                  if f"{r}.{e}" != "customer.restored")
GAP_WARNING = "the webhook receiver was down from"
DISABLED_WARNING = "WooCommerce has disabled"


# ---------------------------------------------------------------------------------------------
# helpers


def make_config(store, tmp, journal=None, **extra):
    cfg = {"store_url": store.https, "consumer_key": store.info["key"],
           "consumer_secret": store.info["secret"], "ca_certificate": store.ca_file,
           "webhook_secret": SECRET, "webhook_journal_token": TOKEN, "requests_per_window": 0}
    if journal is not None:
        cfg["webhook_journal"] = str(journal)
    cfg.update(extra)
    path = tmp / f"config-{len(list(tmp.glob('config-*.json')))}.json"
    path.write_text(json.dumps(cfg))
    return cfg, path


def register(config_path, url, topics=TOPICS):
    p = run_cli("webhooks", "register", "--config", str(config_path), "--delivery-url", url,
                "--topics", topics, "--json")
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


def first_ids(store, resource, n):
    return [r["id"] for r in store.api(f"/{resource}?per_page={n}&orderby=id&order=asc")]


def all_changes(rx):
    out, after = [], 0
    while True:
        page = rx.changes(after)
        if not page["changes"]:
            return out, page["last_seq"]
        out += page["changes"]
        after = page["changes"][-1]["seq"]


def wait_for_deliveries(store, rx, expected):
    """Waits until every (stream, id, event) in `expected` is journaled, then until the store
    has nothing left to deliver (its coalescing window over) so nothing else arrives, and moves
    the store's clock out of the changes' second (reads' checkpoints stop short of the second
    they start in: every read after this one sees the same); returns (changes, last_seq)."""
    def landed():
        changes, _ = all_changes(rx)
        got = {(c["stream"], c["id"], c["event"]) for c in changes}
        return set(expected) <= got
    wait_until(landed, 30, f"deliveries {sorted(expected)} in the journal")
    store.wait_deliveries_done()
    store.advance_clock(2)
    return all_changes(rx)


def final_state(run, stream):
    states = run.states(stream)
    assert states, f"no STATE for {stream}"
    return states[-1]["state"]["stream"]["stream_state"]


def journal_part(run, stream):
    """The records `read` took from the journal for `stream`: the last N records of the stream
    before its final STATE (the one storing webhook_seq), N being the count the connector logs
    for its journal pass. (A STATE equal to the previous one is not repeated, so when the
    journal adds nothing there may be no separate journal STATE.)"""
    last = None
    for i, m in enumerate(run.messages):
        if m["type"] == "STATE" and m["state"]["stream"]["stream_descriptor"]["name"] == stream:
            last = i
    assert last is not None, f"no STATE for {stream}"
    assert "webhook_seq" in run.messages[last]["state"]["stream"]["stream_state"], stream
    logged = [m["log"]["message"] for m in run.of("LOG")
              if m["log"]["message"].startswith(f"{stream}: ")
              and m["log"]["message"].endswith(" change(s) from the webhook journal")]
    assert len(logged) <= 1, logged
    n = int(logged[0].split()[1]) if logged else 0
    if n == 0:
        return []
    part, i = [], last - 1
    while len(part) < n:
        m = run.messages[i]
        assert not (m["type"] == "STATE"
                    and m["state"]["stream"]["stream_descriptor"]["name"] == stream), \
            f"{stream}: a checkpoint inside the journal pass"
        if m["type"] == "RECORD" and m["record"]["stream"] == stream:
            part.append(m["record"]["data"])
        i -= 1
    # The polling pass ended with a checkpoint before the journal's records (or emitted none).
    while i >= 0:
        m = run.messages[i]
        if m["type"] == "STATE" and m["state"]["stream"]["stream_descriptor"]["name"] == stream:
            break
        assert not (m["type"] == "RECORD" and m["record"]["stream"] == stream), \
            f"{stream}: a polling record without a checkpoint before the journal pass"
        i -= 1
    return part[::-1]


def warnings(run):
    return [m["log"]["message"] for m in run.of("LOG") if m["log"]["level"] == "WARN"]


def key(record):
    return (record["id"], record.get("date_modified_gmt"), record.get("_ab_cdc_deleted_at"))


def read(c, cfg, cat, state=None):
    run = c.run("read", config=cfg, catalog=cat, state=state, timeout=300)
    assert run.returncode == 0, run.errors() or run.stderr[-2000:]
    assert SECRET not in run.stdout + run.stderr and TOKEN not in run.stdout + run.stderr
    return run


def stop_receiver(rx):
    stop_process(rx.proc, 20)
    rx.err.close()


class SamePortReceiver(Receiver):
    """A receiver restarted on the port (so the delivery URL) of a previous one."""

    def __init__(self, tmp, config_path, journal, port):  # pylint: disable=super-init-not-called
        self.port = port
        self.journal = journal
        self.err = open(tmp / f"serve-{port}-again.log", "w")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--config", str(config_path), "--listen", f"127.0.0.1:{port}",
             "--journal", str(journal)], stdout=subprocess.DEVNULL, stderr=self.err)
        wait_until(self.healthy, 30, "the restarted receiver")


@contextlib.contextmanager
def store_with_receiver(tmp, journal_name):
    """A demo store and a receiver journaling to tmp/journal_name. On exit both are stopped (the
    receiver `env.rx` holds then: a test may restart it)."""
    env = types.SimpleNamespace(store=Store(tmp), journal=tmp / journal_name)
    try:
        _, env.serve_config = make_config(env.store, tmp)
        env.rx = Receiver(tmp, env.serve_config, env.journal)
        try:
            yield env
        finally:
            stop_receiver(env.rx)
    finally:
        env.store.stop()


# ---------------------------------------------------------------------------------------------
# fixtures


class Hooked:
    """A demo store whose webhooks (all topics) deliver to a running receiver."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.store = Store(tmp)
        self.journal = tmp / "journal.db"
        _, self.serve_config = make_config(self.store, tmp)
        self.rx = Receiver(tmp, self.serve_config, self.journal)
        created = register(self.serve_config, self.rx.url())
        assert len(created) == len(TOPICS.split(","))
        self.local, _ = make_config(self.store, tmp, self.journal, per_page=10)
        self.remote, _ = make_config(self.store, tmp,
                                     f"http://127.0.0.1:{self.rx.port}/changes", per_page=10)

    def stop(self):
        stop_receiver(self.rx)
        self.store.stop()


@pytest.fixture(scope="module")
def hooked(tmp_path_factory):
    h = Hooked(tmp_path_factory.mktemp("hooked"))
    yield h
    h.stop()


@pytest.fixture(scope="module")
def catalog(hooked, tmp_path_factory):
    c = Connector(tmp_path_factory.mktemp("catalog"))
    return c.catalog(hooked.local, STREAMS, mode="incremental")


# ---------------------------------------------------------------------------------------------
# tests


def test_journaled_changes_come_out_once_local_and_remote(hooked, catalog, tmp_path):
    store, rx = hooked.store, hooked.rx
    c = Connector(tmp_path)
    baseline = read(c, hooked.local, catalog)
    _, seq0 = all_changes(rx)
    for stream in STREAMS:
        assert final_state(baseline, stream)["webhook_seq"] == seq0, stream
    state0 = baseline.final_states()

    orders = first_ids(store, "orders", 4)
    products = first_ids(store, "products", 1)
    customers = first_ids(store, "customers", 1)
    coupons = first_ids(store, "coupons", 2)
    store.control("edit", {"resource": "orders", "ids": orders[:2]})
    store.control("trash", {"resource": "orders", "ids": [orders[2]]})
    store.control("edit", {"resource": "products", "ids": products})
    store.control("edit", {"resource": "customers", "ids": customers})
    store.control("edit", {"resource": "coupons", "ids": coupons[:1]})
    store.control("trash", {"resource": "coupons", "ids": coupons[1:]})
    expected = {("orders", orders[0], "updated"), ("orders", orders[1], "updated"),
                ("orders", orders[2], "deleted"), ("products", products[0], "updated"),
                ("customers", customers[0], "updated"), ("coupons", coupons[0], "updated"),
                ("coupons", coupons[1], "deleted")}
    changes, last_seq = wait_for_deliveries(store, rx, expected)
    new = [ch for ch in changes if ch["seq"] > seq0]
    assert {(ch["stream"], ch["id"], ch["event"]) for ch in new} >= expected

    local = read(c, hooked.local, catalog, state0)
    remote = read(c, hooked.remote, catalog, state0)
    for run in (local, remote):
        for stream in STREAMS:
            part = journal_part(run, stream)
            assert part == [ch["record"] for ch in new if ch["stream"] == stream], stream
            assert final_state(run, stream)["webhook_seq"] == last_seq, stream
        # The trashed ones come out as deletions of their streams.
        deleted = {(s, r["id"]) for s in STREAMS for r in journal_part(run, s)
                   if r.get("_ab_cdc_deleted_at")}
        assert deleted == {("orders", orders[2]), ("coupons", coupons[1])}
        for s in STREAMS:
            for r in journal_part(run, s):
                if r.get("_ab_cdc_deleted_at"):
                    assert set(r) == {"id", "_ab_cdc_deleted_at"}
                    assert r["_ab_cdc_deleted_at"].endswith("Z")
        # The updates carry the record's state at delivery time (the latest edit).
        updated = {r["id"]: r for r in journal_part(run, "orders") if "status" in r}
        assert set(updated) == {orders[0], orders[1]}
        assert updated[orders[0]]["date_modified_gmt"] == \
            store.api(f"/orders/{orders[0]}")["date_modified_gmt"]
    # Both forms give the same states.
    assert [final_state(local, s) for s in STREAMS] == [final_state(remote, s) for s in STREAMS]

    # With the final state, nothing of the journal comes out again.
    again = read(c, hooked.local, catalog, local.final_states())
    for stream in STREAMS:
        assert journal_part(again, stream) == [], stream
        assert final_state(again, stream)["webhook_seq"] == last_seq

    # A later delivery comes out in the next read, alone.
    store.control("edit", {"resource": "orders", "ids": [orders[3]]})
    changes, newest = wait_for_deliveries(store, rx, {("orders", orders[3], "updated")})
    assert newest > last_seq
    later = [ch for ch in changes if ch["seq"] > last_seq]
    for form in (hooked.local, hooked.remote):
        nxt = read(c, form, catalog, again.final_states())
        assert [r["id"] for r in journal_part(nxt, "orders")] == [orders[3]]
        assert journal_part(nxt, "orders") == [ch["record"] for ch in later]
        for stream in ("products", "customers", "coupons"):
            assert journal_part(nxt, stream) == [], stream
            assert final_state(nxt, stream)["webhook_seq"] == newest


def test_deliveries_during_a_read_come_out_in_the_next_read(hooked, catalog, tmp_path):
    store, rx = hooked.store, hooked.rx
    c = Connector(tmp_path)
    cat = {"streams": [s for s in catalog["streams"] if s["stream"]["name"] == "orders"]}
    before = read(c, hooked.local, cat)
    _, seq0 = all_changes(rx)
    assert final_state(before, "orders")["webhook_seq"] == seq0

    orders = first_ids(store, "orders", 20)
    done = threading.Event()
    edited = []

    def edit_while_reading():
        i = 0
        while not done.is_set():
            oid = orders[i % len(orders)]
            store.control("edit", {"resource": "orders", "ids": [oid]})
            edited.append(oid)
            i += 1
            done.wait(0.15)

    store.control("latency", {"ms": 150})  # a read of a few seconds
    editor = threading.Thread(target=edit_while_reading)
    started_ms = int(time.time() * 1000)
    editor.start()
    try:
        during = read(c, hooked.remote, cat, before.final_states())
    finally:
        done.set()
        editor.join()
        store.control("latency", {"ms": 0})
    ended_ms = int(time.time() * 1000)
    store.control("edit", {"resource": "orders", "ids": [orders[-1]]})  # surely after it
    changes, last_seq = wait_for_deliveries(store, rx, {("orders", orders[-1], "updated")})
    new = [ch for ch in changes if ch["seq"] > seq0 and ch["stream"] == "orders"]
    assert any(started_ms <= ch["received_at_ms"] <= ended_ms for ch in new), \
        "no delivery landed while the read ran: the test proves nothing"
    seq_a = final_state(during, "orders")["webhook_seq"]
    assert seq0 <= seq_a < last_seq

    after = read(c, hooked.local, cat, during.final_states())
    assert final_state(after, "orders")["webhook_seq"] == last_seq
    part_a, part_b = journal_part(during, "orders"), journal_part(after, "orders")
    # Exactly the journal in order, split at the position the first read stored.
    assert part_a == [ch["record"] for ch in new if ch["seq"] <= seq_a]
    assert part_b == [ch["record"] for ch in new if ch["seq"] > seq_a]
    assert part_b, "the deliveries after the first read's snapshot did not come out"
    assert len({key(r) for r in part_a + part_b}) == len(part_a + part_b)  # nothing twice
    assert set(edited) <= {r["id"] for r in part_a + part_b}


def test_receiver_gap_makes_read_warn(tmp_path):
    with store_with_receiver(tmp_path, "gap.db") as env:
        store, journal, serve_config = env.store, env.journal, env.serve_config
        c = Connector(tmp_path)
        local, _ = make_config(store, tmp_path, journal)
        cat = c.catalog(local, ["orders"], mode="incremental")
        register(serve_config, env.rx.url(), "order.updated")
        # No gap yet: no warning.
        first = read(c, local, cat)
        assert not [w for w in warnings(first) if GAP_WARNING in w], warnings(first)

        stop_receiver(env.rx)
        # A change made while the receiver is down is never journaled (no retries).
        missed = first_ids(store, "orders", 2)[1]
        store.control("edit", {"resource": "orders", "ids": [missed]})
        # While it is down, the local journal shows a gap up to now.
        down = read(c, local, cat, first.final_states())
        assert [w for w in warnings(down) if GAP_WARNING in w], warnings(down)
        assert [r["id"] for r in down.records("orders")] == [missed]  # from polling
        assert journal_part(down, "orders") == []
        # The missed change's delivery was tried (and failed) while the receiver was down.
        store.wait_deliveries_done()
        # A gap that spans at least one second boundary: the wall clock (the receiver's, which
        # times its runs) passes the next whole second before the receiver starts again.
        boundary = int(time.time()) + 1
        wait_until(lambda: time.time() >= boundary, 5, "the next second of the wall clock")
        env.rx = SamePortReceiver(tmp_path, serve_config, journal, env.rx.port)
        remote, _ = make_config(store, tmp_path, f"http://127.0.0.1:{env.rx.port}/changes")
        for cfg in (local, remote):
            run = read(c, cfg, cat, down.final_states())
            gaps = [w for w in warnings(run) if GAP_WARNING in w]
            assert len(gaps) == 1, warnings(run)
            assert "polling covers them" in gaps[0]
            assert journal_part(run, "orders") == []

        # The receiver is up again on the same URL: later changes come out of the journal.
        oid = first_ids(store, "orders", 1)[0]
        store.control("edit", {"resource": "orders", "ids": [oid]})
        changes, _ = wait_for_deliveries(store, env.rx, {("orders", oid, "updated")})
        assert [ch["id"] for ch in changes] == [oid]
        run = read(c, remote, cat, down.final_states())
        assert [r["id"] for r in journal_part(run, "orders")] == [oid]


def test_disabled_webhook_makes_read_warn(tmp_path):
    with store_with_receiver(tmp_path, "disabled.db") as env:
        store, journal, serve_config = env.store, env.journal, env.serve_config
        c = Connector(tmp_path)
        local, _ = make_config(store, tmp_path, journal)
        cat = c.catalog(local, ["orders"], mode="incremental")
        dead = f"http://127.0.0.1:{free_port()}/webhooks/woocommerce"  # nobody listens
        register(serve_config, dead, "order.updated")
        assert not [w for w in warnings(read(c, local, cat)) if DISABLED_WARNING in w]

        # Every delivery fails; WooCommerce disables the webhook after repeated failures
        # (one pending delivery per record, so edit distinct orders).
        for oid in first_ids(store, "orders", 10):
            store.control("edit", {"resource": "orders", "ids": [oid]})
        wait_until(lambda: store.api("/webhooks?status=disabled"), 30,
                   "WooCommerce to disable the failing webhook")
        run = read(c, local, cat)
        disabled = [w for w in warnings(run) if DISABLED_WARNING in w]
        assert len(disabled) == 1, warnings(run)
        assert "1 webhook(s)" in disabled[0] and "webhooks register" in disabled[0]

        # `webhooks register` re-activates it; the warning goes away.
        again = register(serve_config, dead, "order.updated")
        assert [a["action"] for a in again] == ["reactivated"], again
        assert not store.api("/webhooks?status=disabled")
        assert not [w for w in warnings(read(c, local, cat)) if DISABLED_WARNING in w]


def test_a_recreated_journal_is_read_from_its_start(tmp_path):
    with store_with_receiver(tmp_path, "recreated.db") as env:
        store, journal, serve_config = env.store, env.journal, env.serve_config
        register(serve_config, env.rx.url(), "order.updated")
        c = Connector(tmp_path)
        local, _ = make_config(store, tmp_path, journal)
        cat = c.catalog(local, ["orders"], mode="incremental")
        ids = first_ids(store, "orders", 5)
        store.control("edit", {"resource": "orders", "ids": ids[:3]})
        wait_for_deliveries(store, env.rx, {("orders", i, "updated") for i in ids[:3]})
        first = read(c, local, cat)
        assert final_state(first, "orders")["webhook_seq"] == 3

        # The journal is lost and recreated: its positions start again at 1.
        stop_receiver(env.rx)
        for f in tmp_path.glob("recreated.db*"):
            f.unlink()
        env.rx = SamePortReceiver(tmp_path, serve_config, journal, env.rx.port)
        store.control("edit", {"resource": "orders", "ids": ids[3:]})
        _, last = wait_for_deliveries(store, env.rx, {("orders", i, "updated") for i in ids[3:]})
        assert last == 2
        run = read(c, local, cat, first.final_states())
        assert sorted(r["id"] for r in journal_part(run, "orders")) == ids[3:]
        assert final_state(run, "orders")["webhook_seq"] == 2
        assert [w for w in warnings(run) if "beyond the journal's last position" in w]


def test_an_unreachable_receiver_does_not_fail_the_read(tmp_path):
    with store_with_receiver(tmp_path, "unreachable.db") as env:
        store = env.store
        c = Connector(tmp_path)
        remote, _ = make_config(store, tmp_path, f"http://127.0.0.1:{env.rx.port}/changes")
        cat = c.catalog(remote, ["orders", "coupons"], mode="incremental")
        first = read(c, remote, cat)
        stop_receiver(env.rx)
        oid = first_ids(store, "orders", 1)[0]
        store.control("edit", {"resource": "orders", "ids": [oid]})
        run = c.run("read", config=remote, catalog=cat, state=first.final_states())
        # Polling is the source of truth: the sync completes, with warnings.
        assert run.returncode == 0, run.errors()
        assert run.errors() == []
        assert [r["id"] for r in run.records("orders")] == [oid]
        assert [w for w in warnings(run) if "could not be read" in w], warnings(run)
        for stream in ("orders", "coupons"):
            assert final_state(run, stream)["webhook_seq"] == \
                final_state(first, stream)["webhook_seq"]
