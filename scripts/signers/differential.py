#!/usr/bin/env python3
"""Differential test of the webhook signers against the providers' own libraries.

For every scheme, random bodies are signed by the signer under test (--signer: the CLI
`payseal webhook sign`, secrets in PAYSEAL_WEBHOOK_SECRET; the Python binding's
`sign_webhook`; the Node binding's `signWebhookSync`), with the newest secret first and an old
one after it, and the delivery printed is verified by the
provider's library where one exists (stripe, standardwebhooks, Adyen; GitHub, Stripe and
Standard Webhooks again in Node by verify.mjs), and by the documented construction with the
Python standard library (and `cryptography` for OPPWA's AES-256-GCM) otherwise. Any rejection
fails the run. Deliveries for Node are written to --node-out.

usage: differential.py [--signer cli|python|node] [--cli PATH] [--node-module DIR]
                       [--count N] [--seed S] --node-out FILE
"""

import argparse
import base64
import binascii
import concurrent.futures
import functools
import hashlib
import hmac
import json
import os
import random
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET

import Adyen.util
import standardwebhooks
import stripe
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ALPHABET = (
    [chr(c) for c in range(0x20, 0x7F)]
    + ["\n", "\t", "\\", '"', "/", "é", "€", "ü", "\u2028", "😀", "中", "&", "<", ">", "'"]
)


def text(rng, lo=0, hi=40):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(lo, hi)))


def json_body(rng):
    doc = {
        "id": "evt_" + "".join(rng.choice("abcdef0123456789") for _ in range(16)),
        "type": rng.choice(["charge.succeeded", "payment.completed", "invoice.paid"]),
        "data": {"amount": rng.randint(0, 10**9), "note": text(rng), "items": [text(rng, 0, 8) for _ in range(rng.randint(0, 4))]},
    }
    return json.dumps(doc, ensure_ascii=rng.random() < 0.5, separators=rng.choice([(",", ":"), (", ", ": ")]))


def secret_text(rng):
    # Printable ASCII without the comma that separates rotation secrets.
    return "".join(rng.choice([chr(c) for c in range(0x21, 0x7F) if c != 0x2C]) for _ in range(rng.randint(1, 48)))


def cli_sign(cli, scheme, secrets, body, extra=()):
    """Runs the CLI; returns (headers dict, body to send or None)."""
    env = dict(os.environ, PAYSEAL_WEBHOOK_SECRET="\n".join(secrets))
    out = subprocess.run([cli, "webhook", "sign", "--scheme", scheme, *extra], input=body, env=env, capture_output=True)
    if out.returncode != 0:
        raise AssertionError(f"{scheme}: sign exited {out.returncode}: {out.stdout!r} {out.stderr!r}")
    headers, rest = {}, out.stdout
    while True:
        nl = rest.find(b"\n")
        if nl < 0:
            if rest:
                raise AssertionError(f"{scheme}: unterminated header line {rest!r}")
            return headers, None
        line, rest = rest[:nl], rest[nl + 1 :]
        if not line:
            return headers, rest
        name, value = line.decode("ascii").split(": ", 1)
        headers[name] = value


# The schemes whose signature lives in the body or encrypts it: the binding's `body` is what to
# send. For the others it must be the body given (the CLI prints no body for them).
BODY_SCHEMES = {"adyen_item", "spreedly", "oppwa", "oppwa_base64"}


def options(extra):
    """The CLI flags of a case (`--now T`, `--id ID`, ...) as the bindings' options."""
    flags = dict(zip(extra[::2], extra[1::2]))
    opts = {k[2:]: v for k, v in flags.items()}
    if "now" in opts:
        opts["now"] = int(opts["now"])
    return opts


def binding_result(scheme, body, headers, sent):
    if scheme in BODY_SCHEMES:
        return headers, sent
    check(sent == body, f"{scheme}: the binding must send the body given")
    return headers, None


class PythonSigner:
    """`payseal.sign_webhook` of the Python binding (PYTHONPATH=bindings-python/python)."""

    def __init__(self):
        import payseal

        self.payseal = payseal

    def __call__(self, scheme, secrets, body, extra=()):
        signed = self.payseal.sign_webhook(scheme, secrets, body, **options(extra))
        return binding_result(scheme, body, dict(signed.headers), signed.body)


