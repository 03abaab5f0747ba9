//! The planlens CLI: `planlens check PATH...`, `planlens rules`, `planlens rule ID`.
//! Arguments → engine::check → render → exit code (0 clean, 1 findings at or above
//! `--fail-on`, 2 unusable input).

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
