//! The sink of a run: rows and rejects written, checkpointed and published
//! by the protocol of the module comment.

use super::*;

/// Where rows are written while the run goes.
enum RowsOut {
    Stdout(BufWriter<io::Stdout>),
    File(BufWriter<File>),
}

impl RowsOut {
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            RowsOut::Stdout(w) => w,
            RowsOut::File(w) => w,
        }
    }

    /// Flushes, and for a file makes the data durable.
    fn commit(&mut self) -> io::Result<()> {
        match self {
            RowsOut::Stdout(w) => w.flush(),
            RowsOut::File(w) => {
                w.flush()?;
                w.get_ref().sync_data()
            }
        }
    }
}

/// Writes the rows and rejects of one run; see the module comment.
pub struct OutputSink {
    paths: Paths,
    parquet: bool,
    fingerprint: String,
    rows: RowsOut,
    rows_bytes: u64,
    /// Opened at the first reject.
    rejects: Option<BufWriter<File>>,
    rejects_bytes: u64,
    records_done: u64,
    /// Reused serialization buffer for one line.
    line: Vec<u8>,
}

impl OutputSink {
    /// `resume == false`: start fresh; an unfinished run's state for this
    /// `OUT` is an error that names its files. `resume == true`: continue a
    /// previous run's committed state (starting fresh if there is none); an
    /// already complete `OUT` is an error.
    pub fn open(
        target: OutputTarget,
        resume: bool,
        run_fingerprint: &str,
    ) -> anyhow::Result<(OutputSink, ResumePoint)> {
        let paths = Paths::new(&target);
        let parquet = target.is_parquet();
        let Some(out) = paths.out.clone() else {
            if resume {
                bail!("--resume needs an output file (-o OUT): a run writing to standard output cannot be resumed");
            }
            let sink = OutputSink::new(
                paths,
                parquet,
                run_fingerprint,
                RowsOut::Stdout(BufWriter::new(io::stdout())),
            );
            sink.remove_stale_rejects_partial()?;
            return Ok((sink, ResumePoint::default()));
        };
        match read_state(&paths.state)? {
            None if resume && out.exists() => bail!(
                "{} is already complete (no unfinished run of it was found), so there is nothing to resume; \
                 run without --resume to overwrite it",
                out.display()
            ),
            None => OutputSink::start_fresh(paths, parquet, run_fingerprint),
            Some(_) if !resume => bail!(
                "an unfinished run of {} exists ({}); pass --resume to continue it, or delete {} to start over",
                out.display(),
                paths.state.display(),
                existing_run_files(&paths).join(", ")
            ),
            Some(state) => {
                check_state(&state, &paths, run_fingerprint)?;
                if state.finishing {
                    complete_interrupted_publish(&state, &paths, parquet)?;
                    return Err(PublishCompleted {
                        out: out.display().to_string(),
                        counters: state.counters,
                    }
                    .into());
                }
                OutputSink::resume_from(state, paths, parquet)
            }
        }
    }

    fn new(paths: Paths, parquet: bool, fingerprint: &str, rows: RowsOut) -> OutputSink {
        OutputSink {
            paths,
            parquet,
            fingerprint: fingerprint.to_string(),
            rows,
            rows_bytes: 0,
            rejects: None,
            rejects_bytes: 0,
            records_done: 0,
            line: Vec::new(),
        }
    }

    fn start_fresh(
        paths: Paths,
        parquet: bool,
        fingerprint: &str,
    ) -> anyhow::Result<(OutputSink, ResumePoint)> {
        let file = File::create(&paths.rows_partial)
            .with_context(|| format!("cannot create {}", paths.rows_partial.display()))?;
        let sink = OutputSink::new(
            paths,
            parquet,
            fingerprint,
            RowsOut::File(BufWriter::new(file)),
        );
        sink.remove_stale_rejects_partial()?;
        // The state exists from the start: it marks the run as unfinished.
        sink.write_state(&Counters::default(), false)?;
        Ok((sink, ResumePoint::default()))
    }

    fn resume_from(
        state: State,
        paths: Paths,
        parquet: bool,
    ) -> anyhow::Result<(OutputSink, ResumePoint)> {
        truncate_to(&paths.rows_partial, state.rows_bytes)?;
        truncate_to(&paths.rejects_partial, state.rejects_bytes)?;
        let rows = open_append(&paths.rows_partial)?;
        let mut sink = OutputSink::new(
            paths,
            parquet,
            &state.fingerprint,
            RowsOut::File(BufWriter::new(rows)),
        );
        sink.rows_bytes = state.rows_bytes;
        sink.rejects_bytes = state.rejects_bytes;
        sink.records_done = state.records_done;
        let point = ResumePoint {
            records_done: state.records_done,
            counters: state.counters,
        };
        Ok((sink, point))
    }

