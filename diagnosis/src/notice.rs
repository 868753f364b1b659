//! What reading an input says about it ("line 4: removed a trailing `,`", "decoded from UTF-16
//! LE"), kept typed until the report is written: a [`Message`] is a notice of notices.toml with
//! its values, and the report writes it in its own language. The readers never hold an English
//! sentence, so a Chinese report shows no English input message.

pub use crate::knowledge::Notice;
use crate::knowledge::{fill, notice, Lang};

/// A notice and the values of its `{slots}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub notice: Notice,
    args: Vec<(&'static str, Arg)>,
}

/// A slot's value: a value read from the input (written as it is, in every language), or
/// another message (written in the report's language too).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Arg {
    Value(String),
    Message(Box<Message>),
}

impl Message {
    pub fn new(notice: Notice) -> Message {
        Message { notice, args: Vec::new() }
    }

    /// Fills `{slot}` with a value read from the input, or a number.
    pub fn with(mut self, slot: &'static str, value: impl ToString) -> Message {
        self.args.push((slot, Arg::Value(value.to_string())));
        self
    }

    /// Fills `{slot}` with another message.
    pub fn nest(mut self, slot: &'static str, message: Message) -> Message {
        self.args.push((slot, Arg::Message(Box::new(message))));
        self
    }

    /// "line N: …": this message, said of a line of the input.
    pub fn at_line(self, line: u32) -> Message {
        Message::new(Notice::AtLine).with("line", line).nest("text", self)
    }

    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let vars: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(slot, arg)| {
                let text = match arg {
                    Arg::Value(value) => value.clone(),
                    Arg::Message(message) => message.render(lang),
                };
                (*slot, text)
            })
            .collect();
        fill(notice(self.notice).get(lang), &vars)
    }
}

/// In English: for logs, the command line's errors and test messages.
impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_written_in_the_report_language_with_its_values_and_counts() {
        let one = Message::new(Notice::NulRemoved).with("n", 1);
        assert_eq!(one.render(Lang::En), "1 NUL byte removed");
        assert_eq!(Message::new(Notice::NulRemoved).with("n", 3).to_string(), "3 NUL bytes removed");
        assert_eq!(one.render(Lang::ZhCn), "已移除 1 个 NUL 字节");
        let nested = Message::new(Notice::RepairTrailingComma).at_line(41);
        assert_eq!(nested.render(Lang::En), "line 41: removed a trailing `,`");
        assert_eq!(nested.render(Lang::ZhCn), "第 41 行：移除了末尾多余的 `,`");
    }

    #[test]
    fn every_notice_has_both_languages_and_no_slot_left_after_filling() {
        for notice in Notice::ALL {
            let text = crate::knowledge::notice(notice);
            for lang in [Lang::En, Lang::ZhCn] {
                // A count is `n`; the other slots are named in the text.
                let mut message = Message::new(notice).with("n", 2);
                for slot in crate::knowledge::slot_names(text.get(lang)) {
                    message = message.with(slot, "x");
                }
                let written = message.render(lang);
                assert!(!written.trim().is_empty(), "{}: empty in {lang:?}", notice.name());
                let left = crate::knowledge::slot_names(&written);
                assert!(left.is_empty(), "{}: {left:?} left in {written}", notice.name());
            }
        }
    }
}
