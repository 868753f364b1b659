//! `describe-instance-patch-states` rows as columns: what a fleet export is made of. Each field
//! is a column with one entry per row (texts as interned symbols, counts as numbers, times as
//! numbers with their texts kept in order) and the line it was read from beside it (0: the row
//! has no such field; lines are 1-based).
//! Reading a row allocates nothing of its own; a [`PatchStateRow`] reads a row back as borrowed
//! values with their [`Cite`]s.

use std::borrow::Cow;

use crate::intern::{Interner, Sym, TextList};
use crate::lines::Cite;
use crate::model::{Field, PatchState};

/// A time as read: seconds since the epoch (None: not a real date) and the text shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Time<'a> {
    pub epoch: Option<f64>,
    pub text: Cow<'a, str>,
}

/// One row as read from the input, borrowing its text: what [`PatchStates::push`] stores.
#[derive(Debug)]
pub struct NewPatchState<'t> {
    pub cite: Cite,
    pub instance_id: Option<Field<&'t str>>,
    pub patch_group: Option<Field<&'t str>>,
    pub baseline_id: Option<Field<&'t str>>,
    pub operation: Option<Field<&'t str>>,
    pub reboot_option: Option<Field<&'t str>>,
    pub install_override_list: Option<Field<&'t str>>,
    pub operation_end: Option<Field<Time<'t>>>,
    pub last_no_reboot_install: Option<Field<Time<'t>>>,
    /// By [`PatchState::ALL`]'s order.
    pub counts: [Option<Field<i64>>; STATES],
}

impl NewPatchState<'_> {
    /// A row starting at `cite`, with no values yet.
    pub fn at(cite: Cite) -> Self {
        NewPatchState {
            cite,
            instance_id: None,
            patch_group: None,
            baseline_id: None,
            operation: None,
            reboot_option: None,
            install_override_list: None,
            operation_end: None,
            last_no_reboot_install: None,
            counts: Default::default(),
        }
    }
}

const STATES: usize = PatchState::ALL.len();

/// One value per row, and the line it was read from (0: absent).
#[derive(Debug, Default)]
struct Column<T> {
    values: Vec<T>,
    lines: Vec<u32>,
}

impl<T: Copy + Default> Column<T> {
    fn push(&mut self, value: Option<(T, u32)>) {
        let (value, line) = value.unwrap_or_default();
        self.values.push(value);
        self.lines.push(line);
    }

    fn get(&self, row: usize) -> Option<(T, u32)> {
        let line = self.lines[row];
        (line != 0).then(|| (self.values[row], line))
    }
}

/// A time's number (NaN: not a real date) and its text (in `PatchStates::times`): 16 bytes,
/// where an `Option<f64>` made 24.
#[derive(Debug, Clone, Copy)]
struct TimeValue {
    epoch: f64,
    text: Option<Sym>,
}

impl Default for TimeValue {
    fn default() -> Self {
        TimeValue { epoch: f64::NAN, text: None }
    }
}

/// Every patch-state row read, as columns.
#[derive(Debug, Default)]
pub struct PatchStates {
    texts: Interner,
    /// The times' texts: each node's own, so never looked up (interning them cost a fleet's
    /// reading a hash and a table entry each).
    times: TextList,
    /// The input of each row (a row's values are all on its input's lines).
    input: Vec<u32>,
    /// The line each row starts on.
    line: Vec<u32>,
    instance_id: Column<Option<Sym>>,
    patch_group: Column<Option<Sym>>,
    baseline_id: Column<Option<Sym>>,
    operation: Column<Option<Sym>>,
    reboot_option: Column<Option<Sym>>,
    install_override_list: Column<Option<Sym>>,
    operation_end: Column<TimeValue>,
    last_no_reboot_install: Column<TimeValue>,
    /// 32-bit, the API's `Integer` type of every count.
    counts: Vec<[i32; STATES]>,
    count_lines: Vec<[u32; STATES]>,
}

