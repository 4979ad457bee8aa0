"""Incremental sync that loses nothing: boundary seconds, bulk seconds, live edits, state replay,
Airbyte's state formats."""
import threading

import pytest

from conftest import Connector, start_store
from processes import wait_until

INC = ["orders", "products", "coupons", "refunds", "product_variations", "customers"]


@pytest.fixture(scope="module")
def inc_store(tmp_path_factory):
    s = start_store(tmp_path_factory, "--seed", "7", "--orders", "400", "--bulk-second", "250")
    yield s
    s.stop()


def incremental(c, cfg, streams=INC):
    return c.catalog(cfg, streams, mode="incremental")


def ids(run, stream):
    return [r["id"] for r in run.records(stream)]


def test_first_sync_reads_everything_once_including_a_bulk_second(inc_store, tmp_path):
    c = Connector(tmp_path)
    cfg = inc_store.config(per_page=100)
    run = c.run("read", config=cfg, catalog=incremental(c, cfg))
    assert run.returncode == 0, run.errors()
    counts = inc_store.counts()
    for stream in INC:
        got = ids(run, stream)
        assert len(got) == len(set(got)), f"{stream}: duplicates"
        assert len(got) == counts[stream], f"{stream}: {len(got)} != {counts[stream]}"
    # Cursors are UTC and there is a STATE with a record count for every incremental stream.
    for stream in INC:
        states = run.states(stream)
        assert states
        total = sum(s["state"]["sourceStats"]["recordCount"] for s in states)
        assert total == len(ids(run, stream)), stream


def test_steady_state_emits_nothing_and_echoes_state(inc_store, tmp_path):
    c = Connector(tmp_path)
    cfg = inc_store.config()
    cat = incremental(c, cfg, ["orders", "coupons", "products"])
    first = c.run("read", config=cfg, catalog=cat)
    second = c.run("read", config=cfg, catalog=cat, state=first.final_states())
    assert second.returncode == 0, second.errors()
    assert second.records() == []
    for stream in ("orders", "coupons", "products"):
        assert second.states(stream), stream
    # Nothing changed costs one request per stream.
    logs = [m["log"]["message"] for m in second.of("LOG")]
    for stream in ("orders", "coupons", "products"):
        assert f"{stream}: 0 record(s), 1 page request(s)" in logs, stream


def test_boundary_second_is_not_lost(inc_store, tmp_path):
    c = Connector(tmp_path)
    cfg = inc_store.config()
    cat = incremental(c, cfg, ["orders"])
    first = c.run("read", config=cfg, catalog=cat)
    state = first.final_states()
    cursor = state[0]["stream"]["stream_state"]["date_modified_gmt"]
    # Another order lands in the very second of the saved cursor (after that sync read it).
    victim = ids(first, "orders")[0]
    inc_store.control("set_modified", {"resource": "orders", "ids": [victim],
                                       "date_modified_gmt": cursor})
    second = c.run("read", config=cfg, catalog=cat, state=state)
    assert second.returncode == 0, second.errors()
    assert ids(second, "orders") == [victim]


def test_live_edits_during_a_sync_are_not_lost(tmp_path_factory, tmp_path):
    store = start_store(tmp_path_factory, "--seed", "11", "--orders", "600")
    try:
        store.control("latency", {"ms": 60})
        c = Connector(tmp_path)
        cfg = store.config(per_page=20)
        cat = incremental(c, cfg, ["orders"])
        edited = list(range(1, 600, 37))
        stop = threading.Event()

        def requests_served():
            return store.control("stats")["requests"]

        def editor():
            for oid in edited:
                if stop.is_set():
                    return
                served = requests_served()
                store.control("edit", {"resource": "orders", "ids": [oid]})
                # The next edit once the connector has made its next request: the edits
                # interleave with the sync's pages, however fast or slow it runs.
                wait_until(lambda: stop.is_set() or requests_served() > served, 60,
                           "the connector's next request")

        t = threading.Thread(target=editor)
        t.start()
        first = c.run("read", config=cfg, catalog=cat)
        stop.set()
        t.join()
        store.control("latency", {"ms": 0})
        second = c.run("read", config=cfg, catalog=cat, state=first.final_states())
        assert first.returncode == 0 and second.returncode == 0
        latest = {}
        for run in (first, second):
            for r in run.records("orders"):
                latest[r["id"]] = r["date_modified_gmt"]
        # The store's truth after both syncs: every order's latest version was emitted.
        full = c.run("read", config=cfg, catalog=c.catalog(cfg, ["orders"]))
        truth = {r["id"]: r["date_modified_gmt"] for r in full.records("orders")}
        assert latest == truth
    finally:
        store.stop()


