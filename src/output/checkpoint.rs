//! The checkpoint protocol of `--resume` (see the module comment of
//! [`super`]): the state file, its checks, truncation to the committed
//! lengths, and publishing a finished run.

use super::*;

pub(super) fn read_state(path: &Path) -> anyhow::Result<Option<State>> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let state = serde_json::from_slice(&bytes).with_context(|| {
        format!(
            "{} is not a valid state file; delete it and the partial files to start over",
            path.display()
        )
    })?;
    Ok(Some(state))
}

pub(super) fn check_state(state: &State, paths: &Paths, fingerprint: &str) -> anyhow::Result<()> {
    let files = existing_run_files(paths).join(", ");
    if state.version != STATE_VERSION {
        bail!(
            "{} has format version {}, this program reads version {STATE_VERSION}; delete {files} to start over",
            paths.state.display(),
            state.version
        );
    }
    if state.fingerprint != fingerprint {
        bail!(
            "cannot resume: the unfinished run in {} used {} (fingerprint {} there, {fingerprint} now); \
             nothing was written. Run it again with the same inputs, model and parties, or delete {files} to start over",
            paths.state.display(),
            changed_parts(&state.fingerprint, fingerprint),
            state.fingerprint
        );
    }
    Ok(())
}

/// What differs between two fingerprints of the form `part=digest …`, for
/// the refusal message: "a different model", "different inputs and parties".
pub fn changed_parts(old: &str, new: &str) -> String {
    let parts = |f: &str| -> Vec<(String, String)> {
        f.split_whitespace()
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let (old_parts, new_parts) = (parts(old), parts(new));
    let changed: Vec<String> = new_parts
        .iter()
        .filter(|(key, value)| {
            old_parts
                .iter()
                .find(|(k, _)| k == key)
                .is_none_or(|(_, v)| v != value)
        })
        .map(|(key, _)| match key.as_str() {
            "format" => "output format or program version".to_string(),
            other => other.to_string(),
        })
        .collect();
    if old_parts.is_empty() || changed.is_empty() {
        return "another program version".to_string();
    }
    let list = match changed.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => unreachable!("checked above"),
    };
    let article = if changed.len() == 1 && !changed[0].ends_with('s') {
        "a different"
    } else {
        "different"
    };
    format!("{article} {list}")
}

/// The files of an unfinished run that exist now, for messages.
pub(super) fn existing_run_files(paths: &Paths) -> Vec<String> {
    [&paths.state, &paths.rows_partial, &paths.rejects_partial]
        .into_iter()
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect()
}

pub(super) fn write_state_atomically(paths: &Paths, state: &State) -> anyhow::Result<()> {
    let mut json = serde_json::to_vec(state).context("cannot serialize the run state")?;
    json.push(b'\n');
    let tmp = &paths.state_tmp;
    let write = || -> io::Result<()> {
        let mut file = File::create(tmp)?;
        file.write_all(&json)?;
        file.sync_all()
    };
    write().with_context(|| format!("cannot write {}", tmp.display()))?;
    fs::rename(tmp, &paths.state).with_context(|| {
        format!(
            "cannot rename {} to {}",
            tmp.display(),
            paths.state.display()
        )
    })?;
    sync_dir(paths.dir())
}

pub(super) fn remove_state(paths: &Paths) -> anyhow::Result<()> {
    // A process killed while writing a checkpoint leaves its half-written
    // temporary state behind; it is never read, so it goes with the run. It
    // goes first: a kill between the two removals then leaves the state,
    // which a resume finishes, rather than a stray temporary nobody removes.
    remove_if_exists(&paths.state_tmp)?;
    sync_dir(paths.dir())?;
    remove_if_exists(&paths.state)?;
    sync_dir(paths.dir())
}

/// The rest of a publish that a dead process had started: the state says all
/// data was committed, so do the (idempotent) publish steps again.
pub(super) fn complete_interrupted_publish(
    state: &State,
    paths: &Paths,
    parquet: bool,
) -> anyhow::Result<()> {
    if paths.rows_partial.exists() {
        truncate_to(&paths.rows_partial, state.rows_bytes)?;
    }
    if paths.rejects_partial.exists() {
        truncate_to(&paths.rejects_partial, state.rejects_bytes)?;
    }
    publish(paths, parquet, state.rejects_bytes > 0)?;
    remove_state(paths)
}

/// Moves the committed partial files into place. Every step can be run again
/// after a crash in the middle (a step already done finds nothing to do).
pub(super) fn publish(paths: &Paths, parquet: bool, has_rejects: bool) -> anyhow::Result<()> {
    // Rejects first: once OUT exists, its rejects file is final too.
    publish_rejects(paths, has_rejects)?;
    let out = paths
        .out
        .as_deref()
        .expect("publish is only for file outputs");
    if paths.rows_partial.exists() {
        if parquet {
            jsonl_to_parquet(&paths.rows_partial, &paths.parquet_tmp)?;
            rename(&paths.parquet_tmp, out)?;
            sync_dir(paths.dir())?;
            fs::remove_file(&paths.rows_partial)
                .with_context(|| format!("cannot remove {}", paths.rows_partial.display()))?;
        } else {
            rename(&paths.rows_partial, out)?;
        }
    }
    sync_dir(paths.dir())
}

pub(super) fn publish_rejects(paths: &Paths, has_rejects: bool) -> anyhow::Result<()> {
    if has_rejects {
        if paths.rejects_partial.exists() {
            rename(&paths.rejects_partial, &paths.rejects)?;
        }
    } else {
        // This run rejected nothing: an older rejects file would mislead.
        remove_if_exists(&paths.rejects)?;
        remove_if_exists(&paths.rejects_partial)?;
    }
    Ok(())
}

/// Cuts a partial file back to its committed length. A missing file is fine
/// when nothing of it was committed.
pub(super) fn truncate_to(path: &Path, committed: u64) -> anyhow::Result<()> {
    let file = match OpenOptions::new().write(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound && committed == 0 => return Ok(()),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot resume: cannot open {}", path.display()))
        }
    };
    let len = file
        .metadata()
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if len < committed {
        bail!(
            "cannot resume: {} has {len} bytes but the last checkpoint committed {committed}; \
             it was changed since, so delete the run's files to start over",
            path.display()
        );
    }
    file.set_len(committed)
        .with_context(|| format!("cannot truncate {}", path.display()))?;
    file.sync_all()
        .with_context(|| format!("cannot sync {}", path.display()))
}

pub(super) fn open_append(path: &Path) -> anyhow::Result<File> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open {}", path.display()))
}

pub(super) fn rename(from: &Path, to: &Path) -> anyhow::Result<()> {
    fs::rename(from, to)
        .with_context(|| format!("cannot rename {} to {}", from.display(), to.display()))
}

pub(super) fn remove_if_exists(path: &Path) -> anyhow::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// `path` with `suffix` appended to its file name (`a.jsonl` → `a.jsonl.partial`).
pub(super) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}
