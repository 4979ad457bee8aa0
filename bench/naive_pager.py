"""The baseline: a plain one-request-at-a-time pager, as users write by hand.

It fetches /wp-json/wc/v3/orders?per_page=100&page=1..N over one keep-alive HTTPS connection with
HTTP Basic auth, parses each page with json.loads, and stops on an empty page or on
page >= X-WP-TotalPages. On a 429 it sleeps Retry-After (or 1 s) and asks again, which is the
least a hand-written client does to finish at all behind a rate limit.
"""
import base64
import http.client
import json
import ssl
import time
import urllib.parse


def fetch_all_orders(base_url, key, secret, ca_file, timeout=60):
    """Returns (records, requests, http_429s, wall_seconds)."""
    u = urllib.parse.urlsplit(base_url)
    ctx = ssl.create_default_context(cafile=ca_file)
    auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
    headers = {"Authorization": auth, "Accept": "application/json",
               "User-Agent": "naive-pager/1.0"}
    prefix = u.path.rstrip("/") + "/wp-json/wc/v3/orders"
    t0 = time.monotonic()
    conn = http.client.HTTPSConnection(u.hostname, u.port or 443, context=ctx, timeout=timeout)
    records = requests = too_many = 0
    page = 1
    try:
        while True:
            conn.request("GET", f"{prefix}?per_page=100&page={page}", headers=headers)
            resp = conn.getresponse()
            body = resp.read()
            requests += 1
            if resp.status == 429:
                too_many += 1
                time.sleep(float(resp.getheader("Retry-After") or 1))
                continue
            if resp.status != 200:
                raise RuntimeError(f"page {page}: HTTP {resp.status}: {body[:200]!r}")
            items = json.loads(body)
            records += len(items)
            total_pages = int(resp.getheader("X-WP-TotalPages") or 0)
            if not items or page >= total_pages:
                break
            page += 1
    finally:
        conn.close()
    return records, requests, too_many, time.monotonic() - t0
