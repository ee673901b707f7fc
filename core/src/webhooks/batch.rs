//! Many deliveries in one call, spread over the available cores.

use std::num::NonZeroUsize;
use std::vec::Vec;

use super::{Error, Freshness, Headers, KeySet};

/// Below this many items per thread, a batch runs on the calling thread alone: starting a
/// thread costs more than verifying a few small deliveries.
const MIN_ITEMS_PER_THREAD: usize = 16;

/// One delivery of a batch.
#[derive(Debug)]
pub struct Item<'a, H: ?Sized> {
    /// The keys (and so the scheme) to verify with.
    pub keys: &'a KeySet,
    /// The request headers.
    pub headers: &'a H,
    /// The raw body.
    pub body: &'a [u8],
}

impl<H: ?Sized> Clone for Item<'_, H> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<H: ?Sized> Copy for Item<'_, H> {}

/// Verifies every item with [`KeySet::verify`] against the same `at`, using every available
/// core (`std::thread::available_parallelism`); returns one outcome per item, in order.
///
/// ```
/// use payseal::webhooks::{verify_batch, Freshness, Item, KeySet, Scheme};
/// let keys = KeySet::new(Scheme::Checkout, &["cko-secret"])?;
/// let headers = [("Cko-Signature", "00")];
/// let items = vec![Item { keys: &keys, headers: &headers[..], body: b"{}" }; 3];
/// let outcomes = verify_batch(&items, Freshness::now());
/// assert_eq!(outcomes.len(), 3);
/// assert!(outcomes.iter().all(|o| o.is_err()));
/// # Ok::<(), payseal::webhooks::KeyError>(())
/// ```
pub fn verify_batch<H: Headers + Sync + ?Sized>(items: &[Item<'_, H>], at: Freshness) -> Vec<Result<(), Error>> {
    let threads = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
    verify_batch_on(items, at, threads)
}

/// [`verify_batch`] on at most `threads` threads (the calling thread is one of them).
/// Items are cut into one contiguous chunk per thread.
pub fn verify_batch_on<H: Headers + Sync + ?Sized>(
    items: &[Item<'_, H>],
    at: Freshness,
    threads: NonZeroUsize,
) -> Vec<Result<(), Error>> {
    let mut out = std::vec![Ok(()); items.len()];
    let threads = threads.get().min(items.len().div_ceil(MIN_ITEMS_PER_THREAD)).max(1);
    let chunk = items.len().div_ceil(threads).max(1);
    let run = |items: &[Item<'_, H>], out: &mut [Result<(), Error>]| {
        for (item, slot) in items.iter().zip(out) {
            *slot = item.keys.verify(item.headers, item.body, at);
        }
    };
    std::thread::scope(|scope| {
        let mut parts = items.chunks(chunk).zip(out.chunks_mut(chunk));
        let first = parts.next();
        for (items, out) in parts {
            scope.spawn(move || run(items, out));
        }
        if let Some((items, out)) = first {
            run(items, out);
        }
    });
    out
}
