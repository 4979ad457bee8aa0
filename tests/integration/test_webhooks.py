"""Webhooks end to end: the demo store delivers signed webhooks to `source-woocommerce serve`,
which journals them; plus the crash test (kill -9 mid-burst: every delivery answered 200 must be
in the journal).

Binaries come from WCC_BIN (source-woocommerce) and WCC_DEMO_STORE (woo-demo-store), set by ctest.
"""
import base64
import concurrent.futures
import hashlib
import hmac
import http.client
import json
import os
import signal
import socket
import sqlite3
import ssl
import subprocess
import threading
import urllib.request

import pytest

from processes import DemoStoreProcess, wait_until

BIN = os.environ.get("WCC_BIN")
DEMO = os.environ.get("WCC_DEMO_STORE")
SECRET = "it-webhook-secret-&amp;-x"  # entity-encoded like WordPress may store it
TOKEN = "it-journal-token-123"

pytestmark = pytest.mark.skipif(
    not BIN or not DEMO or not os.path.exists(BIN) or not os.path.exists(DEMO),
    reason="set WCC_BIN (source-woocommerce) and WCC_DEMO_STORE (woo-demo-store) to run the "
           "webhook integration tests (ctest sets both)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Store(DemoStoreProcess):
    def __init__(self, tmp):
        env = dict(os.environ, WOO_DEMO_WEBHOOK_DELAY_MS="300")
        super().__init__(DEMO, tmp, ["--orders", "30", "--products", "10", "--customers", "10",
                                     "--coupons", "3"], env=env, stop_timeout=20)

    def control(self, path, body):
        return super().control(path, body, timeout=30)

    def wait_deliveries_done(self, timeout=30):
        """Waits until the store has no delivery queued (inside its coalescing window) nor under
        way: every change made before the call has then been delivered, or failed."""
        wait_until(lambda: self.control("webhook_queue", None) == {"pending": 0, "in_flight": 0},
                   timeout, "the store's webhook queue to empty")

    def api(self, route):
        ctx = ssl.create_default_context(cafile=self.ca_file)
        auth = base64.b64encode(f"{self.info['key']}:{self.info['secret']}".encode()).decode()
        req = urllib.request.Request(self.https + "/wp-json/wc/v3" + route,
                                     headers={"Authorization": "Basic " + auth})
        with urllib.request.urlopen(req, timeout=30, context=ctx) as r:
            return json.loads(r.read().decode())


class Receiver:
    def __init__(self, tmp, config_path, journal):
        self.port = free_port()
        self.journal = journal
        self.err = open(tmp / f"serve-{self.port}.log", "w")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--config", str(config_path), "--listen", f"127.0.0.1:{self.port}",
             "--journal", str(journal)], stdout=subprocess.DEVNULL, stderr=self.err)
        wait_until(self.healthy, 30, "the receiver")

    def healthy(self):
        if self.proc.poll() is not None:
            raise AssertionError("serve exited with " + str(self.proc.returncode))
        try:
            return self.health()
        except OSError:
            return None

    def health(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=5) as r:
            return json.loads(r.read().decode())

    def changes(self, after=0):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/changes?after={after}&limit=1000",
                                     headers={"Authorization": "Bearer " + TOKEN})
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.loads(r.read().decode())

    def url(self):
        return f"http://127.0.0.1:{self.port}/webhooks/woocommerce"


@pytest.fixture
def env(tmp_path):
    store = Store(tmp_path)
    cfg = {"store_url": store.https, "consumer_key": store.info["key"],
           "consumer_secret": store.info["secret"], "ca_certificate": store.ca_file,
           "webhook_secret": SECRET, "webhook_journal_token": TOKEN}
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(cfg))
    yield store, config_path, tmp_path
    store.stop()


def run_cli(*args):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)
    assert SECRET not in p.stdout + p.stderr
    assert "amp;-x" not in p.stdout + p.stderr
    return p


