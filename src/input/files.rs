//! Which files an input names: extensions, directory walks in sorted order.

use super::*;

pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The format a file name says, and the name without its extension.
pub(super) fn classify(name: &str) -> Option<(Format, &str)> {
    if let Some(stem) = name.strip_suffix(JSONL_GZ_EXTENSION) {
        return Some((Format::JsonlGz, stem));
    }
    if let Some(stem) = name.strip_suffix(JSONL_EXTENSION) {
        return Some((Format::Jsonl, stem));
    }
    TEXT_EXTENSIONS
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .map(|stem| (Format::Text, stem))
}

/// Adds the readable files under `dir` (recursively, sorted by path) to
/// `sources` and the others to `skipped`.
pub(super) fn add_directory(
    dir: &Path,
    sources: &mut Vec<Source>,
    skipped: &mut Vec<PathBuf>,
) -> anyhow::Result<()> {
    let mut files = Vec::new();
    let mut visited = HashSet::new();
    walk(dir, Path::new(""), &mut visited, &mut files)?;
    files.sort();
    for relative in files {
        let path = dir.join(&relative);
        let name = file_name(&relative);
        let Some((format, stem)) = classify(&name) else {
            skipped.push(path);
            continue;
        };
        // The id: relative path with `/` separators, minus the extension.
        let mut parts: Vec<String> = relative
            .parent()
            .into_iter()
            .flat_map(|p| p.components())
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        parts.push(stem.to_string());
        sources.push(Source {
            display: path.display().to_string(),
            path,
            format,
            text_id: parts.join("/"),
        });
    }
    Ok(())
}

/// Collects the paths (relative to the walk's root) of all non-directory
/// entries under `root/relative`. Symlinks are followed; a directory reached
/// twice (a symlink loop) is walked once. An entry whose type cannot be read
/// (e.g. a dangling symlink) is still collected, so that reading it reports
/// the problem instead of dropping it silently.
pub(super) fn walk(
    root: &Path,
    relative: &Path,
    visited: &mut HashSet<PathBuf>,
    files: &mut Vec<PathBuf>,
) -> anyhow::Result<()> {
    let dir = root.join(relative);
    let canonical = fs::canonicalize(&dir)
        .with_context(|| format!("input {}: cannot access it", dir.display()))?;
    if !visited.insert(canonical) {
        return Ok(());
    }
    let entries = fs::read_dir(&dir)
        .with_context(|| format!("input {}: cannot list directory", dir.display()))?;
    for entry in entries {
        let entry =
            entry.with_context(|| format!("input {}: cannot list directory", dir.display()))?;
        let child = relative.join(entry.file_name());
        match fs::metadata(entry.path()) {
            Ok(meta) if meta.is_dir() => walk(root, &child, visited, files)?,
            _ => files.push(child),
        }
    }
    Ok(())
}
