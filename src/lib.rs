//! planlens: reviews Terraform against an AWS encryption strategy.
//!
//! `engine` is pure Rust (no I/O, no clock, no web types) and serves the CLI, the page
//! and the tests alike; `app` is the Leptos page and exists only on wasm32.
pub mod engine;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod app;

#[cfg(target_arch = "wasm32")]
pub mod worker;

/// The built-in example: a plan reproducing the seed's good and bad patterns.
pub mod example {
    pub const NAME: &str = "seed-example.plan.json";
    pub const PLAN: &str = include_str!("example/seed.plan.json");
}
