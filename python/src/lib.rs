//! `stance._native`: the Python binding layer, on top of the library's
//! stages. It adds no pipeline of its own: records go through the input
//! stage's checks, [`Engine::score_articles`] (the steps `stance score` runs)
//! and the Parquet writer's Arrow conversion, so a table from Python holds the
//! command line's rows. Tables cross into pyarrow as Arrow IPC streams.
//! `python/stance/__init__.py` wraps this module in the documented API.

use std::path::PathBuf;

use arrow_array::RecordBatch;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use stance::input::articles_from_json_records;
use stance::model::device::DeviceChoice;
use stance::output::{read_jsonl_rows, rows_to_batch};
use stance::pipeline::Engine;

create_exception!(
    _native,
    StanceError,
    PyException,
    "A model, parties file or input that stance cannot use; the message is the one the command line prints after `stance: error:`."
);

/// The command line's message for `err` (its whole cause chain).
fn stance_error(err: anyhow::Error) -> PyErr {
    StanceError::new_err(format!("{err:#}").trim_end().to_string())
}

/// A record that failed the input checks: `(file, line, reason)`.
type RejectTuple = (String, u64, String);

/// A loaded model and parties file, and the threads that run them.
#[pyclass(module = "stance._native", frozen)]
struct NativeScorer {
    engine: Engine,
    pool: rayon::ThreadPool,
}

#[pymethods]
impl NativeScorer {
    #[new]
    #[pyo3(signature = (model=None, parties=None, device="auto", batch_size=None, token_budget=None, threads=None))]
    fn new(
        py: Python<'_>,
        model: Option<String>,
        parties: Option<PathBuf>,
        device: &str,
        batch_size: Option<usize>,
        token_budget: Option<usize>,
        threads: Option<usize>,
    ) -> PyResult<NativeScorer> {
        let device: DeviceChoice = device
            .parse()
            .map_err(|err: anyhow::Error| PyValueError::new_err(err.to_string()))?;
        if threads == Some(0) {
            return Err(PyValueError::new_err("threads must be at least 1"));
        }
        // What the process may use (affinity and cgroup limits included).
        let threads = threads.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        });
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("stance-{i}"))
            .build()
            .map_err(|err| {
                StanceError::new_err(format!("cannot start {threads} threads: {err}"))
            })?;
        let engine = py
            .detach(|| {
                pool.install(|| {
                    Engine::load(
                        model.as_deref(),
                        parties.as_deref(),
                        device,
                        batch_size,
                        token_budget,
                    )
                })
            })
            .map_err(stance_error)?;
        Ok(NativeScorer { engine, pool })
    }

    /// The model's name, as rows carry it in `model`.
    #[getter]
    fn model(&self) -> String {
        self.engine.scorer.name().to_string()
    }

    /// The party ids of the parties file in use, in its order.
    #[getter]
    fn parties(&self) -> Vec<String> {
        self.engine
            .parties
            .ids()
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// Threads this scorer runs on.
    #[getter]
    fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// Scores JSON records (one object per string, as JSONL lines), named
    /// `source:N` in errors. Returns the rows as an Arrow IPC stream and the
    /// rejected records. Without `skip_bad`, the first bad record stops it
    /// before anything is scored: then the stream is `None` and the one
    /// reject says why.
    #[pyo3(signature = (records, source, skip_bad))]
    fn score_records<'py>(
        &self,
        py: Python<'py>,
        records: Vec<String>,
        source: &str,
        skip_bad: bool,
    ) -> PyResult<(Option<Bound<'py, PyBytes>>, Vec<RejectTuple>)> {
        let result = py.detach(|| -> anyhow::Result<(Option<Vec<u8>>, Vec<RejectTuple>)> {
            let mut articles = Vec::with_capacity(records.len());
            let mut rejects = Vec::new();
            for parsed in articles_from_json_records(source, &records) {
                match parsed {
                    Ok(article) => articles.push(article),
                    Err(err) => {
                        rejects.push((err.origin.file, err.origin.line, err.reason));
                        if !skip_bad {
                            return Ok((None, rejects));
                        }
                    }
                }
            }
            let rows = self.pool.install(|| self.engine.score_articles(articles))?;
            Ok((Some(ipc_stream(&rows_to_batch(rows)?)?), rejects))
        });
        let (stream, rejects) = result.map_err(stance_error)?;
        Ok((stream.map(|bytes| PyBytes::new(py, &bytes)), rejects))
    }
}

/// A scored JSONL file as an Arrow IPC stream with the Parquet schema.
#[pyfunction]
fn read_jsonl<'py>(py: Python<'py>, path: PathBuf) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py
        .detach(|| ipc_stream(&read_jsonl_rows(&path)?))
        .map_err(stance_error)?;
    Ok(PyBytes::new(py, &bytes))
}

/// An empty table with the row schema, as an Arrow IPC stream.
#[pyfunction]
fn empty_rows<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = rows_to_batch(Vec::new())
        .and_then(|batch| ipc_stream(&batch))
        .map_err(stance_error)?;
    Ok(PyBytes::new(py, &bytes))
}

fn ipc_stream(batch: &RecordBatch) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut writer = arrow_ipc::writer::StreamWriter::try_new(&mut bytes, &batch.schema())?;
    writer.write(batch)?;
    writer.finish()?;
    drop(writer);
    Ok(bytes)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeScorer>()?;
    m.add_function(wrap_pyfunction!(read_jsonl, m)?)?;
    m.add_function(wrap_pyfunction!(empty_rows, m)?)?;
    m.add("StanceError", m.py().get_type::<StanceError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
