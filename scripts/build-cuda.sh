#!/usr/bin/env bash
# Builds stance with the `cuda` cargo feature (candle's CUDA backend) on a
# machine with no CUDA toolkit installed, everything from PyPI:
#
#   scripts/build-cuda.sh            # -> target/cuda/release/stance
#   scripts/build-cuda.sh --tests    # also builds and runs the CLI tests against that build
#
# Why these packages: the `-cu12` nvcc wheels on PyPI carry only ptxas, not the
# nvcc driver, so the toolkit is CUDA 13's wheels (nvcc, cicc, headers, cudart),
# which install into one tree (site-packages/nvidia/cu13). candle-core links
# cudarc dynamically (its `dynamic-linking` feature), so linking needs
# libcublas, libcublasLt, libcurand, libnvrtc (their wheels) and libcuda, the
# driver's library, which no wheel ships: a link-only stub of it is generated
# below, as the toolkit's own lib64/stubs/libcuda.so would be. At run time the
# binary uses the real driver (version 580 or newer for CUDA 13) and finds the
# CUDA libraries through an rpath into the virtualenv.
#
# Idempotent: the virtualenv (.venv-cuda, or CUDA_VENV) is reused while the
# package list is unchanged; cargo rebuilds only what changed.
# CUDA_COMPUTE_CAP (default 90: H100/H200) picks the GPU architecture.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

packages=(
    nvidia-cuda-nvcc==13.0.88 nvidia-nvvm==13.0.88 nvidia-cuda-crt==13.0.88
    nvidia-cuda-runtime==13.0.96 nvidia-cuda-cccl==13.0.85
    nvidia-cublas==13.0.2.14 nvidia-curand==10.4.0.35 nvidia-cuda-nvrtc==13.0.88
)
venv="${CUDA_VENV:-$root/.venv-cuda}"
stamp="$venv/.stance-cuda-packages"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "${packages[*]}" ]]; then
    echo "build-cuda: installing the CUDA toolkit wheels into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "${packages[@]}"
    echo "${packages[*]}" >"$stamp"
fi
cuda="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/nvidia/cu13"
[[ -x "$cuda/bin/nvcc" ]] || { echo "build-cuda: no nvcc under $cuda" >&2; exit 1; }

target="$root/target/cuda"
link="$target/link"
mkdir -p "$link"
# Unversioned names for the linker (the wheels ship only libX.so.N).
for lib in cudart cublas cublasLt curand nvrtc; do
    real="$(ls "$cuda/lib/lib$lib.so."* | grep -E "lib$lib\.so\.[0-9]+$" | head -n1)"
    ln -sfn "$real" "$link/lib$lib.so"
done
# libcuda stub: every driver function cudarc declares, each returning
# CUDA_ERROR_NO_DEVICE; soname libcuda.so.1, so the driver's real library is
# the one loaded at run time.
cudarc="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/cudarc-0.19.10 2>/dev/null | head -n1 || true)"
if [[ -z "$cudarc" ]]; then
    cargo fetch --locked --quiet
    cudarc="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/cudarc-0.19.10 | head -n1)"
fi
if [[ ! -f "$link/libcuda.so" || "$cudarc/src/driver/sys/mod.rs" -nt "$link/libcuda.so" ]]; then
    grep -oE '^pub unsafe fn cu[A-Za-z0-9_]+' "$cudarc/src/driver/sys/mod.rs" | sort -u | awk '{print "int " $4 "(void) { return 100; }"}' >"$link/libcuda_stub.c"
    cc -shared -fPIC -Wl,-soname,libcuda.so.1 -o "$link/libcuda.so" "$link/libcuda_stub.c"
fi

export PATH="$cuda/bin:$PATH"
export CUDA_ROOT="$cuda" CUDA_PATH="$cuda" CUDA_HOME="$cuda" NVCC="$cuda/bin/nvcc"
export CUDA_COMPUTE_CAP="${CUDA_COMPUTE_CAP:-90}"
export RUSTFLAGS="${RUSTFLAGS:-} -L native=$link -C link-arg=-Wl,-rpath,$cuda/lib"
export CARGO_TARGET_DIR="$target"

started=$(date +%s)
cargo build --release --locked --features cuda --bin stance
echo "build-cuda: built $target/release/stance in $(($(date +%s) - started)) s (CUDA $(nvcc --version | grep -o 'release [0-9.]*'), sm_$CUDA_COMPUTE_CAP)" >&2

if [[ "${1:-}" == "--tests" ]]; then
    # Without a GPU the stub stands in for the driver (no device), so
    # `--device cuda` must fail with a clear message and auto must fall back to CPU.
    mkdir -p "$target/no-gpu"
    ln -sfn "$link/libcuda.so" "$target/no-gpu/libcuda.so.1"
    LD_LIBRARY_PATH="$target/no-gpu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" cargo test --release --locked --features cuda --test cli
fi
