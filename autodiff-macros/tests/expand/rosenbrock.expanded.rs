fn rosenbrock(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let trace = ::autodiff::__private::enter();
    let x_traced;
    let x = match trace {
        ::core::option::Option::Some(id) => {
            x_traced = ::autodiff::__private::trace(x, id);
            &x_traced
        }
        ::core::option::Option::None => x,
    };
    let index = ::autodiff::__private::ops::try_index(x, 1)?;
    let index_1 = ::autodiff::__private::ops::try_index(x, 0)?;
    let powi_1 = ::autodiff::__private::ops::powi(&index_1, 2);
    let minus = ::autodiff::__private::ops::try_minus(&index, &powi_1)?;
    let powi_2 = ::autodiff::__private::ops::powi(&minus, 2);
    let times = ::autodiff::__private::ops::try_times(&100.0, &powi_2)?;
    let index_2 = ::autodiff::__private::ops::try_index(x, 0)?;
    let minus_1 = ::autodiff::__private::ops::try_minus(&1.0, &index_2)?;
    let powi_3 = ::autodiff::__private::ops::powi(&minus_1, 2);
    let f = ::autodiff::__private::ops::try_plus(&times, &powi_3)?;
    #[allow(unused_mut, unused_variables, unused_assignments, clippy::all)]
    let gradient = match ::autodiff::__private::check_value(&f, "f")
        .and_then(|()| ::autodiff::__private::check_target(x, "x"))
    {
        ::core::result::Result::Ok(()) => {
            let mut x_bar = ::autodiff::__private::slot(x);
            let mut index_bar = ::autodiff::__private::slot(&index);
            let mut index_1_bar = ::autodiff::__private::slot(&index_1);
            let mut powi_1_bar = ::autodiff::__private::slot(&powi_1);
            let mut minus_bar = ::autodiff::__private::slot(&minus);
            let mut powi_2_bar = ::autodiff::__private::slot(&powi_2);
            let mut times_bar = ::autodiff::__private::slot(&times);
            let mut index_2_bar = ::autodiff::__private::slot(&index_2);
            let mut minus_1_bar = ::autodiff::__private::slot(&minus_1);
            let mut powi_3_bar = ::autodiff::__private::slot(&powi_3);
            let f_bar = ::autodiff::__private::seed(&f);
            ::autodiff::__private::ops::plus_adj0(
                &mut times_bar,
                &f_bar,
                &f,
                &times,
                &powi_3,
            );
            ::autodiff::__private::ops::plus_adj1(
                &mut powi_3_bar,
                &f_bar,
                &f,
                &times,
                &powi_3,
            );
            ::autodiff::__private::ops::powi_adj(
                &mut minus_1_bar,
                &powi_3_bar,
                &powi_3,
                &minus_1,
                2,
            );
            ::autodiff::__private::ops::minus_adj1(
                &mut index_2_bar,
                &minus_1_bar,
                &minus_1,
                &1.0,
                &index_2,
            );
            ::autodiff::__private::ops::index_adj(
                &mut x_bar,
                &index_2_bar,
                &index_2,
                x,
                0,
            );
            ::autodiff::__private::ops::times_adj1(
                &mut powi_2_bar,
                &times_bar,
                &times,
                &100.0,
                &powi_2,
            );
            ::autodiff::__private::ops::powi_adj(
                &mut minus_bar,
                &powi_2_bar,
                &powi_2,
                &minus,
                2,
            );
            ::autodiff::__private::ops::minus_adj0(
                &mut index_bar,
                &minus_bar,
                &minus,
                &index,
                &powi_1,
            );
            ::autodiff::__private::ops::minus_adj1(
                &mut powi_1_bar,
                &minus_bar,
                &minus,
                &index,
                &powi_1,
            );
            ::autodiff::__private::ops::powi_adj(
                &mut index_1_bar,
                &powi_1_bar,
                &powi_1,
                &index_1,
                2,
            );
            ::autodiff::__private::ops::index_adj(
                &mut x_bar,
                &index_1_bar,
                &index_1,
                x,
                0,
            );
            ::autodiff::__private::ops::index_adj(&mut x_bar, &index_bar, &index, x, 1);
            ::core::result::Result::Ok(::autodiff::__private::finish(x_bar, x))
        }
        ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
    };
    let grad = gradient?;
    Ok((f, grad))
}
#[doc(hidden)]
#[allow(non_camel_case_types, dead_code)]
struct rosenbrock {}
impl rosenbrock {
    #[doc(hidden)]
    #[allow(unused, clippy::all)]
    fn __forward(
        x_owned: DlArray,
    ) -> Result<
        ((DlArray, DlArray), impl ::core::ops::Fn(&(DlArray, DlArray)) -> (DlArray,)),
    > {
        let x: &DlArray = ::core::borrow::Borrow::borrow(&x_owned);
        let index = ::autodiff::__private::ops::try_index(x, 1)?;
        let index_1 = ::autodiff::__private::ops::try_index(x, 0)?;
        let powi_1 = ::autodiff::__private::ops::powi(&index_1, 2);
        let minus = ::autodiff::__private::ops::try_minus(&index, &powi_1)?;
        let powi_2 = ::autodiff::__private::ops::powi(&minus, 2);
        let times = ::autodiff::__private::ops::try_times(&100.0, &powi_2)?;
        let index_2 = ::autodiff::__private::ops::try_index(x, 0)?;
        let minus_1 = ::autodiff::__private::ops::try_minus(&1.0, &index_2)?;
        let powi_3 = ::autodiff::__private::ops::powi(&minus_1, 2);
        let f = ::autodiff::__private::ops::try_plus(&times, &powi_3)?;
        #[allow(unused_mut, unused_variables, unused_assignments, clippy::all)]
        let gradient = match ::autodiff::__private::check_value(&f, "f")
            .and_then(|()| ::autodiff::__private::check_target(x, "x"))
        {
            ::core::result::Result::Ok(()) => {
                let mut x_bar = ::autodiff::__private::slot(x);
                let mut index_bar = ::autodiff::__private::slot(&index);
                let mut index_1_bar = ::autodiff::__private::slot(&index_1);
                let mut powi_1_bar = ::autodiff::__private::slot(&powi_1);
                let mut minus_bar = ::autodiff::__private::slot(&minus);
                let mut powi_2_bar = ::autodiff::__private::slot(&powi_2);
                let mut times_bar = ::autodiff::__private::slot(&times);
                let mut index_2_bar = ::autodiff::__private::slot(&index_2);
                let mut minus_1_bar = ::autodiff::__private::slot(&minus_1);
                let mut powi_3_bar = ::autodiff::__private::slot(&powi_3);
                let f_bar = ::autodiff::__private::seed(&f);
                ::autodiff::__private::ops::plus_adj0(
                    &mut times_bar,
                    &f_bar,
                    &f,
                    &times,
                    &powi_3,
                );
                ::autodiff::__private::ops::plus_adj1(
                    &mut powi_3_bar,
                    &f_bar,
                    &f,
                    &times,
                    &powi_3,
                );
                ::autodiff::__private::ops::powi_adj(
                    &mut minus_1_bar,
                    &powi_3_bar,
                    &powi_3,
                    &minus_1,
                    2,
                );
                ::autodiff::__private::ops::minus_adj1(
                    &mut index_2_bar,
                    &minus_1_bar,
                    &minus_1,
                    &1.0,
                    &index_2,
                );
                ::autodiff::__private::ops::index_adj(
                    &mut x_bar,
                    &index_2_bar,
                    &index_2,
                    x,
                    0,
                );
                ::autodiff::__private::ops::times_adj1(
                    &mut powi_2_bar,
                    &times_bar,
                    &times,
                    &100.0,
                    &powi_2,
                );
                ::autodiff::__private::ops::powi_adj(
                    &mut minus_bar,
                    &powi_2_bar,
                    &powi_2,
                    &minus,
                    2,
                );
                ::autodiff::__private::ops::minus_adj0(
                    &mut index_bar,
                    &minus_bar,
                    &minus,
                    &index,
                    &powi_1,
                );
                ::autodiff::__private::ops::minus_adj1(
                    &mut powi_1_bar,
                    &minus_bar,
                    &minus,
                    &index,
                    &powi_1,
                );
                ::autodiff::__private::ops::powi_adj(
                    &mut index_1_bar,
                    &powi_1_bar,
                    &powi_1,
                    &index_1,
                    2,
                );
                ::autodiff::__private::ops::index_adj(
                    &mut x_bar,
                    &index_1_bar,
                    &index_1,
                    x,
                    0,
                );
                ::autodiff::__private::ops::index_adj(
                    &mut x_bar,
                    &index_bar,
                    &index,
                    x,
                    1,
                );
                ::core::result::Result::Ok(::autodiff::__private::finish(x_bar, x))
            }
            ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
        };
        let grad = gradient?;
        let value = (f.clone(), grad.clone());
        let pullback = move |out_bar: &(DlArray, DlArray)| -> (DlArray,) {
            let x: &DlArray = ::core::borrow::Borrow::borrow(&x_owned);
            let mut x_bar = ::autodiff::__private::slot(x);
            let mut index_bar = ::autodiff::__private::slot(&index);
            let mut index_1_bar = ::autodiff::__private::slot(&index_1);
            let mut powi_1_bar = ::autodiff::__private::slot(&powi_1);
            let mut minus_bar = ::autodiff::__private::slot(&minus);
            let mut powi_2_bar = ::autodiff::__private::slot(&powi_2);
            let mut times_bar = ::autodiff::__private::slot(&times);
            let mut index_2_bar = ::autodiff::__private::slot(&index_2);
            let mut minus_1_bar = ::autodiff::__private::slot(&minus_1);
            let mut powi_3_bar = ::autodiff::__private::slot(&powi_3);
            let mut f_bar = ::autodiff::__private::slot(&f);
            ::autodiff::__private::acc_all(&mut f_bar, &out_bar.0);
            if ::autodiff::__private::reached(&f_bar) {
                ::autodiff::__private::ops::plus_adj0(
                    &mut times_bar,
                    &f_bar,
                    &f,
                    &times,
                    &powi_3,
                );
                ::autodiff::__private::ops::plus_adj1(
                    &mut powi_3_bar,
                    &f_bar,
                    &f,
                    &times,
                    &powi_3,
                );
            }
            if ::autodiff::__private::reached(&powi_3_bar) {
                ::autodiff::__private::ops::powi_adj(
                    &mut minus_1_bar,
                    &powi_3_bar,
                    &powi_3,
                    &minus_1,
                    2,
                );
            }
            if ::autodiff::__private::reached(&minus_1_bar) {
                ::autodiff::__private::ops::minus_adj1(
                    &mut index_2_bar,
                    &minus_1_bar,
                    &minus_1,
                    &1.0,
                    &index_2,
                );
            }
            if ::autodiff::__private::reached(&index_2_bar) {
                ::autodiff::__private::ops::index_adj(
                    &mut x_bar,
                    &index_2_bar,
                    &index_2,
                    x,
                    0,
                );
            }
            if ::autodiff::__private::reached(&times_bar) {
                ::autodiff::__private::ops::times_adj1(
                    &mut powi_2_bar,
                    &times_bar,
                    &times,
                    &100.0,
                    &powi_2,
                );
            }
            if ::autodiff::__private::reached(&powi_2_bar) {
                ::autodiff::__private::ops::powi_adj(
                    &mut minus_bar,
                    &powi_2_bar,
                    &powi_2,
                    &minus,
                    2,
                );
            }
            if ::autodiff::__private::reached(&minus_bar) {
                ::autodiff::__private::ops::minus_adj0(
                    &mut index_bar,
                    &minus_bar,
                    &minus,
                    &index,
                    &powi_1,
                );
                ::autodiff::__private::ops::minus_adj1(
                    &mut powi_1_bar,
                    &minus_bar,
                    &minus,
                    &index,
                    &powi_1,
                );
            }
            if ::autodiff::__private::reached(&powi_1_bar) {
                ::autodiff::__private::ops::powi_adj(
                    &mut index_1_bar,
                    &powi_1_bar,
                    &powi_1,
                    &index_1,
                    2,
                );
            }
            if ::autodiff::__private::reached(&index_1_bar) {
                ::autodiff::__private::ops::index_adj(
                    &mut x_bar,
                    &index_1_bar,
                    &index_1,
                    x,
                    0,
                );
            }
            if ::autodiff::__private::reached(&index_bar) {
                ::autodiff::__private::ops::index_adj(
                    &mut x_bar,
                    &index_bar,
                    &index,
                    x,
                    1,
                );
            }
            (x_bar,)
        };
        ::core::result::Result::Ok((value, pullback))
    }
}
