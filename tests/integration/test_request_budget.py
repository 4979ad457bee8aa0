"""The default request budget (adaptive) against a store that limits requests: one lesson from
the store's 429, no further 429s, the learned rate in every STATE, and the next sync starting
under it. Counts come from the store's /__control/stats, never from timings."""

import pytest

from conftest import Connector, start_store

LIMIT = {"requests": 20, "window_seconds": 4}


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    s = start_store(tmp_path_factory, "--seed", "5", "--orders", "400")
    yield s
    s.stop()


def default_config(store, **kw):
    """The store's config without any budget field: the connector's default."""
    cfg = store.config(initial_backoff_ms=20, per_page=10, **kw)
    del cfg["requests_per_window"]
    return cfg


def budgets(run):
    return [m["stream"]["stream_state"].get("request_budget") for m in run.final_states()]


def logs(run, text):
    return [m["log"]["message"] for m in run.of("LOG") if text in m["log"]["message"]]


def test_default_budget_learns_the_limit_then_the_next_sync_starts_under_it(limited, tmp_path):
    c = Connector(tmp_path)
    cfg = default_config(limited)
    cat = c.catalog(cfg, ["orders", "customers"])
    counts = limited.counts()
    try:
        limited.control("rate_limit", LIMIT)
        limited.control("reset_stats", {})
        first = c.run("read", config=cfg, catalog=cat)
        s1 = limited.control("stats")
        limited.control("rate_limit", LIMIT)  # a fresh window, as after a pause between syncs
        limited.control("reset_stats", {})
        second = c.run("read", config=cfg, catalog=cat, state=first.final_states())
        s2 = limited.control("stats")
    finally:
        limited.control("rate_limit", {"requests": 0, "window_seconds": 1})

    assert first.returncode == 0, first.errors()
    for stream in ("orders", "customers"):
        assert len({r["id"] for r in first.records(stream)}) == counts[stream], stream
    assert s1["requests"] > 2 * LIMIT["requests"], "the read was too small to meet the limit"
    # One lesson: the 429s are those of the requests in flight when the store first refused.
    assert 1 <= s1["rate_limited"] <= 4, s1
    assert s1["violations"] == 0, "a request went out before Retry-After elapsed"
    assert logs(first, "request budget: the store pushed back (HTTP 429")
    # The streams whose last STATE came after the lesson carry it (one that finished before the
    # store's first 429 does not: the next sync takes the latest among all streams).
    learned = [b for b in budgets(first) if b is not None]
    assert learned and all(b == learned[0] for b in learned), budgets(first)
    b = learned[0]
    assert b["requests"] * 1000 / b["window_ms"] <= LIMIT["requests"] / LIMIT["window_seconds"]
    assert b["expires_at"] > b["learned_at"]

    assert second.returncode == 0, second.errors()
    for stream in ("orders", "customers"):
        assert len({r["id"] for r in second.records(stream)}) == counts[stream], stream
    assert s2["requests"] > 2 * LIMIT["requests"]
    assert s2["rate_limited"] == 0, s2  # started under the learned rate
    assert logs(second, "request budget: starting at")
    # Every stream carries it, kept as learned: it expires when it says, not later.
    assert budgets(second) == [b] * len(budgets(second)), budgets(second)


def test_expired_or_malformed_budgets_in_the_state_are_dropped(limited, tmp_path):
    c = Connector(tmp_path)
    cfg = default_config(limited)
    cat = c.catalog(cfg, ["coupons", "tax_rates"])
    expired = {"requests": 1, "window_ms": 60000, "learned_at": "2020-01-01T00:00:00Z",
               "expires_at": "2020-01-04T00:00:00Z"}
    state = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "coupons"},
                                           "stream_state": {"request_budget": expired}}},
             {"type": "STREAM", "stream": {"stream_descriptor": {"name": "tax_rates"},
                                           "stream_state": {"request_budget": "fast"}}}]
    run = c.run("read", config=cfg, catalog=cat, state=state)
    assert run.returncode == 0, run.errors()
    assert not logs(run, "request budget: starting at")  # 1 per minute would be slow
    assert logs(run, "request_budget is malformed")
    assert budgets(run) and all(b is None for b in budgets(run)), budgets(run)


def test_old_ui_defaults_get_the_adaptive_budget(limited, tmp_path):
    c = Connector(tmp_path)
    cfg = default_config(limited, requests_per_window=25, window_seconds=10)
    run = c.run("read", config=cfg, catalog=c.catalog(cfg, ["coupons"]))
    assert run.returncode == 0, run.errors()
    assert logs(run, "are the old defaults")


def test_singer_bookmarks_carry_the_learned_rate(limited, tmp_path):
    from datetime import datetime, timedelta, timezone

    from test_singer import discover, select, singer

    now = datetime.now(timezone.utc).replace(microsecond=0)
    saved = {"requests": 1000, "window_ms": 1000,
             "learned_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
             "expires_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")}
    cfg = default_config(limited)
    cat = select(discover(tmp_path, cfg), ["coupons"])
    run = singer(tmp_path, config=cfg, catalog=cat,
                 state={"bookmarks": {"coupons": {"request_budget": saved}}})
    assert run.returncode == 0, run.stderr
    assert "request budget: starting at 1000 requests per 1.0 s" in run.stderr
    assert run.last_state()["value"]["bookmarks"]["coupons"]["request_budget"] == saved
