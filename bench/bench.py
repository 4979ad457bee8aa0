"""Throughput benchmark of source-woocommerce's `read` of `orders` against woo-demo-store.

Not a test: run it through bench/run (see bench/README.md). Per scenario it starts a demo store,
builds the catalog with `discover`, resets the store's request statistics, runs a full-refresh
`read` of `orders` (stdout is counted, not kept), takes the connector's peak RSS and CPU time
from its own rusage (wait4), reads the store's request/429 counts, then runs the naive
sequential pager (bench/naive_pager.py) against the same store, and prints one table.
"""
import argparse
import json
import math
import os
import re
import pathlib
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time

_HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE))
sys.path.insert(0, str(_HERE.parent / "tests" / "integration"))
from naive_pager import fetch_all_orders  # noqa: E402
from processes import DemoStoreProcess  # noqa: E402  (standard library only)

RECORD_MARK = b'{"type":"RECORD","record":{"stream":"orders"'


TIME = "/usr/bin/time"


def run_measured(cmd, stderr_path, timeout):
    """Runs cmd, counting order RECORD lines on its stdout without keeping them.

    Returns exit code, records, wall seconds, CPU seconds and peak RSS of cmd alone.

    Peak RSS comes from GNU time (%M), which forks and execs cmd: the kernel keeps a process's
    ru_maxrss across execve, and a child spawned directly from this Python process (vfork) starts
    with Python's own peak, which would hide the connector's. CPU time is the delta of
    RUSAGE_CHILDREN around the run (cmd plus GNU time's negligible own time)."""
    rss_file = pathlib.Path(str(stderr_path) + ".maxrss")
    wrapped = [TIME, "-f", "%M", "-o", str(rss_file), *cmd] if os.path.exists(TIME) else cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(stderr_path, "wb") as err:
        t0 = time.monotonic()
        # Own process group, so a timeout kills the connector too, not only GNU time.
        proc = subprocess.Popen(wrapped, stdout=subprocess.PIPE, stderr=err,
                                start_new_session=True)
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    fd = proc.stdout.fileno()
    records = 0
    tail = b""
    messages = open(str(stderr_path).replace(".stderr", ".messages"), "wb")  # all but records
    try:
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            lines = (tail + chunk).split(b"\n")
            tail = lines.pop()
            for line in lines:
                if line.startswith(RECORD_MARK):
                    records += 1
                else:
                    messages.write(line + b"\n")
        if tail:
            records += tail.startswith(RECORD_MARK)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.monotonic() - t0
    finally:
        timer.cancel()
        proc.stdout.close()
        messages.close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc.returncode = os.waitstatus_to_exitcode(status)
    maxrss_kb = ru.ru_maxrss  # fallback without GNU time: an upper bound (see above)
    if wrapped is not cmd:
        try:
            maxrss_kb = int(rss_file.read_text().split()[-1])
        except (OSError, ValueError, IndexError):
            maxrss_kb = None
    return {"rc": proc.returncode, "timed_out": timed_out.is_set(), "records": records,
            "wall": wall, "maxrss_kb": maxrss_kb, "user": after.ru_utime - before.ru_utime,
            "sys": after.ru_stime - before.ru_stime}


def write_json(path, obj):
    path.write_text(json.dumps(obj))
    return str(path)


