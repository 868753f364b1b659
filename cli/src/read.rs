//! Reading an input file while a second thread proves its JSON strict: the proof the splitter
//! would otherwise make once the whole file is read (a tenth of a fleet export's run) is made on
//! the pieces as they come, in the time reading them takes. The reader marks each piece's lines
//! as it goes (the line index the splitter would then count; on the prover's thread, that thread
//! finished last).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use diagnosis::ingest::strict::StrictScan;
use diagnosis::ingest::Arrived;
use diagnosis::lines::{LineMarks, BYTES_PER_MARK};

/// Files from this size on are read in pieces, each proven while the next is read: below it, a
/// thread costs more than it saves.
const PROVEN_AS_READ_FROM: u64 = 4 << 20;

/// How much is read at a time: whole marks of the line index.
const PIECE: usize = 4 << 20;
const _: () = assert!(PIECE.is_multiple_of(BYTES_PER_MARK));

/// The bytes of `path`, with the proof about the JSON document they start with and their line
/// index when the file was large enough to be read in pieces.
pub fn file(path: &Path) -> io::Result<(Vec<u8>, Arrived)> {
    let mut file = File::open(path)?;
    let size = file.metadata().map_or(0, |m| m.len());
    if size < PROVEN_AS_READ_FROM {
        let mut whole = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.read_to_end(&mut whole)?;
        return Ok((whole, Arrived::default()));
    }
    // Read in place: each piece of the file's room is filled, then lent to the prover, which
    // reads it while the next is filled. The room's pages are the system's zeroed ones until a
    // piece is read into them.
    let mut whole = vec![0u8; usize::try_from(size).map_err(io::Error::other)?];
    let (filled, (proof, marks)) = std::thread::scope(|scope| {
        let (send, pieces) = std::sync::mpsc::channel::<(&[u8], usize)>();
        let prover = scope.spawn(move || {
            let mut scan = StrictScan::default();
            pieces.into_iter().for_each(|(piece, at)| scan.read(piece, at));
            scan.proof()
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
            // The prover only ever sees what was read, in order.
            let _ = send.send((&piece[..done], filled));
            filled += done;
            if done < piece.len() {
                break;
            }
        }
        drop(send);
        let proof = prover.join().map_err(|_| io::Error::other("the thread proving the input stopped"))?;
        read.map(|()| (filled, (proof, marks)))
    })?;
    whole.truncate(filled);
    // A file that changed size while it was read: the rest is read too, and the proof and the
    // marks, of only a part of it, are not given.
    file.read_to_end(&mut whole)?;
    if whole.len() != filled || filled as u64 != size {
        return Ok((whole, Arrived::default()));
    }
    Ok((whole, Arrived { strict: proof, lines: Some(marks.finish()), ..Arrived::default() }))
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
    use diagnosis::ingest::json_fast::strict_end;
    use diagnosis::ingest::strict::StrictProof;
    use diagnosis::lines::LineIndex;

    /// A file read in pieces is read whole, proven as serde_json proves it, and its lines marked
    /// as the whole text's; a small file is read without either.
    #[test]
    fn a_large_file_is_read_whole_and_proven() {
        let dir = std::env::temp_dir().join(format!("ssm-doctor-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let row = "{\"InstanceId\": \"i-0123456789abcdef0\", \"Text\": \"日本\\u00e9 \\\" ok\", \"N\": -1.5e3},\n";
        let rows = row.repeat((PROVEN_AS_READ_FROM as usize * 3) / row.len());
        for (name, text) in [
            ("strict.json", format!("\n{{\"Rows\": [{rows}{{}}]}}\ntrailing words")),
            ("trailing-comma.json", format!("{{\"Rows\": [{rows}]}}")),
            ("small.json", "{\"Rows\": []}".to_string()),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, &text).unwrap();
            let (bytes, arrived) = file(&path).unwrap();
            assert!(bytes == text.as_bytes(), "{name} is read whole");
            let in_pieces = text.len() as u64 >= PROVEN_AS_READ_FROM;
            let expected = in_pieces.then(|| {
                let start = text.find(['{', '[']).unwrap();
                StrictProof { start, end: strict_end(&text, start) }
            });
            assert_eq!(arrived.strict, expected, "{name}");
            assert_eq!(arrived.lines, in_pieces.then(|| LineIndex::new(&text)), "{name}");
        }
        assert!(file(&dir.join("missing.json")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
