"""The webhook receiver over HTTPS (stores deliver to https:// endpoints): a signed delivery over
TLS is journaled, a forged one is refused, and the health endpoint answers."""
import json
import sqlite3
import ssl
import subprocess
import urllib.request

import pytest

from conftest import BIN
from test_webhooks import SECRET, free_port, sign, wait_until


def make_cert(tmp):
    key, cert = tmp / "rx.key", tmp / "rx.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def post(url, body, headers, ctx):
    req = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10, context=ctx) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_receiver_over_tls(tmp_path):
    cert, key = make_cert(tmp_path)
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"store_url": "https://shop.example.com", "consumer_key": "ck_tls_x",
                               "consumer_secret": "cs_tls_x", "webhook_secret": SECRET,
                               "tls_certificate": str(cert), "tls_private_key": str(key)}))
    port = free_port()
    journal = tmp_path / "journal.db"
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen([BIN, "serve", "--config", str(cfg), "--listen", f"127.0.0.1:{port}",
                             "--journal", str(journal)], stdout=subprocess.DEVNULL, stderr=log)
    ctx = ssl.create_default_context(cafile=str(cert))
    base = f"https://127.0.0.1:{port}"

    def healthy():
        if proc.poll() is not None:
            raise AssertionError("serve exited: " + (tmp_path / "serve.log").read_text())
        try:
            with urllib.request.urlopen(base + "/health", timeout=5, context=ctx) as r:
                return json.loads(r.read().decode())
        except OSError:
            return None

    try:
        wait_until(healthy, 30, "the TLS receiver")
        body = json.dumps({"id": 4242, "status": "processing",
                           "date_modified_gmt": "2026-11-20T10:00:00"}).encode()
        headers = {"Content-Type": "application/json", "X-WC-Webhook-Topic": "order.updated",
                   "X-WC-Webhook-Resource": "order", "X-WC-Webhook-Event": "updated",
                   "X-WC-Webhook-Source": "https://shop.example.com/", "X-WC-Webhook-ID": "7",
                   "X-WC-Webhook-Delivery-ID": "abc"}
        assert post(base + "/webhooks/woocommerce", body,
                    {**headers, "X-WC-Webhook-Signature": sign(body)}, ctx) == 200
        assert post(base + "/webhooks/woocommerce", body,
                    {**headers, "X-WC-Webhook-Signature": sign(b"other body")}, ctx) == 401
        # Plain HTTP to the TLS port is not served.
        with pytest.raises(Exception):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5)
        # Python's own sqlite3 module, not the sqlite3 command (a fresh Debian 12 lacks it).
        db = sqlite3.connect(f"file:{journal}?mode=ro", uri=True)
        try:
            rows = [str(r[0]) for r in db.execute("select record_id from changes")]
        finally:
            db.close()
        assert rows == ["4242"]
        health = healthy()
        assert health is not None
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
