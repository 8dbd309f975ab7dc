//! `--device auto|cpu|cuda` → a candle device and the dtype to run in.

use candle_core::{DType, Device};

/// Where to run the model. A plain enum: the command line (`cli`) and the
/// Python binding parse their own spellings into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeviceChoice {
    /// CUDA when this build has it and a GPU answers, else CPU.
    #[default]
    Auto,
    Cpu,
    Cuda,
}

impl std::str::FromStr for DeviceChoice {
    type Err = anyhow::Error;

    fn from_str(name: &str) -> anyhow::Result<DeviceChoice> {
        match name {
            "auto" => Ok(DeviceChoice::Auto),
            "cpu" => Ok(DeviceChoice::Cpu),
            "cuda" => Ok(DeviceChoice::Cuda),
            other => anyhow::bail!("device {other:?}: expected auto, cpu or cuda"),
        }
    }
}

/// The device for `choice`, or a clear error when CUDA was asked for and cannot be had.
pub fn select(choice: DeviceChoice) -> anyhow::Result<Device> {
    match choice {
        DeviceChoice::Cpu => Ok(Device::Cpu),
        DeviceChoice::Auto => Ok(cuda().unwrap_or(Device::Cpu)),
        DeviceChoice::Cuda => {
            if !cfg!(feature = "cuda") {
                anyhow::bail!(
                    "--device cuda: this stance binary was built without CUDA support; rebuild it with scripts/build-cuda.sh (cargo feature `cuda`), or use --device cpu"
                );
            }
            cuda().map_err(|err| {
                anyhow::anyhow!("--device cuda: no usable CUDA GPU ({err}); use --device cpu")
            })
        }
    }
}

fn cuda() -> anyhow::Result<Device> {
    if !cfg!(feature = "cuda") {
        anyhow::bail!("built without CUDA");
    }
    Ok(Device::new_cuda(0)?)
}

/// f32 on CPU (exact, and what the parity tests check); f16 on GPU unless `STANCE_DTYPE` says otherwise.
pub fn dtype_for(device: &Device) -> anyhow::Result<DType> {
    match std::env::var("STANCE_DTYPE").ok().as_deref() {
        None | Some("") => Ok(if device.is_cuda() {
            DType::F16
        } else {
            DType::F32
        }),
        Some("f32") => Ok(DType::F32),
        Some("f16") => Ok(DType::F16),
        Some("bf16") => Ok(DType::BF16),
        Some(other) => anyhow::bail!("STANCE_DTYPE={other:?}: expected f32, f16 or bf16"),
    }
}
