//! What is worked out once and asked again and again while reading (what a
//! text can be, what a unit measures, the layout of a shape) is kept per
//! thread, under the schema it was worked out for, and bounded.

use std::borrow::Borrow;
use std::hash::Hash;

use rustc_hash::FxHashMap;

/// What was worked out under one schema, in one thread; at most `KEPT`
/// results, so that an archive of many forms never grows it without end.
pub(super) struct Memo<K, V, const KEPT: usize> {
    schema: u64,
    seen: FxHashMap<K, V>,
}

impl<K, V, const KEPT: usize> Default for Memo<K, V, KEPT> {
    fn default() -> Self {
        Memo { schema: 0, seen: FxHashMap::default() }
    }
}

impl<K: Hash + Eq, V: Clone, const KEPT: usize> Memo<K, V, KEPT> {
    pub fn get<Q: Hash + Eq + ?Sized>(&self, schema: u64, k: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        (self.schema == schema).then(|| self.seen.get(k).cloned()).flatten()
    }

    pub fn keep(&mut self, schema: u64, k: K, v: V) {
        if self.schema != schema || self.seen.len() >= KEPT {
            self.seen.clear();
            self.schema = schema;
        }
        self.seen.insert(k, v);
    }
}
