//! Bytes to text: UTF-8 (with or without BOM) and UTF-16 (PowerShell's `>` writes
//! UTF-16LE with a BOM).

pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest, 3);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    if looks_utf16(bytes) {
        return if bytes[1] == 0 {
            utf16(bytes, u16::from_le_bytes)
        } else {
            utf16(bytes, u16::from_be_bytes)
        };
    }
    utf8(bytes, 0)
}

/// As [`decode`], taking the bytes: UTF-8, the usual case, becomes the text without a copy
/// (a 30 MB plan no longer sits in memory twice).
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<String, String> {
    let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    if !bom
        && (bytes.starts_with(&[0xFF, 0xFE])
            || bytes.starts_with(&[0xFE, 0xFF])
            || looks_utf16(&bytes))
    {
        return decode(&bytes);
    }
    let offset = if bom {
        bytes.drain(..3);
        3
    } else {
        0
    };
    match String::from_utf8(bytes) {
        Ok(s) => no_nul(s, offset),
        Err(e) => Err(not_utf8(e.utf8_error().valid_up_to() + offset)),
    }
}

/// UTF-16 without a BOM: ASCII text has every other byte zero.
fn looks_utf16(bytes: &[u8]) -> bool {
    bytes.len() >= 4
        && bytes.len().is_multiple_of(2)
        && ((bytes[1] == 0 && bytes[3] == 0 && bytes[0] != 0)
            || (bytes[0] == 0 && bytes[2] == 0 && bytes[1] != 0))
}

fn no_nul(s: String, offset: usize) -> Result<String, String> {
    match s.find('\0') {
        Some(at) => Err(format!(
            "the file contains a NUL byte at byte {}; expected text",
            at + offset
        )),
        None => Ok(s),
    }
}

fn not_utf8(at: usize) -> String {
    format!("the file is not UTF-8 text (invalid byte at offset {at}); save it as UTF-8 or UTF-16")
}

fn utf8(bytes: &[u8], offset: usize) -> Result<String, String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => no_nul(s.to_string(), offset),
        Err(e) => Err(not_utf8(e.valid_up_to() + offset)),
    }
}

fn utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err("the file looks like UTF-16 but has an odd number of bytes".into());
    }
    let units = bytes.chunks_exact(2).map(|c| read([c[0], c[1]]));
    char::decode_utf16(units)
        .enumerate()
        .map(|(i, c)| c.map_err(|_| format!("invalid UTF-16 at code unit {i}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_encoding_a_plan_arrives_in() {
        assert_eq!(decode(b"{}").unwrap(), "{}");
        assert_eq!(decode(b"\xEF\xBB\xBF{}").unwrap(), "{}");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("{\"a\":1}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&le).unwrap(), "{\"a\":1}");
        let be: Vec<u8> = "{\"a\":1}"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode(&be).unwrap(), "{\"a\":1}");
    }

    #[test]
    fn rejects_binary_with_a_position() {
        assert!(decode(b"ab\xFFcd").unwrap_err().contains("offset 2"));
        assert!(decode(b"ab\0cd").unwrap_err().contains("NUL"));
    }

    #[test]
    fn owned_bytes_decode_as_borrowed_ones_do() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("{\"a\":1}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = "{}".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let cases: [&[u8]; 8] = [
            b"{}",
            b"\xEF\xBB\xBF{\"k\":\"\xC3\xA9\"}",
            &le,
            &be,
            b"ab\xFFcd",
            b"\xEF\xBB\xBFab\xFFcd",
            b"ab\0cd",
            b"",
        ];
        for bytes in cases {
            assert_eq!(decode_owned(bytes.to_vec()), decode(bytes), "{bytes:?}");
        }
        assert!(decode_owned(b"\xEF\xBB\xBFab\xFFcd".to_vec())
            .unwrap_err()
            .contains("offset 5"));
    }
}
