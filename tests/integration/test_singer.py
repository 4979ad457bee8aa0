"""Singer mode (docs/singer.md): `source-woocommerce --config F [--state F] [--catalog F |
--properties F] [--discover] [--about]` against the demo store, checked against the rules of the
Singer specification: every RECORD preceded by its stream's SCHEMA, time_extracted on every
RECORD, key properties present and non-null, bookmarks never moving backwards, nothing but
SCHEMA/RECORD/STATE on stdout."""
import errno
import json
import os
import time
import subprocess

import pytest

from conftest import BIN, Connector, start_store


class SingerRun:
    def __init__(self, proc):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.messages = [json.loads(line) for line in proc.stdout.splitlines()]

    def of(self, type_, stream=None):
        return [m for m in self.messages
                if m["type"] == type_ and (stream is None or m.get("stream") == stream)]

    def records(self, stream):
        return [m["record"] for m in self.of("RECORD", stream)]

    def last_state(self):
        states = self.of("STATE")
        return states[-1] if states else None


def singer(tmp, *args, config=None, catalog=None, state=None, timeout=600):
    c = Connector(tmp)
    cmd = [BIN, *args]
    if config is not None:
        cmd += ["--config", c.write("config.json", config)]
    if catalog is not None:
        cmd += ["--catalog", c.write("catalog.json", catalog)]
    if state is not None:
        cmd += ["--state", c.write("state.json", state)]
    return SingerRun(subprocess.run(cmd, capture_output=True, text=True, timeout=timeout))


