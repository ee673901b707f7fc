//! The one table of outcomes: every error code payseal reports, in every language.
//!
//! Each row gives a code's stable number (the C ABI's `PAYSEAL_*` value: numbered once, never
//! renumbered or reused), its name (the conformance vectors' vocabulary, what `code()` returns
//! on every core error and what every binding's exceptions carry), the error class a binding
//! raises for it, and a one-line message. [`CLASSES`] gives each class its parent, so PHP,
//! Python and Node build the same hierarchy with the same names; each binding has a test that
//! fails when its classes or codes differ from this table (the table is also committed as
//! `core/codes.json`, regenerated and diffed by `cargo test -p payseal --test codes`).
//!
//! Ranges: 0–9 calling convention and general failures, 10–19 JSON input, 20–29 verification
//! outcomes, 30–39 webhook transport, 40–49 API secrets, keys and table links, 50–59 key sets
//! and signing input, 60–69 JOSE. A new outcome takes the next free number of its range.

/// An error class, as every binding names it. Catching a class catches its subclasses.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// Base of every payseal failure.
    PaysealError,
    /// A bug in payseal, caught at a language boundary (a Rust panic); nothing was written.
    InternalError,
    /// The operating system's random generator failed.
    RandomnessError,
    /// A caller-provided output or scratch buffer is too small (C ABI and Rust only).
    BufferTooSmallError,
    /// Input refused on purpose rather than silently altered (an unknown name, a bcrypt cost
    /// out of range, a secret that would be truncated, a payload that is not an object).
    InvalidInputError,
    /// A key, secret or signing secret that payseal cannot use.
    InvalidKeyError,
    /// Text that is not valid hex or base64.
    EncodingError,
    /// JSON that the dialect does not accept; carries the byte offset.
    JsonError,
    /// The input was understood and is not to be trusted.
    VerificationError,
    /// The signature or MAC does not match.
    BadSignatureError,
    /// A hash or secret does not match what it was checked against.
    MismatchError,
    /// Valid once, not any more.
    ExpiredError,
    /// Not valid yet (JWT `nbf`).
    NotYetValidError,
    /// A signed timestamp outside the tolerance window.
    TimestampError,
    /// The signed timestamp is older than the tolerance allows.
    TimestampTooOldError,
    /// The signed timestamp is further in the future than the tolerance allows.
    TimestampTooNewError,
    /// A scanned table link is not the one on record (one error for every reason).
    InvalidTableLinkError,
    /// The token's algorithm is not in the caller's allow-list.
    AlgorithmNotAllowedError,
    /// No single usable key for the token.
    KeyNotFoundError,
    /// A verified claim that is not the expected one (JWT `aud`, `iss`).
    ClaimError,
    /// The message cannot be checked at all.
    MalformedError,
    /// A header is present but unusable.
    MalformedHeaderError,
    /// A header the scheme needs is absent.
    MissingHeaderError,
    /// The body is not what the scheme expects.
    MalformedBodyError,
    /// A stored hash is not in a format payseal reads.
    MalformedHashError,
    /// Over a documented size limit.
    TooLargeError,
    /// A critical extension payseal does not implement (JOSE `crit`).
    UnsupportedError,
}

/// Every class with its parent (`None` for the base), parents before children.
pub const CLASSES: &[(Class, Option<Class>)] = {
    use Class::*;
    &[
        (PaysealError, None),
        (InternalError, Some(PaysealError)),
        (RandomnessError, Some(PaysealError)),
        (BufferTooSmallError, Some(PaysealError)),
        (InvalidInputError, Some(PaysealError)),
        (InvalidKeyError, Some(InvalidInputError)),
        (EncodingError, Some(PaysealError)),
        (JsonError, Some(PaysealError)),
        (VerificationError, Some(PaysealError)),
        (BadSignatureError, Some(VerificationError)),
        (MismatchError, Some(BadSignatureError)),
        (ExpiredError, Some(VerificationError)),
        (NotYetValidError, Some(VerificationError)),
        (TimestampError, Some(VerificationError)),
        (TimestampTooOldError, Some(TimestampError)),
        (TimestampTooNewError, Some(TimestampError)),
        (InvalidTableLinkError, Some(VerificationError)),
        (AlgorithmNotAllowedError, Some(VerificationError)),
        (KeyNotFoundError, Some(VerificationError)),
        (ClaimError, Some(VerificationError)),
        (MalformedError, Some(VerificationError)),
        (MalformedHeaderError, Some(MalformedError)),
        (MissingHeaderError, Some(MalformedError)),
        (MalformedBodyError, Some(MalformedError)),
        (MalformedHashError, Some(MalformedError)),
        (TooLargeError, Some(MalformedError)),
        (UnsupportedError, Some(MalformedError)),
    ]
};

