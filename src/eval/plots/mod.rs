//! PNG figures for `stance eval --plots`: precision–recall curves per label
//! and a reliability (calibration) diagram.
//!
//! Text is rendered with DejaVu Sans embedded in the binary (see
//! `assets/README.md`): plotters' `ab_glyph` backend never loads system
//! fonts, so a font must be registered before anything draws text, and
//! embedding it keeps the figures identical on every machine.

use crate::output::publish::publish_with;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::{anyhow, Context, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::eval::metrics::ReliabilityBin;

/// One label's precision–recall curve, as produced by
/// [`precision_recall_curve`](crate::eval::metrics::precision_recall_curve).
#[derive(Debug, Clone)]
pub struct LabelCurve {
    pub label: String,
    /// `(recall, precision)`, one point per distinct threshold, highest threshold first.
    pub points: Vec<(f64, f64)>,
    pub average_precision: Option<f64>,
    pub positives: usize,
}

const PR_SIZE: (u32, u32) = (900, 600);
/// Taller than the PR figure to make room for the count histogram.
const RELIABILITY_SIZE: (u32, u32) = (900, 680);
/// Both axes of a probability chart span this, a little more than [0, 1], so
/// that markers and lines at 0 and 1 are not cut in half by the frame.
const UNIT_RANGE: std::ops::Range<f64> = -0.015..1.015;
const FONT: FontFamily<'static> = FontFamily::SansSerif;
const FONT_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/DejaVuSans.ttf"
));

/// Colour-blind-friendly qualitative colours (the Okabe–Ito palette), used
/// in label order so `condemn`, `support`, `ceasefire` keep their colours
/// across figures.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(120, 120, 120), // grey
];

fn colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// Draws one PNG with a step-shaped precision–recall curve per label
/// (precision held constant between recall steps, so the area under each
/// curve is its average precision), a dashed line per label at its positive
/// rate (the precision of a classifier that knows nothing), and a legend
/// with AP and the number of positives. The parent directory is created if
/// missing; errors name `path`.
pub fn plot_precision_recall(path: &Path, title: &str, curves: &[LabelCurve]) -> Result<()> {
    prepare(path)?;
    publish_with(path, |tmp| {
        draw_precision_recall(tmp, title, curves)
            .with_context(|| format!("drawing the precision-recall plot {}", path.display()))
    })
}

/// Draws one PNG reliability diagram: the mean score of each non-empty bin
/// against its observed positive rate, one line per label, with the diagonal
/// of perfect calibration and each label's ECE in the legend; below it, the
/// number of scores per bin and label on a log scale (calibration in sparse
/// bins means little). The parent directory is created if missing; errors
/// name `path`.
pub fn plot_reliability(
    path: &Path,
    title: &str,
    per_label: &[(String, Vec<ReliabilityBin>)],
) -> Result<()> {
    prepare(path)?;
    publish_with(path, |tmp| {
        draw_reliability(tmp, title, per_label)
            .with_context(|| format!("drawing the reliability diagram {}", path.display()))
    })
}

/// Registers the embedded font once per process and creates the output's
/// parent directory.
fn prepare(path: &Path) -> Result<()> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font(FONT.as_str(), FontStyle::Normal, FONT_BYTES)
                .map_err(|_| "the embedded DejaVuSans.ttf is not a valid font".to_string())
        })
        .clone()
        .map_err(|e| anyhow!(e))?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating the directory {}", parent.display()))?;
    }
    Ok(())
}

fn draw_precision_recall(path: &Path, title: &str, curves: &[LabelCurve]) -> Result<()> {
    let root = BitMapBackend::new(path, PR_SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, (FONT, 26))
        .margin(18)
        .x_label_area_size(60)
        .y_label_area_size(75)
        .build_cartesian_2d(UNIT_RANGE, UNIT_RANGE)?;
    configure_unit_mesh(&mut chart, "Recall", "Precision")?;

    for (i, curve) in curves.iter().enumerate() {
        let colour = colour(i);
        chart
            .draw_series(LineSeries::new(
                step_points(&curve.points),
                colour.stroke_width(3),
            ))?
            .label(pr_legend_text(curve))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 28, y)], colour.stroke_width(3))
            });
        // At the lowest threshold everything is predicted positive, so the
        // last point's precision is the label's positive rate: the chance level.
        if let Some(&(_, base_rate)) = curve.points.last() {
            chart.draw_series(DashedLineSeries::new(
                [(0.0, base_rate), (1.0, base_rate)],
                8,
                6,
                colour.mix(0.8).stroke_width(2),
            ))?;
        }
    }
    if !curves.is_empty() {
        // A legend entry explaining the dashed lines, drawn as an invisible series.
        chart
            .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())?
            .label("dashed: positive rate (chance)")
            .legend(|(x, y)| {
                let grey = RGBColor(120, 120, 120);
                // Two short segments (relative to the legend anchor) read as a dash.
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (10, 0)], grey.stroke_width(2))
                    + PathElement::new(vec![(16, 0), (28, 0)], grey.stroke_width(2))
            });
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerLeft)?;
    root.present()?;
    Ok(())
}

/// `(recall, precision)` points to the vertices of the step curve:
/// precision `P_n` is held from the previous recall `R_{n-1}` (0 at first)
/// to `R_n`. Points outside [0, 1] are clamped and non-finite ones dropped
/// so that a bad input cannot break the drawing.
fn step_points(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut steps = Vec::with_capacity(points.len() * 2);
    let mut previous_recall = 0.0;
    for &(recall, precision) in points
        .iter()
        .filter(|(r, p)| r.is_finite() && p.is_finite())
    {
        let (recall, precision) = (recall.clamp(0.0, 1.0), precision.clamp(0.0, 1.0));
        steps.push((previous_recall, precision));
        steps.push((recall, precision));
        previous_recall = recall;
    }
    steps
}

