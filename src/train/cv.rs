//! Article-grouped cross-validation with the run's own recipe: its
//! out-of-fold scores choose the shipped thresholds and temperatures.

use super::fold_cache::FoldCache;
use super::*;

/// One cross-validation fold: trained on the other folds' articles, scored on its own.
#[derive(Debug, Clone, Serialize)]
pub struct FoldLog {
    pub fold: usize,
    pub held_out_articles: Vec<String>,
    pub train_examples: usize,
    pub pairs: usize,
    /// Out-of-fold macro-F1 at thresholds 0.5.
    pub macro_f1: f64,
    pub final_train_loss: f64,
    pub seconds: f64,
    /// Its model was read back from `--cv-models`, not trained in this run
    /// (`seconds` is then the scoring's alone).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reused: bool,
}

/// Article-grouped k-fold cross-validation on train with the run's own
/// recipe. Its out-of-fold scores fit the shipped temperatures and choose the
/// shipped thresholds, so nothing the model ships with is fitted on dev.
#[derive(Debug, Clone, Serialize)]
pub struct CrossValidation {
    /// The command that ran it (the model's own when it trained the model too).
    pub command: String,
    /// Whether its temperatures and thresholds are the model's: false for
    /// `--cv-figures-only`, which measures the recipe of a model already
    /// trained and leaves that model as it is.
    pub shipped: bool,
    /// Training directories never held out (`--cv-train-always`).
    pub train_always: Vec<PathBuf>,
    /// The out-of-fold rows as `stance eval --predictions` writes them (raw
    /// scores: temperature 1, no offset; labels at the raw logit 0), for
    /// `--cv-predictions`; not part of the card.
    #[serde(skip)]
    pub rows: Vec<ScoreRow>,
    pub folds: Vec<FoldLog>,
    /// Per-label temperature fitted on the out-of-fold logits.
    pub temperature: [f32; NUM_LABELS],
    /// Per-label threshold with the best out-of-fold F1 (after the temperature).
    pub thresholds: [f32; NUM_LABELS],
    /// Out-of-fold metrics, temperature 1, thresholds 0.5 (the raw logit 0,
    /// the decision of a model shipped without cross-validation): the honest
    /// CV figure, holder accuracy included.
    pub at_half: eval::Report,
    /// Out-of-fold metrics at the chosen thresholds (fitted on these very scores).
    pub at_chosen: eval::Report,
    pub seconds: f64,
}