impl PatchStates {
    /// Stores a row: its texts interned, its numbers as they are.
    pub fn push(&mut self, row: NewPatchState<'_>) {
        let texts = &mut self.texts;
        let mut text = |f: Option<Field<&str>>| f.map(|f| (Some(texts.intern(f.value)), f.cite.line));
        self.instance_id.push(text(row.instance_id));
        self.patch_group.push(text(row.patch_group));
        self.baseline_id.push(text(row.baseline_id));
        self.operation.push(text(row.operation));
        self.reboot_option.push(text(row.reboot_option));
        self.install_override_list.push(text(row.install_override_list));
        let mut time = |f: Option<Field<Time>>| {
            f.map(|f| {
                let epoch = f.value.epoch.unwrap_or(f64::NAN);
                (TimeValue { epoch, text: Some(self.times.push(&f.value.text)) }, f.cite.line)
            })
        };
        let (end, no_reboot) = (time(row.operation_end), time(row.last_no_reboot_install));
        self.operation_end.push(end);
        self.last_no_reboot_install.push(no_reboot);
        let mut counts = [0; STATES];
        let mut lines = [0; STATES];
        for (i, count) in row.counts.iter().enumerate() {
            if let Some(count) = count {
                // A count past the API's 32-bit range is not from AWS: kept at the range's end.
                counts[i] = count.value.clamp(i32::MIN.into(), i32::MAX.into()) as i32;
                lines[i] = count.cite.line;
            }
        }
        self.counts.push(counts);
        self.count_lines.push(lines);
        self.input.push(row.cite.input);
        self.line.push(row.cite.line);
    }

    pub fn len(&self) -> usize {
        self.line.len()
    }

    pub fn is_empty(&self) -> bool {
        self.line.is_empty()
    }

    /// The rows in the order read.
    /// How many distinct texts the rows hold: every [`PatchStateRow::node_sym`] is below it.
    pub fn texts_len(&self) -> usize {
        self.texts.len()
    }

    /// How many rows name each node, by [`PatchStateRow::node_sym`]'s index.
    pub fn rows_per_node(&self) -> Vec<u32> {
        let mut rows = vec![0u32; self.texts_len()];
        self.iter().filter_map(|row| row.node_sym()).for_each(|sym| rows[sym.index()] += 1);
        rows
    }

    /// The symbol the rows' texts hold `text` as, if any does: the same as a row's
    /// [`PatchStateRow::node_sym`] exactly when the row names that node.
    pub fn find(&self, text: &str) -> Option<Sym> {
        self.texts.find(text)
    }

    /// The rows' texts, for a lookup to share their symbols.
    pub fn texts(&self) -> &Interner {
        &self.texts
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = PatchStateRow<'_>> + '_ {
        (0..self.len()).map(move |at| PatchStateRow { states: self, at })
    }

    /// Row `at` (in the order read), if there is one.
    pub fn get(&self, at: usize) -> Option<PatchStateRow<'_>> {
        (at < self.len()).then_some(PatchStateRow { states: self, at })
    }
}

/// Each node's baseline, as the first of its rows that names one says, looked up by the node's
/// id: one entry per stored text, where a map of ids held 8 MB for 150,000 nodes.
pub struct BaselineOf<'a> {
    states: &'a PatchStates,
    /// Indexed by a node id's symbol: its baseline's.
    by_node: Vec<Option<Sym>>,
}

impl<'a> BaselineOf<'a> {
    pub fn new(states: &'a PatchStates) -> Self {
        let mut by_node = vec![None; states.texts.len()];
        for at in 0..states.len() {
            let (Some((Some(node), _)), Some((Some(baseline), _))) =
                (states.instance_id.get(at), states.baseline_id.get(at))
            else {
                continue;
            };
            by_node[node.index()].get_or_insert(baseline);
        }
        BaselineOf { states, by_node }
    }

