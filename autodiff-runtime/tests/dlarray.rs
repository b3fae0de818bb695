//! `DlArray` construction, MATLAB shapes, formats (SPEC §1), display, cheap clones and serde.

use autodiff_runtime::{DlArray, Label, dlarray, dlarray_fmt, ones_like, zeros, zeros_like};
use ndarray::{ArrayD, IxDyn};

#[test]
fn construction_shapes() {
    assert_eq!(dlarray(2.0).size(), &[1, 1]);
    assert_eq!(dlarray([1.0, 2.0, 3.0]).size(), &[1, 3]); // a literal is a row, as MATLAB's [a, b, c]
    assert_eq!(dlarray(vec![1.0; 4]).size(), &[1, 4]);
    assert_eq!(dlarray(&[1.0, 2.0][..]).size(), &[1, 2]);
    assert_eq!(dlarray([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]).size(), &[3, 2]);
    assert_eq!(dlarray([[[1.0], [2.0]]]).size(), &[1, 2, 1].iter().take(2).copied().collect::<Vec<_>>()[..]); // 1x2x1 → 1x2
    assert_eq!(dlarray([[[1.0, 2.0]], [[3.0, 4.0]]]).size(), &[2, 1, 2]);
    assert_eq!(dlarray(ndarray::array![1.0, 2.0]).size(), &[1, 2]); // 1-D ndarray → row
    assert_eq!(dlarray(ArrayD::<f64>::zeros(IxDyn(&[2, 3, 1, 1]))).size(), &[2, 3]); // trailing singletons dropped
    assert_eq!(dlarray(ArrayD::<f32>::zeros(IxDyn(&[]))).size(), &[1, 1]);
    let e: DlArray = dlarray(Vec::<f64>::new());
    assert_eq!((e.size(), e.numel()), (&[1, 0][..], 0));
}

