//! A long `#[differentiable]` body for `tests/long_body.rs`: `LONG_BODY` statements that update
//! one accumulator with every kind of elementwise step, the way an unrolled model looks. It checks
//! that the expansion and rustc's work on it stay bounded (a 2,000-statement body once took more
//! than ten minutes, and 600 crashed rustc), and that the gradient is right at that length.

use std::fmt::Write as _;

/// Statements in the long body.
pub(crate) const LONG_BODY: usize = 2000;

/// The `#[differentiable]` function `long_body(x)` and its plain twin `long_body_plain(x)` (the same
/// statements outside the macro, for finite differences).
pub(crate) fn source() -> String {
    let mut steps = String::new();
    for k in 1..LONG_BODY {
        let c = 1.0 + (k % 7) as f64 / 10.0;
        let _ = match k % 5 {
            0 => writeln!(steps, "    acc = acc + x.sin() * 0.001;"),
            1 => writeln!(steps, "    acc = acc * 0.999 + (x * {c:?}).tanh() * 0.001;"),
            2 => writeln!(steps, "    acc = &acc * 0.9995 + x.cos() * 0.001;"),
            3 => writeln!(steps, "    acc = acc - (x * 0.01).exp() * 0.001;"),
            _ => writeln!(steps, "    let t = &acc * {c:?};\n    acc = (t * 0.5).tanh() + &acc * 0.5;"),
        };
    }
    format!(
        "/// {LONG_BODY} statements in one body.\n#[differentiable]\npub(crate) fn long_body(x: &DlArray) -> Result<(DlArray, DlArray)> {{\n    let mut acc = x * 1.0;\n{steps}    let y = sum(&acc, All);\n    let g = dlgradient(&y, x)?;\n    Ok((y, g))\n}}\n\n/// The same statements as plain code.\npub(crate) fn long_body_plain(x: &DlArray) -> DlArray {{\n    let mut acc = x * 1.0;\n{steps}    sum(&acc, All)\n}}\n"
    )
}
