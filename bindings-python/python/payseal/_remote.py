"""``RemoteJwkSet``: a JWK Set fetched over HTTPS with urllib, cached and refreshed by the core's
policy (``payseal::jose::refresh``, the same in every payseal binding).

The policy, decided in the core and only applied here:

* no set yet, or the set is ``max_age`` seconds old: fetch before verifying;
* a token whose ``kid`` the set lacks (``key_not_found``): fetch again, at most once per
  ``cooldown`` seconds, and verify once more with the new set;
* a failed fetch (HTTP error, time-out, a document that is not a JWK Set) keeps the last good
  set; the next attempt waits ``cooldown``.

``https://`` URLs, or ``http://`` where the caller chooses it (a sidecar, a cluster-internal
identity provider: a set read in clear is only as trustworthy as that network); redirects are
refused. The same as the Node binding's.
"""

from __future__ import annotations

import http.client
import math
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import IO, Callable, Optional

from . import _native
from ._native import JwkSet
from .errors import InvalidInputError, KeyNotFoundError, TooLargeError

__all__ = ["RemoteJwkSet"]


def _allowed(url: str) -> bool:
    """An ``http://`` or ``https://`` URL with a host."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuses every redirect (as the Node binding's ``fetch(..., {redirect: "error"})``): a
    key set is read from the URL the caller configured, nowhere else."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: http.client.HTTPMessage, newurl: str) -> Optional[urllib.request.Request]:
        raise urllib.error.HTTPError(req.full_url, code, f"redirect to {newurl!r} refused", headers, fp)


_OPENER = urllib.request.build_opener(_NoRedirect)


class RemoteJwkSet:
    """A remote JWK Set (``https://idp.example/realms/x/protocol/openid-connect/certs``), usable
    wherever a :class:`JwkSet` is (:class:`JwtVerifier`, :func:`verify_jwt`, :func:`verify_jws`).

    Nothing is fetched until the first verification. Thread-safe: one fetch at a time; other
    threads keep verifying with the set they have meanwhile.
    """

    def __init__(self, url: str, *, max_age: float = 600, cooldown: float = 30, timeout: float = 5) -> None:
        if not _allowed(url):
            raise InvalidInputError(f"RemoteJwkSet: {url!r} is not an http(s):// URL", code="invalid_argument")
        if min(max_age, cooldown) < 0 or not timeout > 0:
            raise InvalidInputError("RemoteJwkSet: max_age and cooldown must be >= 0, timeout > 0",
                                    code="invalid_argument")
        self._url = url
        self._timeout = float(timeout)
        self._refresher = _native._JwkRefresher(math.ceil(max_age), math.ceil(cooldown))
        self._lock = threading.Lock()
        self._set: Optional[JwkSet] = None
        self._last_error: Optional[BaseException] = None
        # Seconds on a clock that never goes back; tests replace it.
        self._clock: Callable[[], float] = time.monotonic

    def __repr__(self) -> str:
        return f"RemoteJwkSet({self._url!r}, {self._set!r})"

    def _now(self) -> int:
        return math.floor(self._clock())

    # ---- what JwtVerifier calls ----------------------------------------------------------------

    def _key_set(self) -> JwkSet:
        """The set to verify with, fetched first when the policy says so."""
        # Without any set, wait for a fetch another thread may have in progress; with a set,
        # keep verifying with it meanwhile.
        if self._set is None or self._refresher.should_fetch(self._now()):
            with self._lock:
                # Another thread may have fetched while this one waited.
                if self._refresher.should_fetch(self._now()):
                    self._fetch()
        current = self._set
        if current is None:
            raise KeyNotFoundError(f"no JWK Set could be fetched from {self._url}: {self._last_error}",
                                   code="key_not_found") from self._last_error
        return current

    def _key_set_for_unknown_kid(self, stale: JwkSet) -> Optional[JwkSet]:
        """After ``key_not_found`` with ``stale``: a newer set to try once more, or None."""
        with self._lock:
            if self._set is not stale and self._set is not None:
                return self._set  # another thread refreshed meanwhile
            if not self._refresher.should_refetch_for_unknown_kid(self._now()):
                return None
            self._fetch()
            return self._set if self._set is not stale else None

    # ---- HTTP --------------------------------------------------------------------------------

    def _fetch(self) -> None:
        """One attempt (the lock is held): a good set replaces the current one, a failure keeps it."""
        self._refresher.attempt(self._now())
        try:
            fresh = JwkSet(self._get())
        except (OSError, http.client.HTTPException, ValueError) as e:  # urllib, time-outs, PaysealError
            self._last_error = e
            self._refresher.failed(self._now())
            return
        self._set = fresh
        self._last_error = None
        self._refresher.succeeded(self._now())

    def _get(self) -> bytes:
        request = urllib.request.Request(self._url, headers={"Accept": "application/json", "User-Agent": "payseal"})
        with _OPENER.open(request, timeout=self._timeout) as response:
            if response.status != 200:
                raise OSError(f"HTTP {response.status} from {self._url}")
            body: bytes = response.read(_native.MAX_JWKS_LEN + 1)
        if len(body) > _native.MAX_JWKS_LEN:
            raise TooLargeError(f"JWK Set larger than {_native.MAX_JWKS_LEN} bytes", code="too_large")
        return body
