//! ADBench's GMM objective on ADBench's own input files: the value, gradient checksums and median
//! times, printed in the same fields as the PyTorch and JAX peers print, so that a row of
//! `BENCHMARKS.md` can be checked against them on identical data.
//!
//! ```sh
//! cargo run --release --example gmm_adbench -- path/to/gmm_d2_K5.txt [more files…]
//! ```
//!
//! ADBench's files (`gmm/1k/gmm_dD_KK.txt`, MIT licence, github.com/microsoft/ADBench) are not part
//! of this repository. Without a file argument the example runs on generated data of shape
//! D = 2, K = 5, N = 1000 instead. The objective and its gradient are `benches/problems/gmm.rs`.

use std::time::{Duration, Instant};

use autodiff::prelude::*;

#[path = "../benches/problems/gmm.rs"]
mod gmm;

/// Reads an ADBench GMM file: `D K N`, K alphas, K lines of D means, K lines of D(D+1)/2 `icf`
/// values, N lines of D points, then `gamma m`.
fn read(path: &str) -> std::result::Result<(gmm::Gmm, gmm::Data), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut words = text.split_whitespace();
    let mut next = |what: &str| -> std::result::Result<f64, String> {
        let w = words.next().ok_or_else(|| format!("{path}: the file ends before {what}"))?;
        w.parse::<f64>().map_err(|e| format!("{path}: {what}: `{w}`: {e}"))
    };
    let (d, k, n) = (next("D")? as usize, next("K")? as usize, next("N")? as usize);
    let mut take =
        |count: usize, what: &str| (0..count).map(|_| next(what)).collect::<std::result::Result<Vec<_>, _>>();
    let alphas = take(k, "the alphas")?;
    let means = take(k * d, "the means")?;
    let icf = take(k * d * (d + 1) / 2, "the icf values")?;
    let x = take(n * d, "the points")?;
    let prior = take(2, "gamma and m")?;
    // one component (or one point) per line: consecutive values fill a column
    let p = gmm::Gmm {
        alphas: dlarray(alphas).reshape(&[k, 1]),
        means: dlarray(means).reshape(&[d, k]),
        icf: dlarray(icf).reshape(&[d * (d + 1) / 2, k]),
    };
    let x = dlarray(x).reshape(&[d, n]);
    Ok((p, gmm::Data::new(x, k, prior[0], prior[1] as usize)))
}

/// The median time of `f` over repetitions filling about half a second (at least 5).
fn median(mut f: impl FnMut()) -> Duration {
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < Duration::from_millis(500) && times.len() < 10_000) {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

fn run(name: &str, p: &gmm::Gmm, data: &gmm::Data) -> Result<()> {
    let (value, g) = dlfeval(|p: &gmm::Gmm| gmm::objective_and_gradient(p, data), p)?;
    let flat = gmm::flat(&g);
    let checksum: f64 = flat.iter().sum();
    let l1: f64 = flat.iter().map(|v| v.abs()).sum();
    let l2 = flat.iter().map(|v| v * v).sum::<f64>().sqrt();
    let objective = median(|| {
        std::hint::black_box(gmm::objective(p, data));
    });
    let gradient = median(|| {
        std::hint::black_box(dlfeval(|p: &gmm::Gmm| gmm::objective_and_gradient(p, data), p).expect("gradient"));
    });
    println!(
        "{{\"problem\": \"gmm\", \"size\": \"{name}\", \"framework\": \"autodiff\", \"value\": {}, \
         \"grad_checksum\": {checksum}, \"grad_l1\": {l1}, \"grad_l2\": {l2}, \"grad_len\": {}, \
         \"objective_s\": {}, \"gradient_s\": {}}}",
        value.get(0),
        flat.len(),
        objective.as_secs_f64(),
        gradient.as_secs_f64(),
    );
    Ok(())
}

fn main() -> Result<()> {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("no ADBench file given: generated data, D = 2, K = 5, N = 1000");
        let (p, data) = gmm::generated(2, 5, 1000, 1);
        return run("generated_d2_K5_n1000", &p, &data);
    }
    for file in &files {
        let (p, data) = match read(file) {
            Ok(input) => input,
            Err(message) => {
                eprintln!("{message}");
                std::process::exit(2);
            }
        };
        let stem = std::path::Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or(file);
        let name = format!("{}_n{}", stem.trim_start_matches("gmm_"), data.x.size()[1]);
        run(&name, &p, &data)?;
    }
    Ok(())
}
