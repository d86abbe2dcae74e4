//! The one number encoding of the browser index (`docs/search-index.md`), used by the
//! postings and by every other export file.

/// Base-64 varint: 5 data bits per character, the sixth bit says "more follows". The
/// alphabet needs no escaping in JSON strings.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub fn push_varint(out: &mut String, mut n: u64) {
    loop {
        let low = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(ALPHABET[low] as char);
            return;
        }
        out.push(ALPHABET[low | 32] as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        let mut s = String::new();
        push_varint(&mut s, 0);
        push_varint(&mut s, 31);
        push_varint(&mut s, 32);
        push_varint(&mut s, 1000);
        assert_eq!(s, "AfgBof");
    }
}
