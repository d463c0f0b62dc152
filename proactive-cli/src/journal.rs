//! `send --journal FILE`: the reference ids Amazon accepted, one per line, appended as answers
//! arrive and synced to disk in batches. A re-run with the same journal skips them, so a send
//! that was stopped at any point can simply be run again: what was journaled is skipped, and
//! what was accepted but not yet journaled is sent again and answered `409`, which a journaled
//! run counts as accepted by the earlier run. Nothing is lost, and nothing is delivered twice.

use std::collections::HashSet;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufWriter, Seek, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// Entries written before the journal is synced to disk, at most.
const SYNC_EVERY: usize = 512;
/// Time between syncs, at most, while answers arrive.
const SYNC_AFTER: Duration = Duration::from_millis(200);

/// The reference ids of an existing journal. Kept as 128-bit hashes (16 bytes each, however
/// long the ids), so a journal of millions of entries fits in little memory.
#[derive(Default)]
pub(crate) struct Done(HashSet<u128>);

impl Done {
    fn key(reference_id: &str) -> u128 {
        // Two independent hashes of the id: a collision that would skip an unsent request is
        // out of reach (about one in 10^29 for a million ids).
        let half = |salt: u8| {
            let mut h = std::hash::DefaultHasher::new();
            salt.hash(&mut h);
            reference_id.hash(&mut h);
            h.finish()
        };
        (u128::from(half(1)) << 64) | u128::from(half(2))
    }

    /// Whether the journal lists the reference id.
    pub(crate) fn contains(&self, reference_id: &str) -> bool {
        self.0.contains(&Self::key(reference_id))
    }

    /// How many reference ids the journal lists.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

/// An open journal, appended to.
pub(crate) struct Journal {
    out: BufWriter<File>,
    pending: usize,
    synced: Instant,
}

impl Journal {
    /// Opens (or creates) a journal and reads what it lists. A last line without its newline
    /// was cut short by a stop mid-write: it is dropped from the file and not counted.
    pub(crate) fn open(path: &Path) -> io::Result<(Journal, Done)> {
        let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(named)?;
        let mut done = Done::default();
        let mut complete = 0u64;
        let mut reader = io::BufReader::new(&mut file);
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = reader.read_until(b'\n', &mut line).map_err(named)?;
            if n == 0 || line.last() != Some(&b'\n') {
                break;
            }
            complete += n as u64;
            let id = String::from_utf8_lossy(&line[..n - 1]);
            let id = id.trim();
            if !id.is_empty() {
                done.0.insert(Done::key(id));
            }
        }
        drop(reader);
        if file.seek(io::SeekFrom::End(0)).map_err(named)? != complete {
            file.set_len(complete).map_err(named)?;
        }
        Ok((
            Journal {
                out: BufWriter::new(file),
                pending: 0,
                synced: Instant::now(),
            },
            done,
        ))
    }

    /// Records an accepted reference id; syncs when enough are pending or enough time passed.
    pub(crate) fn record(&mut self, reference_id: &str) -> io::Result<()> {
        writeln!(self.out, "{reference_id}")?;
        self.pending += 1;
        if self.pending >= SYNC_EVERY || self.synced.elapsed() >= SYNC_AFTER {
            self.sync()?;
        }
        Ok(())
    }

    /// Writes and syncs everything recorded.
    pub(crate) fn sync(&mut self) -> io::Result<()> {
        self.out.flush()?;
        self.out.get_ref().sync_data()?;
        self.pending = 0;
        self.synced = Instant::now();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_last_line_is_dropped_and_the_rest_is_kept() {
        let path = std::env::temp_dir().join(format!("proactive-journal-{}", std::process::id()));
        std::fs::write(&path, "order-1\norder-2\norder-12").unwrap();
        let (mut journal, done) = Journal::open(&path).unwrap();
        assert_eq!(done.len(), 2);
        assert!(done.contains("order-1") && done.contains("order-2"));
        assert!(!done.contains("order-12"), "a cut line is not an accepted id");
        journal.record("order-3").unwrap();
        journal.sync().unwrap();
        drop(journal);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "order-1\norder-2\norder-3\n");
        std::fs::remove_file(&path).ok();
    }
}
