//! Per-visitor rate limit, in memory of one instance: at most N view registrations per fixed
//! one-minute window per (IP, User-Agent) key. Keys are keyed hashes, never the IP itself, and
//! the whole table is dropped every minute.

use std::collections::HashMap;
use std::sync::Mutex;

pub struct RateLimiter {
    limit: u32,
    state: Mutex<(i64, HashMap<[u8; 16], u32>)>,
}

impl RateLimiter {
    pub fn new(limit: u32) -> Self {
        RateLimiter { limit, state: Mutex::new((i64::MIN, HashMap::new())) }
    }

    /// Records one attempt; false when the visitor is over the limit for this minute.
    pub fn allow(&self, key: [u8; 16], now_secs: i64) -> bool {
        let minute = now_secs.div_euclid(60);
        let mut guard = match self.state.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (current, map) = &mut *guard;
        if *current != minute {
            *current = minute;
            map.clear();
        }
        let n = map.entry(key).or_insert(0);
        *n = n.saturating_add(1);
        *n <= self.limit
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn limits_per_key_and_resets_each_minute() {
        let rl = super::RateLimiter::new(3);
        let (a, b) = ([1u8; 16], [2u8; 16]);
        assert!(rl.allow(a, 120) && rl.allow(a, 121) && rl.allow(a, 122));
        assert!(!rl.allow(a, 123));
        assert!(rl.allow(b, 123));
        assert!(rl.allow(a, 180));
    }
}
