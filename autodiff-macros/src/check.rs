//! Stage 3a, check: errors that need the whole body, collected (every one in one build). Errors
//! found while lowering (unsupported syntax on traced values) are collected by the lowering itself.

use crate::diag::Diagnostics;
use crate::ir::{Body, Stmt};

/// Checks a lowered body.
pub(crate) fn check(body: &Body, diag: &Diagnostics) {
    body.block.walk(&mut |s| {
        if let Stmt::Grad(g) = s
            && g.higher
        {
            diag.error(
                g.span,
                "`EnableHigherDerivatives(true)` is not supported by this macro core yet",
                "remove the option (the gradient is then untraced, as MATLAB's default)",
            );
        }
    });
}
