#!/usr/bin/env python3
"""Connector CPU per order: raw `orders` against `orders` with every nested-list stream of orders
(output relational), in alternation (docs/relational.md, Nested-list streams -> Cost).

    bench/nested_cpu.py --connector build-bench/src/source-woocommerce \
        --store build-bench/src/demo_store/woo-demo-store [--orders 100000] [--runs 5]

bench/run measures each scenario once, one after the other, on its own store: on a shared machine
the load can change between two rows (a raw row 30 % slower than usual has been seen). This tool
starts one woo-demo-store (seed 42), then reads the same orders raw, nested, raw, nested, ...
`--runs` times each, so that both outputs meet the same conditions, and prints every run's CPU
microseconds per order (user + system of the connector, from getrusage), the best and the median
of each, and their ratios (#13 asks for nested <= 2 x raw). Not a test: figures only.
"""
import argparse
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile

_HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE))
sys.path.insert(0, str(_HERE.parent / "tests" / "integration"))
import bench  # noqa: E402  (orders_catalog, write_json)
from processes import DemoStoreProcess  # noqa: E402


def read_cpu(connector, config, catalog, timeout):
    """CPU seconds of one `read`, and the RECORD lines it wrote."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen([connector, "read", "--config", str(config), "--catalog",
                             str(catalog)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    records = 0
    for line in proc.stdout:
        records += line.startswith(b'{"type":"RECORD"')
    if proc.wait(timeout=timeout) != 0:
        sys.exit(f"read failed ({proc.returncode}) with {config}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), records


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--connector", required=True)
    ap.add_argument("--store", required=True)
    ap.add_argument("--orders", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--concurrency", type=int, default=8, help="connector max_concurrency")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per read")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        store = DemoStoreProcess(args.store, work, ["--seed", "42", "--orders", str(args.orders),
                                                    "--threads", "32"], start_timeout=900)
        try:
            paths = {}
            for name, nested in (("raw", False), ("nested", True)):
                cfg = store.config(max_concurrency=args.concurrency, request_budget="off")
                if nested:
                    cfg["output"] = "relational"
                config = bench.write_json(work / f"{name}-config.json", cfg)
                catalog = bench.orders_catalog(args.connector, str(config), work, args.timeout,
                                               nested=nested)
                paths[name] = (config, pathlib.Path(catalog).rename(work / f"{name}-catalog.json"))
            cpu = {"raw": [], "nested": []}
            orders = None
            for run in range(args.runs):
                for name in ("raw", "nested"):
                    seconds, records = read_cpu(args.connector, *paths[name], args.timeout)
                    if name == "raw":
                        orders = records  # one RECORD per order
                    cpu[name].append(seconds * 1e6 / orders)
                    print(f"run {run + 1} {name:<6} {records:>9} records {seconds:7.2f} s CPU "
                          f"{cpu[name][-1]:6.1f} us/order", flush=True)
        finally:
            store.stop()
    best = {k: min(v) for k, v in cpu.items()}
    median = {k: statistics.median(v) for k, v in cpu.items()}
    print(f"\n{orders} orders, {args.runs} runs each, alternating; CPU us per order")
    print("| output | best | median |\n|---|---|---|")
    for k in ("raw", "nested"):
        print(f"| {k} | {best[k]:.1f} | {median[k]:.1f} |")
    print(f"| nested / raw | {best['nested'] / best['raw']:.2f} | "
          f"{median['nested'] / median['raw']:.2f} |")


if __name__ == "__main__":
    main()
