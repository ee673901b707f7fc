//! JWT claims (RFC 7519 §4.1): what is checked, and an allocation-free view of the rest.

use super::{Algorithm, Error};
use crate::json::{Document, Elements, Kind, Value};

/// What a JWT must satisfy besides its signature. `now` is a parameter (Unix seconds);
/// [`Validation::new`] reads the system clock.
#[derive(Debug, Clone, Copy)]
pub struct Validation<'p> {
    /// The algorithms accepted (an explicit allow-list; never `none`).
    pub algorithms: &'p [Algorithm],
    /// The current time, Unix seconds.
    pub now: i64,
    /// Seconds of clock skew tolerated on `exp` and `nbf`.
    pub leeway: u64,
    /// The audience that `aud` must equal or (array) contain; `None`: `aud` not checked.
    pub audience: Option<&'p str>,
    /// The issuer `iss` must equal; `None`: `iss` not checked.
    pub issuer: Option<&'p str>,
}

impl<'p> Validation<'p> {
    /// Accepts `algorithms` at time `now`, no leeway, `aud` and `iss` not checked.
    #[must_use]
    pub const fn at(algorithms: &'p [Algorithm], now: i64) -> Self {
        Self { algorithms, now, leeway: 0, audience: None, issuer: None }
    }

    /// [`Validation::at`] the system clock's current time.
    #[cfg(feature = "std")]
    #[must_use]
    pub fn new(algorithms: &'p [Algorithm]) -> Self {
        Self::at(algorithms, unix_now())
    }

    /// Tolerates `seconds` of skew on `exp` and `nbf`.
    #[must_use]
    pub const fn leeway(mut self, seconds: u64) -> Self {
        self.leeway = seconds;
        self
    }

    /// Requires `aud` to be (or contain) `audience`.
    #[must_use]
    pub const fn audience(mut self, audience: &'p str) -> Self {
        self.audience = Some(audience);
        self
    }

    /// Requires `iss` to be `issuer`.
    #[must_use]
    pub const fn issuer(mut self, issuer: &'p str) -> Self {
        self.issuer = Some(issuer);
        self
    }
}

/// The system clock, Unix seconds (0 before 1970).
#[cfg(feature = "std")]
#[must_use]
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A JWT's claims, read in place from the decoded payload (no copy, no allocation). Only
/// built by [`verify_jwt`](super::verify_jwt), so the registered claims have their types.
#[derive(Debug, Clone, Copy)]
pub struct Claims<'a> {
    doc: Document<'a>,
}

impl<'a> Claims<'a> {
    /// The payload must be an object; `exp`, `nbf`, `iat` numbers, `iss` and `sub` strings,
    /// `aud` a string or an array of strings.
    pub(crate) fn new(doc: Document<'a>) -> Result<Self, Error> {
        let root = doc.root();
        if root.kind() != Kind::Object {
            return Err(Error::Malformed);
        }
        let is = |name: &str, ok: &dyn Fn(Value<'a>) -> bool| root.get(name).is_none_or(ok);
        let number = |v: Value<'a>| v.kind() == Kind::Number;
        let string = |v: Value<'a>| v.kind() == Kind::String;
        let aud = |v: Value<'a>| match v.kind() {
            Kind::String => true,
            Kind::Array => v.elements().all(|e| e.kind() == Kind::String),
            _ => false,
        };
        if is("exp", &number) && is("nbf", &number) && is("iat", &number) && is("iss", &string) && is("aud", &aud) {
            Ok(Self { doc })
        } else {
            Err(Error::Malformed)
        }
    }

    /// The claims object.
    #[must_use]
    pub fn root(&self) -> Value<'a> {
        self.doc.root()
    }

    /// Any claim by name.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<Value<'a>> {
        self.doc.root().get(name)
    }

    /// `exp`, seconds.
    #[must_use]
    pub fn exp(&self) -> Option<f64> {
        self.get("exp").and_then(|v| v.as_f64())
    }

    /// `nbf`, seconds.
    #[must_use]
    pub fn nbf(&self) -> Option<f64> {
        self.get("nbf").and_then(|v| v.as_f64())
    }

    /// `iat`, seconds (never compared).
    #[must_use]
    pub fn iat(&self) -> Option<f64> {
        self.get("iat").and_then(|v| v.as_f64())
    }

    /// `iss`.
    #[must_use]
    pub fn iss(&self) -> Option<Value<'a>> {
        self.get("iss")
    }

    /// `sub` (any JSON value; RFC 7519 says a string).
    #[must_use]
    pub fn sub(&self) -> Option<Value<'a>> {
        self.get("sub")
    }

    /// `jti`.
    #[must_use]
    pub fn jti(&self) -> Option<Value<'a>> {
        self.get("jti")
    }

    /// The audiences: one for a string `aud`, each element of an array, none when absent.
    #[must_use]
    pub fn audiences(&self) -> Audiences<'a> {
        match self.get("aud") {
            Some(v) if v.kind() == Kind::String => Audiences { one: Some(v), many: None },
            Some(v) => Audiences { one: None, many: Some(v.elements()) },
            None => Audiences { one: None, many: None },
        }
    }
}

/// Iterator over a JWT's `aud` values (JSON strings).
#[derive(Debug, Clone)]
pub struct Audiences<'a> {
    one: Option<Value<'a>>,
    many: Option<Elements<'a>>,
}

impl<'a> Iterator for Audiences<'a> {
    type Item = Value<'a>;

    fn next(&mut self) -> Option<Value<'a>> {
        if let Some(v) = self.one.take() {
            return Some(v);
        }
        self.many.as_mut()?.next()
    }
}

/// `exp` → `nbf` → `aud` → `iss` (RFC 7519 §4.1.3-4.1.5; the vectors' precedence).
pub(crate) fn check_claims(claims: &Claims<'_>, v: &Validation<'_>) -> Result<(), Error> {
    // Seconds compare as doubles: exact for every integer time and leeway below 2^53.
    let now = v.now as f64;
    let leeway = v.leeway as f64;
    if claims.exp().is_some_and(|exp| now >= exp + leeway) {
        return Err(Error::Expired);
    }
    if claims.nbf().is_some_and(|nbf| now < nbf - leeway) {
        return Err(Error::NotYetValid);
    }
    if let Some(want) = v.audience {
        if !claims.audiences().any(|a| a.str_eq(want)) {
            return Err(Error::Audience);
        }
    }
    if let Some(want) = v.issuer {
        if !claims.iss().is_some_and(|i| i.str_eq(want)) {
            return Err(Error::Issuer);
        }
    }
    Ok(())
}
