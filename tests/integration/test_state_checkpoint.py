"""The typed stream checkpoint (src/state/stream_checkpoint.hpp, docs/incremental.md "State
format") at the connector's edges: the webhook journal's position is read and written through it
(a malformed `webhook_seq` is a config_error naming it; the blob it writes carries
`checkpoint_version: 2`), and Singer bookmarks written by a newer source-woocommerce are refused
before anything is read.

Binaries come from WCC_BIN and WCC_DEMO_STORE, set by ctest."""
import pytest

from conftest import Connector
from test_singer import discover, select, singer
from test_webhook_read import BIN, DEMO, SECRET, make_config, store_with_receiver

pytestmark = pytest.mark.skipif(
    not BIN or not DEMO,
    reason="set WCC_BIN (source-woocommerce) and WCC_DEMO_STORE (woo-demo-store) to run these "
           "tests (ctest sets both)")


def blob(run, stream):
    states = run.states(stream)
    assert states, f"no STATE for {stream}"
    return states[-1]["state"]["stream"]["stream_state"]


def test_the_journal_position_goes_through_the_typed_checkpoint(tmp_path):
    with store_with_receiver(tmp_path, "journal.db") as env:
        c = Connector(tmp_path)
        local, _ = make_config(env.store, tmp_path, env.journal)
        cat = c.catalog(local, ["orders"], mode="incremental")
        future = {"date_modified_gmt": "2100-01-01T00:00:00", "x_plugin": {"kept": [1, 2]}}
        state = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "orders"},
                                               "stream_state": {**future, "webhook_seq": 0}}}]
        run = c.run("read", config=local, catalog=cat, state=state, timeout=300)
        assert run.returncode == 0, run.errors() or run.stderr[-2000:]
        final = blob(run, "orders")
        # Written by to_json: the cursor and the unknown key kept as they came, the position,
        # the version.
        assert final["date_modified_gmt"] == "2100-01-01T00:00:00"
        assert final["x_plugin"] == {"kept": [1, 2]}
        assert final["webhook_seq"] == 0
        assert final["checkpoint_version"] == 2
        assert SECRET not in run.stdout + run.stderr

        # A position that is not a number was read as 0 before: now the stream fails, naming it.
        state[0]["stream"]["stream_state"] = {**future, "webhook_seq": "12"}
        bad = c.run("read", config=local, catalog=cat, state=state, timeout=300)
        assert bad.returncode != 0
        errors = bad.errors()
        assert errors and all(e["failure_type"] == "config_error" for e in errors), errors
        assert any("state of stream 'orders'" in e["message"] and "'webhook_seq'" in e["message"]
                   for e in errors), errors


def test_a_singer_bookmark_of_a_newer_format_is_refused(store, tmp_path):
    cfg = store.config()
    cat = select(discover(tmp_path, cfg), ["coupons"])
    state = {"bookmarks": {"coupons": {"date_modified_gmt": "2024-01-01T00:00:00",
                                       "checkpoint_version": 3}}}
    run = singer(tmp_path, config=cfg, catalog=cat, state=state)
    assert run.returncode != 0
    assert run.of("RECORD") == []
    assert "written by a newer source-woocommerce" in run.stderr, run.stderr[-2000:]
    assert "coupons" in run.stderr