def orders_catalog(connector, config_path, workdir, timeout, nested=False):
    """orders (full refresh); with nested, also every nested-list stream of orders (output
    relational: orders_line_items, orders_line_items_taxes, ..., docs/relational.md)."""
    out = subprocess.run([connector, "discover", "--config", config_path], capture_output=True,
                         text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError("discover failed: " + out.stdout[-2000:] + out.stderr[-2000:])
    for line in out.stdout.splitlines():
        msg = json.loads(line)
        if msg.get("type") == "CATALOG":
            chosen = [s for s in msg["catalog"]["streams"] if s["name"] == "orders" or (
                nested and s["name"].startswith("orders_") and
                "_parent_version" in s["json_schema"]["properties"])]
            if chosen and chosen[0]["name"] == "orders":
                cat = {"streams": [{"stream": s, "sync_mode": "full_refresh",
                                    "destination_sync_mode": "overwrite",
                                    "primary_key": s.get("source_defined_primary_key", [])}
                                   for s in chosen]}
                return write_json(workdir / "catalog.json", cat)
    raise RuntimeError("discover returned no orders stream")


def size_label(n):
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def scenarios(quick, baseline_1m):
    k = 10 if quick else 1
    big = 100_000 // k
    out = [
        {"name": "0ms", "orders": big, "latency": 0},
        {"name": "0ms gzip", "orders": big, "latency": 0, "gzip": True},
        {"name": "50ms", "orders": big, "latency": 50},
        # Below 25 pages the budget is never binding: the budget scenario keeps its size.
        {"name": "50ms budget 25/10s", "orders": 5_000, "latency": 50, "budget": (25, 10),
         "connector": "fixed"},
        # The same store limit, the connector's default config (request_budget adaptive).
        {"name": "50ms limited 25/10s default", "orders": 5_000, "latency": 50,
         "budget": (25, 10), "connector": "default"},
        # An unlimited store, the default config: as fast as `off` (the `100k 50ms` row)?
        {"name": "50ms default", "orders": big, "latency": 50, "connector": "default"},
        {"name": "0ms memory", "orders": 1_000_000 // k, "latency": 0, "baseline": baseline_1m},
        # output relational with orders and every nested-list stream of orders selected
        # (docs/relational.md, Nested-list streams): CPU µs/rec is per order, with every row
        # under it; compare with the `0ms` row (raw).
        {"name": "0ms relational nested", "orders": big, "latency": 0, "nested": True,
         "baseline": False},
        {"name": "0ms relational nested memory", "orders": 1_000_000 // k, "latency": 0,
         "nested": True, "baseline": False},
    ]
    for sc in out:
        sc["name"] = f"{size_label(sc['orders'])} {sc['name']}"
    return out


def run_scenario(sc, args, root_work):
    work = root_work / sc["name"].replace(" ", "_").replace("/", "-").replace("(", "").replace(
        ")", "")
    work.mkdir(parents=True, exist_ok=True)
    store_args = ["--seed", "42", "--orders", str(sc["orders"]), "--threads",
                  str(args.store_threads), "--latency-ms", str(sc["latency"])]
    if sc.get("gzip"):
        store_args.append("--gzip")
    print(f"[bench] {sc['name']}: starting store with {sc['orders']} orders", file=sys.stderr,
          flush=True)
    store = DemoStoreProcess(args.store, work, store_args, start_timeout=600)
    try:
        budget = sc.get("budget")  # the store's rate limit
        cfg = store.config(max_concurrency=args.concurrency)
        # The connector's request_budget: "fixed" at the store's limit, "default" (no budget
        # field: adaptive), or "off" (every other scenario).
        mode = sc.get("connector", "off")
        if mode == "fixed":
            cfg.update(request_budget="fixed", requests_per_window=budget[0],
                       window_seconds=budget[1])
        elif mode == "off":
            cfg.update(request_budget="off")
        if sc.get("nested"):
            cfg.update(output="relational")
        config_path = write_json(work / "config.json", cfg)
        catalog_path = orders_catalog(args.connector, config_path, work, 300,
                                      nested=sc.get("nested", False))
        expected = store.control("counts").get("orders")
        if budget:
            store.control("rate_limit", {"requests": budget[0], "window_seconds": budget[1]})
        store.control("reset_stats", {})
        print(f"[bench] {sc['name']}: connector read", file=sys.stderr, flush=True)
        r = run_measured([args.connector, "read", "--config", config_path, "--catalog",
                          catalog_path], work / "connector.stderr", args.timeout)
        stats = store.control("stats")
        r["stderr_tail"] = (work / "connector.stderr").read_text(errors="replace")[-1500:]
        r.update(name=sc["name"], orders=sc["orders"], expected=expected,
                 requests=stats["requests"], http_429=stats["rate_limited"],
                 max_in_flight=stats.get("max_in_flight"), by_route=stats.get("by_route"),
                 latency=sc["latency"],
                 budget=budget, connector_budget=mode, concurrency=args.concurrency)
        pages = math.ceil(r["records"] / 100) if r["records"] else math.ceil(sc["orders"] / 100)
        r["pages"] = pages
        if budget:
            r["floor"] = pages / (budget[0] / budget[1])
        elif sc["latency"] > 0:
            r["floor"] = math.ceil(pages / args.concurrency) * sc["latency"] / 1000.0
        else:
            r["floor"] = None
        r["naive"] = None
        if sc.get("baseline", True) and not args.no_baseline:
            if budget:
                time.sleep(budget[1])  # let the store's window forget the connector's requests
            store.control("reset_stats", {})
            print(f"[bench] {sc['name']}: naive sequential pager", file=sys.stderr, flush=True)
            n_rec, n_req, n_429, n_wall = fetch_all_orders(store.https, store.key, store.secret,
                                                           store.ca_file)
            r["naive"] = {"records": n_rec, "requests": n_req, "http_429": n_429,
                          "wall": n_wall}
        return r
    finally:
        store.stop()


def fmt(v, spec, none="—"):
    return none if v is None else format(v, spec)


def print_table(results, out):
    cols = ["scenario", "records", "requests", "wall s", "rec/s", "peak RSS MB", "CPU s",
            "CPU µs/rec", "429s", "floor s", "wall/floor", "naive s", "wall/naive"]
    rows = []
    for r in results:
        cpu = r["user"] + r["sys"]
        naive = r["naive"]["wall"] if r["naive"] else None
        status = "" if r["rc"] == 0 and not r["timed_out"] else (
            " (TIMEOUT)" if r["timed_out"] else f" (exit {r['rc']})")
        rows.append([
            r["name"] + status,
            f"{r['records']}" + ("" if r["records"] == r["expected"] else f"/{r['expected']}"),
            str(r["requests"]),
            f"{r['wall']:.2f}",
            f"{r['records'] / r['wall']:.0f}" if r["wall"] > 0 else "—",
            fmt(r["maxrss_kb"] / 1024 if r["maxrss_kb"] else None, ".1f"),
            f"{cpu:.2f}",
            f"{cpu * 1e6 / r['records']:.1f}" if r["records"] else "—",
            str(r["http_429"]),
            fmt(r["floor"], ".2f"),
            f"{r['wall'] / r['floor']:.2f}" if r["floor"] else "—",
            fmt(naive, ".2f"),
            f"{r['wall'] / naive:.3f}" if naive else "—",
        ])
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(cols)]
    line = " | ".join(c.ljust(w) for c, w in zip(cols, widths))
    print(line, file=out)
    print("-|-".join("-" * w for w in widths), file=out)
    for row in rows:
        print(" | ".join((v.ljust(w) if i == 0 else v.rjust(w))
                         for i, (v, w) in enumerate(zip(row, widths))), file=out)


# --- Nothing changed: what an incremental sync costs right after a full one ------------------

NOTHING_CHANGED = "nothing changed (all streams)"
_COST_LOG = re.compile(r"^(\w+): (\d+) record\(s\), (\d+) page request\(s\)$")


def _read_all(connector, cmd, stderr_path, timeout):
    """Runs a connector read; returns (exit code, records per stream, final states, stream costs
    from its LOG lines "<stream>: N record(s), M page request(s)")."""
    with open(stderr_path, "wb") as err:
        proc = subprocess.run([connector, *cmd], stdout=subprocess.PIPE, stderr=err,
                              timeout=timeout)
    records, states, costs = {}, {}, {}
    for line in proc.stdout.splitlines():
        msg = json.loads(line)
        if msg["type"] == "RECORD":
            stream = msg["record"]["stream"]
            records[stream] = records.get(stream, 0) + 1
        elif msg["type"] == "STATE":
            states[msg["state"]["stream"]["stream_descriptor"]["name"]] = msg["state"]
        elif msg["type"] == "LOG":
            m = _COST_LOG.match(msg["log"]["message"])
            if m:
                costs[m.group(1)] = int(m.group(3))
    return proc.returncode, records, list(states.values()), costs


def run_nothing_changed(args, root_work):
    """A store emulating WooCommerce 10.0.2 (no store-wide /variations), a full read of every
    stream (incremental where supported, deletion detection off), then an incremental read with
    its final state while nothing changed: that read's requests, per stream."""
    k = 10 if args.quick else 1
    size = {"orders": 3000 // k, "products": 300 // k, "customers": 1000 // k}
    work = root_work / "nothing_changed"
    work.mkdir(parents=True, exist_ok=True)
    store_args = ["--seed", "42", "--wc-version", "10.0.2", "--threads", str(args.store_threads)]
    for key, n in size.items():
        store_args += [f"--{key}", str(n)]
    print(f"[bench] {NOTHING_CHANGED}: starting a 10.0.2 store", file=sys.stderr, flush=True)
    store = DemoStoreProcess(args.store, work, store_args, start_timeout=600)
    try:
        cfg = store.config(max_concurrency=args.concurrency, requests_per_window=0,
                           deletion_detection="off")
        config_path = write_json(work / "config.json", cfg)
        out = subprocess.run([args.connector, "discover", "--config", config_path],
                             capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            raise RuntimeError("discover failed: " + out.stdout[-2000:] + out.stderr[-2000:])
        streams = next(json.loads(line)["catalog"]["streams"] for line in out.stdout.splitlines()
                       if json.loads(line).get("type") == "CATALOG")
        configured = []
        for st in streams:
            mode = "incremental" if "incremental" in st["supported_sync_modes"] else "full_refresh"
            configured.append({"stream": st, "sync_mode": mode,
                               "destination_sync_mode": "append_dedup" if mode == "incremental"
                               else "overwrite",
                               "primary_key": st.get("source_defined_primary_key", [])})
        catalog_path = write_json(work / "catalog.json", {"streams": configured})
        print(f"[bench] {NOTHING_CHANGED}: full read", file=sys.stderr, flush=True)
        rc, full_records, states, _ = _read_all(
            args.connector, ["read", "--config", config_path, "--catalog", catalog_path],
            work / "full.stderr", args.timeout)
        if rc != 0:
            raise RuntimeError("the full read failed: " + (work / "full.stderr").read_text()[-1500:])
        state_path = write_json(work / "state.json", states)
        time.sleep(1.1)  # leave the second of the full read's end (checkpoints stop short of it)
        store.control("reset_stats", {})
        print(f"[bench] {NOTHING_CHANGED}: incremental read", file=sys.stderr, flush=True)
        t0 = time.monotonic()
        rc, records, _, costs = _read_all(
            args.connector,
            ["read", "--config", config_path, "--catalog", catalog_path, "--state", state_path],
            work / "incremental.stderr", args.timeout)
        wall = time.monotonic() - t0
        stats = store.control("stats")
        return {"name": NOTHING_CHANGED, "rc": rc, "wall": wall, "size": size,
                "requests": stats["requests"], "by_route": stats.get("by_route"),
                "streams": [{"stream": c["stream"]["name"], "mode": c["sync_mode"],
                             "full_records": full_records.get(c["stream"]["name"], 0),
                             "records": records.get(c["stream"]["name"], 0),
                             "requests": costs.get(c["stream"]["name"])} for c in configured]}
    finally:
        store.stop()


def print_nothing_changed(r, out):
    size = ", ".join(f"{n} {key}" for key, n in r["size"].items())
    status = "" if r["rc"] == 0 else f" (exit {r['rc']})"
    print(f"\n{r['name']}{status}: WooCommerce 10.0.2 emulated (no store-wide /variations), "
          f"{size}; an incremental read right after a full one, deletion detection off: "
          f"{r['requests']} requests to the store in {r['wall']:.2f} s\n", file=out)
    rows = [[s["stream"], s["mode"], str(s["full_records"]), str(s["records"]),
             "—" if s["requests"] is None else str(s["requests"])] for s in r["streams"]]
    known = sum(s["requests"] or 0 for s in r["streams"])
    rows.append(["(route index, capability probe)", "", "", "", str(r["requests"] - known)])
    cols = ["stream", "mode", "records (full)", "records", "requests"]
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(cols)]
    print(" | ".join(c.ljust(w) for c, w in zip(cols, widths)), file=out)
    print("-|-".join("-" * w for w in widths), file=out)
    for row in rows:
        print(" | ".join((v.ljust(w) if i < 2 else v.rjust(w))
                         for i, (v, w) in enumerate(zip(row, widths))), file=out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--connector", required=True)
    ap.add_argument("--store", required=True)
    ap.add_argument("--quick", action="store_true", help="sizes ÷ 10")
    ap.add_argument("--only", action="append", default=[],
                    help="run only scenarios whose name contains this text (repeatable)")
    ap.add_argument("--concurrency", type=int, default=8, help="connector max_concurrency")
    ap.add_argument("--store-threads", type=int, default=32)
    ap.add_argument("--timeout", type=float, default=900, help="seconds per connector run")
    ap.add_argument("--no-baseline", action="store_true", help="skip the naive pager")
    ap.add_argument("--baseline-1m", action="store_true",
                    help="also run the naive pager in the 1M scenario (~10 more minutes)")
    ap.add_argument("--workdir", help="keep logs here (default: a temporary directory)")
    ap.add_argument("--json", help="also write the raw results to this file")
    args = ap.parse_args()

    tmp = None
    if args.workdir:
        root_work = pathlib.Path(args.workdir)
        root_work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="wcc-bench-")
        root_work = pathlib.Path(tmp.name)
    results = []
    for sc in scenarios(args.quick, args.baseline_1m):
        if args.only and not any(o in sc["name"] for o in args.only):
            continue
        r = run_scenario(sc, args, root_work)
        results.append(r)
        if r["rc"] != 0 or r["timed_out"]:
            print(f"[bench] {sc['name']}: connector failed (exit {r['rc']}, timed out: "
                  f"{r['timed_out']}); its stderr tail:\n{r['stderr_tail']}",
                  file=sys.stderr, flush=True)
    nothing = None
    if not args.only or any(o in NOTHING_CHANGED for o in args.only):
        nothing = run_nothing_changed(args, root_work)
    if results:
        print(f"\nsource-woocommerce read of orders, full refresh, max_concurrency={args.concurrency}, "
              f"store --threads {args.store_threads}; naive = one request at a time, "
              "per_page=100, Basic auth, keep-alive\n")
        print_table(results, sys.stdout)
    if nothing:
        print_nothing_changed(nothing, sys.stdout)
        results.append(nothing)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=2))
    failed = any(r["rc"] != 0 or r.get("timed_out") for r in results)
    if tmp:
        tmp.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