def discover(tmp, cfg):
    run = subprocess.run([BIN, "--config", Connector(tmp).write("config.json", cfg), "--discover"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def select(catalog, streams, method=None):
    """Selects `streams` (and deselects the others) the way Meltano writes its catalog."""
    for entry in catalog["streams"]:
        for m in entry["metadata"]:
            if m["breadcrumb"] == []:
                m["metadata"]["selected"] = entry["tap_stream_id"] in streams
                if method and entry["tap_stream_id"] in streams:
                    m["metadata"]["replication-method"] = method
    return catalog


def check_singer_rules(run, catalog):
    """The Singer specification's rules on a tap's output; returns the records per stream."""
    by_id = {e["tap_stream_id"]: e for e in catalog["streams"]}
    schemas = {}
    records = {}
    last_bookmark = {}
    for i, m in enumerate(run.messages):
        assert m["type"] in ("SCHEMA", "RECORD", "STATE"), f"line {i}: {m['type']}"
        if m["type"] == "SCHEMA":
            assert set(m) >= {"stream", "schema", "key_properties"}, m.keys()
            assert m["schema"]["type"] == "object"
            assert m["key_properties"] == by_id[m["stream"]]["key_properties"]
            for k in m["key_properties"]:
                assert k in m["schema"]["properties"], (m["stream"], k)
            schemas[m["stream"]] = m
        elif m["type"] == "RECORD":
            stream = m["stream"]
            assert stream in schemas, f"line {i}: RECORD of {stream} before its SCHEMA"
            assert m["time_extracted"].endswith("Z") and "T" in m["time_extracted"]
            assert isinstance(m["record"], dict)
            for k in schemas[stream]["key_properties"]:
                assert m["record"].get(k) is not None, (stream, k, m["record"])
            assert "_ab_cdc_deleted_at" not in m["record"]
            records.setdefault(stream, []).append(m["record"])
        else:
            assert set(m) == {"type", "value"}, m.keys()
            bookmarks = m["value"]["bookmarks"]
            for stream, blob in bookmarks.items():
                key = by_id.get(stream, {}).get("replication_key")
                if key and key in blob:
                    before = last_bookmark.get(stream)
                    assert before is None or blob[key] >= before, (stream, before, blob[key])
                    last_bookmark[stream] = blob[key]
            # The map never loses a stream once bookmarked.
            for stream in last_bookmark:
                assert stream in bookmarks, stream
    return records


def test_about(tmp_path):
    run = subprocess.run([BIN, "--about"], capture_output=True, text=True, timeout=30)
    assert run.returncode == 0, run.stderr
    about = json.loads(run.stdout)
    version = subprocess.run([BIN, "--version"], capture_output=True, text=True).stdout.split()[-1]
    assert about["name"] == "source-woocommerce"
    assert about["version"] == version
    assert set(about["capabilities"]) == {"catalog", "discover", "state"}
    settings = {s["name"]: s for s in about["settings"]}
    assert settings["store_url"]["required"] is True
    assert settings["consumer_secret"]["secret"] is True
    assert settings["start_date"]["secret"] is False and settings["start_date"]["required"] is False
    spec = json.loads(subprocess.run([BIN, "spec"], capture_output=True, text=True).stdout)
    props = spec["spec"]["connectionSpecification"]["properties"]
    assert set(settings) == set(props)
    for name, p in props.items():
        assert settings[name].get("default") == p.get("default"), name
        assert settings[name]["secret"] == bool(p.get("airbyte_secret")), name
    assert all(s.get("description") for s in about["settings"]), about["settings"]


def test_discover_shape(store, tmp_path):
    cfg = store.config()
    cat = discover(tmp_path, cfg)
    airbyte = Connector(tmp_path).run("discover", config=cfg).of("CATALOG")[0]["catalog"]
    ab = {s["name"]: s for s in airbyte["streams"]}
    assert [e["tap_stream_id"] for e in cat["streams"]] == list(ab)
    for e in cat["streams"]:
        s = ab[e["tap_stream_id"]]
        assert e["stream"] == e["tap_stream_id"]
        assert e["key_properties"] == [p[0] for p in s["source_defined_primary_key"]]
        top = [m["metadata"] for m in e["metadata"] if m["breadcrumb"] == []]
        assert len(top) == 1
        top = top[0]
        assert top["table-key-properties"] == e["key_properties"]
        assert top["inclusion"] == "available" and top["selected"] is True
        if s.get("default_cursor_field"):
            assert e["replication_method"] == "INCREMENTAL"
            assert e["replication_key"] == s["default_cursor_field"][0]
            assert top["valid-replication-keys"] == [e["replication_key"]]
        else:
            assert e["replication_method"] == "FULL_TABLE"
            assert "replication_key" not in e
            assert top["valid-replication-keys"] == []
            assert top["forced-replication-method"] == "FULL_TABLE"
        props = {m["breadcrumb"][1]: m["metadata"] for m in e["metadata"] if m["breadcrumb"]}
        assert set(props) == set(e["schema"]["properties"])
        for k in e["key_properties"] + ([e["replication_key"]] if "replication_key" in e else []):
            assert props[k]["inclusion"] == "automatic", (e["stream"], k)
        assert any(p["inclusion"] == "available" for p in props.values())
    orders = next(e for e in cat["streams"] if e["stream"] == "orders")
    assert "_sdc_deleted_at" in orders["schema"]["properties"]
    assert "_ab_cdc_deleted_at" not in orders["schema"]["properties"]
    notes = next(e for e in cat["streams"] if e["stream"] == "order_notes")
    assert notes["key_properties"] == ["order_id", "id"]


def test_discover_reports_a_broken_config_on_stderr(tmp_path):
    run = singer(tmp_path, "--discover", config={"store_url": "ftp://x", "consumer_key": "ck_1234",
                                                 "consumer_secret": "cs_topsecretvalue"})
    assert run.returncode != 0
    assert run.stdout == ""
    assert "ERROR [config_error]" in run.stderr
    assert "cs_topsecretvalue" not in run.stderr


SYNCED = ["orders", "coupons", "products", "customers", "order_notes", "tax_rates"]


@pytest.fixture(scope="module")
def first_sync(store, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("singer")
    cfg = store.config()
    cat = select(discover(tmp, cfg), SYNCED)
    run = singer(tmp, config=cfg, catalog=cat)
    return cfg, cat, run


def test_sync_follows_the_singer_rules_and_counts_match(store, first_sync):
    cfg, cat, run = first_sync
    assert run.returncode == 0, run.stderr
    records = check_singer_rules(run, cat)
    counts = store.counts()
    assert set(records) == set(SYNCED)
    for stream in SYNCED:
        ids = [tuple(r[k] for k in next(e for e in cat["streams"]
                                          if e["stream"] == stream)["key_properties"])
               for r in records[stream]]
        assert len(ids) == len(set(ids)), f"{stream}: duplicates"
        assert len(ids) == counts[stream], f"{stream}: {len(ids)} != {counts[stream]}"
    # One SCHEMA per stream; incremental streams name their bookmark property.
    for stream in SYNCED:
        schemas = run.of("SCHEMA", stream)
        assert len(schemas) == 1, stream
    assert run.of("SCHEMA", "orders")[0]["bookmark_properties"] == ["date_modified_gmt"]
    assert "_sdc_deleted_at" in run.of("SCHEMA", "orders")[0]["schema"]["properties"]
    bookmarks = run.last_state()["value"]["bookmarks"]
    for stream in ("orders", "coupons", "products", "customers"):
        assert bookmarks[stream]["date_modified_gmt"], stream
    # People get text on stderr, not JSON.
    assert "orders: sync completed" in run.stderr
    assert not any(line.startswith("{") for line in run.stderr.splitlines())


@pytest.mark.parametrize("shape", ["value", "message"])
def test_second_sync_from_the_last_state_is_incremental(store, first_sync, tmp_path, shape):
    cfg, cat, first = first_sync
    value = first.last_state()["value"]
    state = value if shape == "value" else {"type": "STATE", "value": value}
    second = singer(tmp_path, config=cfg, catalog=cat, state=state)
    assert second.returncode == 0, second.stderr
    check_singer_rules(second, cat)
    for stream in ("orders", "coupons", "products", "customers"):
        assert second.records(stream) == [], stream
    # Full-table streams are read again; bookmarks carry over.
    assert len(second.records("tax_rates")) == store.counts()["tax_rates"]
    final = second.last_state()["value"]["bookmarks"]
    for stream in ("orders", "coupons", "products", "customers"):
        assert final[stream]["date_modified_gmt"] >= value["bookmarks"][stream]["date_modified_gmt"]


def test_full_table_replication_method_reads_everything(store, first_sync, tmp_path):
    cfg, _, first = first_sync
    cat = select(discover(tmp_path, cfg), ["coupons"], method="FULL_TABLE")
    run = singer(tmp_path, config=cfg, catalog=cat, state=first.last_state()["value"])
    assert run.returncode == 0, run.stderr
    assert len(run.records("coupons")) == store.counts()["coupons"]
    assert "bookmark_properties" not in run.of("SCHEMA", "coupons")[0]


def test_deselected_property_is_left_out(store, tmp_path):
    cfg = store.config()
    cat = select(discover(tmp_path, cfg), ["coupons"])
    coupons = next(e for e in cat["streams"] if e["stream"] == "coupons")
    for m in coupons["metadata"]:
        if m["breadcrumb"] in (["properties", "amount"], ["properties", "id"]):
            m["metadata"]["selected"] = False  # id is automatic: stays
    run = singer(tmp_path, config=cfg, catalog=cat)
    assert run.returncode == 0, run.stderr
    recs = run.records("coupons")
    assert recs and all("amount" not in r and "id" in r for r in recs)
    assert "amount" not in run.of("SCHEMA", "coupons")[0]["schema"]["properties"]


def test_deletions_use_sdc_deleted_at(tmp_path_factory, tmp_path):
    s = start_store(tmp_path_factory, "--seed", "5", "--orders", "60")
    try:
        cfg = s.config(deletion_detection="trash")
        cat = select(discover(tmp_path, cfg), ["orders"])
        first = singer(tmp_path, config=cfg, catalog=cat)
        assert first.returncode == 0, first.stderr
        check_singer_rules(first, cat)
        live = sorted(r["id"] for r in first.records("orders") if r["status"] != "trash")
        s.control("trash", {"resource": "orders", "ids": live[:2]})
        second = singer(tmp_path, config=cfg, catalog=cat, state=first.last_state()["value"])
        assert second.returncode == 0, second.stderr
        check_singer_rules(second, cat)
        tomb = {r["id"]: r for r in second.records("orders")}
        for oid in live[:2]:
            assert tomb[oid]["_sdc_deleted_at"], oid
            assert "_ab_cdc_deleted_at" not in tomb[oid]
    finally:
        s.stop()


def test_failure_goes_to_stderr_with_the_read_exit_code(store, tmp_path):
    cfg = store.config(consumer_secret="cs_wrong_secret_value")
    cat = select(discover(tmp_path, store.config()), ["orders"])
    run = singer(tmp_path, config=cfg, catalog=cat, timeout=120)
    assert run.returncode == 1
    assert all(m["type"] in ("SCHEMA", "RECORD", "STATE") for m in run.messages)
    assert "ERROR [config_error]" in run.stderr, run.stderr
    assert "cs_wrong_secret_value" not in run.stderr + run.stdout


def test_without_a_catalog_every_stream_is_synced(store, tmp_path):
    run = singer(tmp_path, config=store.config())
    assert run.returncode == 0, run.stderr
    counts = store.counts()
    streams = {m["stream"] for m in run.of("RECORD")}
    assert streams == {k for k, v in counts.items() if v > 0}
    assert "every stream is synced" in run.stderr


def test_usage_errors(tmp_path):
    for args in (["--catalog", "a", "--properties", "b", "--config", "c"],
                 ["--discover"], ["--config", "c", "--discover", "--state", "s"]):
        run = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=30)
        assert run.returncode == 2, args
        assert run.stdout == ""


def test_sync_needs_no_temporary_directory(store, tmp_path):
    """Singer mode hands its catalog and state to the read in memory, not through files."""
    cfg = store.config()
    c = Connector(tmp_path)
    cmd = [BIN, "--config", c.write("config.json", cfg),
           "--catalog", c.write("catalog.json", select(discover(tmp_path, cfg), ["tax_rates"]))]
    env = {**os.environ, "TMPDIR": str(tmp_path / "no-such-directory")}
    run = SingerRun(subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env))
    assert run.returncode == 0, run.stderr
    assert len(run.records("tax_rates")) == store.counts()["tax_rates"]


def test_config_from_a_pipe_is_read_once(store, tmp_path):
    """The config is loaded once, so it may come from a pipe (`--config <(...)`)."""
    cfg = store.config()
    c = Connector(tmp_path)
    catalog = c.write("catalog.json", select(discover(tmp_path, cfg), ["tax_rates"]))
    fifo = tmp_path / "config.fifo"
    os.mkfifo(fifo)
    proc = subprocess.Popen([BIN, "--config", str(fifo), "--catalog", catalog],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        fd = None
        for _ in range(600):  # bounded: until the connector opens the pipe for reading
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError as e:
                assert e.errno == errno.ENXIO and proc.poll() is None, e
                time.sleep(0.05)
        assert fd is not None, "the connector never opened its config"
        os.write(fd, json.dumps(cfg).encode())
        os.close(fd)
        # A second read of the config would wait for another writer: the timeout ends the test.
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert len([m for m in records if m["type"] == "RECORD"]) == store.counts()["tax_rates"]
