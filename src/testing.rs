//! Helpers for the unit tests.

/// `count` texts, each a few of `pieces` (up to `max_pieces - 1`) strung together at
/// random, the same ones on every run (xorshift from `seed`): for comparing a fast path
/// with the plain computation it replaces.
pub fn random_texts(pieces: &[&str], count: usize, max_pieces: u64, seed: u64) -> Vec<String> {
    let mut rng = seed;
    (0..count)
        .map(|_| {
            let mut text = String::new();
            for _ in 0..(rng % max_pieces) {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                text.push_str(pieces[(rng % pieces.len() as u64) as usize]);
            }
            text
        })
        .collect()
}
