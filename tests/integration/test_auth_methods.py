"""Plain permalinks with API keys (WooCommerce 10.0.2 authenticates keys on ?rest_route= only
when the URI contains wp-json/wc/, newer versions always) and WordPress application passwords:
reads that work on both URL forms, what `check` reports, and secrets kept out of every output."""

import pytest

from conftest import Connector, start_store

PLANTED_PASSWORD = "Plnt Dxqz Auth Sec7 Wq9z Mm42"


@pytest.fixture(scope="module")
def plain_1002(tmp_path_factory):
    """Plain permalinks, API keys as WooCommerce 10.0.2 treats them (the demo store's default)."""
    s = start_store(tmp_path_factory, "--plain-permalinks", "--orders", "30")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def plain_modern(tmp_path_factory):
    s = start_store(tmp_path_factory, "--plain-permalinks", "--rest-route-auth", "modern",
                    "--orders", "30")
    yield s
    s.stop()


def status_of(run):
    statuses = run.of("CONNECTION_STATUS")
    assert run.returncode == 0 and len(statuses) == 1, run.stdout[-2000:] + run.stderr[-2000:]
    return statuses[0]["connectionStatus"]


def key_config(store, auth):
    # OAuth 1.0a is WooCommerce's method over plain http; the others need HTTPS.
    return store.config(store_url=store.http if auth == "oauth1" else store.https, auth_method=auth)


def read_orders(c, store, cfg):
    run = c.run("read", config=cfg, catalog=c.catalog(cfg, ["orders"]))
    assert run.returncode == 0, run.errors()
    assert len(run.records("orders")) == store.counts()["orders"]
    return run


@pytest.mark.parametrize("auth", ["basic", "query_string", "oauth1"])
def test_api_keys_read_through_rest_route_on_1002(plain_1002, tmp_path, auth):
    c = Connector(tmp_path)
    cfg = key_config(plain_1002, auth)
    status = status_of(c.run("check", config=cfg))
    assert status["status"] == "SUCCEEDED", status
    msg = status["message"]
    assert "plain permalinks" in msg and "?rest_route=" in msg, msg
    assert f"auth_method {auth}" in msg, msg
    # check found out that this store needs the hint (10.0-style), and said so.
    assert "only with the wc_route_hint" in msg, msg
    read_orders(c, plain_1002, cfg)


@pytest.mark.parametrize("auth", ["basic", "oauth1"])
def test_api_keys_read_through_rest_route_on_newer_woocommerce(plain_modern, tmp_path, auth):
    c = Connector(tmp_path)
    cfg = key_config(plain_modern, auth)
    status = status_of(c.run("check", config=cfg))
    assert status["status"] == "SUCCEEDED", status
    assert "by itself" in status["message"], status["message"]
    read_orders(c, plain_modern, cfg)


def test_check_explains_api_keys_refused_on_rest_route(plain_1002, tmp_path):
    c = Connector(tmp_path)
    status = status_of(c.run("check", config=plain_1002.config(consumer_key="ck_unknown_fake_key")))
    assert status["status"] == "FAILED"
    msg = status["message"]
    for needle in ("plain permalinks", "?rest_route=", "application_password",
                   "Settings → Permalinks", "woocommerce_rest_cannot_view"):
        assert needle in msg, (needle, msg)


@pytest.mark.parametrize("form", ["pretty", "plain"])
def test_application_password_reads_on_both_url_forms(store, plain_1002, tmp_path, form):
    s = store if form == "pretty" else plain_1002
    c = Connector(tmp_path)
    cfg = s.app_password_config()
    status = status_of(c.run("check", config=cfg))
    assert status["status"] == "SUCCEEDED", status
    msg = status["message"]
    assert "application password of user 'demo-admin'" in msg, msg
    assert ("?rest_route=" in msg) == (form == "plain"), msg
    assert "wc_route_hint" not in msg, msg
    # Spaces optional: WordPress compares letters and digits only.
    cfg = s.app_password_config(application_password=s.app_password.replace(" ", ""))
    read_orders(c, s, cfg)