impl Class {
    /// The class name every binding uses (`"BadSignatureError"`).
    pub const fn name(self) -> &'static str {
        use Class::*;
        match self {
            PaysealError => "PaysealError",
            InternalError => "InternalError",
            RandomnessError => "RandomnessError",
            BufferTooSmallError => "BufferTooSmallError",
            InvalidInputError => "InvalidInputError",
            InvalidKeyError => "InvalidKeyError",
            EncodingError => "EncodingError",
            JsonError => "JsonError",
            VerificationError => "VerificationError",
            BadSignatureError => "BadSignatureError",
            MismatchError => "MismatchError",
            ExpiredError => "ExpiredError",
            NotYetValidError => "NotYetValidError",
            TimestampError => "TimestampError",
            TimestampTooOldError => "TimestampTooOldError",
            TimestampTooNewError => "TimestampTooNewError",
            InvalidTableLinkError => "InvalidTableLinkError",
            AlgorithmNotAllowedError => "AlgorithmNotAllowedError",
            KeyNotFoundError => "KeyNotFoundError",
            ClaimError => "ClaimError",
            MalformedError => "MalformedError",
            MalformedHeaderError => "MalformedHeaderError",
            MissingHeaderError => "MissingHeaderError",
            MalformedBodyError => "MalformedBodyError",
            MalformedHashError => "MalformedHashError",
            TooLargeError => "TooLargeError",
            UnsupportedError => "UnsupportedError",
        }
    }

    /// The class this one extends (`None` for [`Class::PaysealError`]).
    pub fn parent(self) -> Option<Class> {
        CLASSES.iter().find(|(c, _)| *c == self).and_then(|(_, p)| *p)
    }
}

/// One outcome: its number, name, class and message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The C ABI's value (`PAYSEAL_*`); 0 is success.
    pub number: u32,
    /// The stable name (`"bad_signature"`), the vectors' vocabulary.
    pub name: &'static str,
    /// The class a binding raises for it.
    pub class: Class,
    /// A one-line English description.
    pub message: &'static str,
}

const fn code(number: u32, name: &'static str, class: Class, message: &'static str) -> Code {
    Code { number, name, class, message }
}

/// Every outcome, by number. `ok` (0) is success and has the base class only for uniformity.
pub const CODES: &[Code] = {
    use Class::*;
    &[
        code(0, "ok", PaysealError, "success"),
        code(1, "buffer_too_small", BufferTooSmallError, "output buffer too small; *out_written holds the size needed"),
        code(2, "null_pointer", InvalidInputError, "a required pointer is NULL"),
        code(3, "invalid_argument", InvalidInputError, "invalid argument"),
        code(4, "internal", InternalError, "internal error in payseal (caught at the language boundary)"),
        code(5, "invalid_encoding", EncodingError, "invalid hex or base64 input"),
        code(6, "invalid_key", InvalidKeyError, "unusable key"),
        code(7, "randomness", RandomnessError, "the operating system's random generator failed"),
        code(10, "syntax", JsonError, "JSON syntax error"),
        code(11, "invalid_utf8", JsonError, "JSON input is not valid UTF-8"),
        code(12, "duplicate_key", JsonError, "JSON object has a duplicate key"),
        code(13, "depth", JsonError, "JSON nesting too deep"),
        code(14, "number_range", JsonError, "JSON number out of range"),
        code(15, "lone_surrogate", JsonError, "JSON string escapes a lone UTF-16 surrogate"),
        code(16, "dialect_mismatch", InvalidInputError, "the tape was parsed for another JSON dialect"),
        code(17, "scratch_too_small", BufferTooSmallError, "the caller's scratch is too small for this document"),
        code(20, "bad_signature", BadSignatureError, "bad signature"),
        code(21, "expired", ExpiredError, "expired"),
        code(22, "malformed", MalformedError, "malformed input"),
        code(23, "mismatch", MismatchError, "mismatch"),
        code(24, "malformed_hash", MalformedHashError, "malformed hash"),
        code(30, "missing_header", MissingHeaderError, "missing header"),
        code(31, "malformed_header", MalformedHeaderError, "malformed header"),
        code(32, "malformed_body", MalformedBodyError, "malformed body"),
        code(33, "timestamp_too_old", TimestampTooOldError, "timestamp too old"),
        code(34, "timestamp_too_new", TimestampTooNewError, "timestamp too new"),
        code(35, "too_many_signatures", MalformedHeaderError, "too many signatures in one header"),
        code(36, "too_large", TooLargeError, "input exceeds a size limit"),
        code(40, "cost_out_of_range", InvalidInputError, "bcrypt cost outside 4..31"),
        code(41, "secret_too_long", InvalidInputError, "secret longer than bcrypt's 72 bytes"),
        code(42, "secret_contains_nul", InvalidInputError, "secret contains a NUL byte"),
        code(43, "unknown_prefix", InvalidKeyError, "unknown API key prefix"),
        code(44, "bad_length", InvalidKeyError, "API key body is not 32 to 128 characters"),
        code(45, "bad_character", InvalidKeyError, "API key has a character outside [A-Za-z0-9]"),
        code(46, "environment_mismatch", InvalidKeyError, "the keys mix live and test environments"),
        code(47, "not_publishable", InvalidKeyError, "expected a publishable (pk_) key"),
        code(48, "not_secret", InvalidKeyError, "expected a secret (sk_) key"),
        code(49, "invalid_table_link", InvalidTableLinkError, "invalid table link"),
        code(50, "no_secret", InvalidKeyError, "no secret given"),
        code(51, "too_many_secrets", InvalidKeyError, "more secrets than a key set holds"),
        code(52, "empty_secret", InvalidKeyError, "a secret is empty"),
        code(53, "malformed_secret", InvalidKeyError, "a secret is not in the scheme's key format"),
        code(54, "empty_signature", InvalidKeyError, "the signing secret is empty"),
        code(55, "signature_too_long", InvalidKeyError, "the signing secret is longer than payseal accepts"),
        code(56, "payload_not_object", InvalidInputError, "the payload to sign is not a JSON object"),
        code(60, "alg_not_allowed", AlgorithmNotAllowedError, "the token's algorithm is not allowed"),
        code(61, "crit_unsupported", UnsupportedError, "the token names critical extensions"),
        code(62, "key_not_found", KeyNotFoundError, "no single usable key for the token"),
        code(63, "not_yet_valid", NotYetValidError, "not valid yet"),
        code(64, "audience", ClaimError, "the audience is not the expected one"),
        code(65, "issuer", ClaimError, "the issuer is not the expected one"),
    ]
};

