//! Reading an input file while a second thread finds free text's literals in it (the places the
//! ids named anywhere are read after, `evidence::scan::FreeTextScan`): found on the pieces as
//! they come, in the time reading them takes, not beside the reading of its rows, where the two
//! threads had no core to spare. The reader marks each piece's lines as it goes (the line index
//! the splitter would then count).
//!
//! The JSON document a large file starts with is presumed strict (`ingest::Grammar::Presumed`)
//! and proven as its rows are read; this thread proved it before, and the rows were then read
//! again.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use diagnosis::evidence::scan::FreeTextScan;
use diagnosis::ingest::{decode, Arrived};
use diagnosis::lines::{LineMarks, BYTES_PER_MARK};

/// Files from this size on are read in pieces, each searched while the next is read: below
/// it, a thread costs more than it saves.
const SCANNED_AS_READ_FROM: u64 = 4 << 20;

/// How much is read at a time: whole marks of the line index.
const PIECE: usize = 4 << 20;
const _: () = assert!(PIECE.is_multiple_of(BYTES_PER_MARK));

/// The bytes of `path`, with the places of free text's literals and the line index when the
/// file was large enough to be read in pieces (its JSON then presumed strict).
pub fn file(path: &Path) -> io::Result<(Vec<u8>, Arrived)> {
    let mut file = File::open(path)?;
    let size = file.metadata().map_or(0, |m| m.len());
    if size < SCANNED_AS_READ_FROM {
        let mut whole = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.read_to_end(&mut whole)?;
        return Ok((whole, Arrived::default()));
    }
    // Read in place: each piece of the file's room is filled, then lent to the scan, which
    // reads it while the next is filled. The room's pages are the system's zeroed ones until a
    // piece is read into them.
    let mut whole = vec![0u8; usize::try_from(size).map_err(io::Error::other)?];
    let (filled, ((free_text, clean), marks)) = std::thread::scope(|scope| {
        let (send, pieces) = std::sync::mpsc::channel::<(&[u8], usize)>();
        // The pieces are searched for NULs and carriage returns here too: the text's decoding
        // then does not search all of it again on the main thread.
        let scanner = scope.spawn(move || {
            let (mut scan, mut clean) = (FreeTextScan::default(), true);
            for (piece, at) in pieces {
                scan.read(piece, at);
                clean = clean && !decode::needs_cleaning(piece);
            }
            (scan.hits(), clean)
        });
        let (mut filled, mut marks) = (0, LineMarks::default());
        let mut read = Ok(());
        for piece in whole.chunks_mut(PIECE) {
            let done = match fill(&mut file, piece) {
                Ok(done) => done,
                Err(e) => {
                    read = Err(e);
                    break;
                }
            };
            let piece: &[u8] = piece;
            marks.push(&piece[..done]);
            // The scan only ever sees what was read, in order.
            let _ = send.send((&piece[..done], filled));
            filled += done;
            if done < piece.len() {
                break;
            }
        }
        drop(send);
        let free_text = scanner.join().map_err(|_| io::Error::other("the thread reading the input stopped"))?;
        read.map(|()| (filled, (free_text, marks)))
    })?;
    whole.truncate(filled);
    // A file that changed size while it was read: the rest is read too, and the places and the
    // marks, of only a part of it, are not given.
    file.read_to_end(&mut whole)?;
    if whole.len() != filled || filled as u64 != size {
        return Ok((whole, Arrived::default()));
    }
    let lines = Some(marks.finish());
    Ok((whole, Arrived { free_text: Some(free_text), lines, presume_strict: true, clean }))
}

/// Fills `piece` from `file`, short only at the end of the file.
fn fill(file: &mut File, piece: &mut [u8]) -> io::Result<usize> {
    let mut done = 0;
    while done < piece.len() {
        match file.read(&mut piece[done..]) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use diagnosis::evidence::scan::free_text_hits;
    use diagnosis::lines::LineIndex;

    /// A file read in pieces is read whole, with free text's literals where they are in the
    /// whole text, its lines marked as the whole text's, and its JSON presumed strict; a small
    /// file is read without any of it.
    #[test]
    fn a_large_file_is_read_whole_and_searched() {
        let dir = std::env::temp_dir().join(format!("ssm-doctor-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let row = "{\"InstanceId\": \"i-0123456789abcdef0\", \"Text\": \"日本\\u00e9 \\\" RunCommandId=ok\", \"N\": -1.5e3},\n";
        let rows = row.repeat((SCANNED_AS_READ_FROM as usize * 3) / row.len());
        for (name, text) in [
            ("strict.json", format!("\n{{\"Rows\": [{rows}{{}}]}}\ntrailing words")),
            ("trailing-comma.json", format!("{{\"Rows\": [{rows}]}}")),
            ("crlf.json", format!("{{\"Rows\": [{}{{}}]}}", rows.replace('\n', "\r\n"))),
            ("small.json", "{\"Rows\": []}".to_string()),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, &text).unwrap();
            let (bytes, arrived) = file(&path).unwrap();
            assert!(bytes == text.as_bytes(), "{name} is read whole");
            let in_pieces = text.len() as u64 >= SCANNED_AS_READ_FROM;
            assert_eq!(arrived.free_text, in_pieces.then(|| free_text_hits(text.as_bytes())), "{name}");
            assert_eq!(arrived.lines, in_pieces.then(|| LineIndex::new(&text)), "{name}");
            assert_eq!(arrived.presume_strict, in_pieces, "{name}");
            assert_eq!(arrived.clean, in_pieces && !text.contains(['\0', '\r']), "{name}");
        }
        assert!(file(&dir.join("missing.json")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A large file's JSON, presumed strict as it is read, gives the report of the same bytes
    /// read whole and proven first: a strict export, and one with a trailing comma, which is read
    /// again as the tolerant reader reads it (its repair said).
    #[test]
    fn a_large_file_presumed_strict_is_reported_as_one_proven_first() {
        use diagnosis::commands::Settings;
        use diagnosis::{ingest, Diagnosis, Lang, Report};
        let dir = std::env::temp_dir().join(format!("ssm-doctor-presumed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let export = diagnosis::generate::generate("instance-patch-states", 5_000, 9).expect("an export");
        let last = export.rfind(']').expect("a list");
        let trailing_comma = format!("{},{}", &export[..last], &export[last..]);
        let now = Some(1_796_083_200.0);
        let report = |inputs: &[ingest::Input], diagnosis: &Diagnosis| {
            Report::build(inputs, diagnosis, Lang::En, &Settings::default()).to_json()
        };
        for (name, text) in [("strict.json", export), ("trailing-comma.json", trailing_comma)] {
            let path = dir.join(name);
            std::fs::write(&path, &text).unwrap();
            let (bytes, arrived) = file(&path).unwrap();
            assert!(arrived.presume_strict, "{name} is read in pieces");
            let mut presumed = vec![ingest::read_arrived(name, bytes.clone(), arrived)];
            let diagnosis = Diagnosis::of_read_again(&mut presumed, now);
            let proven = vec![ingest::read_owned(name, bytes)];
            let expected = report(&proven, &Diagnosis::of(&proven, now));
            assert!(expected.contains("\"P6\""));
            assert!(report(&presumed, &diagnosis) == expected, "{name}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
