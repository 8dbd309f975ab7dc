//! A split by time: the recipe trained on the articles dated before a month
//! and scored on those dated that month or later (or, backward, the other
//! way round). Article-grouped folds mix periods, so every fold trains on
//! every period's events; this split asks how the recipe does on events its
//! training data does not cover.

use super::cv::{run_fold, FoldLog};
use super::*;

/// The recipe trained on one side of a month and scored on the other.
#[derive(Debug, Clone, Serialize)]
pub struct TimeSplit {
    /// The command that ran it.
    pub command: String,
    /// The month that splits the articles (`YYYY-MM`): those dated before it
    /// and those dated it or later.
    pub month: String,
    /// Trained on the later articles and scored on the earlier ones.
    pub backward: bool,
    /// The articles trained on (with `cv_train_always`).
    pub train_articles: Vec<String>,
    /// Articles without a date: neither trained on nor scored, since they
    /// cannot be placed on either side.
    pub undated_articles: Vec<String>,
    /// The training run and the held-out articles.
    pub fold: FoldLog,
    /// The held-out articles' metrics: temperature 1, labels at the raw
    /// logit 0 (as the cross-validation's honest figure), holder accuracy
    /// included.
    pub report: eval::Report,
    /// The held-out articles' rows, as `stance eval --predictions` writes them.
    #[serde(skip)]
    pub rows: Vec<ScoreRow>,
}

/// Where an article falls against the month that splits the articles.
#[derive(Debug, PartialEq)]
enum Period {
    Before,
    From,
    Undated,
}

/// `date` (`YYYY-MM-DD` or `YYYY-MM`, or none) against `month` (`YYYY-MM`).
fn period(date: Option<&str>, month: &str) -> Result<Period, String> {
    let Some(date) = date else {
        return Ok(Period::Undated);
    };
    // ASCII first: the slices below then fall on character boundaries.
    let ok = date.is_ascii()
        && matches!(date.len(), 7 | 10)
        && is_month(&date[..7])
        && (date.len() == 7 || (&date[7..8] == "-" && digits(&date[8..], 2)));
    if !ok {
        return Err(format!("date {date:?} is not YYYY-MM-DD or YYYY-MM"));
    }
    // Both are zero-padded, so text order is time order.
    Ok(if &date[..7] < month {
        Period::Before
    } else {
        Period::From
    })
}

/// `YYYY-MM` with a month 01 to 12.
fn is_month(text: &str) -> bool {
    let Some((year, month)) = text.split_once('-') else {
        return false;
    };
    digits(year, 4) && digits(month, 2) && ("01"..="12").contains(&month)
}

/// Whether `text` is `len` ASCII digits.
fn digits(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_digit())
}

/// Where article `id` is in the articles files of `opts.train_dirs`
/// (`path:line`), for an error about it; the merged gold set keeps no file.
fn locate(opts: &TrainOptions, id: &str) -> String {
    for dir in &opts.train_dirs {
        let path = dir.join("articles.jsonl");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (number, line) in text.lines().enumerate() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            if record["id"] == id {
                return format!("{}:{}", path.display(), number + 1);
            }
        }
    }
    "an articles file of --train".to_string()
}

/// Trains the recipe on the articles of the cross-validated directories
/// dated before `month` (and on all of `cv_train_always`), and scores those
/// dated `month` or later; `backward`, the other way round.
pub fn time_split(opts: &TrainOptions, month: &str, backward: bool) -> anyhow::Result<TimeSplit> {
    anyhow::ensure!(
        is_month(month),
        "--time-split {month:?}: give the month that splits the articles as YYYY-MM"
    );
    let (gold, always) = opts.load_cv_split()?;
    let (mut before, mut from, mut undated) = (Vec::new(), Vec::new(), Vec::new());
    for (index, article) in gold.articles.iter().enumerate() {
        match period(article.date.as_deref(), month).map_err(|why| {
            anyhow::anyhow!(
                "{}: article {}: {why}",
                locate(opts, &article.id),
                article.id
            )
        })? {
            Period::Before => before.push(index),
            Period::From => from.push(index),
            Period::Undated => undated.push(article.id.clone()),
        }
    }
    anyhow::ensure!(
        !before.is_empty() && !from.is_empty(),
        "--time-split {month}: {} articles dated before it and {} from it on; both sides need one",
        before.len(),
        from.len()
    );
    let (fit, held) = if backward {
        (from, before)
    } else {
        (before, from)
    };
    let name = if backward {
        format!("time split at {month}, backward")
    } else {
        format!("time split at {month}")
    };
    let setup = Setup::new(opts)?;
    let (fold, predicted, report) =
        run_fold(opts, &setup, (&gold, &always), (&fit, &held), (0, &name))?;
    Ok(TimeSplit {
        command: std::env::args().collect::<Vec<_>>().join(" "),
        month: month.to_string(),
        backward,
        train_articles: fit.iter().map(|&a| gold.articles[a].id.clone()).collect(),
        undated_articles: undated,
        fold,
        report,
        rows: predicted.rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_fall_before_or_from_the_month() {
        let at = |date| period(date, "2024-01");
        assert_eq!(at(Some("2023-12-31")), Ok(Period::Before));
        assert_eq!(at(Some("2023-12")), Ok(Period::Before));
        assert_eq!(at(Some("2024-01")), Ok(Period::From));
        assert_eq!(at(Some("2024-01-01")), Ok(Period::From));
        assert_eq!(at(Some("2025-06-30")), Ok(Period::From));
        assert_eq!(at(None), Ok(Period::Undated));
    }

    #[test]
    fn malformed_dates_are_errors() {
        for date in [
            "2024",
            "2024-1-05",
            "24-01-05",
            "2024-01-5x",
            "2024-13",
            "January 2024",
            "2024-01-05T10",
        ] {
            assert!(period(Some(date), "2024-01").is_err(), "{date}");
        }
        assert!(!is_month("2024-00") && !is_month("2024-+1") && !is_month("20241-01"));
        assert!(is_month("2024-12") && is_month("1999-01"));
    }
}