def test_register_deliver_and_journal(env):
    store, config_path, tmp = env
    rx = Receiver(tmp, config_path, tmp / "journal.db")
    try:
        topics = "order.updated,order.deleted,product.updated"
        p = run_cli("webhooks", "register", "--config", str(config_path), "--delivery-url",
                    rx.url(), "--topics", topics, "--json")
        assert p.returncode == 0, p.stderr
        created = json.loads(p.stdout.strip().splitlines()[-1])
        assert sorted(c["topic"] for c in created) == sorted(topics.split(","))
        assert all(c["action"] == "created" for c in created)
        assert "WordPress will refuse" in p.stderr  # loopback + port warnings, still proceeds
        # The synchronous unsigned pings reached the receiver.
        assert rx.health()["pings"] == 3

        # Idempotent: nothing is created twice.
        again = run_cli("webhooks", "register", "--config", str(config_path), "--delivery-url",
                        rx.url(), "--topics", topics, "--json")
        assert again.returncode == 0, again.stderr
        assert all(c["action"] == "existing" for c in json.loads(again.stdout.splitlines()[-1]))
        listed = run_cli("webhooks", "list", "--config", str(config_path))
        assert listed.returncode == 0
        assert len([l for l in listed.stdout.splitlines() if "\tactive\t" in l]) == 3

        orders = store.api("/orders?per_page=3&orderby=id&order=asc")
        ids = [o["id"] for o in orders]
        # Two quick edits of one order coalesce into one delivery with the latest state.
        store.control("edit", {"resource": "orders", "ids": ids[:2]})
        store.control("edit", {"resource": "orders", "ids": [ids[0]], "seconds_forward": 5})
        store.control("trash", {"resource": "orders", "ids": [ids[2]]})

        def landed():
            ch = rx.changes()["changes"]
            return ch if len(ch) >= 3 else None
        changes = wait_until(landed, 30, "deliveries in the journal")
        store.wait_deliveries_done()  # past the coalescing window: nothing else may arrive
        changes = rx.changes()["changes"]
        by_id = {}
        for c in changes:
            by_id.setdefault(c["id"], []).append(c)
        assert len(by_id[ids[0]]) == 1, changes  # coalesced
        assert by_id[ids[0]][0]["stream"] == "orders"
        current = store.api(f"/orders/{ids[0]}")
        assert by_id[ids[0]][0]["record"]["date_modified_gmt"] == current["date_modified_gmt"]
        assert ids[1] in by_id
        deleted = by_id[ids[2]][0]
        assert deleted["event"] == "deleted"
        assert deleted["record"]["_ab_cdc_deleted_at"].endswith("Z")
        health = rx.health()
        assert health["rejected_signature"] == 0
        assert health["stored"] == len(changes)

        # Clean stop on SIGTERM is recorded.
        rx.proc.send_signal(signal.SIGTERM)
        assert rx.proc.wait(timeout=20) == 0
        db = sqlite3.connect(f"file:{tmp / 'journal.db'}?mode=ro", uri=True)
        runs = db.execute("SELECT stopped_at_ms FROM receiver_runs").fetchall()
        assert runs and runs[-1][0] is not None

        removed = run_cli("webhooks", "delete", "--config", str(config_path))
        assert removed.returncode == 0
        assert "3 deleted." in removed.stdout
    finally:
        if rx.proc.poll() is None:
            rx.proc.kill()
            rx.proc.wait()


def sign(body):
    key = SECRET.replace("&amp;", "&").encode()
    return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()


def test_kill9_mid_burst_keeps_every_acknowledged_delivery(env):
    _, config_path, tmp = env
    journal = tmp / "crash.db"
    rx = Receiver(tmp, config_path, journal)
    acknowledged = []
    lock = threading.Lock()
    stop = threading.Event()
    counter = iter(range(1, 10**9))
    counter_lock = threading.Lock()

    def client():
        while not stop.is_set():
            with counter_lock:
                rid = next(counter)
            body = json.dumps({"id": rid, "date_modified_gmt": "2026-11-29T01:00:00",
                               "status": "processing"}).encode()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", rx.port, timeout=10)
                conn.request("POST", "/webhooks/woocommerce", body=body, headers={
                    "Content-Type": "application/json", "Connection": "close",
                    "X-WC-Webhook-Signature": sign(body), "X-WC-Webhook-Topic": "order.updated",
                    "X-WC-Webhook-Resource": "order", "X-WC-Webhook-Event": "updated",
                    "X-WC-Webhook-ID": "1", "X-WC-Webhook-Delivery-ID": "x"})
                status = conn.getresponse().status
                conn.close()
            except OSError:
                continue
            if status == 200:
                with lock:
                    acknowledged.append(rid)

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        futures = [pool.submit(client) for _ in range(12)]
        wait_until(lambda: len(acknowledged) >= 300, 60, "300 acknowledged deliveries")
        rx.proc.send_signal(signal.SIGKILL)  # mid-burst, no clean shutdown
        rx.proc.wait(timeout=10)
        stop.set()
        for f in futures:
            f.result(timeout=30)

    db = sqlite3.connect(f"file:{journal}?mode=ro", uri=True)
    stored = {row[0] for row in db.execute("SELECT record_id FROM changes")}
    missing = [rid for rid in acknowledged if rid not in stored]
    assert not missing, f"{len(missing)} acknowledged deliveries lost, e.g. {missing[:5]}"
    # The crash left a run without a clean stop: the next start reports the gap.
    runs = db.execute("SELECT stopped_at_ms FROM receiver_runs").fetchall()
    assert runs[-1][0] is None
    db.close()
    rx2 = Receiver(tmp, config_path, journal)
    try:
        gaps = rx2.changes(after=10**9)["gaps"]
        assert len(gaps) == 1 and gaps[0]["to_ms"] >= gaps[0]["from_ms"]
    finally:
        rx2.proc.send_signal(signal.SIGTERM)
        rx2.proc.wait(timeout=20)
