//! Parquet output: the Arrow schema of the contract's columns, and the
//! conversion of the staged JSONL rows in row groups.

use super::*;

/// The Arrow schema of Parquet output (see the module comment).
pub fn parquet_schema() -> SchemaRef {
    let int = |name: &str| Field::new(name, DataType::Int64, false);
    let text = |name: &str| Field::new(name, DataType::Utf8, false);
    let float = |name: &str| Field::new(name, DataType::Float64, false);
    Arc::new(Schema::new(vec![
        text("doc_id"),
        int("sentence_index"),
        int("start"),
        int("end"),
        text("sentence"),
        text("party"),
        Field::new("mentions", DataType::List(mention_item_field()), false),
        float("condemn"),
        float("support"),
        float("ceasefire"),
        Field::new("labels", DataType::List(label_item_field()), false),
        Field::new("holder", DataType::Utf8, true),
        text("model"),
        text("meta"),
    ]))
}

fn mention_fields() -> Fields {
    Fields::from(vec![
        Field::new("text", DataType::Utf8, false),
        Field::new("start", DataType::Int64, false),
        Field::new("end", DataType::Int64, false),
    ])
}

fn mention_item_field() -> Arc<Field> {
    Arc::new(Field::new_list_field(
        DataType::Struct(mention_fields()),
        false,
    ))
}

fn label_item_field() -> Arc<Field> {
    Arc::new(Field::new_list_field(DataType::Utf8, false))
}

/// Converts staged JSONL rows into a Parquet file, streaming: one row group
/// is in memory at a time. The file is fsynced before returning.
pub fn jsonl_to_parquet(src: &Path, dst: &Path) -> anyhow::Result<()> {
    let input = File::open(src).with_context(|| format!("cannot open {}", src.display()))?;
    let mut input = BufReader::new(input);
    let output = File::create(dst).with_context(|| format!("cannot create {}", dst.display()))?;
    let schema = parquet_schema();
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(PARQUET_ROWS_PER_GROUP))
        .build();
    let mut writer = ArrowWriter::try_new(BufWriter::new(output), schema.clone(), Some(props))
        .with_context(|| format!("cannot write {}", dst.display()))?;
    let mut group = RowGroup::default();
    let mut line = Vec::new();
    let mut line_no = 0u64;
    loop {
        line.clear();
        let n = input
            .read_until(b'\n', &mut line)
            .with_context(|| format!("cannot read {}", src.display()))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let row: ScoreRow = serde_json::from_slice(&line)
            .with_context(|| format!("{}:{line_no}: not a valid staged row", src.display()))?;
        group.push(row, n)?;
        if group.rows >= PARQUET_ROWS_PER_GROUP || group.staged_bytes >= PARQUET_GROUP_BYTES {
            write_group(&mut writer, &mut group, &schema, dst)?;
        }
    }
    if group.rows > 0 || line_no == 0 {
        // An empty output still gets one (empty) batch: a valid file with the schema.
        write_group(&mut writer, &mut group, &schema, dst)?;
    }
    let output = writer
        .into_inner()
        .with_context(|| format!("cannot write {}", dst.display()))?;
    let output = output
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(|| format!("cannot write {}", dst.display()))?;
    output
        .sync_all()
        .with_context(|| format!("cannot sync {}", dst.display()))
}

/// `rows` as one Arrow record batch with the Parquet schema: the tables the
/// Python binding hands out.
pub fn rows_to_batch(rows: Vec<ScoreRow>) -> anyhow::Result<RecordBatch> {
    let mut group = RowGroup::default();
    for row in rows {
        group.push(row, 0)?;
    }
    group.into_batch(&parquet_schema())
}

/// A scored JSONL file (`stance score` output) read back as one record batch
/// with the Parquet schema; a line that is not a row is an error naming the
/// file and line.
pub fn read_jsonl_rows(path: &Path) -> anyhow::Result<RecordBatch> {
    let input = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut rows = Vec::new();
    for (index, line) in BufReader::new(input).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let row: ScoreRow = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not a stance score row", path.display(), index + 1))?;
        rows.push(row);
    }
    rows_to_batch(rows)
}

