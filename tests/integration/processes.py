"""Starting and stopping the processes the integration tests and the benchmark run.

The demo store takes ports chosen by the kernel and announces them (and its CA file) in a ready
file; any child is stopped with SIGTERM, then killed if it does not exit in time. Standard library
only: bench/bench.py imports this module too.
"""
import json
import pathlib
import signal
import subprocess
import time
import urllib.request


def wait_until(pred, timeout, what):
    """Polls pred() until it returns something true; AssertionError after `timeout` seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def stop_process(proc, timeout):
    """SIGTERM, then SIGKILL if the process is still there after `timeout` seconds."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class DemoStoreProcess:
    """A running woo-demo-store on loopback; `stop()` ends it."""

    def __init__(self, binary, workdir, args=(), start_timeout=60, env=None, stop_timeout=15):
        self.workdir = pathlib.Path(workdir)
        self.stop_timeout = stop_timeout
        ready = self.workdir / "ready.json"
        ca = self.workdir / "ca.pem"
        for p in (ready, ca):
            if p.exists():
                p.unlink()
        cmd = [binary, "--http-port", "0", "--https-port", "0", "--ready-file", str(ready),
               "--ca-out", str(ca), *args]
        self.log = open(self.workdir / "store.log", "w")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.log, env=env)
        deadline = time.monotonic() + start_timeout
        while True:
            if ready.exists() and ready.stat().st_size > 0:
                try:
                    self.info = json.loads(ready.read_text())
                    break
                except ValueError:
                    pass
            if self.proc.poll() is not None:
                raise RuntimeError("demo store exited: " + (self.workdir / "store.log").read_text())
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"demo store did not start in {start_timeout} s")
            time.sleep(0.05)
        self.ca_file = self.info.get("ca_file", str(ca))
        self.https = f"https://127.0.0.1:{self.info['https_port']}"
        self.http = f"http://127.0.0.1:{self.info['http_port']}"
        self.key = self.info.get("key", "ck_demo_key")
        self.secret = self.info.get("secret", "cs_demo_secret")
        self.app_user = self.info.get("app_user", "demo-admin")
        self.app_password = self.info.get("app_password", "Demo Appl Pass 2024 Wooc Test")

    def config(self, **overrides):
        """A connector config for this store (HTTPS, its CA), with `overrides` on top."""
        cfg = {"store_url": self.https, "consumer_key": self.key,
               "consumer_secret": self.secret, "ca_certificate": self.ca_file}
        cfg.update(overrides)
        return cfg

    def app_password_config(self, **overrides):
        """A connector config that signs in with the store's WordPress application password."""
        cfg = {"store_url": self.https, "auth_method": "application_password",
               "username": self.app_user, "application_password": self.app_password,
               "ca_certificate": self.ca_file}
        cfg.update(overrides)
        return cfg

    def control(self, path, body=None, timeout=60):
        """The store's /__control/ API: GET without a body, POST with one."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.http + "/__control/" + path, data=data,
                                     method="POST" if body is not None else "GET",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read().decode()
            return json.loads(text) if text.strip() else None

    def advance_clock(self, seconds):
        """Moves the store's clock `seconds` forward at once (it stays frozen if it was): what
        the store writes from now on, and its Date header, lie in a later second than before."""
        return self.control("clock", {"advance_seconds": seconds})

    def stop(self):
        stop_process(self.proc, self.stop_timeout)
        self.log.close()
