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
    registered: Registered<'a>,
}

/// The registered claims (RFC 7519 §4.1) a JWT has, found in one pass over the members (the
/// engine has rejected duplicate names, so each is there at most once).
#[derive(Debug, Clone, Copy, Default)]
struct Registered<'a> {
    exp: Option<Value<'a>>,
    nbf: Option<Value<'a>>,
    iat: Option<Value<'a>>,
    iss: Option<Value<'a>>,
    sub: Option<Value<'a>>,
    aud: Option<Value<'a>>,
    jti: Option<Value<'a>>,
}

impl<'a> Registered<'a> {
    const NAMES: [&'static str; 7] = ["exp", "nbf", "iat", "iss", "sub", "aud", "jti"];

    fn slot(&mut self, i: usize) -> &mut Option<Value<'a>> {
        match i {
            0 => &mut self.exp,
            1 => &mut self.nbf,
            2 => &mut self.iat,
            3 => &mut self.iss,
            4 => &mut self.sub,
            5 => &mut self.aud,
            _ => &mut self.jti,
        }
    }

    fn of(root: Value<'a>) -> Self {
        let mut r = Self::default();
        for (key, value) in root.members() {
            // Most names have no escapes: compared as written; others by decoded text.
            let i = match key.as_str() {
                Some(name) => Self::NAMES.iter().position(|n| *n == name),
                None => Self::NAMES.iter().position(|n| key.str_eq(n)),
            };
            if let Some(i) = i {
                *r.slot(i) = Some(value);
            }
        }
        r
    }
}

/// A NumericDate (RFC 7519 §2) as a double: an integer of at most 15 digits (every timestamp
/// in practice) converted directly, exact like the engine's correctly rounded parse, which
/// reads every other number.
fn seconds(v: Value<'_>) -> Option<f64> {
    if v.kind() != Kind::Number {
        return None;
    }
    match v.raw() {
        Some(digits) if (1..=15).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit) => {
            Some(digits.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')) as f64)
        }
        _ => v.as_f64(),
    }
}

impl<'a> Claims<'a> {
    /// The payload must be an object; `exp`, `nbf`, `iat` numbers, `iss` a string, `aud` a
    /// string or an array of strings.
    pub(crate) fn new(doc: Document<'a>) -> Result<Self, Error> {
        let root = doc.root();
        if root.kind() != Kind::Object {
            return Err(Error::Malformed);
        }
        let registered = Registered::of(root);
        let is = |v: Option<Value<'a>>, ok: &dyn Fn(Value<'a>) -> bool| v.is_none_or(ok);
        let number = |v: Value<'a>| v.kind() == Kind::Number;
        let string = |v: Value<'a>| v.kind() == Kind::String;
        let aud = |v: Value<'a>| match v.kind() {
            Kind::String => true,
            Kind::Array => v.elements().all(|e| e.kind() == Kind::String),
            _ => false,
        };
        let r = &registered;
        if is(r.exp, &number) && is(r.nbf, &number) && is(r.iat, &number) && is(r.iss, &string) && is(r.aud, &aud) {
            Ok(Self { doc, registered })
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
        self.registered.exp.and_then(seconds)
    }

    /// `nbf`, seconds.
    #[must_use]
    pub fn nbf(&self) -> Option<f64> {
        self.registered.nbf.and_then(seconds)
    }

    /// `iat`, seconds (never compared).
    #[must_use]
    pub fn iat(&self) -> Option<f64> {
        self.registered.iat.and_then(seconds)
    }

    /// `iss`.
    #[must_use]
    pub fn iss(&self) -> Option<Value<'a>> {
        self.registered.iss
    }

    /// `sub` (any JSON value; RFC 7519 says a string).
    #[must_use]
    pub fn sub(&self) -> Option<Value<'a>> {
        self.registered.sub
    }

    /// `jti`.
    #[must_use]
    pub fn jti(&self) -> Option<Value<'a>> {
        self.registered.jti
    }

    /// The audiences: one for a string `aud`, each element of an array, none when absent.
    #[must_use]
    pub fn audiences(&self) -> Audiences<'a> {
        match self.registered.aud {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{self, Dialect, Tape};
    use proptest::prelude::*;

    fn claims_of(text: &str, f: impl FnOnce(Result<Claims<'_>, Error>)) {
        let mut tape = Tape::new();
        let doc = json::parse(text.as_bytes(), Dialect::Js, &mut tape).expect("json");
        f(Claims::new(doc));
    }

    #[test]
    fn registered_claims_are_found_by_decoded_name() {
        claims_of(r#"{"\u0065xp":5,"n\u0062f":"x"}"#, |c| assert_eq!(c.err(), Some(Error::Malformed)));
        claims_of(r#"{"\u0065xp":5,"sub":"a","aud":["x","y"],"jti":1,"other":{"exp":"no"}}"#, |c| {
            let c = c.expect("claims");
            assert_eq!(c.exp(), Some(5.0));
            assert!(c.sub().is_some_and(|s| s.str_eq("a")));
            assert_eq!(c.audiences().count(), 2);
            assert_eq!(c.jti().and_then(|j| j.as_f64()), Some(1.0));
            assert_eq!(c.nbf(), None);
        });
    }

    proptest! {
        /// The integer shortcut reads every number as the engine's parse does.
        #[test]
        fn seconds_agree_with_the_engine(n in prop_oneof![
            any::<u64>().prop_map(|n| alloc::format!("{n}")),
            (0u64..1_000_000_000_000_000).prop_map(|n| alloc::format!("{n}")),
            any::<i64>().prop_map(|n| alloc::format!("{n}")),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| alloc::format!("{f:e}")),
            (0u32..100_000, 0u32..1000).prop_map(|(a, b)| alloc::format!("{a}.{b}")),
        ]) {
            let mut tape = Tape::new();
            let doc = json::parse(n.as_bytes(), Dialect::Js, &mut tape).expect("number");
            prop_assert_eq!(seconds(doc.root()).map(f64::to_bits), doc.root().as_f64().map(f64::to_bits));
        }
    }
}