/// Article-grouped cross-validation on train (see [`CrossValidation`]).
/// The articles of the directories not in `cv_train_always` are shuffled by
/// the seed and dealt round-robin into folds; every fold also trains on all
/// of `cv_train_always`. Fold `f` trains with seed `seed + 1 + f`.
pub(super) fn cross_validate(
    opts: &TrainOptions,
    setup: &Setup,
) -> anyhow::Result<CrossValidation> {
    let started = Instant::now();
    let (gold, always) = opts.load_cv_split()?;
    let k = opts.cv_folds;
    let mut order: Vec<usize> = (0..gold.articles.len()).collect();
    order.shuffle(&mut StdRng::seed_from_u64(opts.seed));
    let mut out_of_fold = eval::Predictions {
        pairs: Vec::new(),
        scores: Vec::new(),
        rows: Vec::new(),
        sentences: 0,
        seconds: 0.0,
    };
    let mut folds = Vec::new();
    for fold in 0..k {
        let mut held: Vec<usize> = order.iter().skip(fold).step_by(k).copied().collect();
        held.sort_unstable();
        let fit: Vec<usize> = (0..gold.articles.len())
            .filter(|a| !held.contains(a))
            .collect();
        let (log, predicted, _) = run_fold(
            opts,
            setup,
            (&gold, &always),
            (&fit, &held),
            (fold, &format!("fold {}/{k}", fold + 1)),
        )?;
        folds.push(log);
        out_of_fold.pairs.extend(predicted.pairs);
        out_of_fold.scores.extend(predicted.scores);
        out_of_fold.rows.extend(predicted.rows);
        out_of_fold.sentences += predicted.sentences;
        out_of_fold.seconds += predicted.seconds;
    }
    let (temperature, thresholds, calibrated) =
        calibrate_out_of_fold(&out_of_fold, opts.logit_offset());
    let report = |predictions: &eval::Predictions, thresholds| {
        eval::report(
            &opts.name,
            predictions,
            thresholds,
            eval::SegmentationReport::default(),
            &setup.parties.ids(),
        )
    };
    let at_half = report(&out_of_fold, [0.5; NUM_LABELS]);
    let at_chosen = report(&calibrated, thresholds);
    eprintln!(
        "cross-validation ({k} folds, {} pairs): macro-F1 {:.3} at 0.5; thresholds {:?} (macro-F1 {:.3} on the same scores), temperatures {:?}",
        out_of_fold.pairs.len(),
        at_half.macro_f1,
        thresholds,
        at_chosen.macro_f1,
        temperature
    );
    Ok(CrossValidation {
        command: std::env::args().collect::<Vec<_>>().join(" "),
        shipped: !opts.cv_figures_only,
        train_always: opts.cv_train_always.clone(),
        rows: std::mem::take(&mut out_of_fold.rows),
        folds,
        temperature,
        thresholds,
        at_half,
        at_chosen,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Trains fold `fold` (logged as `name`) on the articles of `gold` at
/// `fit` and on all of `always`, and scores the articles at `held`: the
/// fold's log, its out-of-fold predictions and their metrics (temperature 1,
/// labels at the raw logit 0).
pub(super) fn run_fold(
    opts: &TrainOptions,
    setup: &Setup,
    (gold, always): (&GoldSet, &GoldSet),
    (fit, held): (&[usize], &[usize]),
    (fold, name): (usize, &str),
) -> anyhow::Result<(FoldLog, eval::Predictions, eval::Report)> {
    let started = Instant::now();
    let fit_gold = GoldSet::merge(vec![gold.subset(fit), always.clone()])?;
    let held_gold = gold.subset(held);
    let fold_train = examples(&fit_gold, setup, opts)?;
    eprintln!(
        "{name}: {} examples ({} with a party-swapped counterfactual) from {} articles, {} articles held out",
        fold_train.len(),
        fold_train.iter().filter(|e| e.swapped.is_some()).count(),
        fit_gold.articles.len(),
        held.len()
    );
    let seed = opts.seed + 1 + fold as u64;
    let held_out_articles: Vec<String> = held_gold.articles.iter().map(|a| a.id.clone()).collect();
    let cache = match &opts.cv_models {
        Some(root) => Some(FoldCache::new(
            root,
            fold,
            opts,
            setup,
            (&fold_train, seed),
            &held_out_articles,
        )?),
        None => None,
    };
    let kept = match &cache {
        Some(cache) => cache.load(opts, setup)?.map(|kept| (cache, kept)),
        None => None,
    };
    let (head, final_train_loss, reused) = match kept {
        Some((cache, kept)) => {
            eprintln!(
                "{name}: model reused from {} (trained in {:.0} s from the same examples, recipe, seed and encoder)",
                cache.dir().display(),
                kept.training_seconds
            );
            (kept.head, kept.final_train_loss, true)
        }
        None => {
            let tuned = fine_tune(opts, setup, &fold_train, seed, None, &format!("{name} "))?;
            let final_train_loss = tuned.epochs.last().map_or(f64::NAN, |e| e.train_loss);
            if let Some(cache) = &cache {
                cache.store(
                    opts,
                    &tuned.weights,
                    final_train_loss,
                    started.elapsed().as_secs_f64(),
                )?;
                eprintln!("{name}: model kept in {}", cache.dir().display());
            }
            (tuned.head, final_train_loss, false)
        }
    };
    let scorer = raw_scorer(head, setup, opts);
    let predicted = eval::predict(
        &scorer,
        &held_gold,
        &setup.parties,
        &setup.matcher,
        &held_gold.parties(),
    )?;
    let report = eval::report(
        &opts.name,
        &predicted,
        [0.5; NUM_LABELS],
        eval::SegmentationReport::default(),
        &setup.parties.ids(),
    );
    eprintln!(
        "{name}: out-of-fold macro-F1 {:.3} at 0.5 over {} pairs",
        report.macro_f1,
        predicted.pairs.len()
    );
    let log = FoldLog {
        fold: fold + 1,
        held_out_articles,
        train_examples: fold_train.len(),
        pairs: predicted.pairs.len(),
        macro_f1: report.macro_f1,
        final_train_loss,
        seconds: started.elapsed().as_secs_f64(),
        reused,
    };
    Ok((log, predicted, report))
}

/// Temperatures fitted on the out-of-fold scores, the thresholds that
/// maximise F1 on the calibrated scores, and those calibrated scores.
fn calibrate_out_of_fold(
    raw: &eval::Predictions,
    offset: f32,
) -> ([f32; NUM_LABELS], [f32; NUM_LABELS], eval::Predictions) {
    // The shipped model subtracts `offset` before its temperature: fit both
    // on the same corrected scores.
    let corrected = with_scores(raw, |_, p| score::sigmoid(logit(p) - offset));
    let temperature = fit_temperatures(&corrected, &|_| true);
    let calibrated = with_scores(&corrected, |l, p| score::sigmoid(logit(p) / temperature[l]));
    let thresholds: [f32; NUM_LABELS] = std::array::from_fn(|l| {
        let (s, y): (Vec<f64>, Vec<bool>) = calibrated
            .pairs
            .iter()
            .zip(&calibrated.scores)
            .map(|(p, s)| (crate::types::round_score(s[l]), p.gold[l]))
            .unzip();
        eval::metrics::best_f1_threshold(&s, &y) as f32
    });
    (temperature, thresholds, calibrated)
}

/// `predictions` with every score replaced by `score(label, score)`.
fn with_scores(
    predictions: &eval::Predictions,
    score: impl Fn(usize, f32) -> f32,
) -> eval::Predictions {
    eval::Predictions {
        scores: predictions
            .scores
            .iter()
            .map(|s| std::array::from_fn(|l| score(l, s[l])))
            .collect(),
        pairs: predictions.pairs.clone(),
        rows: Vec::new(),
        sentences: predictions.sentences,
        seconds: predictions.seconds,
    }
}
