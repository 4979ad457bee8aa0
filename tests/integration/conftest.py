"""Shared fixtures for the integration tests: the real binary against the demo store.

Binaries come from the environment (set by ctest): WCC_BIN = source-woocommerce,
WCC_DEMO_STORE = woo-demo-store. Every stdout line of the connector is validated against the
Airbyte protocol schema (tests/data/airbyte_protocol.yaml, a copy of airbytehq/airbyte-protocol).
"""
import json
import os
import pathlib
import signal
import subprocess
import tempfile
import time
import urllib.request

import jsonschema
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
BIN = os.environ.get("WCC_BIN", str(ROOT / "build" / "src" / "source-woocommerce"))
DEMO = os.environ.get("WCC_DEMO_STORE", str(ROOT / "build" / "src" / "demo_store" / "woo-demo-store"))

with open(DATA / "airbyte_protocol.yaml") as f:
    _PROTOCOL = yaml.safe_load(f)
_MESSAGE_SCHEMA = dict(_PROTOCOL)
_MESSAGE_SCHEMA["$ref"] = "#/definitions/AirbyteMessage"
for key in ("properties", "type", "title", "description"):
    _MESSAGE_SCHEMA.pop(key, None)
MESSAGE_VALIDATOR = jsonschema.Draft7Validator(_MESSAGE_SCHEMA)


class DemoStore:
    """A running woo-demo-store; stopped by the fixture."""

    def __init__(self, *args, tmp):
        self.tmp = pathlib.Path(tmp)
        ready = self.tmp / "ready.json"
        ca = self.tmp / "ca.pem"
        cmd = [DEMO, "--http-port", "0", "--https-port", "0", "--ready-file", str(ready),
               "--ca-out", str(ca), *args]
        self.log = open(self.tmp / "store.log", "w")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            if ready.exists() and ready.stat().st_size > 0:
                try:
                    self.info = json.loads(ready.read_text())
                    break
                except ValueError:
                    pass
            if self.proc.poll() is not None:
                raise RuntimeError("demo store exited: " + (self.tmp / "store.log").read_text())
            time.sleep(0.05)
        else:
            self.stop()
            raise RuntimeError("demo store did not start in 60 s")
        self.ca_file = self.info.get("ca_file", str(ca))
        self.https = f"https://127.0.0.1:{self.info['https_port']}"
        self.http = f"http://127.0.0.1:{self.info['http_port']}"

    def config(self, **overrides):
        cfg = {"store_url": self.https, "consumer_key": self.info.get("key", "ck_demo_key"),
               "consumer_secret": self.info.get("secret", "cs_demo_secret"),
               "ca_certificate": self.ca_file, "requests_per_window": 0}
        cfg.update(overrides)
        return cfg

    def control(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.http + "/__control/" + path, data=data,
                                     method="POST" if body is not None else "GET",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read().decode()
            return json.loads(text) if text.strip() else None

    def counts(self):
        return self.control("counts")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


class Run:
    def __init__(self, proc, stdout, stderr, raw=False):
        self.returncode = proc.returncode
        self.stdout = stdout
        self.stderr = stderr
        self.messages = []
        for i, line in enumerate(stdout.splitlines()):
            if raw:
                break
            assert line.strip(), f"blank line {i} on stdout"
            msg = json.loads(line)  # every stdout line must be one JSON message
            errors = sorted(MESSAGE_VALIDATOR.iter_errors(msg), key=str)
            assert not errors, f"line {i} breaks the protocol schema: {errors[0].message}: {line[:300]}"
            self.messages.append(msg)

    def of(self, type_):
        return [m for m in self.messages if m["type"] == type_]

    def records(self, stream=None):
        return [m["record"]["data"] for m in self.of("RECORD")
                if stream is None or m["record"]["stream"] == stream]

    def traces(self, kind):
        return [m["trace"] for m in self.of("TRACE") if m["trace"]["type"] == kind]

    def errors(self):
        return [t["error"] for t in self.traces("ERROR")]

    def states(self, stream=None):
        out = []
        for m in self.of("STATE"):
            s = m["state"]["stream"]
            if stream is None or s["stream_descriptor"]["name"] == stream:
                out.append(m)
        return out

    def final_states(self):
        """The last STATE message of each stream, as an input state file's content."""
        last = {}
        for m in self.of("STATE"):
            last[m["state"]["stream"]["stream_descriptor"]["name"]] = m["state"]
        return list(last.values())


class Connector:
    def __init__(self, tmp):
        self.tmp = pathlib.Path(tmp)
        self.n = 0

    def write(self, name, content):
        self.n += 1
        p = self.tmp / f"{self.n}-{name}"
        p.write_text(content if isinstance(content, str) else json.dumps(content))
        return str(p)

    def run(self, *args, config=None, catalog=None, state=None, timeout=600, env=None, raw=False):
        cmd = [BIN, *args]
        if config is not None:
            cmd += ["--config", config if isinstance(config, str) and os.path.exists(config)
                    else self.write("config.json", config)]
        if catalog is not None:
            cmd += ["--catalog", self.write("catalog.json", catalog)]
        if state is not None:
            cmd += ["--state", self.write("state.json", state)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **(env or {})})
        return Run(proc, proc.stdout, proc.stderr, raw)

    def catalog(self, config, streams=None, mode="full_refresh"):
        disc = self.run("discover", config=config)
        assert disc.returncode == 0, disc.stdout + disc.stderr
        cat = disc.of("CATALOG")[0]["catalog"]
        out = []
        for s in cat["streams"]:
            if streams is not None and s["name"] not in streams:
                continue
            m = mode if mode in s["supported_sync_modes"] else "full_refresh"
            out.append({"stream": s, "sync_mode": m, "destination_sync_mode": "append_dedup"
                        if m == "incremental" else "overwrite",
                        "primary_key": s.get("source_defined_primary_key", [])})
        return {"streams": out}


@pytest.fixture
def connector(tmp_path):
    return Connector(tmp_path)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = DemoStore("--seed", "42", tmp=tmp_path_factory.mktemp("store"))
    yield s
    s.stop()


def start_store(tmp_path_factory, *args):
    return DemoStore(*args, tmp=tmp_path_factory.mktemp("store"))
