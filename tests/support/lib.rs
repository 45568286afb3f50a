//! Shared helpers of the test suites (kept empty unless a helper is used by several files).
pub mod events;
pub mod log_capture;
pub mod policy_text;
pub mod reference;
pub mod runtime_api;
