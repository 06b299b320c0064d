//! Fresh short ids: a counter run through a keyed permutation and written in base62.
//!
//! The permutation is a bijection on 35-bit numbers, so one run never produces the same
//! id twice before 2³⁵ creates; the key is random per start, so runs that share a state
//! file rarely collide (and the store re-draws on the rare collision).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

const BITS: u32 = 35;
const MASK: u64 = (1 << BITS) - 1;
/// 62⁶ > 2³⁵, so every id has exactly this many characters.
const LEN: usize = 6;
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Hands out distinct 6-character base62 ids.
pub(crate) struct IdGenerator {
    counter: AtomicU64,
    key: u64,
}

impl IdGenerator {
    /// A generator with a fresh random key.
    pub(crate) fn new() -> Self {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        if let Ok(elapsed) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            hasher.write_u128(elapsed.as_nanos());
        }
        IdGenerator {
            counter: AtomicU64::new(0),
            key: hasher.finish(),
        }
    }

    /// The next id.
    pub(crate) fn next(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut value = permute(n, self.key);
        let mut out = [0u8; LEN];
        for byte in out.iter_mut().rev() {
            // `value % 62` is always a valid index.
            *byte = ALPHABET.get((value % 62) as usize).copied().unwrap_or(b'0');
            value /= 62;
        }
        out.iter().map(|&b| char::from(b)).collect()
    }
}

/// A bijection on `0..2^35` keyed by `key` (add, multiply by odd, xor-shift: each step
/// is invertible modulo 2^35).
fn permute(n: u64, key: u64) -> u64 {
    let mut x = n.wrapping_add(key) & MASK;
    x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15 | 1) & MASK;
    x ^= x >> 17;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9 | 1) & MASK;
    x ^= x >> 13;
    x ^= (key >> BITS) & MASK;
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn permutation_is_injective_on_a_window() {
        let key = 0x1234_5678_9ABC_DEF0;
        let mut seen = HashSet::new();
        for n in 0..200_000 {
            let v = permute(n, key);
            assert!(v <= MASK);
            assert!(seen.insert(v));
        }
    }

    #[test]
    fn ids_are_short_base62_and_distinct() {
        let ids = IdGenerator::new();
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let id = ids.next();
            assert_eq!(id.len(), LEN);
            assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
            assert!(seen.insert(id));
        }
    }
}
