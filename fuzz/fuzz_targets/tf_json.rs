//! Terraform JSON syntax: any bytes named `main.tf.json` through the whole review.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planlens::engine::{check, Options, SourceFile};

fuzz_target!(|data: &[u8]| {
    let report = check(
        &[SourceFile::new("main.tf.json", data)],
        &Options::default(),
    );
    let _ = report.to_json();
});
