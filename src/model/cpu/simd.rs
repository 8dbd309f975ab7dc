//! Runtime choice of the widest vector instructions this CPU has.
//!
//! The kernels in this module are plain Rust loops written so that LLVM can
//! vectorise them (fixed-width lanes, no branches, no float reductions in a
//! single accumulator). Compiled for the default x86-64 target they would use
//! SSE2 only; [`dispatch!`] compiles the same code a second and third time
//! inside `#[target_feature]` functions (AVX-512, AVX2+FMA) and picks one at
//! run time, so one binary runs everywhere and uses AVX-512 where it exists.
//! (The gemm crate does the same for the matrix products, see Cargo.toml.)

use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// AVX-512 F/BW/DQ/VL (x86-64-v4).
    V4,
    /// AVX2 + FMA (x86-64-v3).
    V3,
    /// Whatever the compilation target guarantees.
    Base,
}

pub fn level() -> Level {
    static LEVEL: OnceLock<Level> = OnceLock::new();
    *LEVEL.get_or_init(detect)
}

#[cfg(target_arch = "x86_64")]
fn detect() -> Level {
    if std::env::var_os("STANCE_NO_AVX512").is_none()
        && is_x86_feature_detected!("avx512f")
        && is_x86_feature_detected!("avx512bw")
        && is_x86_feature_detected!("avx512dq")
        && is_x86_feature_detected!("avx512vl")
    {
        Level::V4
    } else if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        Level::V3
    } else {
        Level::Base
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn detect() -> Level {
    Level::Base
}

/// Runs `f` compiled with AVX-512 enabled. `f` and everything it calls must be
/// `#[inline(always)]` for the instructions to reach its loops.
///
/// # Safety
/// The CPU must support AVX-512 F/BW/DQ/VL.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
pub unsafe fn with_v4<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// Runs `f` compiled with AVX2 and FMA enabled.
///
/// # Safety
/// The CPU must support AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
pub unsafe fn with_v3<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// `dispatch!(expr)`: evaluates `expr` in code compiled for the best [`Level`].
macro_rules! dispatch {
    ($body:expr) => {{
        #[cfg(target_arch = "x86_64")]
        {
            use $crate::model::cpu::simd::{level, with_v3, with_v4, Level};
            match level() {
                // SAFETY: level() saw these features on this CPU.
                Level::V4 => unsafe {
                    with_v4(
                        #[inline(always)]
                        || $body,
                    )
                },
                Level::V3 => unsafe {
                    with_v3(
                        #[inline(always)]
                        || $body,
                    )
                },
                Level::Base => $body,
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            $body
        }
    }};
}
pub(crate) use dispatch;
