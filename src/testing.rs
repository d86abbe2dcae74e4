//! Helpers for the unit tests.

/// `count` texts, each a few of `pieces` (up to `max_pieces - 1`) strung together at
/// random, the same ones on every run (xorshift from `seed`): for comparing a fast path
/// with the plain computation it replaces.
pub fn random_texts(pieces: &[&str], count: usize, max_pieces: u64, seed: u64) -> Vec<String> {
    let mut rng = seed;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    (0..count)
        .map(|_| {
            // The length is drawn from the generator too: taken from a state that only the
            // pieces move on, one empty text would make every later text empty.
            let len = next() % max_pieces;
            (0..len).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect()
        })
        .collect()
}