fn write_group(
    writer: &mut ArrowWriter<BufWriter<File>>,
    group: &mut RowGroup,
    schema: &SchemaRef,
    dst: &Path,
) -> anyhow::Result<()> {
    let batch = std::mem::take(group).into_batch(schema)?;
    writer
        .write(&batch)
        .with_context(|| format!("cannot write {}", dst.display()))?;
    // End the row group here, so that its size is what we bounded.
    writer
        .flush()
        .with_context(|| format!("cannot write {}", dst.display()))
}

/// The columns of one row group, filled row by row.
#[derive(Default)]
struct RowGroup {
    rows: usize,
    staged_bytes: usize,
    doc_id: Vec<String>,
    sentence_index: Vec<i64>,
    start: Vec<i64>,
    end: Vec<i64>,
    sentence: Vec<String>,
    party: Vec<String>,
    mention_counts: Vec<usize>,
    mention_text: Vec<String>,
    mention_start: Vec<i64>,
    mention_end: Vec<i64>,
    condemn: Vec<f64>,
    support: Vec<f64>,
    ceasefire: Vec<f64>,
    label_counts: Vec<usize>,
    labels: Vec<String>,
    holder: Vec<Option<String>>,
    model: Vec<String>,
    meta: Vec<String>,
}

impl RowGroup {
    fn push(&mut self, row: ScoreRow, staged_bytes: usize) -> anyhow::Result<()> {
        self.rows += 1;
        self.staged_bytes += staged_bytes;
        self.doc_id.push(row.doc_id);
        self.sentence_index.push(to_i64(row.sentence_index)?);
        self.start.push(to_i64(row.start)?);
        self.end.push(to_i64(row.end)?);
        self.sentence.push(row.sentence);
        self.party.push(row.party);
        self.mention_counts.push(row.mentions.len());
        for mention in row.mentions {
            self.mention_text.push(mention.text);
            self.mention_start.push(to_i64(mention.start)?);
            self.mention_end.push(to_i64(mention.end)?);
        }
        self.condemn.push(row.condemn);
        self.support.push(row.support);
        self.ceasefire.push(row.ceasefire);
        self.label_counts.push(row.labels.len());
        self.labels.extend(row.labels);
        self.holder.push(row.holder);
        self.model.push(row.model);
        self.meta.push(serde_json::to_string(&row.meta)?);
        Ok(())
    }

    fn into_batch(self, schema: &SchemaRef) -> anyhow::Result<RecordBatch> {
        let mentions = StructArray::try_new(
            mention_fields(),
            vec![
                strings(self.mention_text),
                ints(self.mention_start),
                ints(self.mention_end),
            ],
            None,
        )?;
        let mentions = list(
            mention_item_field(),
            &self.mention_counts,
            Arc::new(mentions),
        )?;
        let labels = list(label_item_field(), &self.label_counts, strings(self.labels))?;
        let columns: Vec<ArrayRef> = vec![
            strings(self.doc_id),
            ints(self.sentence_index),
            ints(self.start),
            ints(self.end),
            strings(self.sentence),
            strings(self.party),
            Arc::new(mentions),
            floats(self.condemn),
            floats(self.support),
            floats(self.ceasefire),
            Arc::new(labels),
            Arc::new(StringArray::from(self.holder)),
            strings(self.model),
            strings(self.meta),
        ];
        Ok(RecordBatch::try_new(schema.clone(), columns)?)
    }
}

fn to_i64(value: usize) -> anyhow::Result<i64> {
    i64::try_from(value).context("offset does not fit in a Parquet Int64")
}

fn strings(values: Vec<String>) -> ArrayRef {
    Arc::new(StringArray::from(values))
}

fn ints(values: Vec<i64>) -> ArrayRef {
    Arc::new(Int64Array::from(values))
}

fn floats(values: Vec<f64>) -> ArrayRef {
    Arc::new(Float64Array::from(values))
}

/// A list column: row `i` holds the next `lengths[i]` items of `values`.
fn list(item: Arc<Field>, lengths: &[usize], values: ArrayRef) -> anyhow::Result<ListArray> {
    let mut offsets = OffsetBufferBuilder::new(lengths.len());
    for &len in lengths {
        offsets.push_length(len);
    }
    Ok(ListArray::try_new(item, offsets.finish(), values, None)?)
}