    /// The baseline of `node`, if a row of it names one.
    pub fn get(&self, node: &str) -> Option<&'a str> {
        let node = self.states.texts.find(node)?;
        self.by_node[node.index()].map(|b| self.states.texts.get(b))
    }

    /// The baseline of the node of `row` (a row of these states), by the symbol it was read
    /// with: the same as [`BaselineOf::get`] of its id, without hashing the id again.
    pub fn of_row(&self, row: PatchStateRow<'_>) -> Option<&'a str> {
        debug_assert!(std::ptr::eq(row.states, self.states), "a row of these states");
        self.by_node[row.node_sym()?.index()].map(|b| self.states.texts.get(b))
    }
}

/// One row, read back from the columns.
#[derive(Debug, Clone, Copy)]
pub struct PatchStateRow<'a> {
    states: &'a PatchStates,
    at: usize,
}

impl<'a> PatchStateRow<'a> {
    fn cite_at(self, line: u32) -> Cite {
        Cite { input: self.states.input[self.at], line, within: 0 }
    }

    fn text(self, column: &Column<Option<Sym>>) -> Option<Field<&'a str>> {
        let (sym, line) = column.get(self.at)?;
        let value = sym.map_or("", |s| self.states.texts.get(s));
        Some(Field { value, cite: self.cite_at(line) })
    }

    fn time(self, column: &Column<TimeValue>) -> Option<Field<Time<'a>>> {
        let (time, line) = column.get(self.at)?;
        let text = time.text.map_or("", |s| self.states.times.get(s));
        let epoch = (!time.epoch.is_nan()).then_some(time.epoch);
        Some(Field { value: Time { epoch, text: Cow::Borrowed(text) }, cite: self.cite_at(line) })
    }

    /// The row as a whole (where it starts).
    pub fn cite(self) -> Cite {
        self.cite_at(self.states.line[self.at])
    }

    /// The node: empty, cited at the row, when the row names none (an answer given without
    /// an instance id is about no node in particular).
    pub fn instance_id(self) -> Field<&'a str> {
        self.text(&self.states.instance_id).unwrap_or(Field { value: "", cite: self.cite() })
    }

    /// The node's id as a symbol of the rows' texts (equal ids, equal symbols); None when the
    /// row names none, or names it empty.
    pub fn node_sym(self) -> Option<Sym> {
        let (sym, _) = self.states.instance_id.get(self.at)?;
        sym.filter(|&s| !self.states.texts.get(s).is_empty())
    }

    pub fn patch_group(self) -> Option<Field<&'a str>> {
        self.text(&self.states.patch_group)
    }

    pub fn baseline_id(self) -> Option<Field<&'a str>> {
        self.text(&self.states.baseline_id)
    }

    pub fn operation(self) -> Option<Field<&'a str>> {
        self.text(&self.states.operation)
    }

    pub fn reboot_option(self) -> Option<Field<&'a str>> {
        self.text(&self.states.reboot_option)
    }

    pub fn install_override_list(self) -> Option<Field<&'a str>> {
        self.text(&self.states.install_override_list)
    }

    pub fn operation_end(self) -> Option<Field<Time<'a>>> {
        self.time(&self.states.operation_end)
    }

    pub fn last_no_reboot_install(self) -> Option<Field<Time<'a>>> {
        self.time(&self.states.last_no_reboot_install)
    }

    /// The count of `state`, if the row has one.
    pub fn count(self, state: PatchState) -> Option<Field<i64>> {
        let i = PatchState::ALL.iter().position(|s| *s == state)?;
        let line = self.states.count_lines[self.at][i];
        (line != 0).then(|| Field { value: self.states.counts[self.at][i].into(), cite: self.cite_at(line) })
    }

    /// Every count the row has, by [`PatchState::ALL`]'s order.
    pub fn counts(self) -> impl Iterator<Item = (PatchState, Field<i64>)> + 'a {
        PatchState::ALL.into_iter().filter_map(move |state| self.count(state).map(|c| (state, c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<T>(value: T, line: u32) -> Option<Field<T>> {
        Some(Field { value, cite: Cite::new(2, line) })
    }

    #[test]
    fn a_row_reads_back_as_it_was_read() {
        let mut states = PatchStates::default();
        let mut counts: [Option<Field<i64>>; STATES] = Default::default();
        counts[3] = field(4, 9); // Missing
        counts[5] = field(0, 10); // Installed: present, zero
        states.push(NewPatchState {
            cite: Cite::new(2, 3),
            instance_id: field("i-0123456789abcdef0", 4),
            baseline_id: field("pb-0123456789abcdef0", 5),
            operation: field("Scan", 6),
            operation_end: field(Time { epoch: Some(1.5), text: Cow::Borrowed("2026-01-01T00:00:01.5Z") }, 7),
            // A time that is not a real date keeps its text, and no number.
            last_no_reboot_install: field(Time { epoch: None, text: Cow::Borrowed("yesterday") }, 8),
            counts,
            ..NewPatchState::at(Cite::new(2, 3))
        });
        states.push(NewPatchState::at(Cite::new(2, 20)));
        let rows: Vec<PatchStateRow> = states.iter().collect();
        let row = rows[0];
        assert_eq!(row.cite(), Cite::new(2, 3));
        assert_eq!(row.instance_id(), Field { value: "i-0123456789abcdef0", cite: Cite::new(2, 4) });
        assert_eq!(row.baseline_id().map(|b| b.value), Some("pb-0123456789abcdef0"));
        assert_eq!(row.operation().map(|o| (o.value, o.cite.line)), Some(("Scan", 6)));
        assert_eq!(row.patch_group(), None);
        let end = row.operation_end().expect("read");
        assert_eq!((end.value.epoch, end.value.text.as_ref(), end.cite.line), (Some(1.5), "2026-01-01T00:00:01.5Z", 7));
        let no_reboot = row.last_no_reboot_install().expect("read");
        assert_eq!((no_reboot.value.epoch, no_reboot.value.text.as_ref()), (None, "yesterday"));
        assert_eq!(row.count(PatchState::Missing).map(|c| (c.value, c.cite.line)), Some((4, 9)));
        assert_eq!(row.count(PatchState::Failed), None);
        let listed: Vec<(PatchState, i64)> = row.counts().map(|(s, c)| (s, c.value)).collect();
        assert_eq!(listed, [(PatchState::Missing, 4), (PatchState::Installed, 0)]);
        // A row naming no node: an empty id, cited at the row.
        assert_eq!(rows[1].instance_id(), Field { value: "", cite: Cite::new(2, 20) });
        assert!(rows[1].counts().next().is_none());
        assert_eq!(rows[1].operation_end(), None);
    }

    #[test]
    fn a_nodes_baseline_is_the_first_its_rows_name() {
        let mut states = PatchStates::default();
        let row = |node: &'static str, baseline: Option<&'static str>, line: u32| NewPatchState {
            instance_id: field(node, line),
            baseline_id: baseline.and_then(|b| field(b, line + 1)),
            ..NewPatchState::at(Cite::new(0, line))
        };
        states.push(row("i-0aaaaaaaaaaaaaaa1", None, 1));
        states.push(row("i-0aaaaaaaaaaaaaaa1", Some("pb-0aaaaaaaaaaaaaaa1"), 10));
        states.push(row("i-0aaaaaaaaaaaaaaa1", Some("pb-0bbbbbbbbbbbbbbb2"), 20));
        states.push(row("i-0ccccccccccccccc3", Some("pb-0bbbbbbbbbbbbbbb2"), 30));
        states.push(row("i-0ddddddddddddddd4", None, 40));
        let baselines = BaselineOf::new(&states);
        assert_eq!(baselines.get("i-0aaaaaaaaaaaaaaa1"), Some("pb-0aaaaaaaaaaaaaaa1"));
        assert_eq!(baselines.get("i-0ccccccccccccccc3"), Some("pb-0bbbbbbbbbbbbbbb2"));
        assert_eq!(baselines.get("i-0ddddddddddddddd4"), None);
        // A text stored as a baseline, or never stored, is no node.
        assert_eq!(baselines.get("pb-0aaaaaaaaaaaaaaa1"), None);
        assert_eq!(baselines.get("i-0eeeeeeeeeeeeeee5"), None);
    }
}
