//! Reading lines with a cap, so a file without newlines cannot exhaust memory.

use super::*;

pub(super) enum LineRead {
    /// A line is in the buffer (without its `\n`).
    Line,
    /// The line was longer than the cap; it was consumed but not kept.
    TooLong,
    Eof,
}

/// Reads one line into `buf` (without the `\n`) like `read_until`, but never
/// holds more than `cap` bytes: a longer line is consumed and reported.
pub(super) fn read_line_capped(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<LineRead> {
    let mut read_any = false;
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            // End of input; a last line without `\n` still counts.
            return Ok(match (read_any, too_long) {
                (false, _) => LineRead::Eof,
                (true, true) => LineRead::TooLong,
                (true, false) => LineRead::Line,
            });
        }
        read_any = true;
        let newline = available.iter().position(|&b| b == b'\n');
        let chunk = &available[..newline.unwrap_or(available.len())];
        if !too_long {
            if buf.len() + chunk.len() > cap {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let used = newline.map_or(available.len(), |n| n + 1);
        reader.consume(used);
        if newline.is_some() {
            return Ok(if too_long {
                LineRead::TooLong
            } else {
                LineRead::Line
            });
        }
    }
}

/// Reads everything left in a reader, for tests of the line reader.
#[cfg(test)]
pub(super) fn read_all_lines(
    mut reader: impl BufRead,
    cap: usize,
) -> Vec<Result<String, &'static str>> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match read_line_capped(&mut reader, &mut buf, cap).unwrap() {
            LineRead::Eof => return out,
            LineRead::TooLong => out.push(Err("too long")),
            LineRead::Line => out.push(Ok(String::from_utf8(buf.clone()).unwrap())),
        }
    }
}
