//! Facts from text parts that are not logs: pasted AWS CLI command lines, and the box-drawn
//! table of `ssm-cli get-diagnostics --output table`.

use super::Evidence;
use crate::ingest::{cli, InputKind};
use crate::lines::Cite;
use crate::model::DiagnosticCheck;

impl Evidence {
    pub(super) fn read_text(&mut self, input: usize, kind: InputKind, first_line: u32, text: &str) {
        match kind {
            InputKind::CliCommand => {
                if let Some(command) = cli::parse(text, Cite { input, line: first_line }) {
                    self.cli_commands.push(command);
                }
            }
            InputKind::SsmCliDiagnostics => self.read_diagnostics_table(input, first_line, text),
            _ => {}
        }
    }

    /// Box-drawn `ssm-cli get-diagnostics --output table`: rows continue over several lines.
    fn read_diagnostics_table(&mut self, input: usize, first_line: u32, text: &str) {
        let mut current: Option<DiagnosticCheck> = None;
        for (i, line) in text.lines().enumerate() {
            let cells: Vec<&str> = line.split(['│', '|']).collect();
            if cells.len() < 5 {
                if let Some(done) = current.take() {
                    self.diagnostics.push(done);
                }
                continue;
            }
            let (check, status, note) = (cells[1].trim(), cells[2].trim(), cells[3].trim());
            if check == "Check" && status == "Status" {
                continue;
            }
            match (&mut current, check.is_empty()) {
                (Some(row), true) => {
                    row.note.push(' ');
                    row.note.push_str(note);
                }
                _ => {
                    if let Some(done) = current.take() {
                        self.diagnostics.push(done);
                    }
                    current = Some(DiagnosticCheck {
                        cite: Cite { input, line: first_line + i as u32 },
                        check: check.to_string(),
                        status: status.to_string(),
                        note: note.to_string(),
                    });
                }
            }
        }
        if let Some(done) = current {
            self.diagnostics.push(done);
        }
    }
}
