//! The permalink decoder. Random text rarely gets past base64 + zlib's checksum, so half
//! the inputs are wrapped as a well-formed envelope (`v1.` + base64url(zlib(bytes))) and
//! exercise the payload's own parsing and what the page does with it next.
#![no_main]

use base64::Engine;
use libfuzzer_sys::fuzz_target;
use planlens::engine::report::permalink;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let link = if mode % 2 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(rest, 1);
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed);
        format!("https://example.test/#{}.{b64}", permalink::FORMAT)
    };
    if let Ok(payload) = permalink::decode(&link) {
        let _ = payload.options();
        if let Some(files) = payload.sources() {
            let _ = planlens::engine::check(&files, &payload.options());
        }
        // A decoded payload re-encodes without panicking.
        let _ = permalink::encode(&payload);
    }
});
