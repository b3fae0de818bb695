//! The IR printed as text, for snapshots and debugging.
