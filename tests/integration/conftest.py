"""Shared fixtures for the integration tests: the real binary against the demo store.

Binaries come from the environment (set by ctest): WCC_BIN = source-woocommerce,
WCC_DEMO_STORE = woo-demo-store. Every stdout line of the connector is validated against the
Airbyte protocol schema (tests/data/airbyte_protocol.yaml, a copy of airbytehq/airbyte-protocol).
"""
import json
import os
import pathlib
import subprocess

import jsonschema
import pytest
import yaml

from processes import DemoStoreProcess

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


class DemoStore(DemoStoreProcess):
    """A running woo-demo-store; stopped by the fixture."""

    def __init__(self, *args, tmp):
        super().__init__(DEMO, tmp, args, start_timeout=60, stop_timeout=10)
        self.tmp = self.workdir

    def config(self, **overrides):
        return super().config(**{"requests_per_window": 0, **overrides})

    def app_password_config(self, **overrides):
        return super().app_password_config(**{"requests_per_window": 0, **overrides})

    def control(self, path, body=None):
        return super().control(path, body, timeout=30)

    def counts(self):
        return self.control("counts")


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