def test_every_intermediate_state_is_a_valid_restart_point(inc_store, tmp_path):
    c = Connector(tmp_path)
    cfg = inc_store.config(per_page=50)
    cat = incremental(c, cfg, ["orders"])
    first = c.run("read", config=cfg, catalog=cat)
    all_records = {r["id"]: r["date_modified_gmt"] for r in first.records("orders")}
    states = first.states("orders")
    assert len(states) >= 4
    for s in states[:: max(1, len(states) // 4)]:
        blob = s["state"]["stream"]["stream_state"]
        cursor = blob["date_modified_gmt"]
        boundary = set(blob.get("boundary_ids", []))
        replay = c.run("read", config=cfg, catalog=cat, state=[s["state"]])
        got = set(ids(replay, "orders"))
        expected = {i for i, t in all_records.items()
                    if t > cursor or (t == cursor and i not in boundary)}
        assert expected <= got, f"lost {sorted(expected - got)[:5]} from state {cursor}"


def test_future_state_reads_nothing_and_is_echoed(inc_store, tmp_path):
    c = Connector(tmp_path)
    cfg = inc_store.config()
    state = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "orders"},
                                           "stream_state": {"date_modified_gmt": "2100-01-01T00:00:00"}}}]
    run = c.run("read", config=cfg, catalog=incremental(c, cfg, ["orders"]), state=state)
    assert run.returncode == 0
    assert run.records() == []
    assert run.states("orders")[-1]["state"]["stream"]["stream_state"] == {
        "date_modified_gmt": "2100-01-01T00:00:00"}


def test_airbyte_legacy_local_state_is_converted_with_a_warning(inc_store, tmp_path):
    c = Connector(tmp_path)
    cfg = inc_store.config()
    first = c.run("read", config=cfg, catalog=incremental(c, cfg, ["orders"]))
    times = sorted(r["date_modified_gmt"] for r in first.records("orders"))
    mid = times[len(times) // 2]
    legacy = {"orders": {"date_modified": mid}}
    run = c.run("read", config=cfg, catalog=incremental(c, cfg, ["orders"]), state=legacy)
    assert run.returncode == 0
    warns = [m["log"]["message"] for m in run.of("LOG") if m["log"]["level"] == "WARN"]
    assert any("14 hours" in w for w in warns)
    got = {r["date_modified_gmt"] for r in run.records("orders")}
    assert {t for t in times if t >= mid} <= got


def test_start_date_bounds_the_first_sync(inc_store, tmp_path):
    c = Connector(tmp_path)
    all_orders = c.run("read", config=inc_store.config(),
                       catalog=incremental(c, inc_store.config(), ["orders"])).records("orders")
    times = sorted(r["date_modified_gmt"] for r in all_orders)
    start = times[len(times) // 3][:10]
    cfg = inc_store.config(start_date=start)
    run = c.run("read", config=cfg, catalog=incremental(c, cfg, ["orders"]))
    got = run.records("orders")
    assert got and all(r["date_modified_gmt"] >= start for r in got)
    assert len(got) == sum(1 for t in times if t >= start)


def test_malformed_state_is_a_config_error(inc_store, tmp_path):
    c = Connector(tmp_path)
    cfg = inc_store.config()
    bad = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "orders"},
                                         "stream_state": {"date_modified_gmt": "last tuesday"}}}]
    run = c.run("read", config=cfg, catalog=incremental(c, cfg, ["orders"]), state=bad)
    assert run.returncode != 0
    assert any(e["failure_type"] == "config_error" and "date_modified_gmt" in e["message"]
               for e in run.errors())


@pytest.fixture
def del_store(tmp_path_factory):
    s = start_store(tmp_path_factory, "--seed", "13", "--orders", "250", "--products", "40",
                    "--coupons", "12")
    yield s
    s.stop()


