//! Publishing files and directories atomically: what the program publishes
//! (reports, predictions, plots, a trained model directory) appears whole or
//! not at all, even if the process dies mid-write.
//!
//! A file is written to a unique temporary sibling (same directory, so the
//! rename stays on one file system), synced, renamed over the target, and
//! the directory is synced so the rename itself survives a crash. A
//! directory is staged the same way and renamed into place as a whole.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;

/// Tells apart temporary siblings made by one process.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// The directory `path` lives in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// A hidden sibling of `path` that no other writer uses:
/// `.NAME.tmp-PID-N`, keeping `path`'s extension last (plotters picks the
/// image format from it).
pub fn temp_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let unique = format!(
        "tmp-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let file = match path.extension() {
        Some(ext) => format!(".{name}.{unique}.{}", ext.to_string_lossy()),
        None => format!(".{name}.{unique}"),
    };
    parent_dir(path).join(file)
}

/// Makes renames and removals in `dir` durable (a no-op where directories
/// cannot be opened, i.e. outside Unix).
pub fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("cannot sync directory {}", dir.display()))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Publishes `path` by letting `write` fill a temporary sibling, then
/// syncing and renaming it. On error the temporary file is removed and
/// `path` is untouched.
pub fn publish_with(
    path: &Path,
    write: impl FnOnce(&Path) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dir = parent_dir(path);
    fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create directory", dir.display()))?;
    let tmp = temp_sibling(path);
    let result = write(&tmp)
        .and_then(|()| {
            File::open(&tmp)
                .and_then(|f| f.sync_all())
                .with_context(|| format!("{}: cannot sync", tmp.display()))
        })
        .and_then(|()| {
            fs::rename(&tmp, path)
                .with_context(|| format!("{}: cannot rename into place", path.display()))
        });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    sync_dir(dir)
}

/// Publishes `bytes` as `path`.
pub fn publish_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    publish_with(path, |tmp| {
        let mut file =
            File::create(tmp).with_context(|| format!("{}: cannot create", tmp.display()))?;
        file.write_all(bytes)
            .with_context(|| format!("{}: cannot write", tmp.display()))
    })
}

/// A directory being written next to where it will be published.
#[derive(Debug)]
pub struct StagedDir {
    staging: PathBuf,
    target: PathBuf,
}

impl StagedDir {
    /// Creates an empty staging directory beside `target`.
    pub fn new(target: &Path) -> anyhow::Result<StagedDir> {
        let staging = temp_sibling(target);
        fs::create_dir_all(&staging)
            .with_context(|| format!("{}: cannot create", staging.display()))?;
        Ok(StagedDir {
            staging,
            target: target.to_path_buf(),
        })
    }

    /// Copies the files of `dir` into the staging directory (to rewrite some
    /// of them and publish the whole again).
    pub fn copy_from(&self, dir: &Path) -> anyhow::Result<()> {
        for entry in fs::read_dir(dir).with_context(|| format!("{}: cannot list", dir.display()))? {
            let path = entry?.path();
            if path.is_file() {
                let to = self
                    .staging
                    .join(path.file_name().expect("a listed file has a name"));
                fs::copy(&path, &to).with_context(|| {
                    format!("{}: cannot copy to {}", path.display(), to.display())
                })?;
            }
        }
        Ok(())
    }

    /// Where to write the directory's files until [`Self::publish`].
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Syncs every file, then puts the directory in place of the target (an
    /// old target is moved aside first and removed after).
    pub fn publish(self) -> anyhow::Result<()> {
        for entry in fs::read_dir(&self.staging)
            .with_context(|| format!("{}: cannot list", self.staging.display()))?
        {
            let path = entry?.path();
            if path.is_file() {
                File::open(&path)
                    .and_then(|f| f.sync_all())
                    .with_context(|| format!("{}: cannot sync", path.display()))?;
            }
        }
        sync_dir(&self.staging)?;
        let old = self.target.exists().then(|| temp_sibling(&self.target));
        if let Some(old) = &old {
            fs::rename(&self.target, old).with_context(|| {
                format!(
                    "{}: cannot move the old directory aside",
                    self.target.display()
                )
            })?;
        }
        fs::rename(&self.staging, &self.target)
            .with_context(|| format!("{}: cannot rename into place", self.target.display()))?;
        sync_dir(parent_dir(&self.target))?;
        if let Some(old) = old {
            fs::remove_dir_all(&old)
                .with_context(|| format!("{}: cannot remove the old directory", old.display()))?;
        }
        Ok(())
    }

    /// Removes the staging directory (a failed run publishes nothing).
    pub fn discard(self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_file_replaces_the_old_one_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        publish_file(&path, b"one").unwrap();
        publish_file(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary sibling is left"
        );
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        publish_file(&path, b"old").unwrap();
        let failed = publish_with(&path, |tmp| {
            fs::write(tmp, b"half")?;
            anyhow::bail!("disk full")
        });
        assert!(failed.is_err());
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn two_outputs_with_one_stem_do_not_share_a_temporary() {
        let a = temp_sibling(Path::new("out/report.json"));
        let b = temp_sibling(Path::new("out/report.jsonl"));
        let c = temp_sibling(Path::new("out/report.json"));
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(c.extension().unwrap(), "json");
    }

    #[test]
    fn a_staged_directory_appears_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("model");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("old.txt"), b"old").unwrap();
        let staged = StagedDir::new(&target).unwrap();
        fs::write(staged.path().join("weights"), b"new").unwrap();
        assert!(
            target.join("old.txt").exists(),
            "nothing changes before publish"
        );
        staged.publish().unwrap();
        assert!(!target.join("old.txt").exists());
        assert_eq!(fs::read(target.join("weights")).unwrap(), b"new");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no staging or old directory is left"
        );
        let discarded = StagedDir::new(&target).unwrap();
        fs::write(discarded.path().join("x"), b"x").unwrap();
        discarded.discard();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
