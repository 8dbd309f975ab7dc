//! stance: targeted stance scoring of news sentences.
//!
//! One module per pipeline stage, handing plain data ([`types`]) to the next:
//! [`input`] → [`segment`] → [`parties`] → [`model`] → [`score`] → [`output`];
//! [`pipeline`] wires them for `stance score`, [`eval`] and [`train`] reuse them.

pub mod app;
pub mod cli;
pub mod eval;
pub mod input;
pub mod model;
pub mod output;
pub mod parties;
pub mod pipeline;
pub mod score;
pub mod segment;
pub mod train;
pub mod types;
