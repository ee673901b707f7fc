//! When a remote JWK Set is fetched, and what is kept: the policy of panva/jose's
//! `createRemoteJWKSet`, PyJWT's `PyJWKClient` and php-jwt's `CachedKeySet`, decided once here so
//! that every binding's `RemoteJwkSet` behaves the same. The binding does the HTTP (each
//! language's own client: the network is not the core's); this state machine only answers "fetch
//! now?" and records what happened. Time is a parameter (seconds on any clock that does not go
//! backwards: a monotonic clock is best).
//!
//! The rules:
//! * No set yet, or the set is `max_age` old or older: fetch before verifying.
//! * A token names a `kid` the set does not have (`key_not_found`): fetch again, at most once per
//!   `cooldown` (a flood of tokens with made-up `kid`s cannot turn into a flood of requests).
//! * A failed fetch keeps the last good set (an outage of the identity provider does not reject
//!   every token signed with a key already known); the next attempt waits `cooldown`.
//! * With no good set at all, attempts are spaced by `cooldown` too.

/// How long a fetched set is used, and how long to wait between fetches that a verification
/// asks for. Seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshPolicy {
    /// A set this old (seconds since it was fetched) is fetched again before use.
    pub max_age: u64,
    /// The least time between two fetch attempts asked for by an unknown `kid` or after a
    /// failure.
    pub cooldown: u64,
}

impl RefreshPolicy {
    /// The defaults every binding uses: a set kept 10 minutes, 30 seconds between attempts.
    pub const DEFAULT: Self = Self { max_age: 600, cooldown: 30 };
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The state of one remote set: when it was last fetched, and when last tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refresher {
    policy: RefreshPolicy,
    /// When the set in use was fetched (`None`: no good set yet).
    fetched_at: Option<i64>,
    /// When the last attempt, good or bad, started.
    attempted_at: Option<i64>,
}

impl Refresher {
    /// A remote set not fetched yet.
    #[must_use]
    pub const fn new(policy: RefreshPolicy) -> Self {
        Self { policy, fetched_at: None, attempted_at: None }
    }

    /// The policy in force.
    #[must_use]
    pub const fn policy(&self) -> RefreshPolicy {
        self.policy
    }

    /// True once a fetch has succeeded (a set is there to verify with).
    #[must_use]
    pub const fn has_set(&self) -> bool {
        self.fetched_at.is_some()
    }

    /// Before a verification: fetch first? Yes when there is no good set yet or it is
    /// `max_age` old — unless an attempt started less than `cooldown` ago (then the last good
    /// set, if any, is used as it is).
    #[must_use]
    pub fn should_fetch(&self, now: i64) -> bool {
        let stale = match self.fetched_at {
            None => true,
            Some(at) => elapsed(at, now) >= self.policy.max_age,
        };
        stale && self.cooled_down(now)
    }

    /// After a verification failed with `key_not_found`: fetch again and retry once? Yes at
    /// most once per `cooldown`.
    #[must_use]
    pub fn should_refetch_for_unknown_kid(&self, now: i64) -> bool {
        self.cooled_down(now)
    }

    /// Records that an attempt starts at `now` (call before the HTTP request).
    pub fn attempt(&mut self, now: i64) {
        self.attempted_at = Some(now);
    }

    /// Records a fetch that produced a usable set at `now`: the binding now uses the new set.
    pub fn succeeded(&mut self, now: i64) {
        self.fetched_at = Some(now);
    }

    /// Records a failed fetch (HTTP error, time-out, a document that is not a JWK Set): the last
    /// good set stays in use; nothing changes but the attempt time already recorded.
    pub fn failed(&mut self, now: i64) {
        // The attempt's start is what spaces attempts; a failure reported later must not
        // shorten the cooldown.
        if self.attempted_at.is_none() {
            self.attempted_at = Some(now);
        }
    }

    fn cooled_down(&self, now: i64) -> bool {
        match self.attempted_at {
            None => true,
            Some(at) => elapsed(at, now) >= self.policy.cooldown,
        }
    }
}

/// Seconds from `then` to `now`; 0 when the clock went backwards.
fn elapsed(then: i64, now: i64) -> u64 {
    u64::try_from(now.saturating_sub(then)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: RefreshPolicy = RefreshPolicy { max_age: 600, cooldown: 30 };

    fn fetched_at(t: i64) -> Refresher {
        let mut r = Refresher::new(POLICY);
        r.attempt(t);
        r.succeeded(t);
        r
    }

    #[test]
    fn the_first_use_fetches_and_a_fresh_set_is_kept_for_max_age() {
        let r = Refresher::new(POLICY);
        assert!(!r.has_set());
        assert!(r.should_fetch(0));
        let r = fetched_at(1000);
        assert!(r.has_set());
        assert!(!r.should_fetch(1000));
        assert!(!r.should_fetch(1599));
        assert!(r.should_fetch(1600));
    }

    #[test]
    fn an_unknown_kid_refetches_at_most_once_per_cooldown() {
        let mut r = fetched_at(1000);
        assert!(!r.should_refetch_for_unknown_kid(1010), "within the cooldown of the first fetch");
        assert!(r.should_refetch_for_unknown_kid(1030));
        r.attempt(1030);
        r.succeeded(1030);
        for t in 1030..1060 {
            assert!(!r.should_refetch_for_unknown_kid(t), "{t}");
        }
        assert!(r.should_refetch_for_unknown_kid(1060));
    }

    #[test]
    fn a_failure_keeps_the_last_good_set_and_waits_the_cooldown() {
        let mut r = fetched_at(1000);
        assert!(r.should_fetch(1600));
        r.attempt(1600);
        r.failed(1605);
        assert!(r.has_set(), "the last good set stays");
        assert!(!r.should_fetch(1629), "the stale set is used while cooling down");
        assert!(r.should_fetch(1630));
    }

    #[test]
    fn without_any_good_set_attempts_are_spaced_by_the_cooldown() {
        let mut r = Refresher::new(POLICY);
        r.attempt(0);
        r.failed(5);
        assert!(!r.has_set());
        assert!(!r.should_fetch(29));
        assert!(r.should_fetch(30));
    }

    #[test]
    fn a_clock_that_goes_back_never_fetches_early_nor_panics() {
        let r = fetched_at(1000);
        assert!(!r.should_fetch(-5));
        assert!(!r.should_refetch_for_unknown_kid(i64::MIN));
        assert!(r.should_fetch(i64::MAX));
    }
}
