//! Plan / state JSON: any bytes named `plan.json` through the whole review.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planlens::engine::{check, Options, SourceFile};

fuzz_target!(|data: &[u8]| {
    let report = check(&[SourceFile::new("plan.json", data)], &Options::default());
    // Rendering must not panic on whatever the model holds either.
    let _ = report.to_json();
});
