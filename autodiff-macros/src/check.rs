//! Stage 3a, check: errors that need the whole body, collected (every one in one build). Errors
//! found while lowering (unsupported syntax on traced values) are collected by the lowering itself,
//! and those of higher-order sweeps by `differentiate::higher`.

use crate::diag::Diagnostics;
use crate::ir::Body;

/// Checks a lowered body (nothing is left to check here yet: every error so far is found where its
/// construct is lowered or differentiated).
pub(crate) fn check(_body: &Body, _diag: &Diagnostics) {}
