//! The hashed data: which members of the notification are selected, and how they are written.
//!
//! Paylands' reference (PHP) builds an array from the decoded notification and hashes
//! `json_encode($data) . $signature`:
//!
//! * notification mode: `['order' => $n['order'], 'client' => $n['client']]`, plus
//!   `'extra_data' => $n['extra_data']` when the key is present (any value, `null` included),
//!   always in that order, whatever the order in the body;
//! * response mode: `$n` without `message`, `code`, `current_time` and `validation_hash`, in
//!   the order received.

use super::{Error, Flags, Malformed, Mode};
use crate::json::{self, Key, Kind, Value};
use crate::Sink;

/// Top-level members of a response that are not hashed.
const RESPONSE_ENVELOPE: [&str; 4] = ["message", "code", "current_time", "validation_hash"];

/// The members verification needs, found in one pass over the top-level object.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Located<'a> {
    root: Value<'a>,
    order: Option<Value<'a>>,
    client: Option<Value<'a>>,
    extra_data: Option<Value<'a>>,
    validation_hash: Option<Value<'a>>,
}

impl<'a> Located<'a> {
    /// Finds the members of `root`, which must be an object.
    pub(crate) fn find(root: Value<'a>) -> Result<Self, Malformed> {
        if root.kind() != Kind::Object {
            return Err(Malformed::NotAnObject);
        }
        let mut found = Self { root, order: None, client: None, extra_data: None, validation_hash: None };
        for (key, value) in root.members() {
            let slot = if key.str_eq("order") {
                &mut found.order
            } else if key.str_eq("client") {
                &mut found.client
            } else if key.str_eq("extra_data") {
                &mut found.extra_data
            } else if key.str_eq("validation_hash") {
                &mut found.validation_hash
            } else {
                continue;
            };
            // Duplicate keys are rejected by the parser, so each slot is filled at most once.
            *slot = Some(value);
        }
        Ok(found)
    }

    /// The top-level `order` value.
    pub(crate) fn order(&self) -> Option<Value<'a>> {
        self.order
    }

    /// The top-level `client` value.
    pub(crate) fn client(&self) -> Option<Value<'a>> {
        self.client
    }

    /// The top-level `extra_data` value.
    pub(crate) fn extra_data(&self) -> Option<Value<'a>> {
        self.extra_data
    }

    /// The digest the notification claims: its `validation_hash`, 64 hex digits of either case
    /// (escapes decoded, as `json_decode` would), as 32 bytes.
    pub(crate) fn claimed_digest(&self) -> Result<[u8; 32], Malformed> {
        let value = self.validation_hash.ok_or(Malformed::MissingValidationHash)?;
        let mut text = [0u8; 64];
        let len = match value.decode_str(&mut text) {
            None => return Err(Malformed::ValidationHashNotString),
            Some(Ok(len)) => len,
            Some(Err(_)) => return Err(Malformed::ValidationHashNotHex),
        };
        crate::encoding::hex::decode_array::<32>(&text[..len]).map_err(|_| Malformed::ValidationHashNotHex)
    }

    /// Checks what the mode requires of the document before anything is hashed.
    pub(crate) fn check(&self, mode: Mode) -> Result<(), Malformed> {
        match mode {
            Mode::Notification if self.order.is_none() => Err(Malformed::MissingOrder),
            _ => Ok(()),
        }
    }

    /// Writes `json_encode($data, flags)` into `sink`.
    pub(crate) fn emit<S: Sink + ?Sized>(&self, mode: Mode, flags: Flags, sink: &mut S) -> Result<(), Error> {
        let dialect = flags.dialect();
        match mode {
            Mode::Notification => {
                let order = self.order.ok_or(Malformed::MissingOrder)?;
                // The keys are fixed ASCII names, printed identically under both flag sets, and
                // `order` comes first, so PHP never prints this array as a list. An absent
                // `client` reads as `null` in PHP (`$n['client']` on a missing key).
                sink.write(br#"{"order":"#);
                order.emit(dialect, sink)?;
                sink.write(br#","client":"#);
                match self.client {
                    Some(client) => client.emit(dialect, sink)?,
                    None => sink.write(b"null"),
                }
                if let Some(extra) = self.extra_data {
                    sink.write(br#","extra_data":"#);
                    extra.emit(dialect, sink)?;
                }
                sink.write(b"}");
            }
            Mode::Response => {
                // `emit_members` prints the selection as PHP prints the array left after the
                // `unset`s: a list when its keys are exactly 0..n-1, `[]` when it is empty.
                let hashed = self.root.members().filter(|(key, _)| !is_envelope(key));
                json::emit_members(hashed, dialect, sink)?;
            }
        }
        Ok(())
    }
}

fn is_envelope(key: &Key<'_>) -> bool {
    RESPONSE_ENVELOPE.iter().any(|name| key.str_eq(name))
}