/// The row for a name (`"bad_signature"`), if payseal has that outcome.
pub fn by_name(name: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.name == name)
}

/// The row for a C ABI number, if it is assigned.
pub fn by_number(number: u32) -> Option<&'static Code> {
    CODES.iter().find(|c| c.number == number)
}

/// Implemented by every core error: its name in [`CODES`], from which a binding finds the
/// number, the class and the message. `codes::by_name(err.code())` is never `None` (tested).
pub trait ErrorCode {
    /// The outcome's stable name (`"bad_signature"`).
    fn code(&self) -> &'static str;

    /// The table row for this error (the base `internal` row if a name were ever missing).
    fn entry(&self) -> &'static Code {
        by_name(self.code()).unwrap_or(&CODES[INTERNAL_ROW])
    }
}

const INTERNAL_ROW: usize = 4;

/// The core errors whose inherent `code()` already returns a name of [`CODES`].
macro_rules! error_code_from_inherent {
    ($($ty:ty),* $(,)?) => {$(
        impl ErrorCode for $ty {
            fn code(&self) -> &'static str {
                <$ty>::code(self)
            }
        }
    )*};
}

error_code_from_inherent!(
    crate::json::Error,
    crate::webhooks::Error,
    crate::webhooks::KeyError,
    crate::webhooks::SignError,
    crate::paylands::Error,
    crate::paylands::KeyError,
    crate::eupay::QrError,
    crate::eupay::SignError,
    crate::eupay::KeyError,
    crate::jose::Error,
    crate::secrets::bcrypt::BcryptError,
    crate::secrets::keys::KeyError,
);

impl ErrorCode for crate::encoding::EncodingError {
    fn code(&self) -> &'static str {
        match self {
            Self::BufferTooSmall { .. } => "buffer_too_small",
            _ => "invalid_encoding",
        }
    }
}

impl ErrorCode for crate::secrets::keys::InvalidTableLink {
    fn code(&self) -> &'static str {
        "invalid_table_link"
    }
}

impl ErrorCode for crate::secrets::RandomnessError {
    fn code(&self) -> &'static str {
        "randomness"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_names_are_unique_and_internal_row_is_internal() {
        for (i, a) in CODES.iter().enumerate() {
            for b in &CODES[i + 1..] {
                assert_ne!(a.number, b.number, "{}", a.name);
                assert_ne!(a.name, b.name);
            }
        }
        assert_eq!(CODES[INTERNAL_ROW].name, "internal");
    }

    #[test]
    fn every_class_has_its_parent_listed_first() {
        for (i, (class, parent)) in CLASSES.iter().enumerate() {
            if let Some(p) = parent {
                assert!(CLASSES[..i].iter().any(|(c, _)| c == p), "{}", class.name());
            }
            assert_eq!(class.parent(), *parent);
        }
        for c in CODES {
            assert!(CLASSES.iter().any(|(k, _)| *k == c.class), "{}", c.name);
        }
    }
}