    /// Writes the rows of one article (all of them, so that a checkpoint
    /// never splits an article).
    pub fn write_rows(&mut self, rows: &[ScoreRow]) -> anyhow::Result<()> {
        for row in rows {
            check_scores(row)?;
            self.line.clear();
            serde_json::to_writer(&mut self.line, row).context("cannot serialize a row")?;
            self.line.push(b'\n');
            self.rows
                .writer()
                .write_all(&self.line)
                .with_context(|| format!("cannot write to {}", self.rows_name()))?;
            self.rows_bytes += self.line.len() as u64;
        }
        Ok(())
    }

    pub fn write_reject(&mut self, reject: &Reject) -> anyhow::Result<()> {
        #[derive(Serialize)]
        struct Line<'a> {
            file: &'a str,
            line: u64,
            reason: &'a str,
        }
        let record = Line {
            file: &reject.origin.file,
            line: reject.origin.line,
            reason: &reject.reason,
        };
        self.line.clear();
        serde_json::to_writer(&mut self.line, &record).context("cannot serialize a reject")?;
        self.line.push(b'\n');
        let path = &self.paths.rejects_partial;
        if self.rejects.is_none() {
            self.rejects = Some(BufWriter::new(open_append(path)?));
        }
        if let Some(writer) = self.rejects.as_mut() {
            writer
                .write_all(&self.line)
                .with_context(|| format!("cannot write to {}", path.display()))?;
        }
        self.rejects_bytes += self.line.len() as u64;
        Ok(())
    }

    /// Durable commit of everything written so far: `records_done` input
    /// records (articles and rejects) are done and `counters` are the totals.
    /// Data files are fsynced before the state file is replaced.
    pub fn checkpoint(&mut self, records_done: u64, counters: &Counters) -> anyhow::Result<()> {
        self.commit_data()?;
        self.records_done = records_done;
        if self.paths.out.is_some() {
            self.write_state(counters, false)?;
        }
        Ok(())
    }

    /// Final commit and publish (see the module comment). For Parquet, the
    /// conversion happens here.
    pub fn finish(mut self, counters: &Counters) -> anyhow::Result<()> {
        self.commit_data()?;
        let has_rejects = self.rejects_bytes > 0;
        self.rejects = None;
        if self.paths.out.is_none() {
            return publish_rejects(&self.paths, has_rejects);
        }
        self.write_state(counters, true)?;
        publish(&self.paths, self.parquet, has_rejects)?;
        remove_state(&self.paths)
    }

    fn rows_name(&self) -> String {
        match &self.paths.out {
            None => "standard output".to_string(),
            Some(_) => self.paths.rows_partial.display().to_string(),
        }
    }

    /// Flushes rows and rejects and makes them durable.
    fn commit_data(&mut self) -> anyhow::Result<()> {
        let rows_name = self.rows_name();
        self.rows
            .commit()
            .with_context(|| format!("cannot write to {rows_name}"))?;
        if let Some(writer) = self.rejects.as_mut() {
            let path = &self.paths.rejects_partial;
            writer
                .flush()
                .with_context(|| format!("cannot write to {}", path.display()))?;
            writer
                .get_ref()
                .sync_data()
                .with_context(|| format!("cannot sync {}", path.display()))?;
        }
        Ok(())
    }

    fn write_state(&self, counters: &Counters, finishing: bool) -> anyhow::Result<()> {
        let state = State {
            version: STATE_VERSION,
            fingerprint: self.fingerprint.clone(),
            records_done: self.records_done,
            rows_bytes: self.rows_bytes,
            rejects_bytes: self.rejects_bytes,
            counters: counters.clone(),
            finishing,
        };
        write_state_atomically(&self.paths, &state)
    }

    /// A rejects partial left by a run that was never resumed is not ours.
    fn remove_stale_rejects_partial(&self) -> anyhow::Result<()> {
        remove_if_exists(&self.paths.rejects_partial)
    }
}

/// Rejects a row whose scores JSON cannot represent (serde_json would write
/// `null`, which is no probability): that is a bug upstream.
fn check_scores(row: &ScoreRow) -> anyhow::Result<()> {
    for (name, value) in [
        ("condemn", row.condemn),
        ("support", row.support),
        ("ceasefire", row.ceasefire),
    ] {
        if !value.is_finite() {
            bail!(
                "score {name} of document {} sentence {} party {} is {value}, not a number in [0, 1]",
                row.doc_id,
                row.sentence_index,
                row.party
            );
        }
    }
    Ok(())
}