def deleted_at(run, stream):
    return {r["id"]: r.get("_ab_cdc_deleted_at") for r in run.records(stream)}


def test_trashed_and_restored_records_with_deletion_detection(del_store, tmp_path):
    c = Connector(tmp_path)
    cfg = del_store.config(deletion_detection="trash")
    streams = ["orders", "products", "coupons", "product_variations"]
    cat = incremental(c, cfg, streams)
    first = c.run("read", config=cfg, catalog=cat)
    assert first.returncode == 0, first.errors()
    # Trashed records are tombstones; alive ones say so explicitly with null.
    for r in first.records("orders"):
        assert (r["status"] == "trash") == bool(r["_ab_cdc_deleted_at"]), r["id"]
    assert any(r["status"] == "trash" for r in first.records("orders"))
    live = {r["id"]: r for r in first.records("orders") if r["status"] != "trash"}
    order_ids = sorted(live)[:3]
    coupon_id = sorted(i for i, v in deleted_at(first, "coupons").items() if v is None)[0]
    versions = {r["id"]: r["date_modified_gmt"] for r in first.records("orders")}
    del_store.control("trash", {"resource": "orders", "ids": order_ids})
    del_store.control("trash", {"resource": "coupons", "ids": [coupon_id]})
    del_store.advance_clock(2)  # leave the store's current second (checkpoints stop short of it)
    second = c.run("read", config=cfg, catalog=cat, state=first.final_states())
    assert second.returncode == 0, second.errors()
    tomb = {r["id"]: r for r in second.records("orders")}
    for oid in order_ids:
        assert tomb[oid]["_ab_cdc_deleted_at"], oid
        assert tomb[oid]["date_modified_gmt"] >= versions[oid]  # the tombstone wins a merge
    assert deleted_at(second, "coupons")[coupon_id]
    del_store.control("restore", {"resource": "orders", "ids": [order_ids[0]]})
    del_store.advance_clock(2)
    third = c.run("read", config=cfg, catalog=cat, state=second.final_states())
    assert deleted_at(third, "orders") == {order_ids[0]: None}


def test_sweep_finds_permanent_deletions_without_false_tombstones(del_store, tmp_path):
    c = Connector(tmp_path)
    cfg = del_store.config(deletion_detection="trash_and_sweep", sweep_requests_per_sync=2)
    cat = incremental(c, cfg, ["orders"])
    run = c.run("read", config=cfg, catalog=cat)
    assert run.returncode == 0, run.errors()
    all_ids = sorted(r["id"] for r in run.records("orders"))
    state = run.final_states()
    # 250 orders need 3 id pages plus the trash pass: the sweep spans syncs and reports coverage.
    logs = " ".join(m["log"]["message"] for m in run.of("LOG"))
    assert "sweep in progress" in logs
    for _ in range(4):
        run = c.run("read", config=cfg, catalog=cat, state=state)
        assert [r for r in run.records("orders") if r.get("_ab_cdc_deleted_at")] == []
        state = run.final_states()
    victims = [all_ids[5], all_ids[177]]
    del_store.control("delete", {"resource": "orders", "ids": victims})
    found = {}
    for _ in range(4):
        run = c.run("read", config=cfg, catalog=cat, state=state)
        for r in run.records("orders"):
            if r.get("_ab_cdc_deleted_at"):
                found[r["id"]] = r
        state = run.final_states()
    assert sorted(found) == victims
    blob = state[0]["stream"]["stream_state"]
    assert len(blob["sweep"]["known"]) < 10  # ranges, not a list of every id


