"""bcrypt and the webhook batch API release the GIL: other Python threads run meanwhile, and two
threads verifying bcrypt take about the time of one."""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
import time
from typing import Callable, List

import pytest

import payseal

SECRET = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def progress_during(call: Callable[[], object]) -> int:
    """How many times another Python thread got to run while `call` ran."""
    ticks = 0
    started = threading.Event()
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        started.set()
        while not stop.is_set():
            ticks += 1
            time.sleep(0.0005)

    thread = threading.Thread(target=count)
    thread.start()
    started.wait()
    before = ticks
    try:
        call()
    finally:
        during = ticks - before
        stop.set()
        thread.join()
    return during


def test_bcrypt_releases_the_gil() -> None:
    stored = payseal.hash_bcrypt(SECRET, cost=10)  # ~50 ms: ample time for a sleeping thread to wake
    assert progress_during(lambda: payseal.verify_bcrypt(SECRET, stored)) >= 3
    assert progress_during(lambda: payseal.hash_bcrypt(SECRET, cost=10)) >= 3
    verifier = payseal.SecretVerifier(0)
    assert progress_during(lambda: verifier.verify(SECRET, stored)) >= 3


def test_webhook_batch_releases_the_gil() -> None:
    body = os.urandom(256 * 1024)
    headers = {"X-EuPay-Signature": "sha256=" + hmac.new(b"k", body, hashlib.sha256).hexdigest()}
    verifier = payseal.WebhookVerifier("eupay", "k")
    deliveries = [(headers, body)] * 400  # ~100 MB of HMAC: tens of milliseconds
    outcomes: List[object] = []
    assert progress_during(lambda: outcomes.extend(verifier.verify_batch(deliveries))) >= 3
    assert outcomes == [None] * 400


def test_large_webhook_body_releases_the_gil() -> None:
    body = b"x" * (32 * 1024 * 1024 - 1)  # ~15 ms of HMAC-SHA256, under the 32 MiB limit
    headers = {"X-EuPay-Signature": "sha256=" + hmac.new(b"k", body, hashlib.sha256).hexdigest()}
    verifier = payseal.WebhookVerifier("eupay", "k")
    def three() -> None:
        for _ in range(3):
            verifier.verify(headers, body)

    assert progress_during(three) >= 3


def test_two_threads_verify_bcrypt_in_about_the_time_of_one() -> None:
    if cores() < 2:
        pytest.skip(f"needs 2 cores to run bcrypt in parallel; this machine offers {cores()}")
    stored = payseal.hash_bcrypt(SECRET, cost=10)
    payseal.verify_bcrypt(SECRET, stored)  # warm up

    def work() -> None:
        for _ in range(2):
            payseal.verify_bcrypt(SECRET, stored)

    def one_thread() -> float:
        start = time.perf_counter()
        work()
        return time.perf_counter() - start

    def two_threads() -> float:
        threads = [threading.Thread(target=work) for _ in range(2)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - start

    # The machine is shared (CI has 2 cores): keep the best of three rounds.
    ratios = []
    for _ in range(3):
        single, double = one_thread(), two_threads()
        ratios.append(double / single)
        if ratios[-1] < 1.6:
            break
    best = min(ratios)
    print(f"bcrypt cost 10, 2 verifications per thread: two threads / one thread = {best:.2f}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if best >= 1.6 and load > cores() - 0.5:
        # Other work holds the cores: two processes would not run in parallel either. The GIL
        # release itself is checked by test_bcrypt_releases_the_gil, which load cannot fool.
        pytest.skip(f"machine busy (load average {load:.1f} on {cores()} cores): two threads took {best:.2f}x "
                    "one thread's time, a speed-up that cannot be measured now")
    assert best < 1.6, f"two threads took {best:.2f}x one thread's time (ratios {ratios})"
