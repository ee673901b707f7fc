#!/usr/bin/env python3
"""Load and soak through real servers (issue #17); run by scripts/load, which sets things up.

For each server (FastAPI under uvicorn, Flask under gunicorn, Express, php-fpm behind nginx)
two variants run side by side on 127.0.0.1: "payseal", the example users copy, and "baseline",
the same endpoint doing the same check with the language's own HMAC code (benches/load/apps.py,
express_server.js, php/baseline_webhook.php; php/baseline_plain.php with --php-baseline is the
leanest PHP script doing the check). wrk drives each with a pre-signed mix of valid
and tampered deliveries (deliveries.lua): 3 valid to 1 tampered (tampered body, tampered
signature, and a stale timestamp, or a missing header for a scheme without a timestamp). Then:

- correctness: every answer is matched to its delivery by the echoed X-Request-Id; a valid
  delivery must get 200 and a tampered one a 4xx whose body names the expected code
  ({"error": "bad_signature"}, "timestamp_too_old" or "missing_header"). Any wrong answer,
  any other status, any unmatched answer and any socket error (connect, read, write, timeout)
  fails the run;
- RSS: the resident memory of the server's process tree (master and workers; php-fpm's, not
  nginx's) as the warm-up run ends and as each measured round ends; growth over both
  RSS_GROWTH_PCT percent and RSS_GROWTH_MIB MiB, at the end and after the round before, fails
  (payseal variants; the baselines' are printed). Both samples must exceed the bound because a
  leak only grows, while a garbage collector's heap (Node's) moves up and down between samples;
- throughput: rounds interleaved, the order turned each round (payseal, baseline; baseline,
  payseal; ...), median requests/s of each with the spread and the ratio payseal / baseline,
  and the server's CPU time (user + system, same process tree) per answer, which other work on
  the machine disturbs less. Printed, written into README.md with --readme; never a failure (a
  shared machine is too noisy for that);
- php-fpm's pool alone (Harness.worker_cpu): the deliveries sent straight to the pool over one
  kept FastCGI connection (fastcgi.py), nginx and wrk idle, every answer checked as above; the
  pool's CPU time per request, interleaved rounds, medians. The check is a few percent of an FPM
  request, less than req/s moves between rounds; this resolves it to ~1 µs (~2 %).

Exit status 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Dict, List, Optional, Set, Tuple

import fastcgi

ROOT = Path(__file__).resolve().parents[2]
LOAD = ROOT / "benches" / "load"
RSS_GROWTH_PCT = 10.0
RSS_GROWTH_MIB = 8.0
MIX = 4  # every MIX-th delivery is tampered: 3 valid to 1 tampered
DELIVERIES = 240
STALE = 3600  # seconds before now: far outside the 300 s tolerance


# ---- Deliveries ------------------------------------------------------------------------------


def hmac_sha256(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def event_body(scheme: str, i: int, now: int) -> bytes:
    """A ~1 KiB JSON event, as providers send them (compact, with non-ASCII text)."""
    kind = {"stripe": "type", "standard": "type", "eupay": "event"}[scheme]
    name = {"stripe": "payment_intent.succeeded", "standard": "invoice.paid", "eupay": "payment.completed"}[scheme]
    event = {
        "id": f"evt_{i:06d}_{secrets.token_hex(6)}",
        "object": "event",
        kind: name,
        "created": now,
        "livemode": False,
        "data": {
            "object": {
                "id": f"pi_{secrets.token_hex(12)}",
                "amount": 1000 + i,
                "currency": "eur",
                "customer": f"cus_{secrets.token_hex(7)}",
                "description": "Commande nº %d — Café & Thé, Zürich" % i,
                "metadata": {"order_id": str(100000 + i), "cart": "x" * 24},
                "shipping": {"name": "Jörg Müller", "address": {"line1": "Bahnhofstrasse 1", "city": "Zürich", "postal_code": "8001", "country": "CH"}},
                "charges": [{"id": f"ch_{secrets.token_hex(12)}", "amount": 1000 + i, "paid": True, "status": "succeeded"}],
            }
        },
        "request": {"id": f"req_{secrets.token_hex(7)}", "idempotency_key": secrets.token_hex(16)},
    }
    body = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()
    return body + b" " * max(0, 1024 - len(body))  # pad to 1 KiB (whitespace after JSON is JSON)


@dataclass
class Scheme:
    name: str
    path: str
    secret: str  # as the server's environment gets it
    sign: Callable[[bytes, int, int], Dict[str, str]]  # body, delivery index, timestamp -> headers
    flip: str  # header whose MAC a "tampered signature" delivery alters
    stale: bool  # signs a timestamp (else the third tampered kind is a missing header)


def flip_mac(value: str) -> str:
    """Changes one character of the MAC in a signature header (the value stays well-formed)."""
    if value.startswith("v1,"):  # Standard Webhooks: base64; its first character
        return "v1," + ("A" if value[3] != "A" else "B") + value[4:]
    return value[:-1] + ("0" if value[-1] != "0" else "1")  # hex: the last digit


def make_scheme(name: str, path: str) -> Scheme:
    if name == "stripe":
        secret = "whsec_" + secrets.token_hex(16)

        def sign(body: bytes, i: int, t: int) -> Dict[str, str]:
            return {"Stripe-Signature": f"t={t},v1={hmac_sha256(secret.encode(), b'%d.%s' % (t, body)).hex()}"}

        return Scheme(name, path, secret, sign, "Stripe-Signature", True)
    if name == "standard":
        key = secrets.token_bytes(24)
        secret = "whsec_" + base64.b64encode(key).decode()

        def sign(body: bytes, i: int, t: int) -> Dict[str, str]:
            msg_id = f"msg_{i:06d}"
            mac = base64.b64encode(hmac_sha256(key, b"%s.%d.%s" % (msg_id.encode(), t, body))).decode()
            return {"webhook-id": msg_id, "webhook-timestamp": str(t), "webhook-signature": f"v1,{mac}"}

        return Scheme(name, path, secret, sign, "webhook-signature", True)
    if name == "eupay":
        secret = "whsec_" + secrets.token_hex(16)

        def sign(body: bytes, i: int, t: int) -> Dict[str, str]:
            return {"X-EuPay-Signature": "sha256=" + hmac_sha256(secret.encode(), body).hex()}

        return Scheme(name, path, secret, sign, "X-EuPay-Signature", False)
    raise ValueError(name)


def deliveries(scheme: Scheme, count: int) -> List[Tuple[Dict[str, str], bytes, int, str]]:
    """(headers, body, expected status, kind), signed now; every MIX-th one tampered."""
    now = int(time.time())
    out = []
    for i in range(count):
        body = event_body(scheme.name, i, now)
        if i % MIX != MIX - 1:
            out.append((scheme.sign(body, i, now), body, 200, "valid"))
            continue
        kind = ("body", "signature", "stale" if scheme.stale else "unsigned")[(i // MIX) % 3]
        headers = scheme.sign(body, i, now - STALE if kind == "stale" else now)
        if kind == "body":
            body = body.replace(b'"amount":', b'"amount":9', 1)
        elif kind == "signature":
            headers[scheme.flip] = flip_mac(headers[scheme.flip])
        elif kind == "unsigned":
            headers = {}
        out.append((headers, body, 400, kind))
    return out


# The code a tampered delivery is rejected with ({"error": CODE} from the examples and baselines alike).
REASONS = {"body": "bad_signature", "signature": "bad_signature", "stale": "timestamp_too_old", "unsigned": "missing_header"}


def lua_string(data: bytes) -> str:
    out = []
    for b in data:
        c = chr(b)
        out.append(c if 32 <= b < 127 and c not in '"\\' else "\\%03d" % b)
    return '"' + "".join(out) + '"'


def write_lua(scheme: Scheme, path: Path) -> None:
    rows = []
    for headers, body, expect, kind in deliveries(scheme, DELIVERIES):
        h = ", ".join(f"[{lua_string(k.encode())}] = {lua_string(v.encode())}" for k, v in headers.items())
        reason = lua_string(REASONS.get(kind, "").encode())
        rows.append(f"  {{ headers = {{ {h} }}, body = {lua_string(body)}, expect = {expect}, reason = {reason} }},")
    path.write_text("return { path = %s, deliveries = {\n%s\n} }\n" % (lua_string(scheme.path.encode()), "\n".join(rows)))


# ---- Processes -------------------------------------------------------------------------------


GIVEN_PORTS: Set[int] = set()


def free_port() -> int:
    """A port nothing listens on, and not one handed out before in this run: the kernel may give
    a port it just gave again, and a server started before may not have bound its own yet (a CI
    run had the baseline's nginx take the port the payseal pool was about to listen on)."""
    for _ in range(100):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if port not in GIVEN_PORTS:
            GIVEN_PORTS.add(port)
            return port
    raise Failed("no free port that was not handed out already")


def children() -> Dict[int, List[int]]:
    tree: Dict[int, List[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def process_tree(pid: int) -> List[int]:
    tree, out, todo = children(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(tree.get(p, []))
    return out


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of pid and its live descendants."""
    total = 0
    for p in process_tree(pid):
        try:
            stat = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / CLOCK_TICKS


def tree_rss_kib(pid: int) -> Tuple[int, int]:
    """(summed VmRSS in KiB, number of processes) of pid and its descendants."""
    total, n = 0, 0
    for p in process_tree(pid):
        try:
            m = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{p}/status").read_text(), re.M)
        except OSError:
            continue
        if m:
            total += int(m.group(1))
            n += 1
    return total, n


def pinned(cpus: Optional[Set[int]]) -> Optional[Callable[[], None]]:
    """A preexec_fn confining the child (and what it starts) to `cpus`; None leaves it free."""
    if cpus is None:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def pin_split() -> Tuple[Set[int], Set[int]]:
    """--pin: (the servers' cores, wrk's core): wrk on the last core this process may use, the
    servers on the others, so the load generator never takes CPU time from the server measured."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        raise SystemExit("--pin needs at least 2 cores")
    return set(cores[:-1]), {cores[-1]}


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen  # type: ignore[type-arg]
    log: Path


class Processes:
    """Every process the harness starts; stopped by PID (SIGTERM, then SIGKILL after 10 s)."""

    def __init__(self, cpus: Optional[Set[int]] = None) -> None:
        self.procs: List[Proc] = []
        self.cpus = cpus  # --pin: the cores servers (and what they start) may run on

    def start(self, name: str, cmd: List[str], env: Dict[str, str], log: Path, cwd: Optional[Path] = None) -> Proc:
        with open(log, "wb") as out:
            popen = subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                     preexec_fn=pinned(self.cpus))
        proc = Proc(name, popen, log)
        self.procs.append(proc)
        return proc

    def stop(self, proc: Proc) -> None:
        if proc.popen.poll() is None:
            tree = process_tree(proc.popen.pid)
            proc.popen.send_signal(signal.SIGTERM)
            try:
                proc.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                for pid in tree:  # the master did not stop: its processes, by PID
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                proc.popen.wait(timeout=10)
        if proc in self.procs:
            self.procs.remove(proc)

    def stop_all(self) -> None:
        for proc in reversed(list(self.procs)):
            self.stop(proc)


# ---- Servers ---------------------------------------------------------------------------------


@dataclass
class Variant:
    """A running server: the port to load and the PID whose process tree is the server."""

    port: int
    rss_pid: int
    procs: List[Proc]
    # php-fpm: the pool's own port and the script, for the worker-CPU phase (FastCGI, no nginx).
    fastcgi: Optional[Tuple[int, str]] = None


@dataclass
class Server:
    key: str
    title: str  # "FastAPI (uvicorn, 2 workers)"
    scheme: str
    path: str
    baseline_code: str
    start: Callable[["Harness", str, Scheme], Variant]


class Failed(Exception):
    pass


class Harness:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        server_cpus, self.wrk_cpus = pin_split() if args.pin else (None, None)
        self.procs = Processes(server_cpus)
        self.tmp = Path(tempfile.mkdtemp(prefix="payseal-load."))
        self.failures: List[str] = []

    # Each start_* returns a Variant; the server answers on 127.0.0.1:port once probe() succeeds.

    def env(self, **extra: str) -> Dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")}
        env.update(extra)
        return env

    def python_env(self, scheme: Scheme) -> Dict[str, str]:
        # The examples' from_environment() reads all of their endpoints' secrets.
        return self.env(
            STRIPE_WEBHOOK_SECRETS=scheme.secret if scheme.name == "stripe" else "whsec_unused",
            STANDARD_WEBHOOK_SECRET=scheme.secret if scheme.name == "standard" else "whsec_dW51c2VkdW51c2Vk",
            EUPAY_WEBHOOK_SECRET=scheme.secret if scheme.name == "eupay" else "unused",
            PAYLANDS_SIGNATURE="unused",
            PYTHONDONTWRITEBYTECODE="1",
        )

    def start_uvicorn(self, variant: str, scheme: Scheme) -> Variant:
        port = free_port()
        bindir = Path(self.args.venv) / "bin"
        cmd = [str(bindir / "uvicorn"), f"load_fastapi:fastapi_{variant}", "--factory", "--app-dir", str(LOAD), "--host", "127.0.0.1",
               "--port", str(port), "--workers", "2", "--no-access-log", "--log-level", "warning"]
        proc = self.procs.start(f"uvicorn-{variant}", cmd, self.python_env(scheme), self.tmp / f"uvicorn-{variant}.log")
        return Variant(port, proc.popen.pid, [proc])

    def start_gunicorn(self, variant: str, scheme: Scheme) -> Variant:
        port = free_port()
        bindir = Path(self.args.venv) / "bin"
        cmd = [str(bindir / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--chdir", str(LOAD),
               "--log-level", "warning", f"load_flask:flask_{variant}()"]
        proc = self.procs.start(f"gunicorn-{variant}", cmd, self.python_env(scheme), self.tmp / f"gunicorn-{variant}.log")
        return Variant(port, proc.popen.pid, [proc])

    def start_express(self, variant: str, scheme: Scheme) -> Variant:
        port = free_port()
        env = self.env(PORT=str(port), STRIPE_WEBHOOK_SECRETS=scheme.secret, EUPAY_WEBHOOK_SECRET="unused", NODE_ENV="production")
        proc = self.procs.start(f"express-{variant}", [self.args.node, str(LOAD / "express_server.js"), variant], env,
                                self.tmp / f"express-{variant}.log")
        return Variant(port, proc.popen.pid, [proc])

    def start_fpm(self, variant: str, scheme: Scheme) -> Variant:
        """php-fpm (2 static workers, ffi-c/php/fpm.ini) behind nginx (1 worker) for HTTP."""
        work = Path(self.args.php_work)
        # Both scripts in the same directory (the deployed copy's examples/): FPM changes into the
        # script's directory and back on every request, and the kernel walks that path each time
        # (perf on one worker: the example's 3 more path components cost ~0.5 µs of kernel time per
        # request, of ~48 µs).
        examples = Path(self.args.php_root) / "ffi-c" / "php" / "examples"
        if variant == "payseal":
            script = examples / "webhook.php"
        else:
            script = examples / "baseline-webhook.php"
            shutil.copy(self.args.php_baseline or LOAD / "php" / "baseline_webhook.php", script)
            os.chmod(script, 0o644)
        fpm_port, port = free_port(), free_port()
        pool = work / f"fpm-{variant}.conf"
        pool.write_text(f"""[global]
pid = {work}/fpm-{variant}.pid
error_log = {work}/fpm-{variant}.log
daemonize = no

[load]
listen = 127.0.0.1:{fpm_port}
listen.backlog = 256
user = www-data
group = www-data
pm = static
pm.max_children = 2
catch_workers_output = yes
env[PAYSEAL_LIB] = {self.args.php_lib}
env[EUPAY_WEBHOOK_SECRET] = {scheme.secret}
""")
        fpm = self.procs.start(f"php-fpm-{variant}", [self.args.fpm, "-F", "-c", self.args.php_ini, "-y", str(pool)],
                               self.env(), self.tmp / f"fpm-{variant}.out")
        ngx = self.tmp / f"nginx-{variant}"
        ngx.mkdir()
        os.chmod(ngx, 0o1777)
        conf = ngx / "nginx.conf"
        conf.write_text(f"""daemon off;
worker_processes 1;
user www-data;
pid {ngx}/nginx.pid;
error_log {ngx}/error.log warn;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {ngx}/body;
  fastcgi_temp_path {ngx}/fastcgi;
  proxy_temp_path {ngx}/proxy;
  uwsgi_temp_path {ngx}/uwsgi;
  scgi_temp_path {ngx}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location = {scheme.path} {{
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME {script};
      fastcgi_param SCRIPT_NAME {scheme.path};
      fastcgi_pass 127.0.0.1:{fpm_port};
      add_header X-Request-Id $http_x_request_id always;
    }}
  }}
}}
""")
        nginx = self.procs.start(f"nginx-{variant}", [self.args.nginx, "-e", str(ngx / "error.log"), "-p", str(ngx), "-c", str(conf)],
                                 self.env(), self.tmp / f"nginx-{variant}.out")
        return Variant(port, fpm.popen.pid, [nginx, fpm], fastcgi=(fpm_port, str(script)))

    def probe(self, server: Server, v: Variant) -> None:
        """Waits (at most 20 s) until the server answers an unsigned delivery 400, echoing the id."""
        deadline = time.monotonic() + 20
        last = "no answer"
        for _ in range(400):
            for p in v.procs:
                if p.popen.poll() is not None:
                    raise Failed(f"{p.name} exited ({p.popen.returncode}) during start-up:\n{p.log.read_text()[-2000:]}")
            req = urllib.request.Request(f"http://127.0.0.1:{v.port}{server.path}", data=b"{}", method="POST",
                                         headers={"Content-Type": "application/json", "X-Request-Id": "probe"})
            try:
                with urllib.request.urlopen(req, timeout=2) as r:
                    last = f"status {r.status}"
            except urllib.error.HTTPError as e:
                if e.code == 400 and e.headers.get("X-Request-Id") == "probe":
                    return
                last = f"status {e.code}, X-Request-Id {e.headers.get('X-Request-Id')!r}: {e.read()[:200]!r}"
            except OSError as e:
                last = str(e)
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        logs = "\n".join(p.log.read_text()[-2000:] for p in v.procs)
        raise Failed(f"{server.key}: the server did not answer an unsigned delivery with 400 + X-Request-Id ({last})\n{logs}")

    # ---- Runs --------------------------------------------------------------------------------

    def wrk(self, server: Server, variant: str, v: Variant, scheme: Scheme, seconds: float, label: str) -> Dict[str, object]:
        data = self.tmp / f"{server.key}-{variant}.lua"
        write_lua(scheme, data)  # signed now: every run lies well within the 300 s tolerance
        cmd = [self.args.wrk, f"-t{self.args.threads}", f"-c{self.args.connections}", f"-d{seconds:g}s", "--timeout", "5s",
               "-s", str(LOAD / "deliveries.lua"), f"http://127.0.0.1:{v.port}", "--", str(data)]
        cpu = tree_cpu_seconds(v.rss_pid)
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, preexec_fn=pinned(self.wrk_cpus))
        cpu = tree_cpu_seconds(v.rss_pid) - cpu
        m = re.search(r"^LOAD_RESULT (.*)$", out.stdout, re.M)
        if out.returncode != 0 or not m:
            raise Failed(f"{server.key} {variant}: wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
        r: Dict[str, object] = json.loads(m.group(1))
        rps = int(r["requests"]) / (int(r["duration_us"]) / 1e6)  # type: ignore[call-overload]
        r["rps"] = rps
        # The server's CPU time per answer: steadier than req/s when others share the machine.
        r["cpu_us"] = cpu * 1e6 / max(int(r["requests"]), 1)  # type: ignore[call-overload]
        errors = sum(int(r[k]) for k in ("bad_status", "no_id", "connect", "read", "write", "timeout"))  # type: ignore[call-overload]
        r["errors"] = errors
        print(f"  {server.key:8} {variant:8} {label:8} {rps:9.0f} req/s  {r['requests']:>7} answers: {r['valid_ok']} valid 200, "
              f"{r['tampered_ok']} tampered 4xx, {r['wrong']} wrong, {errors} errors; p50 {int(r['latency_p50_us']) / 1000:.2f} ms, "  # type: ignore[call-overload]
              f"p99 {int(r['latency_p99_us']) / 1000:.2f} ms; server CPU {r['cpu_us']:.0f} µs/answer", flush=True)  # type: ignore[call-overload]
        if r["wrong"] or errors:
            self.failures.append(f"{server.key} {variant} {label}: {r['wrong']} wrong answers, {errors} errors "
                                 f"(bad status {r['bad_status']}, unmatched {r['no_id']}, connect {r['connect']}, read {r['read']}, "
                                 f"write {r['write']}, timeout {r['timeout']}); first: {r['first_wrong']}")
        if not r["valid_ok"] or not r["tampered_ok"]:
            self.failures.append(f"{server.key} {variant} {label}: no valid or no tampered delivery answered")
        return r

    def worker_cpu(self, server: Server, variant: str, v: Variant, scheme: Scheme, label: str) -> float:
        """php-fpm's CPU per request with nothing else on the servers' cores: the deliveries sent
        straight to the pool over one kept FastCGI connection (by this process, on wrk's core),
        one at a time, each answer checked as wrk's are; user + system time of the pool's
        processes per request. The pool's share of what a request costs the machine, measured
        to ~1 µs (~2 %), where req/s also carries nginx's and the load generator's share and
        moves by a few percent between rounds."""
        assert v.fastcgi is not None
        port, script = v.fastcgi
        sent = deliveries(scheme, DELIVERIES)
        requests = [(fastcgi.encode_request(script, scheme.path, h, b), expect, REASONS.get(kind, "")) for h, b, expect, kind in sent]
        count = max(2000, int(self.args.duration * 5000))
        deadline = time.monotonic() + 30 + 3 * self.args.duration  # they take ~0.4 s per second of it
        affinity = os.sched_getaffinity(0)
        if self.wrk_cpus:
            os.sched_setaffinity(0, self.wrk_cpus)
        wrong: List[str] = []
        try:
            conn = fastcgi.Connection(port)
            try:
                for request, _, _ in requests[:200]:  # warm: opcache, the worker's first requests
                    conn.send(request)
                cpu = tree_cpu_seconds(v.rss_pid)
                for i in range(count):
                    request, expect, reason = requests[i % len(requests)]
                    status, body = conn.send(request)
                    if status != expect or (expect != 200 and f'"{reason}"'.encode() not in body):
                        wrong.append(f"delivery {i % len(requests)}: status {status}, body {body[:120]!r}")
                    if i % 1000 == 999 and time.monotonic() > deadline:
                        raise Failed(f"{server.key} {variant} {label} (FastCGI): {i + 1} of {count} requests past the deadline")
                cpu = tree_cpu_seconds(v.rss_pid) - cpu
            finally:
                conn.close()
        except OSError as e:
            raise Failed(f"{server.key} {variant} {label} (FastCGI): {e}") from e
        finally:
            os.sched_setaffinity(0, affinity)
        per = cpu * 1e6 / count
        print(f"  {server.key:8} {variant:8} {label:8} worker CPU {per:5.1f} µs/request over {count} FastCGI requests, "
              f"{len(wrong)} wrong", flush=True)
        if wrong:
            self.failures.append(f"{server.key} {variant} {label} (FastCGI): {len(wrong)} wrong answers; first: {wrong[0]}")
        return per

    def run_server(self, server: Server) -> Dict[str, object]:
        scheme = make_scheme(server.scheme, server.path)
        print(f"\n==> {server.title}: {server.scheme} deliveries to {server.path}, payseal vs {server.baseline_code}", flush=True)
        variants = ("payseal", "baseline")
        running: Dict[str, Variant] = {}
        try:
            for name in variants:
                running[name] = server.start(self, name, scheme)
            for name in variants:
                self.probe(server, running[name])
            runs: Dict[str, List[Dict[str, object]]] = {name: [] for name in variants}
            # RSS of each variant's processes, sampled as each of its runs ends (the same moment
            # every time: a garbage-collected heap shrinks when the server then idles).
            series: Dict[str, List[int]] = {name: [] for name in variants}
            processes: Dict[str, int] = {}

            def run(name: str, seconds: float, label: str) -> None:
                runs[name].append(self.wrk(server, name, running[name], scheme, seconds, label))
                kib, processes[name] = tree_rss_kib(running[name].rss_pid)
                series[name].append(kib)

            for name in variants:
                run(name, self.args.warmup, "warm-up")
            for r in range(self.args.rounds):
                # Interleaved, the order turned each round (A B, B A, A B, ...): a drift in the
                # machine's load over the run then falls on both variants alike.
                for name in variants if r % 2 == 0 else variants[::-1]:
                    run(name, self.args.duration, f"round {r + 1}")
            worker: Dict[str, List[float]] = {name: [] for name in variants}
            if all(running[name].fastcgi for name in variants):
                for r in range(self.args.rounds):
                    for name in variants if r % 2 == 0 else variants[::-1]:
                        worker[name].append(self.worker_cpu(server, name, running[name], scheme, f"round {r + 1}"))
            rss: Dict[str, Dict[str, object]] = {}
            for name in variants:
                before, after = series[name][0], series[name][-1]
                # Growth that lasts: at the end and after the round before (a leak only grows;
                # a collector's heap moves up and down between samples).
                lasting = min(series[name][-2:]) - before if self.args.rounds >= 2 else after - before
                leak = lasting > before * RSS_GROWTH_PCT / 100 and lasting > RSS_GROWTH_MIB * 1024
                rss[name] = {"before_kib": before, "after_kib": after, "series_kib": series[name], "processes": processes[name]}
                shown = " ".join(f"{x / 1024:.1f}" for x in series[name])
                print(f"  {server.key:8} {name:8} RSS of {processes[name]} processes: {before / 1024:.1f} MiB after warm-up, "
                      f"{after / 1024:.1f} MiB after {self.args.rounds} rounds ({(after - before) / 1024:+.1f} MiB)"
                      f"{'  <- grew' if leak else ''}; after each run: {shown} MiB", flush=True)
                if leak and name == "payseal":
                    self.failures.append(f"{server.key} payseal: RSS grew {lasting / 1024:.1f} MiB ({100 * lasting / max(before, 1):.0f}%) "
                                         f"over the run, {shown} MiB (bound: > {RSS_GROWTH_PCT:g}% and > {RSS_GROWTH_MIB:g} MiB, "
                                         "at the end and after the round before)")
            for name in variants:
                for p in running[name].procs:
                    if p.popen.poll() is not None:
                        self.failures.append(f"{server.key} {name}: {p.name} exited ({p.popen.returncode}) during the run")
        finally:
            for v in running.values():
                for p in v.procs:
                    self.procs.stop(p)
        measured = {name: [float(x["rps"]) for x in runs[name][1:]] for name in variants}  # type: ignore[arg-type]
        med = {name: statistics.median(measured[name]) for name in variants}
        ratio = med["payseal"] / med["baseline"]
        cpu = {name: statistics.median(float(x["cpu_us"]) for x in runs[name][1:]) for name in variants}  # type: ignore[arg-type]
        print(f"  {server.key:8} median server CPU per answer: payseal {cpu['payseal']:.0f} µs, baseline {cpu['baseline']:.0f} µs", flush=True)
        if worker["payseal"]:
            w = {name: statistics.median(worker[name]) for name in variants}
            print(f"  {server.key:8} median worker CPU per FastCGI request: payseal {w['payseal']:.1f} µs, baseline "
                  f"{w['baseline']:.1f} µs: payseal / baseline {w['payseal'] / w['baseline']:.3f}", flush=True)
        print(f"  {server.key:8} median req/s payseal {med['payseal']:.0f} ({min(measured['payseal']):.0f}-{max(measured['payseal']):.0f}), "
              f"baseline {med['baseline']:.0f} ({min(measured['baseline']):.0f}-{max(measured['baseline']):.0f}): payseal / baseline "
              f"{ratio:.3f}", flush=True)
        return {
            "server": server.key, "title": server.title, "scheme": server.scheme, "baseline_code": server.baseline_code,
            "rps": measured, "median_rps": med, "ratio": ratio, "rss": rss, "cpu_us": cpu, "worker_cpu_us": worker,
            "answers": {name: sum(int(x["requests"]) for x in runs[name]) for name in variants},  # type: ignore[call-overload]
            "wrong": {name: sum(int(x["wrong"]) for x in runs[name]) for name in variants},  # type: ignore[call-overload]
            "errors": {name: sum(int(x["errors"]) for x in runs[name]) for name in variants},  # type: ignore[call-overload]
        }


SERVERS = [
    Server("fastapi", "FastAPI (uvicorn, 2 workers)", "stripe", "/webhooks/stripe", "`hmac` + `compare_digest`", Harness.start_uvicorn),
    Server("flask", "Flask (gunicorn, 2 sync workers)", "standard", "/webhooks/standard", "`hmac` + `compare_digest`", Harness.start_gunicorn),
    Server("express", "Express (Node, 1 process)", "stripe", "/webhooks/stripe", "`createHmac` + `timingSafeEqual`", Harness.start_express),
    Server("php-fpm", "PHP-FPM (2 static workers, nginx)", "eupay", "/webhook", "`hash_hmac` + `hash_equals`", Harness.start_fpm),
]


# ---- Report ----------------------------------------------------------------------------------


def spread(values: List[float]) -> str:
    return f"{min(values):,.0f}–{max(values):,.0f}"


def readme_table(results: List[Dict[str, object]], args: argparse.Namespace, load: Tuple[str, str]) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cores = os.cpu_count() or 1
    # The load average after the run is the run's own (wrk and the servers keep both cores
    # busy); only the one before says whether something else was running.
    busy = float(load[0]) > cores / 2
    noisy = " (a busy machine: noisy figures, re-run on a quiet one)" if busy else ""
    lines = [
        f"Last run: {when}, `scripts/load --duration {args.duration:g} --rounds {args.rounds}{' --pin' if args.pin else ''}` "
        f"(warm-up {args.warmup:g} s), `wrk -t{args.threads} -c{args.connections}` on loopback"
        f"{' on its own core, the servers on the others' if args.pin else ''}, {os.cpu_count()} cores, load average {load[0]} before, "
        f"{load[1]} after{noisy}. Each server's payseal variant is the example users copy; the baseline does the same check with "
        "the language's own HMAC code. req/s: median of the rounds (spread); server CPU: user + system time of "
        "the server's processes (php-fpm's, not nginx's) per answer, median of the rounds; RSS of those processes "
        "after the warm-up → after the rounds.",
        "",
        "| server | scheme | baseline | payseal req/s | baseline req/s | payseal ÷ baseline | server CPU per answer, payseal / baseline | answers checked | wrong answers, errors | RSS payseal | RSS baseline |",
        "|---|---|---|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for r in results:
        med, rps, rss = r["median_rps"], r["rps"], r["rss"]
        answers = sum(r["answers"].values())  # type: ignore[attr-defined]
        wrong = sum(r["wrong"].values())  # type: ignore[attr-defined]
        errors = sum(r["errors"].values())  # type: ignore[attr-defined]

        def mem(name: str) -> str:
            m = rss[name]  # type: ignore[index]
            return f"{m['before_kib'] / 1024:.1f} → {m['after_kib'] / 1024:.1f} MiB"

        lines.append(
            f"| {r['title']} | {r['scheme']} | {r['baseline_code']} | {med['payseal']:,.0f} ({spread(rps['payseal'])}) | "  # type: ignore[index]
            f"{med['baseline']:,.0f} ({spread(rps['baseline'])}) | {r['ratio']:.2f}× | "  # type: ignore[index]
            f"{r['cpu_us']['payseal']:.0f} / {r['cpu_us']['baseline']:.0f} µs | {answers:,} | "  # type: ignore[index]
            f"{wrong}, {errors} | {mem('payseal')} | {mem('baseline')} |"
        )
    for r in results:
        worker: Dict[str, List[float]] = r["worker_cpu_us"]  # type: ignore[assignment]
        if worker["payseal"]:
            w = {name: statistics.median(worker[name]) for name in worker}
            lines += ["", (
                f"{r['title']}, the pool alone: the same deliveries sent straight to php-fpm over one kept FastCGI connection "
                f"(no nginx; the client on wrk's core), one at a time, every answer checked; user + system time of the pool "
                f"per request, median of {len(worker['payseal'])} interleaved rounds (spread): payseal "
                f"{w['payseal']:.1f} µs ({min(worker['payseal']):.1f}–{max(worker['payseal']):.1f}), baseline "
                f"{w['baseline']:.1f} µs ({min(worker['baseline']):.1f}–{max(worker['baseline']):.1f}): "
                f"{w['payseal'] / w['baseline']:.3f}× the baseline's CPU."
            )]
    return "\n".join(lines)


def write_readme(path: Path, table: str) -> None:
    text = path.read_text()
    start, end = "<!-- load:start -->", "<!-- load:end -->"
    if start not in text or end not in text:
        raise Failed(f"{path}: the markers {start} / {end} are missing")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{table}\n{end}{tail}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=float, default=20, help="seconds per measured round (default 20)")
    ap.add_argument("--rounds", type=int, default=3, help="measured rounds per variant, interleaved (default 3)")
    ap.add_argument("--warmup", type=float, default=5, help="seconds of the warm-up run (default 5)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--pin", action="store_true",
                    help="wrk on the last core, the servers on the others (no CPU time shared between them)")
    ap.add_argument("--only", action="append", choices=[s.key for s in SERVERS], help="run only these servers (repeatable)")
    ap.add_argument("--readme", help="write the table into this README between the load markers")
    ap.add_argument("--json", help="write the results as JSON here")
    ap.add_argument("--venv", required=True, help="Python venv with fastapi, uvicorn, flask, gunicorn and payseal")
    ap.add_argument("--node", default="node")
    ap.add_argument("--wrk", default="wrk")
    ap.add_argument("--nginx", default="nginx")
    ap.add_argument("--fpm", default="php-fpm8.2")
    ap.add_argument("--php-work", help="fpm_deploy's folder (scripts/lib.sh)")
    ap.add_argument("--php-root", help="fpm_deploy's @ROOT@")
    ap.add_argument("--php-lib", help="the deployed libpayseal_ffi.so")
    ap.add_argument("--php-ini", help="the php.ini fpm_deploy wrote from ffi-c/php/fpm.ini")
    ap.add_argument("--php-baseline", help="another PHP script to serve as the baseline (experiments: where the time goes)")
    args = ap.parse_args()
    if not (0 < args.duration <= 60 and 1 <= args.rounds <= 10 and 0 < args.warmup <= 60):
        ap.error("--duration and --warmup in (0, 60] s, --rounds in [1, 10]: deliveries are signed per run with a 300 s tolerance")
    servers = [s for s in SERVERS if not args.only or s.key in args.only]
    if any(s.key == "php-fpm" for s in servers) and not all((args.php_work, args.php_root, args.php_lib, args.php_ini)):
        ap.error("php-fpm needs --php-work, --php-root, --php-lib and --php-ini (scripts/load passes them)")

    harness = Harness(args)
    results: List[Dict[str, object]] = []
    load_before = Path("/proc/loadavg").read_text().split()[0]

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        for server in servers:
            try:
                results.append(harness.run_server(server))
            except Failed as e:
                harness.failures.append(str(e))
                print(f"  {server.key}: {e}", file=sys.stderr, flush=True)
    finally:
        harness.procs.stop_all()
    load_after = Path("/proc/loadavg").read_text().split()[0]
    if args.php_work:
        errors = Path(args.php_work) / "php-errors.log"
        if errors.exists() and errors.stat().st_size:
            harness.failures.append(f"PHP logged errors:\n{errors.read_text()[-3000:]}")

    print("\n==> summary")
    table = readme_table(results, args, (load_before, load_after))
    print(table)
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, "failures": harness.failures}, indent=2) + "\n")
    if harness.failures:
        print("\nFAILED:\n- " + "\n- ".join(harness.failures), file=sys.stderr)
        return 1
    if args.readme:
        write_readme(Path(args.readme), table)
        print(f"\nwrote the table into {args.readme}")
    shutil.rmtree(harness.tmp, ignore_errors=True)
    print("\nload: ok (0 wrong answers, 0 errors, RSS within bounds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