fn pr_legend_text(curve: &LabelCurve) -> String {
    let ap = curve
        .average_precision
        .map_or_else(|| "n/a".to_string(), |ap| format!("{ap:.3}"));
    format!("{}  AP {ap}  ({} positives)", curve.label, curve.positives)
}

fn draw_reliability(
    path: &Path,
    title: &str,
    per_label: &[(String, Vec<ReliabilityBin>)],
) -> Result<()> {
    let root = BitMapBackend::new(path, RELIABILITY_SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let body = root.titled(title, (FONT, 26))?;
    let (upper, lower) = body.split_vertically(body.dim_in_pixel().1 * 68 / 100);
    draw_calibration_curves(&upper, per_label)?;
    draw_bin_counts(&lower, per_label)?;
    root.present()?;
    Ok(())
}

/// Both charts of the reliability figure share these so their x axes line up.
const RELIABILITY_Y_AREA: u32 = 75;
const RELIABILITY_MARGIN: u32 = 18;

fn draw_calibration_curves(
    area: &DrawingArea<BitMapBackend<'_>, Shift>,
    per_label: &[(String, Vec<ReliabilityBin>)],
) -> Result<()> {
    let mut chart = ChartBuilder::on(area)
        .margin(RELIABILITY_MARGIN)
        .margin_bottom(4)
        .x_label_area_size(55)
        .y_label_area_size(RELIABILITY_Y_AREA)
        .build_cartesian_2d(UNIT_RANGE, UNIT_RANGE)?;
    configure_unit_mesh(&mut chart, "Mean predicted score", "Observed positive rate")?;

    let grey = RGBColor(120, 120, 120);
    chart
        .draw_series(DashedLineSeries::new(
            [(0.0, 0.0), (1.0, 1.0)],
            8,
            6,
            grey.stroke_width(2),
        ))?
        .label("perfectly calibrated")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 28, y)], grey.stroke_width(2)));

    for (i, (label, bins)) in per_label.iter().enumerate() {
        let colour = colour(i);
        let points: Vec<(f64, f64)> = bins
            .iter()
            .filter(|b| b.count > 0)
            .map(|b| {
                (
                    b.mean_score.clamp(0.0, 1.0),
                    b.positive_rate.clamp(0.0, 1.0),
                )
            })
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), colour.stroke_width(3)))?
            .label(format!("{label}  ECE {:.3}", calibration_error(bins)))
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (28, 0)], colour.stroke_width(3))
                    + Circle::new((14, 0), 5, colour.filled())
            });
        chart.draw_series(
            points
                .into_iter()
                .map(|p| Circle::new(p, 5, colour.filled())),
        )?;
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}

fn draw_bin_counts(
    area: &DrawingArea<BitMapBackend<'_>, Shift>,
    per_label: &[(String, Vec<ReliabilityBin>)],
) -> Result<()> {
    let max_count = per_label
        .iter()
        .flat_map(|(_, bins)| bins.iter().map(|b| b.count))
        .max()
        .unwrap_or(0);
    // Log scale because scores pile up near 0; bars start at 0.5 so a bin
    // with a single score still shows.
    let floor = 0.5;
    let top = (max_count.max(1) as f64) * 2.0;
    let mut chart = ChartBuilder::on(area)
        .margin(RELIABILITY_MARGIN)
        .margin_top(4)
        .x_label_area_size(55)
        .y_label_area_size(RELIABILITY_Y_AREA)
        .build_cartesian_2d(UNIT_RANGE, (floor..top).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("Score bin")
        .y_desc("Pairs per bin")
        .axis_desc_style((FONT, 18))
        .label_style((FONT, 14))
        .x_labels(11)
        .y_labels(4)
        .x_label_formatter(&|v| format!("{v:.1}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()?;

    let labels = per_label.len().max(1) as f64;
    for (i, (_, bins)) in per_label.iter().enumerate() {
        let colour = colour(i);
        // Bars of the labels side by side within each bin, leaving a gap between bins.
        let bars = bins.iter().filter(|b| b.count > 0).map(|b| {
            let width = (b.upper - b.lower) * 0.8 / labels;
            let x0 = b.lower + (b.upper - b.lower) * 0.1 + width * i as f64;
            Rectangle::new(
                [(x0, floor), (x0 + width, b.count as f64)],
                colour.mix(0.85).filled(),
            )
        });
        chart.draw_series(bars)?;
    }
    Ok(())
}

/// ECE recomputed from the bins (count-weighted mean |score - rate|), for
/// the legend; matches `expected_calibration_error` on the same bins.
fn calibration_error(bins: &[ReliabilityBin]) -> f64 {
    let total: usize = bins.iter().map(|b| b.count).sum();
    if total == 0 {
        return 0.0;
    }
    bins.iter()
        .map(|b| b.count as f64 / total as f64 * (b.mean_score - b.positive_rate).abs())
        .sum()
}

/// Grid, ticks every 0.1 and axis titles for a chart whose axes are both
/// probabilities.
fn configure_unit_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    x_desc: &str,
    y_desc: &str,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style((FONT, 18))
        .label_style((FONT, 14))
        .x_labels(11)
        .y_labels(11)
        .x_label_formatter(&|v| format!("{v:.1}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .light_line_style(RGBColor(245, 245, 245))
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()
        .map_err(|e| anyhow!("{e}"))?;
    Ok(())
}

fn draw_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    chart
        .configure_series_labels()
        .position(position)
        .margin(12)
        .label_font((FONT, 16))
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(160, 160, 160))
        .draw()
        .map_err(|e| anyhow!("{e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests;
