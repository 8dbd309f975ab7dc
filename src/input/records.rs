//! One JSON record to an [`Article`]: the field checks and the reasons a
//! reject names, shared by JSONL files and records held in memory.

use super::*;

/// Articles from JSON records held in memory (the Python binding), with the
/// checks of a JSONL file: the fields, unique ids. Record `i` is named
/// `source:i+1` in errors, as line `i + 1` of a file would be.
pub fn articles_from_json_records(
    source: &str,
    records: &[String],
) -> Vec<Result<Article, InputError>> {
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut out = Vec::with_capacity(records.len());
    for (index, record) in records.iter().enumerate() {
        let origin = RecordOrigin {
            file: source.to_string(),
            line: index as u64 + 1,
        };
        let parsed = parse_record(record).and_then(|(id, text, meta)| {
            if let Some(&line) = seen.get(&id) {
                let first = RecordOrigin {
                    file: source.to_string(),
                    line,
                };
                return Err(duplicate_id_reason(&id, &first));
            }
            seen.insert(id.clone(), origin.line);
            Ok(Article {
                id,
                text,
                meta,
                origin: origin.clone(),
            })
        });
        out.push(parsed.map_err(|reason| InputError { origin, reason }));
    }
    out
}

/// Parses one JSON record and checks its fields: `(id, text, meta)`, or
/// the reason it is rejected.
pub(super) fn parse_record(text: &str) -> Result<(String, String, Map<String, Value>), String> {
    serde_json::from_str::<Value>(text)
        .map_err(|e| json_error_reason(&e))
        .and_then(article_from_value)
}

/// The reason a record repeating an id is rejected.
pub(super) fn duplicate_id_reason(id: &str, first: &RecordOrigin) -> String {
    format!(
        "duplicate id {} (first seen at {first})",
        quote_for_message(id)
    )
}

/// Checks the fields of one JSONL record: `(id, text, meta)`.
pub(super) fn article_from_value(
    value: Value,
) -> Result<(String, String, Map<String, Value>), String> {
    let mut object = match value {
        Value::Object(object) => object,
        other => {
            return Err(format!(
                "expected a JSON object, found {}",
                json_kind(&other)
            ))
        }
    };
    let id = take_string_field(&mut object, "id")?;
    if id.is_empty() {
        return Err("field \"id\" is empty".to_string());
    }
    let text = take_string_field(&mut object, "text")?;
    // `shift_remove` above kept the other keys in input order: that is `meta`.
    Ok((id, text, object))
}

pub(super) fn take_string_field(
    object: &mut Map<String, Value>,
    key: &str,
) -> Result<String, String> {
    match object.shift_remove(key) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(format!(
            "field \"{key}\" must be a string, found {}",
            json_kind(&other)
        )),
        None => Err(format!("missing field \"{key}\"")),
    }
}

pub(super) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde's message without its "at line 1 column N" tail (the line is the
/// file's line, given by the origin), with the column up front.
pub(super) fn json_error_reason(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    let message = message.strip_suffix(&tail).unwrap_or(&message);
    format!("malformed JSON at column {}: {message}", e.column())
}

/// An id as it appears in a message: JSON-quoted, shortened if huge.
pub(super) fn quote_for_message(id: &str) -> String {
    const MAX_CHARS: usize = 200;
    if id.chars().count() <= MAX_CHARS {
        return serde_json::to_string(id).unwrap_or_default();
    }
    let short: String = id.chars().take(MAX_CHARS).collect();
    format!("{}…", serde_json::to_string(&short).unwrap_or_default())
}

/// Removes a leading UTF-8 BOM; returns how many bytes were removed.
pub(super) fn strip_bom(bytes: &mut Vec<u8>) -> usize {
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
        UTF8_BOM.len()
    } else {
        0
    }
}
