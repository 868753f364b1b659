//! Items grouped by a key: the groups in the order their keys are first seen, each group's
//! items in their order. Held as two flat lists (each group's start, then every group's items
//! one after another), so a fleet's 150,000 nodes cost no list each, and reading the groups in
//! turn reads the items nearly in order (a node's findings are mostly side by side).

use std::hash::Hash;

use rustc_hash::FxHashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouped<K> {
    keys: Vec<K>,
    /// Group `g`'s items are `items[starts[g]..starts[g + 1]]`.
    starts: Vec<u32>,
    items: Vec<u32>,
}

/// No group: an item whose key is `None`.
const NONE: u32 = u32::MAX;

impl<K: Hash + Eq + Clone> Grouped<K> {
    /// Groups item `i` under `keys[i]`; an item whose key is `None` is in no group.
    pub fn by(keys: impl IntoIterator<Item = Option<K>>) -> Grouped<K> {
        let mut at: FxHashMap<K, u32> = FxHashMap::default();
        let mut groups: Vec<K> = Vec::new();
        let mut sizes: Vec<u32> = Vec::new();
        // Each item's group (NONE: in none), then each group's items in one list.
        let of: Vec<u32> = keys
            .into_iter()
            .map(|key| {
                let Some(key) = key else { return NONE };
                let g = *at.entry(key).or_insert_with_key(|key| {
                    groups.push(key.clone());
                    sizes.push(0);
                    (groups.len() - 1) as u32
                });
                sizes[g as usize] += 1;
                g
            })
            .collect();
        Grouped::of_groups(groups, &sizes, &of)
    }
}

impl Grouped<usize> {
    /// [`Grouped::by`] for keys that are small indices (interned symbols): looked up in a list,
    /// not hashed. The groups and their items are the same as `by` makes of the same keys.
    pub fn by_index(keys: impl IntoIterator<Item = Option<usize>>) -> Grouped<usize> {
        let mut group_of: Vec<u32> = Vec::new();
        let mut groups: Vec<usize> = Vec::new();
        let mut sizes: Vec<u32> = Vec::new();
        let of: Vec<u32> = keys
            .into_iter()
            .map(|key| {
                let Some(key) = key else { return NONE };
                if key >= group_of.len() {
                    group_of.resize(key + 1, NONE);
                }
                if group_of[key] == NONE {
                    group_of[key] = groups.len() as u32;
                    groups.push(key);
                    sizes.push(0);
                }
                let g = group_of[key];
                sizes[g as usize] += 1;
                g
            })
            .collect();
        Grouped::of_groups(groups, &sizes, &of)
    }
}

impl<K> Grouped<K> {
    /// The groups `keys` (of `sizes[g]` items each), with item `i` in group `of[i]`.
    fn of_groups(keys: Vec<K>, sizes: &[u32], of: &[u32]) -> Grouped<K> {
        let mut starts = Vec::with_capacity(keys.len() + 1);
        starts.push(0);
        for size in sizes {
            starts.push(starts[starts.len() - 1] + size);
        }
        let mut next = starts[..keys.len()].to_vec();
        let mut items = vec![0; starts[keys.len()] as usize];
        for (item, &g) in of.iter().enumerate().filter(|(_, g)| **g != NONE) {
            let slot = &mut next[g as usize];
            items[*slot as usize] = item as u32;
            *slot += 1;
        }
        Grouped { keys, starts, items }
    }
}

impl<K> Grouped<K> {
    /// How many groups.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Group `g`'s key.
    pub fn key(&self, g: usize) -> &K {
        &self.keys[g]
    }

    /// Group `g`'s items, in order.
    pub fn items(&self, g: usize) -> &[u32] {
        &self.items[self.starts[g] as usize..self.starts[g + 1] as usize]
    }

    /// The same groups under other keys: `key` gives each group's from its key and its items.
    pub fn rekeyed<L>(self, mut key: impl FnMut(&K, &[u32]) -> L) -> Grouped<L> {
        let keys = (0..self.len()).map(|g| key(self.key(g), self.items(g))).collect();
        Grouped { keys, starts: self.starts, items: self.items }
    }

    /// Every group's key and items, in the order the keys were first seen.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &[u32])> {
        (0..self.len()).map(|g| (self.key(g), self.items(g)))
    }
}

#[cfg(test)]
mod tests {
    use super::Grouped;

    #[test]
    fn groups_come_in_the_order_first_seen_with_their_items_in_order() {
        let grouped = Grouped::by(["b", "a", "b", "c", "a", "b"].map(Some));
        let listed: Vec<(&str, Vec<u32>)> = grouped.iter().map(|(k, items)| (*k, items.to_vec())).collect();
        assert_eq!(listed, [("b", vec![0, 2, 5]), ("a", vec![1, 4]), ("c", vec![3])]);
    }

    #[test]
    fn rekeyed_groups_keep_their_items_and_order() {
        let grouped = Grouped::by(["b", "a", "b"].map(Some)).rekeyed(|key, items| (key.to_uppercase(), items[0]));
        let listed: Vec<_> = grouped.iter().map(|(k, items)| (k.clone(), items.to_vec())).collect();
        assert_eq!(listed, [(("B".to_string(), 0), vec![0, 2]), (("A".to_string(), 1), vec![1])]);
    }

    proptest::proptest! {
        /// Indices grouped through a list give the groups that hashing them gives.
        #[test]
        fn grouping_by_index_is_grouping_by_key(keys in proptest::collection::vec(proptest::option::of(0usize..40), 0..200)) {
            proptest::prop_assert_eq!(Grouped::by_index(keys.clone()), Grouped::by(keys));
        }
    }

    #[test]
    fn an_item_without_a_key_is_in_no_group() {
        let grouped = Grouped::by([None, Some(1), None, Some(1)]);
        assert_eq!(grouped.len(), 1);
        assert_eq!(grouped.items(0), [1, 3]);
        assert!(Grouped::<u8>::by([None, None]).is_empty());
    }
}