def test_order_notes_follow_changed_orders_and_the_full_pass_closes_the_gap(del_store, tmp_path):
    c = Connector(tmp_path)
    cfg = del_store.config()
    cat = incremental(c, cfg, ["order_notes", "refunds"])
    first = c.run("read", config=cfg, catalog=cat)
    assert first.returncode == 0, first.errors()
    assert len(first.records("order_notes")) == del_store.counts()["order_notes"]
    orders = sorted({n["order_id"] for n in first.records("order_notes")})
    # A refund re-saves its order: its notes are read again, and the new refund arrives.
    del_store.control("add_refund", {"order_id": orders[0]})
    del_store.advance_clock(2)  # leave that second (the checkpoint stops short of it)
    second = c.run("read", config=cfg, catalog=cat, state=first.final_states())
    assert {n["order_id"] for n in second.records("order_notes")} == {orders[0]}
    assert [r["order_id"] for r in second.records("refunds")] == [orders[0]]
    # A note alone does not re-save its order (WC_Order::add_order_note): the documented gap...
    del_store.control("add_note", {"order_id": orders[1]})
    third = c.run("read", config=cfg, catalog=cat, state=second.final_states())
    assert third.records("order_notes") == []
    # ...which the configurable full pass closes.
    full_cfg = del_store.config(order_notes_full_pass=True)
    fourth = c.run("read", config=full_cfg, catalog=cat, state=third.final_states())
    assert len(fourth.records("order_notes")) == del_store.counts()["order_notes"]


def test_old_store_without_modified_filter_or_store_wide_routes(tmp_path_factory, tmp_path):
    store = start_store(tmp_path_factory, "--seed", "3", "--orders", "150", "--wc-version", "5.7.0")
    try:
        c = Connector(tmp_path)
        cfg = store.config()
        cat = incremental(c, cfg, ["orders", "refunds", "product_variations"])
        first = c.run("read", config=cfg, catalog=cat)
        assert first.returncode == 0, first.errors()
        counts = store.counts()
        for stream in ("orders", "refunds", "product_variations"):
            assert len({(r.get("order_id"), r.get("product_id"), r["id"])
                        for r in first.records(stream)}) == counts[stream], stream
        warns = " ".join(m["log"]["message"] for m in first.of("LOG") if m["log"]["level"] == "WARN")
        assert "modified_after" in warns and "/refunds" in warns and "/variations" in warns
        victim = first.records("orders")[0]["id"]
        store.control("edit", {"resource": "orders", "ids": [victim]})
        second = c.run("read", config=cfg, catalog=cat, state=first.final_states())
        assert [r["id"] for r in second.records("orders")] == [victim]
    finally:
        store.stop()


def test_lookback_window_rereads_recent_changes(inc_store, tmp_path):
    c = Connector(tmp_path)
    cfg = inc_store.config()
    cat = incremental(c, cfg, ["orders"])
    first = c.run("read", config=cfg, catalog=cat)
    times = sorted(r["date_modified_gmt"] for r in first.records("orders"))
    state = first.final_states()
    plain = c.run("read", config=cfg, catalog=cat, state=state)
    assert plain.records() == []
    lookback = c.run("read", config=inc_store.config(lookback_window_seconds=30 * 86400),
                     catalog=cat, state=state)
    cursor = state[0]["stream"]["stream_state"]["date_modified_gmt"]
    import datetime
    since = (datetime.datetime.fromisoformat(cursor) - datetime.timedelta(days=30)).isoformat()
    expected = [t for t in times if t >= since]
    assert expected and len(lookback.records("orders")) == len(expected)
    # The cursor never moves backwards because of the lookback.
    assert lookback.final_states()[0]["stream"]["stream_state"]["date_modified_gmt"] >= cursor


def test_full_resync_every_n_syncs(inc_store, tmp_path):
    c = Connector(tmp_path)
    cfg = inc_store.config(full_resync_every=2)
    cat = incremental(c, cfg, ["coupons"])
    first = c.run("read", config=cfg, catalog=cat)
    second = c.run("read", config=cfg, catalog=cat, state=first.final_states())
    third = c.run("read", config=cfg, catalog=cat, state=second.final_states())
    counts = inc_store.counts()["coupons"]
    assert len(first.records("coupons")) == counts
    # Every second sync is a full pass, the ones between read only changes (none here).
    sizes = sorted([len(second.records("coupons")), len(third.records("coupons"))])
    assert sizes == [0, counts]


def test_interrupted_full_refresh_resumes_from_its_checkpoint(inc_store, tmp_path):
    c = Connector(tmp_path)
    cfg = inc_store.config()
    cat = c.catalog(cfg, ["orders"])
    full = c.run("read", config=cfg, catalog=cat)
    checkpoints = [s["state"] for s in full.states("orders")]
    resume = next(s for s in checkpoints if s["stream"]["stream_state"].get("resume_page") == 3)
    run = c.run("read", config=cfg, catalog=cat, state=[resume])
    got = [r["id"] for r in run.records("orders")]
    everything = [r["id"] for r in full.records("orders")]
    assert got == everything[200:]  # pages 1 and 2 were already emitted


