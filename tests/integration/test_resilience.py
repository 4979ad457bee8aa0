"""Flaky hosts: faults of every kind, a 429-ing rate limit, exhausted retries, hosting quirks,
and secrets that must never be printed."""

import pytest

from conftest import Connector, start_store

STREAMS = ["orders", "products", "customers", "coupons", "tax_rates", "payment_gateways"]
ALL_FAULTS = ["500", "502html", "503retry", "reset", "notice", "bom", "html200", "timeout", "empty"]


@pytest.fixture(scope="module")
def flaky(tmp_path_factory):
    s = start_store(tmp_path_factory, "--seed", "5", "--orders", "500")
    yield s
    s.stop()


def fast_retries(store, **kw):
    return store.config(initial_backoff_ms=20, max_retries=8, request_timeout_seconds=3, **kw)


def test_five_percent_faults_of_every_kind_lose_nothing(flaky, tmp_path):
    c = Connector(tmp_path)
    cfg = fast_retries(flaky, per_page=10)  # ~150 requests, so 5% faults hit every kind
    cat = c.catalog(cfg, STREAMS)
    flaky.control("faults", {"rate": 0.05, "kinds": ALL_FAULTS, "seed": 7, "timeout_ms": 4000})
    try:
        run = c.run("read", config=cfg, catalog=cat)
    finally:
        stats = flaky.control("stats")
        flaky.control("faults", {"rate": 0})
    assert stats["faults_injected"] > 0
    assert run.returncode == 0, run.errors()
    counts = flaky.counts()
    for stream in STREAMS:
        got = [r["id"] for r in run.records(stream)]
        assert len(set(got)) == counts[stream], stream
    warns = " ".join(m["log"]["message"] for m in run.of("LOG") if m["log"]["level"] == "WARN")
    if "notice" in ALL_FAULTS:
        assert "PHP" in warns or stats["faults_injected"] < 5


def test_rate_limit_is_respected_without_violations(flaky, tmp_path):
    c = Connector(tmp_path)
    flaky.control("reset_stats", {})
    flaky.control("rate_limit", {"requests": 10, "window_seconds": 5})
    try:
        cfg = fast_retries(flaky, per_page=25)  # no client budget: the store's 429s drive the pacing
        run = c.run("read", config=cfg, catalog=c.catalog(cfg, ["orders", "customers"]))
        stats = flaky.control("stats")
    finally:
        flaky.control("rate_limit", {"requests": 0, "window_seconds": 1})
    assert run.returncode == 0, run.errors()
    assert stats["rate_limited"] > 0, "the test did not provoke any 429"
    assert stats["violations"] == 0, "a request went out before Retry-After elapsed"
    assert len(run.records("orders")) == flaky.counts()["orders"]
    limited = [t for t in run.traces("STREAM_STATUS")
               if t["stream_status"].get("reasons")]
    assert limited and limited[0]["stream_status"]["reasons"][0]["type"] == "RATE_LIMITED"


def test_matching_budget_provokes_no_429(flaky, tmp_path):
    c = Connector(tmp_path)
    flaky.control("reset_stats", {})
    flaky.control("rate_limit", {"requests": 10, "window_seconds": 2})
    try:
        cfg = fast_retries(flaky, requests_per_window=10, window_seconds=2)
        run = c.run("read", config=cfg, catalog=c.catalog(cfg, ["coupons", "customers"]))
        stats = flaky.control("stats")
    finally:
        flaky.control("rate_limit", {"requests": 0, "window_seconds": 1})
    assert run.returncode == 0, run.errors()
    assert stats["rate_limited"] == 0


def test_faults_beyond_the_retry_budget_fail_loudly(flaky, tmp_path):
    c = Connector(tmp_path)
    cfg = flaky.config(initial_backoff_ms=10, max_retries=2, request_timeout_seconds=3)
    flaky.control("faults", {"rate": 1.0, "kinds": ["500"], "seed": 1})
    try:
        run = c.run("read", config=cfg, catalog=c.catalog(cfg, ["orders"]))
    finally:
        flaky.control("faults", {"rate": 0})
    assert run.returncode != 0
    errors = run.errors()
    assert errors and errors[0]["failure_type"] == "transient_error"
    assert "orders" in errors[0]["message"]


def test_html_challenge_page_is_an_error_not_zero_records(flaky, tmp_path):
    c = Connector(tmp_path)
    cfg = flaky.config(initial_backoff_ms=10, max_retries=1)
    flaky.control("faults", {"rate": 1.0, "kinds": ["html200"], "seed": 1})
    try:
        run = c.run("read", config=cfg, catalog=c.catalog(cfg, ["coupons"]))
    finally:
        flaky.control("faults", {"rate": 0})
    assert run.returncode != 0
    assert run.records() == []
    assert "instead of JSON" in run.errors()[0]["message"]
    assert "allowlist" in run.errors()[0]["message"]


