#![allow(dead_code)] // the new core is brought up beside the old one; unused parts go when it takes over
//! The macro core, stage by stage (see the crate docs for the module map).

pub(crate) mod analyze;
pub(crate) mod check;
#[cfg(test)]
mod debug;
pub(crate) mod differentiate;
pub(crate) mod emit;
pub(crate) mod ir;
pub(crate) mod lower;
pub(crate) mod replay;
pub(crate) mod rules;
pub(crate) mod signature;
