#!/usr/bin/env python3
"""Writes benches/RESULTS.md, benches/ratios.svg and the README's benchmark section from the raw
output of scripts/bench-compare (benches/results/: LANG.jsonl, status.tsv, meta).

Each .jsonl line is one measurement: {"lang", "case", "impl", "ns_per_op"} (+ optional
"cpu_ns_per_op", "bytes"). Within a (lang, case), implementations named `payseal*` are payseal
(the first one, or the one named exactly `payseal`, is the reference), `floor*` are the
irreducible work (bare HMAC/SHA-256, a validate-only parse), `threads_N` are batch runs, and
anything else is a peer. Every ratio is between figures measured in the same process.

Standard library only. Exit status 1 when a result file holds malformed lines.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

LANGS = ("rust", "python", "node", "php")
LANG_TITLE = {"rust": "Rust core", "python": "Python", "node": "Node", "php": "PHP (FFI)"}
RUST_CRATES = ("sha2", "hmac", "ring", "const-hex", "hex", "base64-simd", "base64", "bcrypt", "serde_json", "criterion")
PY_PEERS = ("bcrypt", "orjson", "stripe", "standardwebhooks", "pyjwt", "rfc8785")
NODE_PEERS = ("stripe", "svix", "bcrypt", "jose", "jsonwebtoken", "canonicalize", "standardwebhooks")
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"
# Case names the languages' scripts spell differently, mapped to one name so a case lines up
# across languages.
CASE_ALIASES = {
    "webhook_eupay_1k": "webhook_verify_1k",
    "webhook_stripe_1k": "stripe_verify_1k",
    "webhook_standard_1k": "standard_verify_1k",
    "qr_sign": "eupay_qr_sign",
    "qr_verify": "eupay_qr_verify",
    "bcrypt_cost10": "bcrypt_verify_cost10",
    "verify_paylands": "paylands_verify",
}


@dataclass
class Row:
    lang: str
    case: str
    impl: str
    ns: float
    cpu_ns: Optional[float] = None
    bytes: Optional[int] = None
    correct: Optional[bool] = None  # False: the script found this implementation's answer wrong
    runs: dict[int, float] = field(default_factory=dict)  # run number -> that run's ns_per_op


def median(values: list[float]) -> float:
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def ratio(a: Row, b: Row) -> float:
    """a's time ÷ b's: the median over the runs of the ratio within each run (each run is one
    process, so the two were measured side by side), else the ratio of the medians."""
    common = sorted(a.runs.keys() & b.runs.keys())
    if common:
        return median([a.runs[k] / b.runs[k] for k in common])
    return a.ns / b.ns


@dataclass
class Case:
    lang: str
    name: str
    rows: dict[str, Row] = field(default_factory=dict)

    @property
    def reference(self) -> Optional[Row]:
        if "payseal" in self.rows:
            return self.rows["payseal"]
        return next((r for r in self.rows.values() if r.impl.startswith("payseal")), None)

    def kind(self, impl: str) -> str:
        if impl.startswith("payseal"):
            return "payseal"
        if impl.startswith("floor"):
            return "floor"
        if re.fullmatch(r"threads_\d+", impl):
            return "threads"
        return "peer"

    def first(self, pred: Callable[[str], bool]) -> Optional[Row]:
        return next((r for r in self.rows.values() if pred(r.impl)), None)


# --------------------------------------------------------------------------- input


def load(results: Path) -> tuple[dict[str, dict[str, Case]], list[str]]:
    """Every LANG.jsonl or LANG.N.jsonl (run N); one Row per (lang, case, impl) holding the
    median over the runs."""
    samples: dict[tuple[str, str, str], list[tuple[int, Row]]] = {}
    problems: list[str] = []
    for lang in LANGS:
        paths = sorted(results.glob(f"{lang}.jsonl")) + sorted(results.glob(f"{lang}.*.jsonl"))
        for path in paths:
            m = re.fullmatch(rf"{lang}\.(\d+)\.jsonl", path.name)
            run = int(m.group(1)) if m else 1
            for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                line = line.strip()
                if not line:
                    continue
                if not line.startswith("{"):
                    problems.append(f"{path.name}:{n}: not a JSON line (ignored): {line[:80]}")
                    continue
                try:
                    d = json.loads(line)
                    row = Row(
                        lang=str(d["lang"]),
                        case=CASE_ALIASES.get(str(d["case"]), str(d["case"])),
                        impl=str(d["impl"]),
                        ns=float(d["ns_per_op"]),
                        cpu_ns=float(d["cpu_ns_per_op"]) if d.get("cpu_ns_per_op") is not None else None,
                        bytes=int(d["bytes"]) if d.get("bytes") is not None else None,
                        correct=bool(d["correct"]) if d.get("correct") is not None else None,
                    )
                    if not (row.ns > 0 and math.isfinite(row.ns)):
                        raise ValueError(f"ns_per_op must be a positive number, got {d['ns_per_op']!r}")
                except (ValueError, KeyError, TypeError) as e:
                    problems.append(f"{path.name}:{n}: malformed measurement ({e}): {line[:120]}")
                    continue
                samples.setdefault((row.lang, row.case, row.impl), []).append((run, row))
    cases: dict[str, dict[str, Case]] = {}
    for (lang, name, impl), runs in samples.items():
        rows = [r for _, r in runs]
        cpus = [r.cpu_ns for r in rows if r.cpu_ns is not None]
        merged = Row(
            lang=lang,
            case=name,
            impl=impl,
            ns=median([r.ns for r in rows]),
            cpu_ns=median(cpus) if cpus else None,
            bytes=rows[0].bytes,
            correct=False if any(r.correct is False for r in rows) else rows[0].correct,
            runs={run: r.ns for run, r in runs},
        )
        cases.setdefault(lang, {}).setdefault(name, Case(lang, name)).rows[impl] = merged
    return cases, problems


def read_meta(results: Path) -> dict[str, str]:
    meta: dict[str, str] = {}
    path = results / "meta"
    if path.exists():
        for line in path.read_text().splitlines():
            k, _, v = line.partition("=")
            meta[k.strip()] = v.strip()
    return meta


def read_status(results: Path) -> dict[str, tuple[str, str, str]]:
    status: dict[str, tuple[str, str, str]] = {}
    path = results / "status.tsv"
    if path.exists():
        for line in path.read_text().splitlines():
            parts = line.split("\t")
            if len(parts) == 4:
                status[parts[0]] = (parts[1], parts[2], parts[3])
    return status


def run(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> dict[str, str]:
    info = {"cpu": "unknown", "cores": str(os.cpu_count() or "?"), "flags": "", "virt": ""}
    try:
        text = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
        if m:
            info["cpu"] = m.group(1).strip()
        m = re.search(r"^flags\s*:\s*(.+)$", text, re.M)
        flags = set(m.group(1).split()) if m else set()
        info["flags"] = ", ".join(f for f in ("sha_ni", "aes", "pclmulqdq", "avx2", "avx512f", "bmi2") if f in flags)
        if "hypervisor" in flags:
            info["virt"] = "virtual machine"
    except OSError:
        pass
    return info


def versions(repo: Path, peers_venv: Path, node_peers: Path) -> list[tuple[str, str, str]]:
    """(component, version, where) for the toolchains and every peer library."""
    out: list[tuple[str, str, str]] = []
    out.append(("rustc", run(["rustc", "-V"]).removeprefix("rustc "), "toolchain"))
    py = peers_venv / "bin" / "python"
    out.append(("python", run([str(py) if py.exists() else "python3", "-c", "import platform; print(platform.python_version())"]), "CPython"))
    out.append(("node", run(["node", "--version"]).lstrip("v"), "toolchain"))
    out.append(("php", run(["php", "-r", "echo PHP_VERSION;"]), "php-cli (hash, json, password_verify, FFI)"))
    lock = (repo / "Cargo.lock").read_text() if (repo / "Cargo.lock").exists() else ""
    for crate in RUST_CRATES:
        m = re.search(r'\[\[package\]\]\nname = "' + re.escape(crate) + r'"\nversion = "([^"]+)"', lock)
        if m:
            out.append((crate, m.group(1), "Rust crate (Cargo.lock)"))
    if py.exists():
        try:
            listed = {p["name"].lower(): p["version"] for p in json.loads(run([str(py), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"]) or "[]")}
        except json.JSONDecodeError:
            listed = {}
        for name in PY_PEERS:
            if name in listed:
                out.append((name, listed[name], "PyPI (benches/.venv-peers)"))
    for name in NODE_PEERS:
        pkg = node_peers / "node_modules" / name / "package.json"
        try:
            out.append((name, json.loads(pkg.read_text())["version"], "npm (benches/.node-peers)"))
        except (OSError, ValueError, KeyError):
            pass
    return [v for v in out if v[1]]


# --------------------------------------------------------------------------- formatting


def fmt_ns(ns: float) -> str:
    if ns < 1_000:
        return f"{ns:.0f} ns" if ns >= 10 else f"{ns:.1f} ns"
    if ns < 1_000_000:
        return f"{ns / 1e3:.2f} µs" if ns < 10_000 else f"{ns / 1e3:.1f} µs" if ns < 100_000 else f"{ns / 1e3:.0f} µs"
    return f"{ns / 1e6:.2f} ms" if ns < 10_000_000 else f"{ns / 1e6:.1f} ms"


def fmt_x(x: float) -> str:
    return f"{x:.2f}×" if x < 10 else f"{x:.1f}×" if x < 100 else f"{x:.0f}×"


def speedup_text(ref: Row, row: Row) -> str:
    r = ratio(row, ref)
    return f"payseal **{fmt_x(r)} faster**" if r >= 1 else f"payseal {fmt_x(1 / r)} slower"


def relation(case: Case, row: Row) -> str:
    text = relation_only(case, row)
    return text + (" (**wrong answer** on this input)" if row.correct is False else "")


def relation_only(case: Case, row: Row) -> str:
    ref = case.reference
    kind = case.kind(row.impl)
    if kind == "threads":
        one = case.rows.get("threads_1")
        if one is None or row.impl == "threads_1":
            return "baseline"
        return f"{fmt_x(ratio(one, row))} the throughput of 1 thread"
    if ref is None:
        return ""
    if row is ref:
        return "reference"
    if kind == "floor":
        return f"payseal = {fmt_x(ratio(ref, row))} this floor"
    if kind == "payseal":
        return f"{fmt_x(ratio(row, ref))} the time of `{ref.impl}`"
    return speedup_text(ref, row)


def throughput(row: Row) -> str:
    return f"{row.bytes / row.ns:.2f} GB/s" if row.bytes else ""


# --------------------------------------------------------------------------- targets


@dataclass
class Verdict:
    target: str
    measured: str
    met: Optional[bool]  # None: not measured
    bound: str = ""
    by: str = ""  # how far a miss is from the target


def shortfall(value: float, limit: float) -> str:
    """How far a measured `value` is past a ceiling `limit` ("≤" targets), as a percentage."""
    return pct(value / limit - 1)


def shortfall_floor(value: float, limit: float) -> str:
    """How far a measured `value` falls short of a floor `limit` ("≥" targets), as a percentage."""
    return pct(1 - value / limit)


def pct(x: float) -> str:
    if x <= 0:
        return ""
    # Two significant figures below 1 % ("by 0.03%", never "by 0.0%" for a real miss).
    return f"by {x:.2%}" if x < 0.001 else f"by {x:.1%}" if x < 0.01 else f"by {x:.0%}"


def get_case(cases: dict[str, dict[str, Case]], lang: str, name: str, fuzzy: Optional[Callable[[str], bool]] = None) -> Optional[Case]:
    by_lang = cases.get(lang, {})
    if name in by_lang:
        return by_lang[name]
    if fuzzy:
        return next((c for n, c in by_lang.items() if fuzzy(n)), None)
    return None


def missing(target: str, lang: str, status: dict[str, tuple[str, str, str]], what: str) -> Verdict:
    st = status.get(lang)
    why = f"{lang}: {st[0]} ({st[2]})" if st and st[0] != "ok" else f"no `{what}` measurement from {lang}"
    return Verdict(target, "not measured", None, why)


def is_webhook_1k(n: str) -> bool:
    return n.startswith("webhook") and "1k" in n and "batch" not in n


# What bounds each core target when it is missed: the figures come from this run (the variants
# `payseal_mac_only`, `payseal_parse_only` and the floors split the time), the attribution from
# callgrind profiles of the timing binary (harness/PROFILES.md, appended to RESULTS.md).


def ns_of(case: Optional[Case], impl: str) -> Optional[float]:
    row = case.rows.get(impl) if case else None
    return row.ns if row else None


def webhook_bound(cases: dict[str, dict[str, Case]]) -> str:
    c1k, c64, c64k = (get_case(cases, "rust", f"webhook_verify_{s}") for s in ("1k", "64", "64k"))
    ref, floor, mac = ns_of(c1k, "payseal"), ns_of(c1k, "floor_hmac_sha256"), ns_of(c1k, "payseal_mac_only")
    if not (ref and floor):
        return ""
    text = f"a fixed cost per call: {ref - floor:.0f} ns above the bare HMAC at 1 KiB"
    r64, f64 = ns_of(c64, "payseal"), ns_of(c64, "floor_hmac_sha256")
    if r64 and f64:
        text += f", {r64 - f64:.0f} ns at 64 B"
    r64k, f64k = ns_of(c64k, "payseal"), ns_of(c64k, "floor_hmac_sha256")
    if r64k and f64k:
        text += f" ({fmt_x(r64k / f64k)} at 64 KiB)"
    if mac:
        text += (
            f". Of it, {mac - floor:.0f} ns is payseal's own zeroising HMAC against the `hmac` crate "
            "(`payseal_mac_only`: it copies the body into a zero-initialised 16-block array before "
            "`compress256` and pads into a zeroed 256-byte tail, for the inner and the outer hash), "
            f"and {ref - mac:.0f} ns the header lookup, hex decode and constant-time compare"
        )
    return text + ". 1.1× at 1 KiB leaves ~60 ns for all of it"


def paylands_bound(cases: dict[str, dict[str, Case]]) -> str:
    c = get_case(cases, "rust", "paylands_verify")
    ref, parse, sha = ns_of(c, "payseal"), ns_of(c, "floor_parse"), ns_of(c, "floor_sha256")
    if not (ref and parse and sha and c and c.reference and c.reference.bytes):
        return ""
    return (
        f"the parse and the hash: a validate-only `json::parse` of the same {c.reference.bytes} bytes takes "
        f"{fmt_ns(parse)} ({c.reference.bytes / parse:.2f} GB/s) and SHA-256 of them {fmt_ns(sha)}; verify "
        f"takes {fmt_ns(ref)} against their sum of {fmt_ns(parse + sha)}. The body is hashed while it is "
        "parsed (PHP's own compact output is hashed as read, the guess proved by the tape afterwards), "
        "which saves the emitter's walk; SHA-NI rounds are a dependency chain that overlaps the parse "
        "only a little on this machine"
    )


def qr_bound(cases: dict[str, dict[str, Case]]) -> str:
    c = get_case(cases, "rust", "eupay_qr_sign")
    ref, floor, parse = ns_of(c, "payseal"), ns_of(c, "floor_hmac_hex_b64url"), ns_of(c, "payseal_parse_only")
    if not (ref and floor and parse):
        return ""
    return (
        f"the canonicalisation the floor does not do: parsing the payload alone takes {fmt_ns(parse)} "
        f"(`payseal_parse_only`), and floor + parse = {fmt_ns(floor + parse)} against sign's {fmt_ns(ref)}. "
        "Signing must prove the payload is JSON and re-print it as JSON.stringify would; 2× needs that "
        f"parse of {c.reference.bytes if c and c.reference else '?'} bytes under ~{max(floor - (ref - floor - parse), 0):.0f} ns"
    )


def json_bound(cases: dict[str, dict[str, Case]]) -> str:
    c = get_case(cases, "rust", "canonical_json_3k5")
    ref, parse = ns_of(c, "payseal"), ns_of(c, "floor_parse")
    if not (ref and parse):
        return ""
    return f"the tokenizer: the validate-only parse is {parse / ref:.0%} of canonicalize's time"


def jose_bound(cases: dict[str, dict[str, Case]]) -> str:
    c = get_case(cases, "rust", "jose_hs256_verify")
    ref, floor = ns_of(c, "payseal"), ns_of(c, "floor_b64url_hmac")
    if not (ref and floor):
        return ""
    return (
        f"{ref - floor:.0f} ns above the floor: splitting and checking the three segments, reading the "
        "protected header (one pass for plain string members, the JSON engine for anything else), the "
        "allow-list and the key lookup by kid"
    )


def php_jwt_bound(cases: dict[str, dict[str, Case]], ref: Row, peer: Row) -> str:
    c = get_case(cases, "php", "jwt_verify_hs256")
    direct, decode = ns_of(c, "payseal_ffi_direct"), ns_of(c, "floor_json_decode_claims")
    core = ns_of(get_case(cases, "rust", "jose_hs256_jwt_claims"), "payseal")
    if not (direct and decode):
        return ""
    budget = peer.ns / 5
    left = (
        "so no verify that returns the array can be 5× faster"
        if decode >= budget
        else f"which leaves {fmt_ns(budget - decode)} of the 5× budget ({fmt_ns(budget)}) for the verify itself"
    )
    text = (
        f"the claims array: both sides end with the same json_decode of the claims ({fmt_ns(decode)} alone, "
        f"{decode / peer.ns:.0%} of plain PHP's time, {left}); the C call alone takes {fmt_ns(direct)} "
        f"({fmt_x(peer.ns / direct)} faster than plain PHP)"
    )
    if core:
        text += f", of which the core's verify_jwt is {fmt_ns(core)} (Rust, another process) and the FFI call the rest"
    return text


def jcs_bound(cases: dict[str, dict[str, Case]]) -> str:
    c = get_case(cases, "rust", "jcs_3k5")
    ref, parse = ns_of(c, "payseal"), ns_of(c, "floor_parse")
    if not (ref and parse):
        return ""
    text = f"the parse: JCS's parse (which also puts each object's members in order) takes {fmt_ns(parse)} of its {fmt_ns(ref)}"
    js_parse = ns_of(get_case(cases, "rust", "canonical_json_3k5"), "floor_parse")
    if js_parse:
        text += (
            f", of which the JavaScript dialect's parse of the same bytes takes {fmt_ns(js_parse)}: the member sort by "
            f"UTF-16 code units ≈ {fmt_ns(max(parse - js_parse, 0))}"
        )
    return text + f"; the emit (members one copy each, ECMAScript numbers) ≈ {fmt_ns(max(ref - parse, 0))}"


def jcs_binding_bound(cases: dict[str, dict[str, Case]], lang: str, ref: Row, peer: Row) -> str:
    core_ns = ns_of(get_case(cases, "rust", "jcs_3k5"), "payseal")
    if not core_ns:
        return ""
    text = (
        f"the binding, not the core: the core's JCS takes {fmt_ns(core_ns)} (Rust, another process), so about "
        f"{fmt_ns(max(ref.ns - core_ns, 0))} of `{ref.impl}` is the call around it; 10× needs the whole call under "
        f"{fmt_ns(peer.ns / 10)}"
    )
    into = ns_of(get_case(cases, lang, "jcs_3k5"), "payseal_into")
    if into:
        text += (
            f". From a Buffer into a Buffer (`payseal_into`) the call takes {fmt_ns(into)}: the rest is the text's "
            "conversions between V8's strings (Latin-1 or UTF-16) and UTF-8, in and out"
        )
    return text


def targets(cases: dict[str, dict[str, Case]], status: dict[str, tuple[str, str, str]], meta: dict[str, str]) -> list[Verdict]:
    v: list[Verdict] = []

    t = "Webhook verify 1 KiB, core ≤ 1.1× bare HMAC-SHA256"
    c = get_case(cases, "rust", "webhook_verify_1k")
    ref, floor = (c.reference, c.first(lambda i: i.startswith("floor_hmac"))) if c else (None, None)
    if ref and floor:
        r = ratio(ref, floor)
        # The one-shot form (keys made from the secret on every call), against the bare HMAC that
        # also derives its key every call: what a harness measuring `KeySet::new` + `verify` sees.
        once, once_floor = c.rows.get("payseal_keys_per_call"), c.rows.get("floor_hmac_sha256_key_per_call")
        once_text = (
            f"; keys made per call: {fmt_x(ratio(once, once_floor))} ({fmt_ns(once.ns)} vs {fmt_ns(once_floor.ns)})"
            if once and once_floor
            else ""
        )
        v.append(Verdict(t, f"{fmt_x(r)} ({fmt_ns(ref.ns)} vs {fmt_ns(floor.ns)}){once_text}", r <= 1.1, webhook_bound(cases), shortfall(r, 1.1)))
    else:
        v.append(missing(t, "rust", status, "webhook_verify_1k"))

    for lang, limit, native, pred in (
        ("python", 1200, "stdlib hmac 2.7 µs", lambda i: "hmac" in i),
        ("node", 1400, "crypto 2.9 µs", lambda i: "crypto" in i or "hmac" in i),
    ):
        t = f"Webhook verify 1 KiB, {LANG_TITLE[lang]} ≤ {limit / 1000:.1f} µs ({native})"
        c = get_case(cases, lang, "webhook_verify_1k", is_webhook_1k)
        ref = c.reference if c else None
        if ref:
            peer = c.first(lambda i: c.kind(i) == "peer" and pred(i))
            extra = f"; `{peer.impl}` {fmt_ns(peer.ns)} ({speedup_text(ref, peer).replace('**', '')})" if peer else ""
            once = c.rows.get("payseal_once")
            extra += f"; one-shot (keys made per call) {fmt_ns(once.ns)}" if once else ""
            bound = binding_bound(cases, lang, ref)
            v.append(Verdict(t, f"{fmt_ns(ref.ns)}{extra}", ref.ns <= limit, bound, shortfall(ref.ns, limit)))
        else:
            v.append(missing(t, lang, status, "webhook_verify_1k"))

    t = "Webhook verify 1 KiB, PHP FFI ≥ 3× faster than hash_hmac"
    c = get_case(cases, "php", "webhook_verify_1k", is_webhook_1k)
    ref = c.reference if c else None
    peer = c.first(lambda i: "hash_hmac" in i) if c else None
    if ref and peer:
        r = ratio(peer, ref)
        best = min((x for x in c.rows.values() if c.kind(x.impl) == "payseal"), key=lambda x: x.ns)
        note = f"; `{best.impl}` {fmt_ns(best.ns)} ({fmt_x(ratio(peer, best))})" if best is not ref else ""
        # The one-shot function the examples use (nothing kept between calls, as under PHP-FPM).
        once = c.rows.get("payseal_ffi_once")
        note += f"; one-shot `verify_webhook()` {fmt_ns(once.ns)} ({fmt_x(ratio(peer, once))})" if once else ""
        # What a request-scoped caller pays in the other forms it may write (the object per call,
        # shared() per call): what a second harness measuring those would reproduce.
        for impl, label in (("payseal_ffi_new_per_call", "`new WebhookVerifier` per call"),
                            ("payseal_ffi_shared_per_call", "`WebhookVerifier::shared()` per call")):
            row = c.rows.get(impl)
            note += f"; {label} {fmt_ns(row.ns)} ({fmt_x(ratio(peer, row))})" if row else ""
        bound = binding_bound(cases, "php", ref) + (
            f"; PHP's own `hash_hmac` + `hash_equals` is C too and takes only {fmt_ns(peer.ns)}, so a 3× margin "
            f"needs the whole FFI call under {fmt_ns(peer.ns / 3)}"
        )
        v.append(Verdict(t, f"{fmt_x(r)} ({fmt_ns(ref.ns)} vs {fmt_ns(peer.ns)}){note}", r >= 3, bound, shortfall_floor(r, 3)))
    else:
        v.append(missing(t, "php", status, "webhook_verify_1k"))

    t = "Paylands verify 3.5 KiB, core ≤ 6 µs"
    c = get_case(cases, "rust", "paylands_verify")
    ref = c.reference if c else None
    if ref:
        v.append(Verdict(t, fmt_ns(ref.ns), ref.ns <= 6000, paylands_bound(cases), shortfall(ref.ns, 6000)))
    else:
        v.append(missing(t, "rust", status, "paylands_verify"))

    # The same run's PHP process measures PHP's own verification; the core is the Rust process.
    c = get_case(cases, "php", "paylands_verify", lambda n: n.startswith("paylands"))
    ref = c.reference if c else None
    peer = c.first(lambda i: c.kind(i) == "peer") if c else None
    core = get_case(cases, "rust", "paylands_verify")
    core_ref = core.reference if core else None

    t = "Paylands verify 3.5 KiB, core ≥ 6× faster than PHP native (json_decode + json_encode + hash)"
    if peer and core_ref:
        r = peer.ns / core_ref.ns
        note = f"; through PHP FFI: {fmt_x(ratio(peer, ref))}" if ref else ""
        bound = (
            f"PHP's own json_decode + json_encode + hash is C and takes {fmt_ns(peer.ns)}: 6× needs verify under "
            f"{fmt_ns(peer.ns / 6)}; see the line above for what verify is made of"
        )
        v.append(Verdict(t, f"{fmt_x(r)} ({fmt_ns(core_ref.ns)} vs {fmt_ns(peer.ns)}){note}", r >= 6, bound, shortfall_floor(r, 6)))
    else:
        v.append(missing(t, "php", status, "paylands_verify"))

    # The bindings' Paylands ratios (#5, #6): what each adds to the core's call.
    for lang, limit, native, work, where in (
        ("php", 4, "PHP native", "the FFI call and the wrapper's string handling", ", in PHP"),
        ("python", 10, "json + hashlib", "the binding's call", ""),
    ):
        t = f"Paylands verify 3.5 KiB, {LANG_TITLE[lang]} ≥ {limit}× faster than {native}"
        c = get_case(cases, lang, "paylands_verify", lambda n: n.startswith("paylands"))
        ref = c.reference if c else None
        peer = c.first(lambda i: c.kind(i) == "peer") if c else None
        if ref and peer:
            r = ratio(peer, ref)
            bound = f"the core takes {fmt_ns(core_ref.ns)} and {work} {fmt_ns(max(ref.ns - core_ref.ns, 0))}" if core_ref else ""
            v.append(Verdict(t, f"{fmt_x(r)} ({fmt_ns(ref.ns)} vs {fmt_ns(peer.ns)}{where})", r >= limit, bound, shortfall_floor(r, limit)))
        else:
            v.append(missing(t, lang, status, "paylands_verify"))

    t = "EU Pay QR sign, core ≤ 2× (HMAC + hex + base64url of the same bytes)"
    c = get_case(cases, "rust", "eupay_qr_sign")
    ref, floor = (c.reference, c.first(lambda i: i.startswith("floor"))) if c else (None, None)
    if ref and floor:
        r = ratio(ref, floor)
        v.append(Verdict(t, f"{fmt_x(r)} ({fmt_ns(ref.ns)} vs {fmt_ns(floor.ns)})", r <= 2, qr_bound(cases), shortfall(r, 2)))
    else:
        v.append(missing(t, "rust", status, "eupay_qr_sign"))

    t = "JWT HS256 verify (~440 B), core ≤ 1.3× (base64url decode + HMAC-SHA256 of the signing input)"
    c = get_case(cases, "rust", "jose_hs256_verify")
    ref, floor = (c.reference, c.first(lambda i: i.startswith("floor"))) if c else (None, None)
    if ref and floor:
        r = ratio(ref, floor)
        v.append(Verdict(t, f"{fmt_x(r)} ({fmt_ns(ref.ns)} vs {fmt_ns(floor.ns)})", r <= 1.3, jose_bound(cases), shortfall(r, 1.3)))
    else:
        v.append(missing(t, "rust", status, "jose_hs256_verify"))

    t = "JWT HS256 verify with claims, PHP (FFI) ≥ 5× plain PHP (php-jwt's steps)"
    c = get_case(cases, "php", "jwt_verify_hs256")
    ref, peer = (c.rows.get("payseal_ffi"), c.rows.get("php_native")) if c else (None, None)
    if ref and peer:
        r = ratio(peer, ref)
        v.append(Verdict(t, f"{fmt_x(r)} ({fmt_ns(ref.ns)} vs {fmt_ns(peer.ns)}, in PHP)", r >= 5, php_jwt_bound(cases, ref, peer), shortfall_floor(r, 5)))
    else:
        v.append(missing(t, "php", status, "jwt_verify_hs256"))

    t = "Canonical JSON (3.5 KiB notification), core ≥ 0.5 GB/s"
    c = get_case(cases, "rust", "canonical_json_3k5")
    ref = c.reference if c else None
    if ref and ref.bytes:
        gbs = ref.bytes / ref.ns
        php = c.rows.get("payseal_php")
        note = f" (JS dialect); PHP dialect {php.bytes / php.ns:.2f} GB/s" if php and php.bytes else ""
        v.append(Verdict(t, f"{gbs:.2f} GB/s{note}", gbs >= 0.5, json_bound(cases), shortfall_floor(gbs, 0.5)))
    else:
        v.append(missing(t, "rust", status, "canonical_json_3k5"))

    # JCS (RFC 8785, issue #21): the core's throughput, and each binding against its language's
    # JCS package over the same text (parse included on both sides).
    t = "JCS (RFC 8785, 3.5 KiB notification), core ≥ 0.8 GB/s"
    c = get_case(cases, "rust", "jcs_3k5")
    ref = c.reference if c else None
    if ref and ref.bytes:
        gbs = ref.bytes / ref.ns
        v.append(Verdict(t, f"{gbs:.2f} GB/s ({fmt_ns(ref.ns)})", gbs >= 0.8, jcs_bound(cases), shortfall_floor(gbs, 0.8)))
    else:
        v.append(missing(t, "rust", status, "jcs_3k5"))
    for lang, peer_impl, label in (("node", "canonicalize_npm", "`canonicalize` (npm)"), ("python", "rfc8785", "`rfc8785` (PyPI)")):
        t = f"JCS 3.5 KiB, {LANG_TITLE[lang]} ≥ 10× faster than {label}"
        c = get_case(cases, lang, "jcs_3k5")
        ref = c.reference if c else None
        peer = c.rows.get(peer_impl) if c else None
        if ref and peer:
            r = ratio(peer, ref)
            others = [x for x in c.rows.values() if c.kind(x.impl) == "payseal" and x is not ref]
            note = "".join(f"; `{x.impl}` {fmt_ns(x.ns)} ({fmt_x(ratio(peer, x))})" for x in others)
            v.append(Verdict(t, f"{fmt_x(r)} ({fmt_ns(ref.ns)} vs {fmt_ns(peer.ns)}){note}", r >= 10, jcs_binding_bound(cases, lang, ref, peer), shortfall_floor(r, 10)))
        else:
            v.append(missing(t, lang, status, f"jcs_3k5 {peer_impl}"))

    t = "bcrypt verify cost 10 ≤ PHP password_verify"
    c = get_case(cases, "php", "bcrypt_verify_cost10", lambda n: n.startswith("bcrypt"))
    ref = c.reference if c else None
    peer = c.first(lambda i: "password_verify" in i) if c else None
    if ref and peer:
        r = ratio(ref, peer)
        core = get_case(cases, "rust", "bcrypt_verify_cost10")
        note = ""
        if core and core.reference and core.reference.cpu_ns:
            crate = core.rows.get("bcrypt_crate")
            note = f"; core {core.reference.cpu_ns / 1e6:.1f} ms CPU" + (
                f" vs bcrypt crate {crate.cpu_ns / 1e6:.1f} ms" if crate and crate.cpu_ns else ""
            )
        if len(ref.runs) > 1 and len(peer.runs) > 1:
            note += f"; fastest run of each: {fmt_ns(min(ref.runs.values()))} vs {fmt_ns(min(peer.runs.values()))}"
        bound = (
            "bcrypt is one long dependent chain of Blowfish rounds: both sides run the same 2^10 "
            "key-schedule loop in C/Rust, so the two are within noise of each other; a few wall-clock "
            "samples of ~50 ms on a loaded machine cannot separate them"
        )
        v.append(Verdict(t, f"{fmt_x(r)} the time of PHP ({fmt_ns(ref.ns)} vs {fmt_ns(peer.ns)}, wall, in PHP){note}", r <= 1.0, bound, shortfall(r, 1.0)))
    else:
        v.append(missing(t, "php", status, "bcrypt_verify_cost10"))

    for name, label in (("batch_webhook_512x1k", "webhook batch (512 × 1 KiB, verify_batch_on)"), ("batch_bcrypt_4xcost10", "bcrypt batch (4 × cost 10, thread::scope)")):
        t = f"Batch on 2 threads ≥ 1.8× one thread: {label}"
        c = get_case(cases, "rust", name)
        one, two = (c.rows.get("threads_1"), c.rows.get("threads_2")) if c else (None, None)
        if one and two:
            r = ratio(one, two)
            bound = batch_bound(one, two, meta)
            v.append(Verdict(t, f"{fmt_x(r)} ({fmt_ns(one.ns)} → {fmt_ns(two.ns)} per batch)", r >= 1.8, bound, shortfall_floor(r, 1.8)))
        else:
            v.append(missing(t, "rust", status, name))
    return v


BINDING_WORK = {
    "python": "argument parsing, walking the headers mapping and converting each header, exporting the body's "
    "buffer, the clock read for the default `now`",
    "node": "argument conversion, walking the headers object and converting each header, the clock read for the "
    "default `now`",
    "php": "the wrapper packing the headers into one string, the FFI argument conversion and call",
}


def binding_bound(cases: dict[str, dict[str, Case]], lang: str, ref: Row) -> str:
    core = get_case(cases, "rust", "webhook_verify_1k")
    core_ns = ns_of(core, "payseal")
    work = BINDING_WORK.get(lang, "the binding's per-call work")
    if not core_ns:
        return f"{work} (see benches/results/{lang}.log)"
    return (
        f"the binding, not the core: the core verifies the same 1 KiB in {fmt_ns(core_ns)} (Rust, another process), "
        f"so about {fmt_ns(max(ref.ns - core_ns, 0))} of `{ref.impl}` is the per-call work around it: {work}"
    )


def batch_bound(one: Row, two: Row, meta: dict[str, str]) -> str:
    load = meta.get("loadavg_start", "?")
    if one.cpu_ns and two.cpu_ns and two.cpu_ns / two.ns >= 1.6:
        # The process had both cores: what is left is the batch's own size.
        return (
            f"not the machine (the process had {two.cpu_ns / two.ns:.2f} cores, CPU ÷ wall): a batch of "
            f"{fmt_ns(one.ns)} is short enough that starting and joining the second thread is a visible "
            "share of it; the criterion group `webhooks_batch_8192x1k` measures the same work 16 times "
            "larger, where the start is amortised. A persistent pool would serve small batches"
        )
    text = f"the machine, not payseal: load average {load} on {os.cpu_count()} cores"
    try:
        if Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1":
            text += (
                ", and the kernel shares CPU per session (`sched_autogroup_enabled` = 1): while other "
                "sessions are runnable, a second thread does not get this session a second core"
            )
    except OSError:
        pass
    if one.cpu_ns and two.cpu_ns:
        cores = two.cpu_ns / two.ns
        eff = two.cpu_ns / one.cpu_ns
        text += (
            f". At 2 threads the process got {cores:.2f} cores on average (CPU ÷ wall); the CPU per batch was "
            f"{fmt_x(eff)} that of 1 thread{' (starting and joining the second thread)' if eff > 1.05 else ''}, so on "
            f"two idle cores the speed-up would be ≈ {2 / eff:.2f}×"
        )
    return text


# --------------------------------------------------------------------------- chart


@dataclass
class Bar:
    label: str
    value: float  # a ratio; 1 = parity
    lang: str


def chart_bars(cases: dict[str, dict[str, Case]]) -> tuple[list[Bar], list[Bar]]:
    peers: list[Bar] = []
    floors: list[Bar] = []
    for lang in LANGS:
        for case in cases.get(lang, {}).values():
            ref = case.reference
            if ref is None:
                continue
            for row in case.rows.values():
                kind = case.kind(row.impl)
                if kind == "peer":
                    wrong = " (wrong answer)" if row.correct is False else ""
                    peers.append(Bar(f"{LANG_TITLE[lang]} · {case.name} · vs {row.impl}{wrong}", ratio(row, ref), lang))
                elif kind == "floor" and lang == "rust":
                    floors.append(Bar(f"{case.name} ÷ {row.impl}", ratio(ref, row), lang))
    return peers, floors


COLORS = {"rust": "#b7410e", "python": "#3572a5", "node": "#3c873a", "php": "#777bb4"}


def svg(cases: dict[str, dict[str, Case]], meta: dict[str, str]) -> str:
    peers, floors = chart_bars(cases)
    width, label_w, right = 980, 430, 70
    plot_w = width - label_w - right
    bar_h, gap, head = 18, 5, 34
    values = [b.value for b in peers + floors] or [1.0]
    lo = 2 ** math.floor(math.log2(min(min(values), 1.0) * 0.9))
    hi = 2 ** math.ceil(math.log2(max(max(values), 1.0) * 1.1))
    span = math.log2(hi) - math.log2(lo)

    def x(v: float) -> float:
        return label_w + (math.log2(v) - math.log2(lo)) / span * plot_w

    parts: list[str] = []
    y = 46

    def panel(title: str, subtitle: str, bars: list[Bar], color_by_lang: bool) -> None:
        nonlocal y
        parts.append(f'<text x="10" y="{y}" class="t">{html.escape(title)}</text>')
        parts.append(f'<text x="10" y="{y + 16}" class="s">{html.escape(subtitle)}</text>')
        y += head
        top, bottom = y, y + len(bars) * (bar_h + gap)
        # grid first (powers of two, 1× emphasised), bars over it
        v = lo
        while v <= hi * 1.0001:
            gx = x(v)
            cls = "one" if abs(v - 1) < 1e-9 else "grid"
            parts.append(f'<line x1="{gx:.1f}" y1="{top - 4}" x2="{gx:.1f}" y2="{bottom}" class="{cls}"/>')
            parts.append(f'<text x="{gx:.1f}" y="{bottom + 13}" class="a" text-anchor="middle">{fmt_x(v) if v >= 1 else f"{v:g}×"}</text>')
            v *= 2
        for b in bars:
            x0, x1 = x(1.0), x(b.value)
            color = COLORS[b.lang] if color_by_lang else "#999"
            parts.append(f'<text x="{label_w - 8}" y="{y + bar_h - 5}" class="l">{html.escape(b.label)}</text>')
            parts.append(
                f'<rect x="{min(x0, x1):.1f}" y="{y}" width="{max(abs(x1 - x0), 1):.1f}" height="{bar_h}" fill="{color}">'
                f"<title>{html.escape(b.label)}: {b.value:.3g}×</title></rect>"
            )
            # the value to the right of the bar, or of the 1× line for a bar pointing left
            tx = max(x0, x1) + 4
            parts.append(f'<text x="{tx:.1f}" y="{y + bar_h - 5}" class="v">{fmt_x(b.value)}</text>')
            y += bar_h + gap
        y += 34

    if peers:
        panel(
            "payseal speed-up over each language's native way (log scale)",
            "bar = peer time ÷ payseal time, both measured in the same process; right of 1× = payseal faster",
            peers,
            True,
        )
    if floors:
        panel(
            "Rust core: cost over its floor (log scale)",
            "bar = payseal time ÷ floor time (bare HMAC/SHA-256, validate-only parse); 1× = nothing on top of the floor",
            floors,
            False,
        )
    legend_x = 10
    for lang in LANGS:
        parts.append(f'<rect x="{legend_x}" y="{y - 10}" width="12" height="12" fill="{COLORS[lang]}"/>')
        parts.append(f'<text x="{legend_x + 16}" y="{y}" class="s">{LANG_TITLE[lang]}</text>')
        legend_x += 120
    y += 12
    title = f"payseal benchmarks — {meta.get('date', '')}, {meta.get('mode', '')} run, load average {meta.get('loadavg_start', '?')}"
    style = (
        "text{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;fill:#222}"
        ".t{font-size:14px;font-weight:600}.s{font-size:11px;fill:#555}.l{font-size:11px;text-anchor:end}"
        ".v{font-size:10px;fill:#333}.a{font-size:10px;fill:#666}.h{font-size:15px;font-weight:700}"
        ".grid{stroke:#ddd;stroke-width:1}.one{stroke:#222;stroke-width:1.5}"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" viewBox="0 0 {width} {y}">\n'
        f"<style>{style}</style>\n"
        f'<rect width="100%" height="100%" fill="#fff"/>\n'
        f'<text x="10" y="20" class="h">{html.escape(title)}</text>\n' + "\n".join(parts) + "\n</svg>\n"
    )


# --------------------------------------------------------------------------- markdown


def verdict_cell(v: Verdict) -> str:
    if v.met is None:
        return "—"
    return "**met**" if v.met else f"**missed**{' ' + v.by if v.by else ''}"


def targets_table(verdicts: list[Verdict], with_bounds: bool) -> list[str]:
    out = ["| target | measured | result |" + (" what bounds it |" if with_bounds else ""), "|---|---|---|" + ("---|" if with_bounds else "")]
    for v in verdicts:
        row = f"| {v.target} | {v.measured} | {verdict_cell(v)} |"
        if with_bounds:
            row += f" {v.bound if v.met is not True else ''} |"
        out.append(row)
    return out


def results_tables(cases: dict[str, dict[str, Case]]) -> list[str]:
    out: list[str] = []
    for lang in LANGS:
        if lang not in cases:
            continue
        out += [f"### {LANG_TITLE[lang]}", "", "| case | implementation | time per op | throughput | ratio |", "|---|---|---:|---:|---|"]
        for case in cases[lang].values():
            for row in case.rows.values():
                impl = f"**`{row.impl}`**" if row is case.reference else f"`{row.impl}`"
                out.append(f"| {case.name} | {impl} | {fmt_ns(row.ns)} | {throughput(row)} | {relation(case, row)} |")
        out.append("")
    return out


def summary_table(cases: dict[str, dict[str, Case]], floors: bool = True) -> list[str]:
    """One line per (case, language, peer or floor): the cross-language picture, case by case."""
    order: list[str] = []
    for lang in LANGS:
        order += [n for n in cases.get(lang, {}) if n not in order]
    out = ["| case | language | payseal | compared with | its time | ratio |", "|---|---|---:|---|---:|---|"]
    for name in order:
        for lang in LANGS:
            case = cases.get(lang, {}).get(name)
            ref = case.reference if case else None
            if case is None or ref is None:
                continue
            for row in case.rows.values():
                kind = case.kind(row.impl)
                if kind not in ("peer", "floor") or (kind == "floor" and (lang != "rust" or not floors)):
                    continue
                what = f"floor `{row.impl}`" if kind == "floor" else f"`{row.impl}`"
                if row.correct is False:
                    what += " (wrong answer)"
                rel = f"payseal at {fmt_x(ratio(ref, row))} the floor" if kind == "floor" else speedup_text(ref, row)
                out.append(f"| {name} | {LANG_TITLE[lang]} | {fmt_ns(ref.ns)} | {what} | {fmt_ns(row.ns)} | {rel} |")
    return out


def runs_table(status: dict[str, tuple[str, str, str]]) -> list[str]:
    out = ["| language | status | seconds | note |", "|---|---|---:|---|"]
    for lang in LANGS:
        if lang in status:
            s, secs, note = status[lang]
            out.append(f"| {LANG_TITLE[lang]} | {s} | {secs} | {note} |")
    return out


def results_md(cases, status, meta, verdicts, vers, mach, problems, readme_link: bool) -> str:
    load_note = (
        f"Load average {meta.get('loadavg_start', '?')} at the start and {meta.get('loadavg_end', '?')} at the end, "
        f"on {mach['cores']} cores shared with other sessions: the machine was **noisy**. Absolute times carry "
        "that noise; every ratio below is between figures measured in the same process, from medians of "
        "samples taken in turns (A B, B A, …), which cancels most of it."
    )
    lines = [
        "# Benchmark results",
        "",
        f"Written by `scripts/bench-compare{' --quick' if meta.get('mode') == 'quick' else ''}` on {meta.get('date', '?')} "
        f"(commit {meta.get('commit', '?')}, {meta.get('seconds', '?')} s in all). Re-run it to refresh this page, "
        "[`ratios.svg`](ratios.svg) and the README's benchmark section. Raw data: [`results/`](results/).",
        "",
        "## Machine",
        "",
        f"* CPU: {mach['cpu']}{', ' + mach['virt'] if mach['virt'] else ''}, {mach['cores']} cores; {mach['flags']}",
        f"* {load_note}",
        f"* Each language's script ran {meta.get('repeat', '1')} time(s), each run one process. A time below is the "
        "median over the runs of each run's median (wall clock; the Rust core also records process CPU time), a "
        "ratio the median over the runs of the ratio within the run. Raw lines: `results/LANG.RUN.jsonl`.",
        "",
        "| component | version | what |",
        "|---|---|---|",
        *[f"| {n} | {ver} | {what} |" for n, ver, what in vers],
        "",
        "## Runs",
        "",
        *runs_table(status),
        "",
    ]
    if problems:
        lines += ["Problems in the raw output:", "", *[f"* {p}" for p in problems], ""]
    lines += [
        "## Targets",
        "",
        *targets_table(verdicts, with_bounds=True),
        "",
        "## payseal against each peer and floor",
        "",
        "For a peer: how much faster payseal is (the peer's time ÷ payseal's, both in the same process). For a "
        "floor (the bare primitive over the same bytes, Rust only): payseal's time as a multiple of it.",
        "",
        *summary_table(cases),
        "",
        "![payseal speed-up per case and peer](ratios.svg)",
        "",
        "## Every measurement",
        "",
        "`payseal*`: payseal (the reference in bold); `floor*`: the irreducible work; `threads_N`: a batch on N "
        "threads; anything else: a peer library or the language's own functions.",
        "",
        *results_tables(cases),
    ]
    profiles = Path(__file__).with_name("PROFILES.md")
    if profiles.exists():
        lines += [profiles.read_text().rstrip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def readme_section(cases, meta, verdicts, status) -> str:
    skipped = [l for l, s in status.items() if s[0] != "ok"]
    lines = [
        README_START,
        "## Benchmarks",
        "",
        "`cargo bench -p payseal-benches` runs the criterion benches: every hot path in its own group beside its "
        "floor (bare SHA-256/HMAC over the same bytes, a validate-only parse) and the Rust crates doing the same "
        "job — canonical JSON, webhooks at 64 B / 1 KiB / 64 KiB, Paylands, EU Pay QR, hex and base64url, "
        "bcrypt and the `SecretVerifier` cache, batches on 1 and 2 threads "
        "(`-- --warm-up-time 1 --measurement-time 2` for a short run). "
        "`scripts/bench-compare [--quick]` installs the peers, builds the bindings and measures payseal "
        "against each language's native way in that language's own process, then writes "
        "[benches/RESULTS.md](benches/RESULTS.md) (machine, versions, every figure, targets) and this section.",
        "",
        f"Latest run: {meta.get('date', '?')}, `{meta.get('mode', '?')}` × {meta.get('repeat', '1')} runs per language, "
        f"load average {meta.get('loadavg_start', '?')} "
        "on a shared 2-core machine (noisy: read the ratios, each measured within one process)."
        + (f" Not measured in this run: {', '.join(LANG_TITLE[l] for l in skipped)}." if skipped else ""),
        "",
        *targets_table(verdicts, with_bounds=False),
        "",
        *summary_table(cases, floors=False),
        "",
        "![payseal speed-up per case and peer](benches/ratios.svg)",
        README_END,
    ]
    return "\n".join(lines)


def update_readme(path: Path, section: str) -> None:
    text = path.read_text()
    if README_START in text and README_END in text:
        a = text.index(README_START)
        b = text.index(README_END) + len(README_END)
        text = text[:a] + section + text[b:]
    else:
        anchor = "\n## Testing"
        i = text.find(anchor)
        text = text + "\n" + section + "\n" if i < 0 else text[: i + 1] + section + "\n\n" + text[i + 1 :]
    path.write_text(text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", type=Path, required=True)
    ap.add_argument("--markdown", type=Path, required=True)
    ap.add_argument("--svg", type=Path, required=True)
    ap.add_argument("--readme", type=Path)
    ap.add_argument("--peers-venv", type=Path, default=Path("benches/.venv-peers"))
    ap.add_argument("--node-peers", type=Path, default=Path("benches/.node-peers"))
    args = ap.parse_args()

    cases, problems = load(args.results)
    status = read_status(args.results)
    meta = read_meta(args.results)
    verdicts = targets(cases, status, meta)
    repo = Path(__file__).resolve().parents[2]
    vers = versions(repo, args.peers_venv, args.node_peers)
    mach = machine()

    args.markdown.write_text(results_md(cases, status, meta, verdicts, vers, mach, problems, True))
    args.svg.write_text(svg(cases, meta))
    if args.readme:
        update_readme(args.readme, readme_section(cases, meta, verdicts, status))
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
    return 1 if any("malformed" in p for p in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
