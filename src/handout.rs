//! Strings a build hands out a counted number of times and frees at the last: the
//! documents' Markdown (rendered once) and their HTML (their own page, and the booklets
//! and print pages that print them). At 100,000 documents each is half a gigabyte; held
//! to the end of the build, they were most of its peak memory.
//!
//! Only a build counts uses: `serve` keeps its bodies between builds and hands nothing
//! out. A use that was not counted panics instead of handing out an empty string, so a
//! miscount shows as a failed build, never as a page without its text.

use std::sync::Mutex;

pub struct Handout {
    slots: Vec<Mutex<Slot>>,
}

struct Slot {
    /// Uses still to come.
    left: u32,
    text: Option<String>,
}

impl Handout {
    /// The strings, each with `uses` uses counted (more with [`Handout::expect`]).
    pub fn new(texts: Vec<String>, uses: u32) -> Handout {
        Handout { slots: texts.into_iter().map(|t| Mutex::new(Slot { left: uses, text: Some(t) })).collect() }
    }

    /// Counts one more use of string `i` to come.
    pub fn expect(&self, i: usize) {
        self.slot(i).left += 1;
    }

    /// Calls `f` with string `i`, which is freed after its last use. Each use reads the
    /// string (renders it, rebases it, makes a template value of it), so it is lent, not
    /// copied: a copy for every use but the last was 70 MB per 100 booklet cases. The
    /// string's slot stays locked while `f` runs.
    pub fn with<R>(&self, i: usize, f: impl FnOnce(&str) -> R) -> R {
        let mut slot = self.slot(i);
        assert!(slot.left > 0, "string {i} was handed out more often than its uses were counted");
        slot.left -= 1;
        let out = f(slot.text.as_deref().expect("a string is there until its last use"));
        if slot.left == 0 {
            slot.text = None;
        }
        out
    }

    /// Frees the strings nobody is going to use.
    pub fn drop_unused(&self) {
        for s in &self.slots {
            let mut s = s.lock().expect("handout slot");
            if s.left == 0 {
                s.text = None;
            }
        }
    }

    fn slot(&self, i: usize) -> std::sync::MutexGuard<'_, Slot> {
        // A panic while a slot was held is reported by that thread; the slot is whole.
        self.slots[i].lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::Handout;

    #[test]
    fn lends_until_the_last_use_then_frees_and_refuses_more() {
        let h = Handout::new(vec!["a".into()], 2);
        assert_eq!(h.with(0, str::len), 1);
        assert!(h.slots[0].lock().unwrap().text.is_some(), "kept for the second use");
        assert_eq!(h.with(0, str::to_uppercase), "A");
        assert!(h.slots[0].lock().unwrap().text.is_none(), "freed at the last");
        assert!(std::panic::catch_unwind(|| h.with(0, str::len)).is_err(), "an uncounted use is an error, not an empty page");
        let h = Handout::new(vec!["a".into(), "b".into()], 0);
        h.expect(0);
        h.drop_unused();
        assert!(h.slots[0].lock().unwrap().text.is_some(), "expected: kept");
        assert!(h.slots[1].lock().unwrap().text.is_none(), "never expected: freed");
    }
}