def test_check_explains_application_password_failures(store, tmp_path):
    c = Connector(tmp_path)
    cases = {
        "wrong password": (store.app_password_config(application_password="Abcd Efgh Ijkl Mnop"),
                           ["incorrect_password", "rejected the application password"]),
        "unknown user": (store.app_password_config(username="no-such-user"),
                         ["invalid_username", "'no-such-user'"]),
        # Loopback http is allowed by the connector; WordPress requires HTTPS.
        "https required": (store.app_password_config(store_url=store.http),
                           ["application_passwords_disabled", "only over HTTPS"]),
        "no shop rights": (store.app_password_config(username="demo-customer",
                                                     application_password="Cust Omer Appl Pass 0000 0001"),
                           ["403", "Shop manager"]),
    }
    for name, (cfg, needles) in cases.items():
        status = status_of(c.run("check", config=cfg))
        assert status["status"] == "FAILED", (name, status)
        for needle in needles:
            assert needle in status["message"], (name, needle, status["message"])


def test_read_with_a_wrong_application_password_is_a_config_error(store, tmp_path):
    c = Connector(tmp_path)
    good = store.app_password_config()
    cat = c.catalog(good, ["orders"])
    run = c.run("read", config=store.app_password_config(application_password="Abcd Efgh Ijkl"),
                catalog=cat)
    assert run.returncode != 0
    errors = run.errors()
    assert errors and errors[0]["failure_type"] == "config_error", errors
    assert "incorrect_password" in errors[0]["message"], errors[0]
    assert run.records() == []


def test_application_passwords_disabled_by_a_security_plugin(tmp_path_factory, tmp_path):
    s = start_store(tmp_path_factory, "--no-app-passwords", "--orders", "10")
    try:
        c = Connector(tmp_path)
        status = status_of(c.run("check", config=s.app_password_config()))
        assert status["status"] == "FAILED"
        msg = status["message"]
        assert "application_passwords_disabled" in msg and "security plugin" in msg, msg
        assert "only over HTTPS" not in msg, msg
        # API keys still work there.
        assert status_of(c.run("check", config=s.config()))["status"] == "SUCCEEDED"
    finally:
        s.stop()


def test_application_password_never_appears_in_any_output(tmp_path_factory, tmp_path):
    s = start_store(tmp_path_factory, "--plain-permalinks", "--orders", "20",
                    "--app-password", PLANTED_PASSWORD)
    try:
        c = Connector(tmp_path)
        cfg = s.app_password_config(initial_backoff_ms=10, max_retries=1)
        cat = c.catalog(cfg, ["orders", "payment_gateways"])
        runs = [c.run("check", config=cfg), c.run("discover", config=cfg),
                c.run("read", config=cfg, catalog=cat)]
        s.control("faults", {"rate": 1.0, "kinds": ["500"], "seed": 2})
        runs.append(c.run("read", config=cfg, catalog=cat))
        s.control("faults", {"rate": 0})
        compact = PLANTED_PASSWORD.replace(" ", "")
        for bad_password in (PLANTED_PASSWORD + "x", compact[:-1] + "Q"):
            bad = dict(cfg, application_password=bad_password)
            runs += [c.run("check", config=bad), c.run("read", config=bad, catalog=cat)]
        for url in (s.http, "https://127.0.0.1:9"):
            bad_url = dict(cfg, store_url=url)
            runs += [c.run("check", config=bad_url), c.run("read", config=bad_url, catalog=cat)]
        joined = "\n".join(r.stdout + r.stderr for r in runs)
        assert "RECORD" in joined and "demo-admin" in joined
        for planted in (PLANTED_PASSWORD, compact, compact[:-1] + "Q", "Plnt", "Wq9z"):
            assert planted not in joined, f"{planted} leaked"
    finally:
        s.stop()


def test_read_with_keys_refused_on_rest_route_fails_loudly(plain_1002, tmp_path):
    # 401 woocommerce_rest_cannot_view means anonymous: a config error, not streams to skip.
    c = Connector(tmp_path)
    cfg = plain_1002.config()
    cat = c.catalog(cfg, ["orders", "coupons"])
    run = c.run("read", config=plain_1002.config(consumer_key="ck_unknown_fake_key"), catalog=cat)
    assert run.returncode != 0
    assert run.records() == []
    errors = run.errors()
    assert errors and errors[0]["failure_type"] == "config_error", errors
    assert "?rest_route=" in errors[0]["message"] and "application_password" in errors[0]["message"]
