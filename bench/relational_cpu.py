#!/usr/bin/env python3
"""Connector CPU per record, output raw vs output relational (docs/relational.md).

    bench/relational_cpu.py --connector build/src/source-woocommerce \
        --store build/src/demo_store/woo-demo-store [--orders 20000] [--products 2000] [--runs 3]

Starts one woo-demo-store (seed 42) on loopback, builds the full catalog (every stream, full
refresh) with each output, runs `read` --runs times per output and prints records, CPU seconds
(user + system of the connector, from GNU time) and microseconds of CPU per record, best of the
runs. Not a test: figures only. The store shares the machine; CPU time is the connector's own.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "integration"))
from processes import DemoStoreProcess  # noqa: E402


def run_read(connector, workdir, cfg, catalog):
    cfg_path = workdir / "config.json"
    cat_path = workdir / "catalog.json"
    cfg_path.write_text(json.dumps(cfg))
    cat_path.write_text(json.dumps(catalog))
    timing = workdir / "time.txt"
    with open(workdir / "stdout.jsonl", "w") as out:
        proc = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", str(timing), connector,
                               "read", "--config", str(cfg_path), "--catalog", str(cat_path)],
                              stdout=out, stderr=subprocess.DEVNULL)
    if proc.returncode != 0:
        sys.exit(f"read failed ({proc.returncode}); see {workdir}/stdout.jsonl")
    user, system, rss = timing.read_text().split()[-3:]
    records = 0
    with open(workdir / "stdout.jsonl") as f:
        for line in f:
            records += line.startswith('{"type":"RECORD"')
    return records, float(user) + float(system), int(rss) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--connector", required=True)
    ap.add_argument("--store", required=True)
    ap.add_argument("--orders", type=int, default=20000)
    ap.add_argument("--products", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = pathlib.Path(tmp)
        store = DemoStoreProcess(args.store, workdir, ["--seed", "42", "--orders", str(args.orders),
                                                       "--products", str(args.products)])
        try:
            print(f"store: {args.orders} orders, {args.products} products; every stream, "
                  "full refresh; best of", args.runs)
            print(f"{'output':<11} {'records':>8} {'CPU s':>7} {'us/record':>10} {'RSS MB':>7}")
            raw_names = None
            for output in ("raw", "relational"):
                cfg = store.config(output=output, requests_per_window=0, request_budget="off",
                                   max_concurrency=8)
                disc = subprocess.run([args.connector, "discover", "--config",
                                       str(_write(workdir / "d.json", cfg))],
                                      capture_output=True, text=True, check=True)
                cat = json.loads(disc.stdout.splitlines()[-1])["catalog"]
                # The same streams both ways (the relational family's reference streams left out).
                raw_names = raw_names or {s["name"] for s in cat["streams"]}
                configured = {"streams": [{"stream": s, "sync_mode": "full_refresh",
                                           "destination_sync_mode": "overwrite"}
                                          for s in cat["streams"] if s["name"] in raw_names]}
                best = None
                for _ in range(args.runs):
                    r = run_read(args.connector, workdir, cfg, configured)
                    best = r if best is None or r[1] < best[1] else best
                records, cpu, rss = best
                print(f"{output:<11} {records:>8} {cpu:>7.2f} {cpu / records * 1e6:>10.1f} "
                      f"{rss:>7.0f}")
        finally:
            store.stop()


def _write(path, obj):
    path.write_text(json.dumps(obj))
    return path


if __name__ == "__main__":
    main()