def test_stripped_authorization_header_is_diagnosed(tmp_path_factory, tmp_path):
    store = start_store(tmp_path_factory, "--strip-auth-header", "--orders", "30")
    try:
        c = Connector(tmp_path)
        run = c.run("check", config=store.config())
        msg = run.of("CONNECTION_STATUS")[0]["connectionStatus"]
        assert msg["status"] == "FAILED" and "query_string" in msg["message"]
        cfg = store.config(auth_method="query_string")
        ok = c.run("check", config=cfg)
        assert ok.of("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "SUCCEEDED"
        run = c.run("read", config=cfg, catalog=c.catalog(cfg, ["orders"]))
        assert len(run.records("orders")) == store.counts()["orders"]
    finally:
        store.stop()


def test_plain_permalinks_use_rest_route(tmp_path_factory, tmp_path):
    store = start_store(tmp_path_factory, "--plain-permalinks", "--orders", "30")
    try:
        c = Connector(tmp_path)
        cfg = store.config()
        run = c.run("read", config=cfg, catalog=c.catalog(cfg, ["orders", "tax_rates"]))
        assert run.returncode == 0, run.errors()
        assert len(run.records("orders")) == store.counts()["orders"]
    finally:
        store.stop()


def test_oauth1_over_plain_http(flaky, tmp_path):
    c = Connector(tmp_path)
    cfg = flaky.config(store_url=flaky.http, auth_method="oauth1")
    run = c.run("read", config=cfg, catalog=c.catalog(cfg, ["coupons"]))
    assert run.returncode == 0, run.errors()
    assert len(run.records("coupons")) == flaky.counts()["coupons"]


def test_secrets_never_appear_in_any_output(tmp_path_factory, tmp_path):
    key, secret, hook = "ck_PLANTEDkey7431", "cs_PLANTEDsecret9902", "whsec_PLANTEDhook5521"
    store = start_store(tmp_path_factory, "--orders", "40", "--key", key, "--secret", secret)
    try:
        c = Connector(tmp_path)
        outputs = []
        for auth in ("basic", "query_string"):
            cfg = store.config(consumer_key=key, consumer_secret=secret, webhook_secret=hook,
                               auth_method=auth, initial_backoff_ms=10, max_retries=1)
            cat = c.catalog(cfg, ["orders", "payment_gateways"])
            runs = [c.run("check", config=cfg), c.run("discover", config=cfg),
                    c.run("read", config=cfg, catalog=cat)]
            store.control("faults", {"rate": 1.0, "kinds": ["500"], "seed": 2})
            runs.append(c.run("read", config=cfg, catalog=cat))
            store.control("faults", {"rate": 0})
            bad = dict(cfg, consumer_secret=secret + "x")
            runs += [c.run("check", config=bad), c.run("read", config=bad, catalog=cat)]
            bad_url = dict(cfg, store_url="https://127.0.0.1:9")
            runs += [c.run("check", config=bad_url), c.run("read", config=bad_url, catalog=cat)]
            outputs += [r.stdout + r.stderr for r in runs]
        joined = "\n".join(outputs)
        assert "RECORD" in joined
        for planted in (key, secret, hook, "PLANTED"):
            assert planted not in joined, f"{planted} leaked"
    finally:
        store.stop()


@pytest.mark.parametrize("mode", ["full_refresh", "incremental"])
def test_pages_that_keep_timing_out_are_read_in_smaller_pages(flaky, tmp_path, mode):
    c = Connector(tmp_path)
    cfg = flaky.config(request_timeout_seconds=1, max_retries=1, initial_backoff_ms=10)
    cat = c.catalog(cfg, ["orders"], mode=mode)
    # Every page of 100 orders stalls past the client's timeout; smaller pages answer.
    flaky.control("faults", {"rate": 1.0, "kinds": ["timeout"], "timeout_ms": 1500,
                             "min_per_page": 100, "seed": 3})
    try:
        run = c.run("read", config=cfg, catalog=cat)
    finally:
        flaky.control("faults", {"rate": 0})
    assert run.returncode == 0, run.errors()
    assert len({r["id"] for r in run.records("orders")}) == flaky.counts()["orders"]
    warns = " ".join(m["log"]["message"] for m in run.of("LOG") if m["log"]["level"] == "WARN")
    assert "50 records per page" in warns


@pytest.mark.parametrize("kind", ["noid", "scalars"])
@pytest.mark.parametrize("mode", ["full_refresh", "incremental"])
def test_listing_items_that_are_not_records_fail_the_page(flaky, tmp_path, kind, mode):
    c = Connector(tmp_path)
    cfg = fast_retries(flaky)
    cat = c.catalog(cfg, ["orders", "customers"], mode=mode)
    flaky.control("faults", {"rate": 1, "kinds": [kind]})
    try:
        run = c.run("read", config=cfg, catalog=cat)
    finally:
        flaky.control("faults", {"rate": 0})
    assert run.returncode != 0
    assert run.records() == []  # never junk rows, never an empty "success"
    errors = {e.get("stream_descriptor", {}).get("name"): e for e in run.errors()}
    for stream in ("orders", "customers"):
        err = errors[stream]
        assert err["failure_type"] == "system_error"
        assert f"GET /{stream}?" in err["message"]  # the request...
        assert "is not a record" in err["message"]
        # ...and what came back.
        assert ("Served from the page cache" if kind == "noid" else '"cached"') in err["message"]


@pytest.mark.parametrize("kind", ["totaldrop", "emptypage"])
def test_totals_that_drop_mid_listing_never_end_it_early(flaky, tmp_path, kind):
    c = Connector(tmp_path)
    cfg = fast_retries(flaky, per_page=50)
    cat = c.catalog(cfg, ["orders"])
    flaky.control("faults", {"rate": 1, "kinds": [kind], "min_page": 2})
    try:
        run = c.run("read", config=cfg, catalog=cat)
    finally:
        flaky.control("faults", {"rate": 0})
    assert run.returncode != 0
    assert len(run.records("orders")) < flaky.counts()["orders"]
    err = [e for e in run.errors() if e.get("stream_descriptor", {}).get("name") == "orders"][0]
    assert err["failure_type"] == "transient_error"
    assert "GET /orders?" in err["message"] and "X-WP-Total" in err["message"]
    assert "contradict" in err["message"]


@pytest.mark.parametrize("kind", ["totaldrop", "emptypage"])
def test_a_total_that_drops_once_is_read_again(flaky, tmp_path, kind):
    c = Connector(tmp_path)
    cfg = fast_retries(flaky, per_page=50)
    cat = c.catalog(cfg, ["orders"])
    flaky.control("reset_stats", {})
    flaky.control("faults", {"rate": 1, "kinds": [kind], "min_page": 2, "limit": 1})
    try:
        run = c.run("read", config=cfg, catalog=cat)
        stats = flaky.control("stats")
    finally:
        flaky.control("faults", {"rate": 0})
    assert stats["faults_injected"] == 1
    assert run.returncode == 0, run.errors()
    ids = [r["id"] for r in run.records("orders")]
    assert len(ids) == len(set(ids)) == flaky.counts()["orders"]
    warns = " ".join(m["log"]["message"] for m in run.of("LOG") if m["log"]["level"] == "WARN")
    assert "reading the page again" in warns


# Faults from the second page on: orders (several pages) fails, tax_rates (one page) completes.
def failing_orders(flaky):
    assert flaky.counts()["tax_rates"] < 50, "tax_rates must fit one page"
    flaky.control("faults", {"rate": 1.0, "kinds": ["500"], "min_page": 2})
    return flaky.config(initial_backoff_ms=10, max_retries=1, per_page=50)


FINAL = ("the sync did not complete: these streams failed: orders (see the errors above; every "
         "other stream completed)")


def test_a_failed_stream_ends_the_read_with_one_final_error_naming_it(flaky, tmp_path):
    c = Connector(tmp_path)
    try:
        cfg = failing_orders(flaky)
        run = c.run("read", config=cfg, catalog=c.catalog(cfg, ["orders", "tax_rates"]))
    finally:
        flaky.control("faults", {"rate": 0})
    assert run.returncode == 1
    assert len(run.records("tax_rates")) == flaky.counts()["tax_rates"]
    [own, final] = run.errors()
    assert own["stream_descriptor"]["name"] == "orders"
    assert run.messages[-1]["type"] == "TRACE"
    assert final == run.messages[-1]["trace"]["error"]
    assert final["failure_type"] == "transient_error" and final["message"] == FINAL
    assert "stream_descriptor" not in final


def test_a_failed_stream_ends_a_singer_sync_with_the_same_final_error(flaky, tmp_path):
    from test_singer import discover, select, singer
    cat = select(discover(tmp_path, flaky.config()), ["orders", "tax_rates"], method="FULL_TABLE")
    try:
        run = singer(tmp_path, config=failing_orders(flaky), catalog=cat, timeout=300)
    finally:
        flaky.control("faults", {"rate": 0})
    assert run.returncode == 1
    assert len(run.records("tax_rates")) == flaky.counts()["tax_rates"]
    assert run.stderr.splitlines()[-1] == "ERROR [transient_error] " + FINAL, run.stderr[-2000:]
