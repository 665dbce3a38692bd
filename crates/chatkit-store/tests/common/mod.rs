//! Helpers shared by the integration tests and benchmarks.

#![allow(dead_code)]

pub(crate) mod pg;
