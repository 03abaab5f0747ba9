//! Encryption in transit: the TLS policy tables (data, with their AWS sources), reading
//! what TLS an endpoint accepts, certificates, and the inventories the seed's metrics
//! count. The TLS, CRT and PLN rules and `metrics.rs` read from here; nothing here
//! reports findings.

pub mod certs;
pub mod classic;
pub mod dates;
pub mod endpoints;
pub mod inventory;
pub mod policies;

pub use endpoints::Resolved;
pub use policies::{Protocol, Service, TlsPolicy};