class NodeSigner:
    """`signWebhookSync` of the Node binding, in one node process (sign-node.cjs) fed JSON lines."""

    def __init__(self, module):
        here = os.path.dirname(os.path.abspath(__file__))
        self.proc = subprocess.Popen(
            ["node", os.path.join(here, "sign-node.cjs"), module], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.lock = threading.Lock()

    def __call__(self, scheme, secrets, body, extra=()):
        request = {"scheme": scheme, "secrets": secrets, "body": base64.b64encode(body).decode(), "opts": options(extra)}
        with self.lock:
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
            self.proc.stdin.flush()
            reply = json.loads(self.proc.stdout.readline() or b"null")
        if not reply or "error" in reply:
            raise AssertionError(f"{scheme}: node signer: {reply}")
        return binding_result(scheme, body, reply["headers"], base64.b64decode(reply["body"]))


def sign(signer, scheme, secrets, body, extra=()):
    """Signs with the signer under test; returns (headers dict, body to send or None)."""
    return signer(scheme, secrets, body, extra)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def case_stripe(signer, rng, node):
    secret, old = "whsec_" + secret_text(rng), "whsec_old_" + secret_text(rng)
    body = json_body(rng)
    now = int(time.time())
    headers, sent = sign(signer, "stripe", [secret, old], body.encode(), ["--now", str(now)])
    check(sent is None, "stripe: no body expected")
    header = headers["Stripe-Signature"]
    stripe.WebhookSignature.verify_header(body, header, secret, tolerance=300)
    event = stripe.Webhook.construct_event(body, header, secret)
    check(event["id"] == json.loads(body)["id"], "stripe: event id")
    try:
        stripe.WebhookSignature.verify_header(body, header, old, tolerance=300)
        raise AssertionError("stripe: the old secret signed")
    except stripe.SignatureVerificationError:
        pass
    node.append({"scheme": "stripe", "secret": secret, "body": body, "headers": headers})


def case_standard(signer, rng, node):
    secret = "whsec_" + base64.b64encode(rng.randbytes(rng.randint(16, 40))).decode()
    old = "whsec_" + base64.b64encode(rng.randbytes(24)).decode()
    body = json_body(rng)
    extra = ["--id", "msg_" + "".join(rng.choice("ABCxyz0123456789") for _ in range(20))] if rng.random() < 0.5 else []
    headers, sent = sign(signer, "standard", [secret, old], body.encode(), extra)
    check(sent is None, "standard: no body expected")
    check(headers["webhook-id"].startswith("msg_"), "standard: id")
    standardwebhooks.Webhook(secret).verify(body.encode(), headers)
    # Bytes that are not JSON (nor UTF-8) too, without the library's JSON step.
    raw = rng.randbytes(rng.randint(0, 64))
    h2, _ = sign(signer, "standard", [secret], raw)
    standardwebhooks.Webhook(secret).verify(raw, h2, json_parse=False)
    node.append({"scheme": "standard", "secret": secret, "body": body, "headers": headers})


def case_github(signer, rng, node):
    secret, old = secret_text(rng), secret_text(rng)
    # @octokit/webhooks-methods refuses an empty payload (GitHub never sends one).
    body = text(rng, 1, 200)
    headers, sent = sign(signer, "github", [secret, old], body.encode())
    check(sent is None, "github: no body expected")
    node.append({"scheme": "github", "secret": secret, "body": body, "headers": headers})


def documented_mac(signer, rng, scheme, name, encode):
    secret, old = secret_text(rng), secret_text(rng)
    body = rng.randbytes(rng.randint(0, 300))
    headers, sent = sign(signer, scheme, [secret, old], body)
    check(sent is None, f"{scheme}: no body expected")
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    check(hmac.compare_digest(headers[name], encode(digest)), f"{scheme}: {headers[name]!r}")


def case_eupay(signer, rng, node):
    documented_mac(signer, rng, "eupay", "X-EuPay-Signature", lambda d: "sha256=" + d.hex())


def case_shopify(signer, rng, node):
    documented_mac(signer, rng, "shopify", "X-Shopify-Hmac-Sha256", lambda d: base64.b64encode(d).decode())


def case_checkout(signer, rng, node):
    documented_mac(signer, rng, "checkout", "Cko-Signature", lambda d: d.hex())


def case_adyen(signer, rng, node):
    key = rng.randbytes(32).hex().upper()
    old = rng.randbytes(32).hex()
    item = {
        "pspReference": text(rng, 1, 20),
        "merchantAccountCode": text(rng, 1, 20),
        "merchantReference": text(rng, 0, 30),
        "amount": {"value": rng.randint(0, 10**8), "currency": rng.choice(["EUR", "USD", "JPY"])},
        "eventCode": rng.choice(["AUTHORISATION", "REFUND", "CAPTURE"]),
        "success": rng.choice(["true", "false"]),
        "eventDate": "2026-01-01T00:00:00+01:00",
    }
    if rng.random() < 0.5:
        item["originalReference"] = text(rng, 1, 20)
    if rng.random() < 0.5:
        item["additionalData"] = {"authCode": "123", "hmacSignature": "to be replaced"} if rng.random() < 0.5 else {"a": "b"}
    body = json.dumps(item, ensure_ascii=rng.random() < 0.5)
    headers, sent = sign(signer, "adyen_item", [key, old], body.encode())
    check(headers == {} and sent is not None, "adyen_item: body expected, no headers")
    signed = json.loads(sent)
    check(Adyen.util.is_valid_hmac_notification(signed, key) is True, f"adyen_item: rejected {sent!r}")
    check(Adyen.util.is_valid_hmac_notification(signed, old) is False, "adyen_item: the old key signed")
    unsigned = {k: v for k, v in signed.items() if k != "additionalData"}
    original = {k: v for k, v in item.items() if k != "additionalData"}
    check(unsigned == original, "adyen_item: the item changed")


def case_spreedly(signer, rng, node):
    secret, old = secret_text(rng), secret_text(rng)
    names = rng.sample(["amount", "currency_code", "order_id", "ip", "state", "token", "created_at", "description"], rng.randint(1, 8))
    doc = '<?xml version="1.0" encoding="UTF-8"?>\n<transaction>\n'
    for n in names:
        if rng.random() < 0.15:
            doc += f'  <{n} nil="true"/>\n'
        else:
            v = text(rng, 0, 30).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            doc += f"  <{n}>{v}</{n}>\n"
    doc += "  <payment_method><data>unsigned</data></payment_method>\n</transaction>\n"
    alg = rng.choice(["sha1", "sha256", "sha512"])
    extra = ["--algorithm", alg]
    listed = names
    if rng.random() < 0.5:
        listed = rng.sample(names, rng.randint(1, len(names)))
        extra += ["--fields", " ".join(listed)]
    headers, sent = sign(signer, "spreedly", [secret, old], doc.encode(), extra)
    check(headers == {} and sent is not None, "spreedly: body expected, no headers")
    root = ET.fromstring(sent)
    signed = root.find("signed")
    fields = signed.find("fields").text.split()
    check(fields == listed, f"spreedly: fields {fields} != {listed}")
    check(signed.find("algorithm").text == alg, "spreedly: algorithm")
    values = []
    for f in fields:
        el = root.find(f)
        values.append("" if el.get("nil") == "true" else (el.text or ""))
    want = hmac.new(secret.encode(), "|".join(values).encode(), getattr(hashlib, alg)).hexdigest()
    check(hmac.compare_digest(signed.find("signature").text, want), "spreedly: signature")


def case_oppwa(signer, rng, node):
    key, old = rng.randbytes(32), rng.randbytes(32)
    body = json_body(rng).encode()
    b64 = rng.random() < 0.3
    scheme = "oppwa_base64" if b64 else "oppwa"
    headers, sent = sign(signer, scheme, [key.hex(), old.hex()], body)
    check(sent is not None, "oppwa: body expected")
    iv = bytes.fromhex(headers["X-Initialization-Vector"])
    tag = bytes.fromhex(headers["X-Authentication-Tag"])
    ciphertext = base64.b64decode(sent, validate=True) if b64 else bytes.fromhex(sent.decode())
    check(len(iv) == 12 and len(tag) == 16, "oppwa: IV and tag sizes")
    plaintext = AESGCM(key).decrypt(iv, ciphertext + tag, None)
    check(plaintext == body, "oppwa: plaintext")


CASES = {
    "stripe": case_stripe,
    "standard": case_standard,
    "github": case_github,
    "eupay": case_eupay,
    "shopify": case_shopify,
    "checkout": case_checkout,
    "adyen_item": case_adyen,
    "spreedly": case_spreedly,
    "oppwa": case_oppwa,
}


def run_scheme(signer, scheme, count, seed):
    rng = random.Random(f"{seed}-{scheme}")
    node = []
    for i in range(count):
        try:
            CASES[scheme](signer, rng, node)
        except Exception as e:  # noqa: BLE001 - every failure is reported with its case
            raise AssertionError(f"{scheme} case {i} (seed {seed}): {type(e).__name__}: {e}") from e
    return scheme, node


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--signer", choices=["cli", "python", "node"], default="cli")
    ap.add_argument("--cli", help="the payseal CLI (--signer cli)")
    ap.add_argument("--node-module", help="the Node binding's folder (--signer node)")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", default="payseal")
    ap.add_argument("--node-out", required=True)
    args = ap.parse_args()
    if args.signer == "cli":
        signer = functools.partial(cli_sign, args.cli)
    elif args.signer == "python":
        signer = PythonSigner()
    else:
        signer = NodeSigner(args.node_module)
    node = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        jobs = [pool.submit(run_scheme, signer, s, args.count, args.seed) for s in CASES]
        for job in jobs:
            scheme, items = job.result()
            node += items
            print(f"  {scheme:<12} {args.count} deliveries ({args.signer}) verified")
    with open(args.node_out, "w") as f:
        for item in node:
            f.write(json.dumps(item) + "\n")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