#[test]
fn column_major_linear_indexing() {
    // MATLAB: x = [1 2 3; 4 5 6]; x(2) == 4, x(:)' == [1 4 2 5 3 6]
    let x = dlarray([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
    assert_eq!(x.get(1), 4.0);
    assert_eq!(x.to_vec(), vec![1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
}

#[test]
fn formats_follow_matlab_rules() {
    // "TCB" is stored as "CBT"; sizes in that order
    let a = ArrayD::from_shape_fn(IxDyn(&[5, 3, 2]), |i| (i[0] * 100 + i[1] * 10 + i[2]) as f64);
    let x = dlarray_fmt(a.clone(), "TCB").unwrap();
    assert_eq!(x.dims(), "CBT");
    assert_eq!(x.size(), &[3, 2, 5]);
    // the element at T=4, C=1, B=0 keeps its value
    assert_eq!(x.view()[[1, 0, 4]], a[[4, 1, 0]]);
    // "BC" becomes "CB"
    let y = dlarray_fmt([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "BC").unwrap();
    assert_eq!((y.dims(), y.size()), ("CB".to_string(), &[3, 2][..]));
    assert_eq!(y.finddim(Label::C), vec![0]);
    assert_eq!(y.finddim(Label::B), vec![1]);
    // more labels than dimensions add singleton dimensions
    let z = dlarray_fmt([[1.0, 2.0], [3.0, 4.0]], "SSCB").unwrap();
    assert_eq!(z.size(), &[2, 2, 1, 1]);
    assert_eq!(z.to_string(), "  2(S) x 2(S) x 1(C) x 1(B) dlarray\n\n     1     2\n     3     4\n");
    // trailing singleton U dimensions after the second are ignored
    let u = dlarray_fmt([[1.0, 2.0]], "CBUU").unwrap();
    assert_eq!(u.dims(), "CB");
    // errors
    let msg = dlarray_fmt([1.0], "CC").unwrap_err().to_string();
    assert!(msg.contains("\"CC\"") && msg.contains("at most once"), "{msg}");
    assert!(dlarray_fmt([1.0], "CX").unwrap_err().to_string().contains("'X' is not a dimension label"));
    let too_few = dlarray_fmt(ArrayD::<f64>::zeros(IxDyn(&[2, 3, 4])), "CB").unwrap_err().to_string();
    assert!(too_few.contains("labels 2 dimensions but the data has 3"), "{too_few}");
    // stripdims keeps the canonical order, without labels
    assert_eq!(x.stripdims().dims(), "");
    assert_eq!(x.stripdims().size(), &[3, 2, 5]);
}

#[test]
fn display_matches_matlab() {
    assert_eq!(dlarray(104.0).to_string(), "  1x1 dlarray\n\n   104\n");
    assert_eq!(dlarray([396.0, 200.0]).to_string(), "  1x2 dlarray\n\n   396   200\n");
    assert_eq!(dlarray([-1.0, 2.0]).to_string(), "  1x2 dlarray\n\n    -1     2\n");
    assert_eq!(dlarray([[1.0, 2.0], [3.0, 4.0]]).to_string(), "  2x2 dlarray\n\n     1     2\n     3     4\n");
    assert_eq!(dlarray([0.6788, -1.1095]).to_string(), "  1x2 dlarray\n\n    0.6788   -1.1095\n");
    assert_eq!(dlarray(-0.96679).to_string(), "  1x1 dlarray\n\n   -0.9668\n");
    assert_eq!(dlarray([1.0_f32, 2.0]).to_string(), "  1x2 single dlarray\n\n     1     2\n");
    assert_eq!(dlarray([1000.0, 2000.0]).to_string(), "  1x2 dlarray\n\n        1000        2000\n");
    assert_eq!(dlarray([1.5, 2000.26]).to_string(), "  1x2 dlarray\n\n   1.0e+03 *\n\n    0.0015    2.0003\n");
    assert_eq!(dlarray([f64::NAN, f64::INFINITY, 1.0]).to_string(), "  1x3 dlarray\n\n   NaN   Inf     1\n");
    let e: DlArray = dlarray(Vec::<f64>::new());
    assert_eq!(e.to_string(), "  1x0 empty dlarray\n");
    let p = dlarray([[[1.0, 2.0], [3.0, 4.0]]]).permute(&[1, 2, 0]); // 2x2x1 → a matrix
    assert_eq!(p.size(), &[2, 2]);
    let pages = dlarray_fmt(ArrayD::from_shape_fn(IxDyn(&[1, 2, 2]), |i| (i[1] + 2 * i[2]) as f64), "SCB").unwrap();
    assert_eq!(
        pages.to_string(),
        "  1(S) x 2(C) x 2(B) dlarray\n\n(:,:,1) =\n\n     0     1\n\n(:,:,2) =\n\n     2     3\n"
    );
}

#[test]
fn clones_share_storage_and_write_copies() {
    let x = dlarray([1.0, 2.0, 3.0]);
    let y = x.clone();
    assert!(std::ptr::eq(x.view().as_ptr(), y.view().as_ptr()), "clone shares storage");
    let z = y.assign(0, &9.0);
    assert_eq!(x.to_vec(), vec![1.0, 2.0, 3.0], "the original is untouched");
    assert_eq!(z.to_vec(), vec![9.0, 2.0, 3.0]);
}

#[test]
fn conversions_to_and_from_ndarray() {
    let a = ndarray::array![[1.0, 2.0], [3.0, 4.0]].into_dyn();
    let ptr = a.as_ptr();
    let x = dlarray(a);
    assert_eq!(x.view().as_ptr(), ptr, "moving an owned array in is free");
    let back: ArrayD<f64> = x.into_data();
    assert_eq!(back.as_ptr(), ptr, "and out, when the storage is not shared");
    let x = dlarray(back.view());
    assert_eq!(x.extractdata(), back);
}

#[test]
fn creators_are_constants_like_x() {
    let x = dlarray_fmt([[1.0_f32, 2.0, 3.0]], "BC").unwrap();
    let z = zeros_like(&x);
    assert_eq!((z.size(), z.dims(), z.class()), (x.size(), x.dims(), "single"));
    assert_eq!(ones_like(&x).to_vec(), vec![1.0; 3]);
    assert!(!z.is_traced());
    assert_eq!(zeros::<f64>(&[2, 0]).numel(), 0);
}

#[test]
fn serde_round_trip_keeps_data_and_format() {
    let x = dlarray_fmt([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "BC").unwrap();
    let json = serde_json::to_string(&x).unwrap();
    assert_eq!(json, r#"{"size":[3,2],"format":"CB","data":[1.0,2.0,3.0,4.0,5.0,6.0]}"#);
    let back: DlArray = serde_json::from_str(&json).unwrap();
    assert_eq!(back, x);
    assert!(serde_json::from_str::<DlArray>(r#"{"size":[2,2],"format":"","data":[1.0]}"#).is_err());
    assert!(serde_json::from_str::<DlArray>(r#"{"size":[1,1],"format":"CC","data":[1.0]}"#).is_err());
}

#[test]
fn integer_data_is_rejected_at_compile_time() {
    // `dlarray([1, 2])` does not compile (see tests/ui); here, the float forms do.
    let _ = dlarray([1.0_f32, 2.0]);
    let _ = dlarray([1.0_f64, 2.0]);
}
