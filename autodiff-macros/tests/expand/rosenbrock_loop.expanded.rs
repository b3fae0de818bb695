fn rosenbrock_loop(x: &DlArray) -> Result<(DlArray, DlArray)> {
    let trace = ::autodiff::__private::enter();
    let x_traced;
    let x = match trace {
        ::core::option::Option::Some(id) => {
            x_traced = ::autodiff::__private::trace(x, id);
            &x_traced
        }
        ::core::option::Option::None => x,
    };
    let mut f_stack = ::std::vec::Vec::new();
    let mut f_sizes = ::std::vec::Vec::new();
    let n = x.numel();
    let mut f = dlarray(0.0);
    f_stack.push(::autodiff::__private::again(&f));
    let iter_1 = ::core::iter::IntoIterator::into_iter(0..n - 1);
    let replay_1 = ::core::clone::Clone::clone(&iter_1);
    let mut step_1 = 0usize;
    for i in iter_1 {
        let index = ::autodiff::__private::ops::try_index(x, i + 1)?;
        let index_1 = ::autodiff::__private::ops::try_index(
            x,
            ::autodiff::__private::again(&i),
        )?;
        let powi_1 = ::autodiff::__private::ops::powi(&index_1, 2);
        let minus = ::autodiff::__private::ops::try_minus(&index, &powi_1)?;
        let powi_2 = ::autodiff::__private::ops::powi(&minus, 2);
        let times = ::autodiff::__private::ops::try_times(&100.0, &powi_2)?;
        let plus = ::autodiff::__private::ops::try_plus(&f, &times)?;
        let index_2 = ::autodiff::__private::ops::try_index(
            x,
            ::autodiff::__private::again(&i),
        )?;
        let minus_1 = ::autodiff::__private::ops::try_minus(&1.0, &index_2)?;
        let powi_3 = ::autodiff::__private::ops::powi(&minus_1, 2);
        let plus_1 = ::autodiff::__private::ops::try_plus(&plus, &powi_3)?;
        ::autodiff::__private::log_size(&mut f_sizes, step_1, &f, &plus_1);
        f = ::core::clone::Clone::clone(&plus_1);
        step_1 += 1;
    }
    f_stack.push(::core::clone::Clone::clone(&f));
    #[allow(unused_mut, unused_variables, unused_assignments, clippy::all)]
    let gradient = match ::autodiff::__private::check_value(&f, "f")
        .and_then(|()| ::autodiff::__private::check_target(x, "x"))
    {
        ::core::result::Result::Ok(()) => {
            let mut f_cursor = f_stack.len();
            let mut f_rev = ::core::clone::Clone::clone(&f_stack[f_cursor - 1]);
            let mut x_bar = ::autodiff::__private::slot(x);
            let mut f_bar = ::autodiff::__private::seed(&f_rev);
            {
                let mut step1_rev = step_1;
                let mut f_now = ::core::clone::Clone::clone(&f_rev);
                let mut f_sizes_cursor = f_sizes.len();
                for i in ::core::iter::Iterator::rev(
                    ::core::clone::Clone::clone(&replay_1),
                ) {
                    let index = ::autodiff::__private::ops::index(x, i + 1);
                    let index_1 = ::autodiff::__private::ops::index(
                        x,
                        ::autodiff::__private::again(&i),
                    );
                    let powi_1 = ::autodiff::__private::ops::powi(&index_1, 2);
                    let minus = ::autodiff::__private::ops::minus(&index, &powi_1);
                    let powi_2 = ::autodiff::__private::ops::powi(&minus, 2);
                    let times = ::autodiff::__private::ops::times(&100.0, &powi_2);
                    let index_2 = ::autodiff::__private::ops::index(
                        x,
                        ::autodiff::__private::again(&i),
                    );
                    let minus_1 = ::autodiff::__private::ops::minus(&1.0, &index_2);
                    let powi_3 = ::autodiff::__private::ops::powi(&minus_1, 2);
                    let mut index_bar = ::autodiff::__private::slot(&index);
                    let mut index_1_bar = ::autodiff::__private::slot(&index_1);
                    let mut powi_1_bar = ::autodiff::__private::slot(&powi_1);
                    let mut minus_bar = ::autodiff::__private::slot(&minus);
                    let mut powi_2_bar = ::autodiff::__private::slot(&powi_2);
                    let mut times_bar = ::autodiff::__private::slot(&times);
                    let mut index_2_bar = ::autodiff::__private::slot(&index_2);
                    let mut minus_1_bar = ::autodiff::__private::slot(&minus_1);
                    let mut powi_3_bar = ::autodiff::__private::slot(&powi_3);
                    step1_rev -= 1;
                    if f_sizes_cursor > 0 && f_sizes[f_sizes_cursor - 1].0 == step1_rev {
                        f_sizes_cursor -= 1;
                        f_now = ::core::clone::Clone::clone(&f_sizes[f_sizes_cursor].1);
                    }
                    let plus = ::autodiff::__private::widen(&f_now, &times);
                    let mut plus_bar = ::autodiff::__private::slot(&plus);
                    let plus_1 = ::autodiff::__private::widen(&plus, &powi_3);
                    let mut plus_1_bar = ::autodiff::__private::slot(&plus_1);
                    ::autodiff::__private::acc_all(&mut plus_1_bar, &f_bar);
                    f_bar = ::autodiff::__private::slot(&f_now);
                    if ::autodiff::__private::reached(&plus_1_bar) {
                        ::autodiff::__private::ops::plus_adj0(
                            &mut plus_bar,
                            &plus_1_bar,
                            &plus_1,
                            &plus,
                            &powi_3,
                        );
                        ::autodiff::__private::ops::plus_adj1(
                            &mut powi_3_bar,
                            &plus_1_bar,
                            &plus_1,
                            &plus,
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
                            ::autodiff::__private::again(&i),
                        );
                    }
                    if ::autodiff::__private::reached(&plus_bar) {
                        ::autodiff::__private::ops::plus_adj0(
                            &mut f_bar,
                            &plus_bar,
                            &plus,
                            &f_now,
                            &times,
                        );
                        ::autodiff::__private::ops::plus_adj1(
                            &mut times_bar,
                            &plus_bar,
                            &plus,
                            &f_now,
                            &times,
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
                            ::autodiff::__private::again(&i),
                        );
                    }
                    if ::autodiff::__private::reached(&index_bar) {
                        ::autodiff::__private::ops::index_adj(
                            &mut x_bar,
                            &index_bar,
                            &index,
                            x,
                            i + 1,
                        );
                    }
                }
                f_cursor -= 1;
                if f_cursor > 0 {
                    f_rev = ::core::clone::Clone::clone(&f_stack[f_cursor - 1]);
                }
            }
            ::core::result::Result::Ok(::autodiff::__private::finish(x_bar, x))
        }
        ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
    };
    let g = gradient?;
    Ok((f, g))
}
#[doc(hidden)]
#[allow(non_camel_case_types, dead_code)]
struct rosenbrock_loop {}
impl rosenbrock_loop {
    #[doc(hidden)]
    #[allow(unused, clippy::all)]
    fn __forward(
        x_owned: DlArray,
    ) -> Result<
        ((DlArray, DlArray), impl ::core::ops::Fn(&(DlArray, DlArray)) -> (DlArray,)),
    > {
        let x: &DlArray = ::core::borrow::Borrow::borrow(&x_owned);
        let mut f_stack = ::std::vec::Vec::new();
        let mut f_sizes = ::std::vec::Vec::new();
        let n = x.numel();
        let mut f = dlarray(0.0);
        f_stack.push(::autodiff::__private::again(&f));
        let iter_1 = ::core::iter::IntoIterator::into_iter(0..n - 1);
        let replay_1 = ::core::clone::Clone::clone(&iter_1);
        let mut step_1 = 0usize;
        for i in iter_1 {
            let index = ::autodiff::__private::ops::try_index(x, i + 1)?;
            let index_1 = ::autodiff::__private::ops::try_index(
                x,
                ::autodiff::__private::again(&i),
            )?;
            let powi_1 = ::autodiff::__private::ops::powi(&index_1, 2);
            let minus = ::autodiff::__private::ops::try_minus(&index, &powi_1)?;
            let powi_2 = ::autodiff::__private::ops::powi(&minus, 2);
            let times = ::autodiff::__private::ops::try_times(&100.0, &powi_2)?;
            let plus = ::autodiff::__private::ops::try_plus(&f, &times)?;
            let index_2 = ::autodiff::__private::ops::try_index(
                x,
                ::autodiff::__private::again(&i),
            )?;
            let minus_1 = ::autodiff::__private::ops::try_minus(&1.0, &index_2)?;
            let powi_3 = ::autodiff::__private::ops::powi(&minus_1, 2);
            let plus_1 = ::autodiff::__private::ops::try_plus(&plus, &powi_3)?;
            ::autodiff::__private::log_size(&mut f_sizes, step_1, &f, &plus_1);
            f = ::core::clone::Clone::clone(&plus_1);
            step_1 += 1;
        }
        f_stack.push(::core::clone::Clone::clone(&f));
        #[allow(unused_mut, unused_variables, unused_assignments, clippy::all)]
        let gradient = match ::autodiff::__private::check_value(&f, "f")
            .and_then(|()| ::autodiff::__private::check_target(x, "x"))
        {
            ::core::result::Result::Ok(()) => {
                let mut f_cursor = f_stack.len();
                let mut f_rev = ::core::clone::Clone::clone(&f_stack[f_cursor - 1]);
                let mut x_bar = ::autodiff::__private::slot(x);
                let mut f_bar = ::autodiff::__private::seed(&f_rev);
                {
                    let mut step1_rev = step_1;
                    let mut f_now = ::core::clone::Clone::clone(&f_rev);
                    let mut f_sizes_cursor = f_sizes.len();
                    for i in ::core::iter::Iterator::rev(
                        ::core::clone::Clone::clone(&replay_1),
                    ) {
                        let index = ::autodiff::__private::ops::index(x, i + 1);
                        let index_1 = ::autodiff::__private::ops::index(
                            x,
                            ::autodiff::__private::again(&i),
                        );
                        let powi_1 = ::autodiff::__private::ops::powi(&index_1, 2);
                        let minus = ::autodiff::__private::ops::minus(&index, &powi_1);
                        let powi_2 = ::autodiff::__private::ops::powi(&minus, 2);
                        let times = ::autodiff::__private::ops::times(&100.0, &powi_2);
                        let index_2 = ::autodiff::__private::ops::index(
                            x,
                            ::autodiff::__private::again(&i),
                        );
                        let minus_1 = ::autodiff::__private::ops::minus(&1.0, &index_2);
                        let powi_3 = ::autodiff::__private::ops::powi(&minus_1, 2);
                        let mut index_bar = ::autodiff::__private::slot(&index);
                        let mut index_1_bar = ::autodiff::__private::slot(&index_1);
                        let mut powi_1_bar = ::autodiff::__private::slot(&powi_1);
                        let mut minus_bar = ::autodiff::__private::slot(&minus);
                        let mut powi_2_bar = ::autodiff::__private::slot(&powi_2);
                        let mut times_bar = ::autodiff::__private::slot(&times);
                        let mut index_2_bar = ::autodiff::__private::slot(&index_2);
                        let mut minus_1_bar = ::autodiff::__private::slot(&minus_1);
                        let mut powi_3_bar = ::autodiff::__private::slot(&powi_3);
                        step1_rev -= 1;
                        if f_sizes_cursor > 0
                            && f_sizes[f_sizes_cursor - 1].0 == step1_rev
                        {
                            f_sizes_cursor -= 1;
                            f_now = ::core::clone::Clone::clone(
                                &f_sizes[f_sizes_cursor].1,
                            );
                        }
                        let plus = ::autodiff::__private::widen(&f_now, &times);
                        let mut plus_bar = ::autodiff::__private::slot(&plus);
                        let plus_1 = ::autodiff::__private::widen(&plus, &powi_3);
                        let mut plus_1_bar = ::autodiff::__private::slot(&plus_1);
                        ::autodiff::__private::acc_all(&mut plus_1_bar, &f_bar);
                        f_bar = ::autodiff::__private::slot(&f_now);
                        if ::autodiff::__private::reached(&plus_1_bar) {
                            ::autodiff::__private::ops::plus_adj0(
                                &mut plus_bar,
                                &plus_1_bar,
                                &plus_1,
                                &plus,
                                &powi_3,
                            );
                            ::autodiff::__private::ops::plus_adj1(
                                &mut powi_3_bar,
                                &plus_1_bar,
                                &plus_1,
                                &plus,
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
                                ::autodiff::__private::again(&i),
                            );
                        }
                        if ::autodiff::__private::reached(&plus_bar) {
                            ::autodiff::__private::ops::plus_adj0(
                                &mut f_bar,
                                &plus_bar,
                                &plus,
                                &f_now,
                                &times,
                            );
                            ::autodiff::__private::ops::plus_adj1(
                                &mut times_bar,
                                &plus_bar,
                                &plus,
                                &f_now,
                                &times,
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
                                ::autodiff::__private::again(&i),
                            );
                        }
                        if ::autodiff::__private::reached(&index_bar) {
                            ::autodiff::__private::ops::index_adj(
                                &mut x_bar,
                                &index_bar,
                                &index,
                                x,
                                i + 1,
                            );
                        }
                    }
                    f_cursor -= 1;
                    if f_cursor > 0 {
                        f_rev = ::core::clone::Clone::clone(&f_stack[f_cursor - 1]);
                    }
                }
                ::core::result::Result::Ok(::autodiff::__private::finish(x_bar, x))
            }
            ::core::result::Result::Err(error) => ::core::result::Result::Err(error),
        };
        let g = gradient?;
        let value = (f.clone(), g.clone());
        let pullback = move |out_bar: &(DlArray, DlArray)| -> (DlArray,) {
            let x: &DlArray = ::core::borrow::Borrow::borrow(&x_owned);
            let mut f_cursor = f_stack.len();
            let mut f_rev = ::core::clone::Clone::clone(&f_stack[f_cursor - 1]);
            let mut x_bar = ::autodiff::__private::slot(x);
            let mut f_bar = ::autodiff::__private::slot(&f_rev);
            ::autodiff::__private::acc_all(&mut f_bar, &out_bar.0);
            {
                let mut step1_rev = step_1;
                let mut f_now = ::core::clone::Clone::clone(&f_rev);
                let mut f_sizes_cursor = f_sizes.len();
                for i in ::core::iter::Iterator::rev(
                    ::core::clone::Clone::clone(&replay_1),
                ) {
                    let index = ::autodiff::__private::ops::index(x, i + 1);
                    let index_1 = ::autodiff::__private::ops::index(
                        x,
                        ::autodiff::__private::again(&i),
                    );
                    let powi_1 = ::autodiff::__private::ops::powi(&index_1, 2);
                    let minus = ::autodiff::__private::ops::minus(&index, &powi_1);
                    let powi_2 = ::autodiff::__private::ops::powi(&minus, 2);
                    let times = ::autodiff::__private::ops::times(&100.0, &powi_2);
                    let index_2 = ::autodiff::__private::ops::index(
                        x,
                        ::autodiff::__private::again(&i),
                    );
                    let minus_1 = ::autodiff::__private::ops::minus(&1.0, &index_2);
                    let powi_3 = ::autodiff::__private::ops::powi(&minus_1, 2);
                    let mut index_bar = ::autodiff::__private::slot(&index);
                    let mut index_1_bar = ::autodiff::__private::slot(&index_1);
                    let mut powi_1_bar = ::autodiff::__private::slot(&powi_1);
                    let mut minus_bar = ::autodiff::__private::slot(&minus);
                    let mut powi_2_bar = ::autodiff::__private::slot(&powi_2);
                    let mut times_bar = ::autodiff::__private::slot(&times);
                    let mut index_2_bar = ::autodiff::__private::slot(&index_2);
                    let mut minus_1_bar = ::autodiff::__private::slot(&minus_1);
                    let mut powi_3_bar = ::autodiff::__private::slot(&powi_3);
                    step1_rev -= 1;
                    if f_sizes_cursor > 0 && f_sizes[f_sizes_cursor - 1].0 == step1_rev {
                        f_sizes_cursor -= 1;
                        f_now = ::core::clone::Clone::clone(&f_sizes[f_sizes_cursor].1);
                    }
                    let plus = ::autodiff::__private::widen(&f_now, &times);
                    let mut plus_bar = ::autodiff::__private::slot(&plus);
                    let plus_1 = ::autodiff::__private::widen(&plus, &powi_3);
                    let mut plus_1_bar = ::autodiff::__private::slot(&plus_1);
                    ::autodiff::__private::acc_all(&mut plus_1_bar, &f_bar);
                    f_bar = ::autodiff::__private::slot(&f_now);
                    if ::autodiff::__private::reached(&plus_1_bar) {
                        ::autodiff::__private::ops::plus_adj0(
                            &mut plus_bar,
                            &plus_1_bar,
                            &plus_1,
                            &plus,
                            &powi_3,
                        );
                        ::autodiff::__private::ops::plus_adj1(
                            &mut powi_3_bar,
                            &plus_1_bar,
                            &plus_1,
                            &plus,
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
                            ::autodiff::__private::again(&i),
                        );
                    }
                    if ::autodiff::__private::reached(&plus_bar) {
                        ::autodiff::__private::ops::plus_adj0(
                            &mut f_bar,
                            &plus_bar,
                            &plus,
                            &f_now,
                            &times,
                        );
                        ::autodiff::__private::ops::plus_adj1(
                            &mut times_bar,
                            &plus_bar,
                            &plus,
                            &f_now,
                            &times,
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
                            ::autodiff::__private::again(&i),
                        );
                    }
                    if ::autodiff::__private::reached(&index_bar) {
                        ::autodiff::__private::ops::index_adj(
                            &mut x_bar,
                            &index_bar,
                            &index,
                            x,
                            i + 1,
                        );
                    }
                }
                f_cursor -= 1;
                if f_cursor > 0 {
                    f_rev = ::core::clone::Clone::clone(&f_stack[f_cursor - 1]);
                }
            }
            (x_bar,)
        };
        ::core::result::Result::Ok((value, pullback))
    }
}
