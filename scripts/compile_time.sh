#!/usr/bin/env bash
# Compile time and expansion size of #[differentiable] on long bodies, with and without the
# attribute: builds a scratch crate that depends on this workspace (or on the one given as $1) and
# times an incremental debug build of a function of N statements.
#
#   scripts/compile_time.sh [workspace] [N...]     (default: this workspace, N = 300 2000)
#
# Prints one line per N: statements, build seconds with the attribute, without it, and their ratio.
set -euo pipefail
ws=$(cd "${1:-$(dirname "$0")/..}" && pwd)
shift || true
sizes=("${@:-300 2000}")
dir=$(mktemp -d /tmp/autodiff-compile-time.XXXX)
mkdir -p "$dir/src"
cat > "$dir/Cargo.toml" <<TOML
[package]
name = "compile-time"
version = "0.0.0"
edition = "2024"

[dependencies]
autodiff = { path = "$ws" }

[workspace]
TOML
body() {
  local n=$1
  echo "    let mut acc = x * 1.0;"
  for ((k = 1; k < n; k++)); do
    case $((k % 4)) in
      0) echo "    acc = acc + x.sin() * 0.5;" ;;
      1) echo "    acc = acc * 0.999 + (x * $k.0).tanh();" ;;
      2) echo "    acc = &acc * 0.5 + x.cos();" ;;
      3) echo "    acc = acc - (x * 0.001).exp();" ;;
    esac
  done
}
gen() {
  local n=$1 attr=$2 f="$dir/src/lib.rs"
  {
    echo "#![allow(clippy::all)]"
    echo "use autodiff::prelude::*;"
    if [ "$attr" = yes ]; then
      echo "#[differentiable]"
      echo "pub fn long(x: &DlArray) -> Result<(DlArray, DlArray)> {"
      body "$n"
      echo "    let y = sum(&acc, All);"
      echo "    let g = dlgradient(&y, x)?;"
      echo "    Ok((y, g))"
    else
      echo "pub fn long(x: &DlArray) -> Result<(DlArray, DlArray)> {"
      body "$n"
      echo "    let y = sum(&acc, All);"
      echo "    Ok((y, acc))"
    fi
    echo "}"
  } > "$f"
}
build() {
  (cd "$dir" && cargo build -q 2>&1 >/dev/null) || { echo "build failed" >&2; (cd "$dir" && cargo build 2>&1 | tail -20) >&2; return 1; }
}
timed() {
  local start end
  touch "$dir/src/lib.rs"
  start=$(date +%s.%N)
  build
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
gen 10 yes && build # dependencies, once
for n in ${sizes[@]}; do
  gen "$n" yes && with=$(timed)
  gen "$n" no && without=$(timed)
  printf "%6d statements: %7.2f s with #[differentiable], %6.2f s without, ratio %.1f\n" "$n" "$with" "$without" "$(echo "$with / $without" | bc -l)"
done
rm -rf "$dir"