def test_global_and_date_range_slice_states_are_read(inc_store, tmp_path):
    c = Connector(tmp_path)
    cfg = inc_store.config()
    cat = incremental(c, cfg, ["orders"])
    first = c.run("read", config=cfg, catalog=cat)
    times = sorted(r["date_modified_gmt"] for r in first.records("orders"))
    mid = times[len(times) // 2]
    expected = sum(1 for t in times if t >= mid)
    glob = [{"type": "GLOBAL", "global": {"shared_state": {}, "stream_states": [
        {"stream_descriptor": {"name": "orders"}, "stream_state": {"date_modified_gmt": mid}}]}}]
    slices = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "orders"}, "stream_state": {
        "state_type": "date-range", "slices": [{"start": "2020-01-01T00:00:00", "end": mid,
                                                "most_recent_cursor_value": mid}]}}}]
    for state in (glob, slices):
        run = c.run("read", config=cfg, catalog=cat, state=state)
        assert run.returncode == 0, run.errors()
        assert len(run.records("orders")) == expected


@pytest.fixture(scope="module")
def store_10_0(tmp_path_factory):
    """WooCommerce 10.0.2: no store-wide /variations; saving a variation re-saves its parent."""
    s = start_store(tmp_path_factory, "--seed", "17", "--orders", "120", "--products", "80",
                    "--wc-version", "10.0.2")
    yield s
    s.stop()


def route_requests(store, route):
    return store.control("stats")["by_route"].get(route, 0)


def test_variations_without_the_store_wide_route_follow_changed_variable_products(store_10_0,
                                                                                 tmp_path):
    c = Connector(tmp_path)
    cfg = store_10_0.config()
    cat = incremental(c, cfg, ["product_variations"])
    first = c.run("read", config=cfg, catalog=cat)
    assert first.returncode == 0, first.errors()
    variations = first.records("product_variations")
    assert len(variations) == store_10_0.counts()["product_variations"]
    parents = {v["product_id"] for v in variations}
    assert len(parents) > 5
    victim = variations[len(variations) // 2]
    # Saving a variation bumps its parent product's date_modified to the same second.
    store_10_0.control("edit", {"resource": "variations", "ids": [victim["id"]]})
    store_10_0.advance_clock(2)  # leave the edit's second (the checkpoint stops short of it)
    store_10_0.control("reset_stats", {})
    second = c.run("read", config=cfg, catalog=cat, state=first.final_states())
    assert second.returncode == 0, second.errors()
    assert [v["id"] for v in second.records("product_variations")] == [victim["id"]]
    assert second.records("product_variations")[0]["product_id"] == victim["product_id"]
    # Only the changed variable product's variations were read, not every variable product's.
    assert route_requests(store_10_0, "products/{id}/variations") == 1
    # Nothing changed since: one request (the changed variable products' listing, empty).
    store_10_0.control("reset_stats", {})
    third = c.run("read", config=cfg, catalog=cat, state=second.final_states())
    assert third.returncode == 0, third.errors()
    assert third.records() == []
    logs = [m["log"]["message"] for m in third.of("LOG")]
    assert "product_variations: 0 record(s), 1 page request(s)" in logs
    assert route_requests(store_10_0, "products/{id}/variations") == 0


@pytest.mark.parametrize("with_start_date", [False, True])
def test_variations_written_without_their_parent_are_caught_by_the_full_resync(store_10_0,
                                                                             tmp_path,
                                                                             with_start_date):
    c = Connector(tmp_path)
    now = store_10_0.control("clock")["now"]
    # With a start_date, the full pass starts there instead of at the beginning.
    dates = {"start_date": now[:10]} if with_start_date else {}
    cfg = store_10_0.config(full_resync_every=2, **dates)
    cat = incremental(c, cfg, ["product_variations"])
    first = c.run("read", config=cfg, catalog=cat)
    assert first.returncode == 0, first.errors()
    full = c.run("read", config=cfg, catalog=c.catalog(cfg, ["product_variations"]))
    victim = full.records("product_variations")[3]["id"]
    # A direct database write: the variation changes, its parent does not.
    now = store_10_0.control("clock")["now"]
    store_10_0.control("set_modified", {"resource": "variations", "ids": [victim],
                                        "date_modified_gmt": now})
    plain = c.run("read", config=store_10_0.config(**dates), catalog=cat,
                  state=first.final_states())
    assert plain.returncode == 0, plain.errors()
    assert victim not in {v["id"] for v in plain.records("product_variations")}  # the gap...
    second = c.run("read", config=cfg, catalog=cat, state=first.final_states())
    assert second.returncode == 0, second.errors()
    # ...closed by the full pass every full_resync_every syncs.
    assert victim in {v["id"] for v in second.records("product_variations")}


def test_order_notes_state_keyed_by_the_declared_cursor_is_read_as_the_orders_cursor(del_store,
                                                                                     tmp_path):
    c = Connector(tmp_path)
    cfg = del_store.config()
    orders = c.run("read", config=cfg, catalog=c.catalog(cfg, ["orders"])).records("orders")
    times = sorted({o["date_modified_gmt"] for o in orders})
    cursor = times[-5]
    changed = {o["id"] for o in orders if o["date_modified_gmt"] >= cursor}
    state = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "order_notes"},
                                           "stream_state": {"date_created_gmt": cursor}}}]
    run = c.run("read", config=cfg, catalog=incremental(c, cfg, ["order_notes"]), state=state)
    assert run.returncode == 0, run.errors()
    assert {n["order_id"] for n in run.records("order_notes")} == changed
    warns = " ".join(m["log"]["message"] for m in run.of("LOG") if m["log"]["level"] == "WARN")
    assert "date_created_gmt" in warns and cursor in warns
    blob = run.final_states()[0]["stream"]["stream_state"]
    assert blob["parent_cursor"]["date_modified_gmt"] >= cursor


