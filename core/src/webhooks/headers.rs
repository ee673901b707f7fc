//! Request headers as the verifiers see them: looked up by name, ASCII case-insensitively
//! (RFC 9110 §5.1), without allocating.

use super::limits::MAX_HEADER_LEN;
use super::Error;

/// Read access to a request's headers.
///
/// Implemented for slices, arrays and `Vec`s of `(name, value)` pairs whose parts are
/// `&str`, `String`, `&[u8]` or `Vec<u8>` (anything `AsRef<[u8]>`). Implement it for your
/// framework's header map to avoid copying.
///
/// ```
/// use payseal::webhooks::Headers;
/// let h = [("Content-Type", "application/json"), ("X-Hub-Signature-256", "sha256=00")];
/// assert_eq!(h.values("x-hub-signature-256").next(), Some(&b"sha256=00"[..]));
/// ```
pub trait Headers {
    /// Every value of the header called `name` (compared ASCII case-insensitively), in order.
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's;
}

impl<H: Headers + ?Sized> Headers for &H {
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's {
        (**self).values(name)
    }
}

impl<N: AsRef<[u8]>, V: AsRef<[u8]>> Headers for [(N, V)] {
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's {
        self.iter().filter(move |(n, _)| n.as_ref().eq_ignore_ascii_case(name.as_bytes())).map(|(_, v)| v.as_ref())
    }
}

impl<N: AsRef<[u8]>, V: AsRef<[u8]>, const K: usize> Headers for [(N, V); K] {
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's {
        self.as_slice().values(name)
    }
}

#[cfg(feature = "alloc")]
impl<N: AsRef<[u8]>, V: AsRef<[u8]>> Headers for alloc::vec::Vec<(N, V)> {
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's {
        self.as_slice().values(name)
    }
}

/// The one value of header `name`, with optional whitespace (RFC 9110 §5.5) trimmed.
/// `Ok(None)` when absent; a repeated header is malformed (two signatures in two headers
/// would be ambiguous), and a value over [`MAX_HEADER_LEN`] is too large.
pub(crate) fn single<'h, H: Headers + ?Sized>(headers: &'h H, name: &'static str) -> Result<Option<&'h [u8]>, Error> {
    let mut values = headers.values(name);
    let Some(first) = values.next() else { return Ok(None) };
    if values.next().is_some() {
        return Err(Error::MalformedHeader { name });
    }
    if first.len() > MAX_HEADER_LEN {
        return Err(Error::TooLarge);
    }
    Ok(Some(first.trim_ascii()))
}

/// Like [`single`], but an absent header is [`Error::MissingHeader`].
pub(crate) fn required<'h, H: Headers + ?Sized>(headers: &'h H, name: &'static str) -> Result<&'h [u8], Error> {
    single(headers, name)?.ok_or(Error::MissingHeader { name })
}

/// The first of several alternative names that is present (Standard Webhooks: `webhook-*`,
/// then the older `svix-*`); errors name the first alternative.
pub(crate) fn required_either<'h, H: Headers + ?Sized>(
    headers: &'h H,
    primary: &'static str,
    legacy: &'static str,
) -> Result<&'h [u8], Error> {
    match single(headers, primary)? {
        Some(v) => Ok(v),
        None => single(headers, legacy)
            .map_err(|e| match e {
                Error::MalformedHeader { .. } => Error::MalformedHeader { name: primary },
                other => other,
            })?
            .ok_or(Error::MissingHeader { name: primary }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_is_case_insensitive_trimmed_and_rejects_repeats() {
        let h = [("X-Sig", " a \t"), ("x-other", "b"), ("X-OTHER", "c")];
        assert_eq!(single(&h[..], "x-sig"), Ok(Some(&b"a"[..])));
        assert_eq!(single(&h[..], "x-none"), Ok(None));
        assert_eq!(required(&h[..], "x-none"), Err(Error::MissingHeader { name: "x-none" }));
        assert_eq!(single(&h[..], "X-Other"), Err(Error::MalformedHeader { name: "X-Other" }));
        let byte_pairs: [(&[u8], &[u8]); 1] = [(b"svix-id", b"m")];
        assert_eq!(required_either(&byte_pairs, "webhook-id", "svix-id"), Ok(&b"m"[..]));
        assert_eq!(
            required_either(&byte_pairs, "webhook-x", "svix-x"),
            Err(Error::MissingHeader { name: "webhook-x" })
        );
    }
}
