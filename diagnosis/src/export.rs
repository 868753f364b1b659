//! A report ready to leave the person's hands: the report and the decision path taken, redacted
//! in one pass (the report first, then the path: the order that numbers the pseudonyms, the
//! same on the page, on the command line and when a reply is restored), and written as one
//! Markdown document for a support case.

use crate::knowledge::Lang;
use crate::redact::{Category, Found, Redactor};
use crate::report::Report;
use crate::wizard::{path_markdown, Step};

#[derive(Debug, Clone)]
pub struct Export {
    pub report: Report,
    /// The walk through the decision tree: what the inputs and the person answered, and the
    /// question asked next. Empty for a fleet (each node has its own).
    pub walk: Vec<Step>,
}

impl Export {
    /// Every identifying value replaced by its session pseudonym, except the categories in
    /// `keep`. Returns what was hidden and kept (also in `report.redacted`).
    pub fn redact(&mut self, redactor: &mut Redactor, keep: &[Category]) -> Found {
        let mut pass = redactor.pass(keep);
        self.report.redact(&mut pass);
        self.walk.iter_mut().for_each(|step| step.redact(&mut pass));
        let found = pass.found();
        self.report.redacted = Some(found.clone());
        found
    }

    /// The report, then the decision path.
    pub fn to_markdown(&self, lang: Lang) -> String {
        let mut out = self.report.to_markdown(lang);
        if !self.walk.is_empty() {
            out.push_str(&path_markdown(&self.walk, lang));
        }
        out
    }
}