def test_route_index_without_argument_lists_is_decided_by_the_probe(tmp_path_factory, tmp_path):
    store = start_store(tmp_path_factory, "--seed", "3", "--orders", "300", "--strip-route-args")
    try:
        c = Connector(tmp_path)
        cfg = store.config(per_page=50)
        cat = incremental(c, cfg, ["orders"])
        first = c.run("read", config=cfg, catalog=cat)
        assert first.returncode == 0, first.errors()
        warns = " ".join(m["log"]["message"] for m in first.of("LOG")
                         if m["log"]["level"] == "WARN")
        assert "5.8" not in warns and "modified_after" not in warns
        victim = first.records("orders")[0]["id"]
        store.control("edit", {"resource": "orders", "ids": [victim]})
        store.control("reset_stats", {})
        second = c.run("read", config=cfg, catalog=cat, state=first.final_states())
        assert [r["id"] for r in second.records("orders")] == [victim]
        # Read with modified_after, not by listing every order (6 pages of 50).
        assert route_requests(store, "orders") <= 4  # 2 probe requests + 1 or 2 reads
        assert "modified_after" not in " ".join(
            m["log"]["message"] for m in second.of("LOG") if m["log"]["level"] == "WARN")
    finally:
        store.stop()


def test_route_index_without_argument_lists_on_an_old_store(tmp_path_factory, tmp_path):
    store = start_store(tmp_path_factory, "--seed", "3", "--orders", "150", "--wc-version",
                        "5.7.0", "--strip-route-args")
    try:
        c = Connector(tmp_path)
        cfg = store.config()
        cat = incremental(c, cfg, ["orders"])
        first = c.run("read", config=cfg, catalog=cat)
        assert first.returncode == 0, first.errors()
        assert len(first.records("orders")) == store.counts()["orders"]
        warns = " ".join(m["log"]["message"] for m in first.of("LOG")
                         if m["log"]["level"] == "WARN")
        assert "ignores the modified_after filter" in warns
        victim = first.records("orders")[0]["id"]
        store.control("edit", {"resource": "orders", "ids": [victim]})
        second = c.run("read", config=cfg, catalog=cat, state=first.final_states())
        assert [r["id"] for r in second.records("orders")] == [victim]
    finally:
        store.stop()
