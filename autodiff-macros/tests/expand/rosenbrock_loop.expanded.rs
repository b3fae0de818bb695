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
    let mut i_stack = ::std::vec::Vec::new();
    let mut index_stack = ::std::vec::Vec::new();
    let mut index_1_stack = ::std::vec::Vec::new();
    let mut powi_1_stack = ::std::vec::Vec::new();
    let mut minus_stack = ::std::vec::Vec::new();
    let mut powi_2_stack = ::std::vec::Vec::new();
    let mut times_stack = ::std::vec::Vec::new();
    let mut plus_stack = ::std::vec::Vec::new();
    let mut index_2_stack = ::std::vec::Vec::new();
    let mut minus_1_stack = ::std::vec::Vec::new();
    let mut powi_3_stack = ::std::vec::Vec::new();
    let mut plus_1_stack = ::std::vec::Vec::new();
    let mut count1_stack = ::std::vec::Vec::new();
    let n = x.numel();
    let mut f = dlarray(0.0);
    f_stack.push(::autodiff::__private::again(&f));
    let mut count_1 = 0usize;
    let iter_1 = ::core::iter::IntoIterator::into_iter(0..n - 1);
    let trip_1 = ::core::iter::Iterator::size_hint(&iter_1).0;
    index_stack.reserve(trip_1);
    index_1_stack.reserve(trip_1);
    powi_1_stack.reserve(trip_1);
    minus_stack.reserve(trip_1);
    powi_2_stack.reserve(trip_1);
    times_stack.reserve(trip_1);
    plus_stack.reserve(trip_1);
    index_2_stack.reserve(trip_1);
    minus_1_stack.reserve(trip_1);
    powi_3_stack.reserve(trip_1);
    plus_1_stack.reserve(trip_1);
    i_stack.reserve(trip_1);
    for i in iter_1 {
        count_1 += 1;
        i_stack.push(::autodiff::__private::again(&i));
        let index = ::autodiff::__private::ops::try_index(x, i + 1)?;
        index_stack.push(::core::clone::Clone::clone(&index));
        let index_1 = ::autodiff::__private::ops::try_index(
            x,
            ::autodiff::__private::again(&i),
        )?;
        index_1_stack.push(::core::clone::Clone::clone(&index_1));
        let powi_1 = ::autodiff::__private::ops::powi(&index_1, 2);
        powi_1_stack.push(::core::clone::Clone::clone(&powi_1));
        let minus = ::autodiff::__private::ops::try_minus(&index, &powi_1)?;
        minus_stack.push(::core::clone::Clone::clone(&minus));
        let powi_2 = ::autodiff::__private::ops::powi(&minus, 2);
        powi_2_stack.push(::core::clone::Clone::clone(&powi_2));
        let times = ::autodiff::__private::ops::try_times(&100.0, &powi_2)?;
        times_stack.push(::core::clone::Clone::clone(&times));
        let plus = ::autodiff::__private::ops::try_plus(&f, &times)?;
        plus_stack.push(::core::clone::Clone::clone(&plus));
        let index_2 = ::autodiff::__private::ops::try_index(
            x,
            ::autodiff::__private::again(&i),
        )?;
        index_2_stack.push(::core::clone::Clone::clone(&index_2));
        let minus_1 = ::autodiff::__private::ops::try_minus(&1.0, &index_2)?;
        minus_1_stack.push(::core::clone::Clone::clone(&minus_1));
        let powi_3 = ::autodiff::__private::ops::powi(&minus_1, 2);
        powi_3_stack.push(::core::clone::Clone::clone(&powi_3));
        let plus_1 = ::autodiff::__private::ops::try_plus(&plus, &powi_3)?;
        plus_1_stack.push(::core::clone::Clone::clone(&plus_1));
        f = ::core::clone::Clone::clone(&plus_1);
        f_stack.push(::core::clone::Clone::clone(&f));
    }
    count1_stack.push(count_1);
    #[allow(unused_mut, unused_variables, unused_assignments, clippy::all)]
    let gradient = match ::autodiff::__private::check_value(&f, "f")
        .and_then(|()| ::autodiff::__private::check_target(x, "x"))
    {
        ::core::result::Result::Ok(()) => {
            let mut f_cursor = f_stack.len();
            let mut i_cursor = i_stack.len();
            let mut index_cursor = index_stack.len();
            let mut index_1_cursor = index_1_stack.len();
            let mut powi_1_cursor = powi_1_stack.len();
            let mut minus_cursor = minus_stack.len();
            let mut powi_2_cursor = powi_2_stack.len();
            let mut times_cursor = times_stack.len();
            let mut plus_cursor = plus_stack.len();
            let mut index_2_cursor = index_2_stack.len();
            let mut minus_1_cursor = minus_1_stack.len();
            let mut powi_3_cursor = powi_3_stack.len();
            let mut plus_1_cursor = plus_1_stack.len();
            let mut count1_cursor = count1_stack.len();
            let mut f_rev = ::core::clone::Clone::clone(&f_stack[f_cursor - 1]);
            let mut x_bar = ::autodiff::__private::slot(x);
            let mut f_bar = ::autodiff::__private::seed(&f_rev);
            count1_cursor -= 1;
            for _ in 0..count1_stack[count1_cursor] {
                {
                    i_cursor -= 1;
                    let i = ::core::clone::Clone::clone(&i_stack[i_cursor]);
                    index_cursor -= 1;
                    let index = &index_stack[index_cursor];
                    index_1_cursor -= 1;
                    let index_1 = &index_1_stack[index_1_cursor];
                    powi_1_cursor -= 1;
                    let powi_1 = &powi_1_stack[powi_1_cursor];
                    minus_cursor -= 1;
                    let minus = &minus_stack[minus_cursor];
                    powi_2_cursor -= 1;
                    let powi_2 = &powi_2_stack[powi_2_cursor];
                    times_cursor -= 1;
                    let times = &times_stack[times_cursor];
                    plus_cursor -= 1;
                    let plus = &plus_stack[plus_cursor];
                    index_2_cursor -= 1;
                    let index_2 = &index_2_stack[index_2_cursor];
                    minus_1_cursor -= 1;
                    let minus_1 = &minus_1_stack[minus_1_cursor];
                    powi_3_cursor -= 1;
                    let powi_3 = &powi_3_stack[powi_3_cursor];
                    plus_1_cursor -= 1;
                    let plus_1 = &plus_1_stack[plus_1_cursor];
                    let mut index_bar = ::autodiff::__private::slot(index);
                    let mut index_1_bar = ::autodiff::__private::slot(index_1);
                    let mut powi_1_bar = ::autodiff::__private::slot(powi_1);
                    let mut minus_bar = ::autodiff::__private::slot(minus);
                    let mut powi_2_bar = ::autodiff::__private::slot(powi_2);
                    let mut times_bar = ::autodiff::__private::slot(times);
                    let mut plus_bar = ::autodiff::__private::slot(plus);
                    let mut index_2_bar = ::autodiff::__private::slot(index_2);
                    let mut minus_1_bar = ::autodiff::__private::slot(minus_1);
                    let mut powi_3_bar = ::autodiff::__private::slot(powi_3);
                    let mut plus_1_bar = ::autodiff::__private::slot(plus_1);
                    ::autodiff::__private::acc_all(&mut plus_1_bar, &f_bar);
                    f_bar = ::autodiff::__private::slot(&f_rev);
                    f_cursor -= 1;
                    if f_cursor > 0 {
                        f_rev = ::core::clone::Clone::clone(&f_stack[f_cursor - 1]);
                    }
                    if ::autodiff::__private::reached(&plus_1_bar) {
                        ::autodiff::__private::ops::plus_adj0(
                            &mut plus_bar,
                            &plus_1_bar,
                            plus_1,
                            plus,
                            powi_3,
                        );
                        ::autodiff::__private::ops::plus_adj1(
                            &mut powi_3_bar,
                            &plus_1_bar,
                            plus_1,
                            plus,
                            powi_3,
                        );
                    }
                    if ::autodiff::__private::reached(&powi_3_bar) {
                        ::autodiff::__private::ops::powi_adj(
                            &mut minus_1_bar,
                            &powi_3_bar,
                            powi_3,
                            minus_1,
                            2,
                        );
                    }
                    if ::autodiff::__private::reached(&minus_1_bar) {
                        ::autodiff::__private::ops::minus_adj1(
                            &mut index_2_bar,
                            &minus_1_bar,
                            minus_1,
                            &1.0,
                            index_2,
                        );
                    }
                    if ::autodiff::__private::reached(&index_2_bar) {
                        ::autodiff::__private::ops::index_adj(
                            &mut x_bar,
                            &index_2_bar,
                            index_2,
                            x,
                            ::autodiff::__private::again(&i),
                        );
                    }
                    if ::autodiff::__private::reached(&plus_bar) {
                        ::autodiff::__private::ops::plus_adj0(
                            &mut f_bar,
                            &plus_bar,
                            plus,
                            &f_rev,
                            times,
                        );
                        ::autodiff::__private::ops::plus_adj1(
                            &mut times_bar,
                            &plus_bar,
                            plus,
                            &f_rev,
                            times,
                        );
                    }
                    if ::autodiff::__private::reached(&times_bar) {
                        ::autodiff::__private::ops::times_adj1(
                            &mut powi_2_bar,
                            &times_bar,
                            times,
                            &100.0,
                            powi_2,
                        );
                    }
                    if ::autodiff::__private::reached(&powi_2_bar) {
                        ::autodiff::__private::ops::powi_adj(
                            &mut minus_bar,
                            &powi_2_bar,
                            powi_2,
                            minus,
                            2,
                        );
                    }
                    if ::autodiff::__private::reached(&minus_bar) {
                        ::autodiff::__private::ops::minus_adj0(
                            &mut index_bar,
                            &minus_bar,
                            minus,
                            index,
                            powi_1,
                        );
                        ::autodiff::__private::ops::minus_adj1(
                            &mut powi_1_bar,
                            &minus_bar,
                            minus,
                            index,
                            powi_1,
                        );
                    }
                    if ::autodiff::__private::reached(&powi_1_bar) {
                        ::autodiff::__private::ops::powi_adj(
                            &mut index_1_bar,
                            &powi_1_bar,
                            powi_1,
                            index_1,
                            2,
                        );
                    }
                    if ::autodiff::__private::reached(&index_1_bar) {
                        ::autodiff::__private::ops::index_adj(
                            &mut x_bar,
                            &index_1_bar,
                            index_1,
                            x,
                            ::autodiff::__private::again(&i),
                        );
                    }
                    if ::autodiff::__private::reached(&index_bar) {
                        ::autodiff::__private::ops::index_adj(
                            &mut x_bar,
                            &index_bar,
                            index,
                            x,
                            i + 1,
                        );
                    }
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
        let mut i_stack = ::std::vec::Vec::new();
        let mut index_stack = ::std::vec::Vec::new();
        let mut index_1_stack = ::std::vec::Vec::new();
        let mut powi_1_stack = ::std::vec::Vec::new();
        let mut minus_stack = ::std::vec::Vec::new();
        let mut powi_2_stack = ::std::vec::Vec::new();
        let mut times_stack = ::std::vec::Vec::new();
        let mut plus_stack = ::std::vec::Vec::new();
        let mut index_2_stack = ::std::vec::Vec::new();
        let mut minus_1_stack = ::std::vec::Vec::new();
        let mut powi_3_stack = ::std::vec::Vec::new();
        let mut plus_1_stack = ::std::vec::Vec::new();
        let mut count1_stack = ::std::vec::Vec::new();
        let n = x.numel();
        let mut f = dlarray(0.0);
        f_stack.push(::autodiff::__private::again(&f));
        let mut count_1 = 0usize;
        let iter_1 = ::core::iter::IntoIterator::into_iter(0..n - 1);
        let trip_1 = ::core::iter::Iterator::size_hint(&iter_1).0;
        index_stack.reserve(trip_1);
        index_1_stack.reserve(trip_1);
        powi_1_stack.reserve(trip_1);
        minus_stack.reserve(trip_1);
        powi_2_stack.reserve(trip_1);
        times_stack.reserve(trip_1);
        plus_stack.reserve(trip_1);
        index_2_stack.reserve(trip_1);
        minus_1_stack.reserve(trip_1);
        powi_3_stack.reserve(trip_1);
        plus_1_stack.reserve(trip_1);
        i_stack.reserve(trip_1);
        for i in iter_1 {
            count_1 += 1;
            i_stack.push(::autodiff::__private::again(&i));
            let index = ::autodiff::__private::ops::try_index(x, i + 1)?;
            index_stack.push(::core::clone::Clone::clone(&index));
            let index_1 = ::autodiff::__private::ops::try_index(
                x,
                ::autodiff::__private::again(&i),
            )?;
            index_1_stack.push(::core::clone::Clone::clone(&index_1));
            let powi_1 = ::autodiff::__private::ops::powi(&index_1, 2);
            powi_1_stack.push(::core::clone::Clone::clone(&powi_1));
            let minus = ::autodiff::__private::ops::try_minus(&index, &powi_1)?;
            minus_stack.push(::core::clone::Clone::clone(&minus));
            let powi_2 = ::autodiff::__private::ops::powi(&minus, 2);
            powi_2_stack.push(::core::clone::Clone::clone(&powi_2));
            let times = ::autodiff::__private::ops::try_times(&100.0, &powi_2)?;
            times_stack.push(::core::clone::Clone::clone(&times));
            let plus = ::autodiff::__private::ops::try_plus(&f, &times)?;
            plus_stack.push(::core::clone::Clone::clone(&plus));
            let index_2 = ::autodiff::__private::ops::try_index(
                x,
                ::autodiff::__private::again(&i),
            )?;
            index_2_stack.push(::core::clone::Clone::clone(&index_2));
            let minus_1 = ::autodiff::__private::ops::try_minus(&1.0, &index_2)?;
            minus_1_stack.push(::core::clone::Clone::clone(&minus_1));
            let powi_3 = ::autodiff::__private::ops::powi(&minus_1, 2);
            powi_3_stack.push(::core::clone::Clone::clone(&powi_3));
            let plus_1 = ::autodiff::__private::ops::try_plus(&plus, &powi_3)?;
            plus_1_stack.push(::core::clone::Clone::clone(&plus_1));
            f = ::core::clone::Clone::clone(&plus_1);
            f_stack.push(::core::clone::Clone::clone(&f));
        }
        count1_stack.push(count_1);
        #[allow(unused_mut, unused_variables, unused_assignments, clippy::all)]
        let gradient = match ::autodiff::__private::check_value(&f, "f")
            .and_then(|()| ::autodiff::__private::check_target(x, "x"))
        {
            ::core::result::Result::Ok(()) => {
                let mut f_cursor = f_stack.len();
                let mut i_cursor = i_stack.len();
                let mut index_cursor = index_stack.len();
                let mut index_1_cursor = index_1_stack.len();
                let mut powi_1_cursor = powi_1_stack.len();
                let mut minus_cursor = minus_stack.len();
                let mut powi_2_cursor = powi_2_stack.len();
                let mut times_cursor = times_stack.len();
                let mut plus_cursor = plus_stack.len();
                let mut index_2_cursor = index_2_stack.len();
                let mut minus_1_cursor = minus_1_stack.len();
                let mut powi_3_cursor = powi_3_stack.len();
                let mut plus_1_cursor = plus_1_stack.len();
                let mut count1_cursor = count1_stack.len();
                let mut f_rev = ::core::clone::Clone::clone(&f_stack[f_cursor - 1]);
                let mut x_bar = ::autodiff::__private::slot(x);
                let mut f_bar = ::autodiff::__private::seed(&f_rev);
                count1_cursor -= 1;
                for _ in 0..count1_stack[count1_cursor] {
                    {
                        i_cursor -= 1;
                        let i = ::core::clone::Clone::clone(&i_stack[i_cursor]);
                        index_cursor -= 1;
                        let index = &index_stack[index_cursor];
                        index_1_cursor -= 1;
                        let index_1 = &index_1_stack[index_1_cursor];
                        powi_1_cursor -= 1;
                        let powi_1 = &powi_1_stack[powi_1_cursor];
                        minus_cursor -= 1;
                        let minus = &minus_stack[minus_cursor];
                        powi_2_cursor -= 1;
                        let powi_2 = &powi_2_stack[powi_2_cursor];
                        times_cursor -= 1;
                        let times = &times_stack[times_cursor];
                        plus_cursor -= 1;
                        let plus = &plus_stack[plus_cursor];
                        index_2_cursor -= 1;
                        let index_2 = &index_2_stack[index_2_cursor];
                        minus_1_cursor -= 1;
                        let minus_1 = &minus_1_stack[minus_1_cursor];
                        powi_3_cursor -= 1;
                        let powi_3 = &powi_3_stack[powi_3_cursor];
                        plus_1_cursor -= 1;
                        let plus_1 = &plus_1_stack[plus_1_cursor];
                        let mut index_bar = ::autodiff::__private::slot(index);
                        let mut index_1_bar = ::autodiff::__private::slot(index_1);
                        let mut powi_1_bar = ::autodiff::__private::slot(powi_1);
                        let mut minus_bar = ::autodiff::__private::slot(minus);
                        let mut powi_2_bar = ::autodiff::__private::slot(powi_2);
                        let mut times_bar = ::autodiff::__private::slot(times);
                        let mut plus_bar = ::autodiff::__private::slot(plus);
                        let mut index_2_bar = ::autodiff::__private::slot(index_2);
                        let mut minus_1_bar = ::autodiff::__private::slot(minus_1);
                        let mut powi_3_bar = ::autodiff::__private::slot(powi_3);
                        let mut plus_1_bar = ::autodiff::__private::slot(plus_1);
                        ::autodiff::__private::acc_all(&mut plus_1_bar, &f_bar);
                        f_bar = ::autodiff::__private::slot(&f_rev);
                        f_cursor -= 1;
                        if f_cursor > 0 {
                            f_rev = ::core::clone::Clone::clone(&f_stack[f_cursor - 1]);
                        }
                        if ::autodiff::__private::reached(&plus_1_bar) {
                            ::autodiff::__private::ops::plus_adj0(
                                &mut plus_bar,
                                &plus_1_bar,
                                plus_1,
                                plus,
                                powi_3,
                            );
                            ::autodiff::__private::ops::plus_adj1(
                                &mut powi_3_bar,
                                &plus_1_bar,
                                plus_1,
                                plus,
                                powi_3,
                            );
                        }
                        if ::autodiff::__private::reached(&powi_3_bar) {
                            ::autodiff::__private::ops::powi_adj(
                                &mut minus_1_bar,
                                &powi_3_bar,
                                powi_3,
                                minus_1,
                                2,
                            );
                        }
                        if ::autodiff::__private::reached(&minus_1_bar) {
                            ::autodiff::__private::ops::minus_adj1(
                                &mut index_2_bar,
                                &minus_1_bar,
                                minus_1,
                                &1.0,
                                index_2,
                            );
                        }
                        if ::autodiff::__private::reached(&index_2_bar) {
                            ::autodiff::__private::ops::index_adj(
                                &mut x_bar,
                                &index_2_bar,
                                index_2,
                                x,
                                ::autodiff::__private::again(&i),
                            );
                        }
                        if ::autodiff::__private::reached(&plus_bar) {
                            ::autodiff::__private::ops::plus_adj0(
                                &mut f_bar,
                                &plus_bar,
                                plus,
                                &f_rev,
                                times,
                            );
                            ::autodiff::__private::ops::plus_adj1(
                                &mut times_bar,
                                &plus_bar,
                                plus,
                                &f_rev,
                                times,
                            );
                        }
                        if ::autodiff::__private::reached(&times_bar) {
                            ::autodiff::__private::ops::times_adj1(
                                &mut powi_2_bar,
                                &times_bar,
                                times,
                                &100.0,
                                powi_2,
                            );
                        }
                        if ::autodiff::__private::reached(&powi_2_bar) {
                            ::autodiff::__private::ops::powi_adj(
                                &mut minus_bar,
                                &powi_2_bar,
                                powi_2,
                                minus,
                                2,
                            );
                        }
                        if ::autodiff::__private::reached(&minus_bar) {
                            ::autodiff::__private::ops::minus_adj0(
                                &mut index_bar,
                                &minus_bar,
                                minus,
                                index,
                                powi_1,
                            );
                            ::autodiff::__private::ops::minus_adj1(
                                &mut powi_1_bar,
                                &minus_bar,
                                minus,
                                index,
                                powi_1,
                            );
                        }
                        if ::autodiff::__private::reached(&powi_1_bar) {
                            ::autodiff::__private::ops::powi_adj(
                                &mut index_1_bar,
                                &powi_1_bar,
                                powi_1,
                                index_1,
                                2,
                            );
                        }
                        if ::autodiff::__private::reached(&index_1_bar) {
                            ::autodiff::__private::ops::index_adj(
                                &mut x_bar,
                                &index_1_bar,
                                index_1,
                                x,
                                ::autodiff::__private::again(&i),
                            );
                        }
                        if ::autodiff::__private::reached(&index_bar) {
                            ::autodiff::__private::ops::index_adj(
                                &mut x_bar,
                                &index_bar,
                                index,
                                x,
                                i + 1,
                            );
                        }
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
            let mut i_cursor = i_stack.len();
            let mut index_cursor = index_stack.len();
            let mut index_1_cursor = index_1_stack.len();
            let mut powi_1_cursor = powi_1_stack.len();
            let mut minus_cursor = minus_stack.len();
            let mut powi_2_cursor = powi_2_stack.len();
            let mut times_cursor = times_stack.len();
            let mut plus_cursor = plus_stack.len();
            let mut index_2_cursor = index_2_stack.len();
            let mut minus_1_cursor = minus_1_stack.len();
            let mut powi_3_cursor = powi_3_stack.len();
            let mut plus_1_cursor = plus_1_stack.len();
            let mut count1_cursor = count1_stack.len();
            let mut f_rev = ::core::clone::Clone::clone(&f_stack[f_cursor - 1]);
            let mut x_bar = ::autodiff::__private::slot(x);
            let mut f_bar = ::autodiff::__private::slot(&f_rev);
            ::autodiff::__private::acc_all(&mut f_bar, &out_bar.0);
            count1_cursor -= 1;
            for _ in 0..count1_stack[count1_cursor] {
                {
                    i_cursor -= 1;
                    let i = ::core::clone::Clone::clone(&i_stack[i_cursor]);
                    index_cursor -= 1;
                    let index = &index_stack[index_cursor];
                    index_1_cursor -= 1;
                    let index_1 = &index_1_stack[index_1_cursor];
                    powi_1_cursor -= 1;
                    let powi_1 = &powi_1_stack[powi_1_cursor];
                    minus_cursor -= 1;
                    let minus = &minus_stack[minus_cursor];
                    powi_2_cursor -= 1;
                    let powi_2 = &powi_2_stack[powi_2_cursor];
                    times_cursor -= 1;
                    let times = &times_stack[times_cursor];
                    plus_cursor -= 1;
                    let plus = &plus_stack[plus_cursor];
                    index_2_cursor -= 1;
                    let index_2 = &index_2_stack[index_2_cursor];
                    minus_1_cursor -= 1;
                    let minus_1 = &minus_1_stack[minus_1_cursor];
                    powi_3_cursor -= 1;
                    let powi_3 = &powi_3_stack[powi_3_cursor];
                    plus_1_cursor -= 1;
                    let plus_1 = &plus_1_stack[plus_1_cursor];
                    let mut index_bar = ::autodiff::__private::slot(index);
                    let mut index_1_bar = ::autodiff::__private::slot(index_1);
                    let mut powi_1_bar = ::autodiff::__private::slot(powi_1);
                    let mut minus_bar = ::autodiff::__private::slot(minus);
                    let mut powi_2_bar = ::autodiff::__private::slot(powi_2);
                    let mut times_bar = ::autodiff::__private::slot(times);
                    let mut plus_bar = ::autodiff::__private::slot(plus);
                    let mut index_2_bar = ::autodiff::__private::slot(index_2);
                    let mut minus_1_bar = ::autodiff::__private::slot(minus_1);
                    let mut powi_3_bar = ::autodiff::__private::slot(powi_3);
                    let mut plus_1_bar = ::autodiff::__private::slot(plus_1);
                    ::autodiff::__private::acc_all(&mut plus_1_bar, &f_bar);
                    f_bar = ::autodiff::__private::slot(&f_rev);
                    f_cursor -= 1;
                    if f_cursor > 0 {
                        f_rev = ::core::clone::Clone::clone(&f_stack[f_cursor - 1]);
                    }
                    if ::autodiff::__private::reached(&plus_1_bar) {
                        ::autodiff::__private::ops::plus_adj0(
                            &mut plus_bar,
                            &plus_1_bar,
                            plus_1,
                            plus,
                            powi_3,
                        );
                        ::autodiff::__private::ops::plus_adj1(
                            &mut powi_3_bar,
                            &plus_1_bar,
                            plus_1,
                            plus,
                            powi_3,
                        );
                    }
                    if ::autodiff::__private::reached(&powi_3_bar) {
                        ::autodiff::__private::ops::powi_adj(
                            &mut minus_1_bar,
                            &powi_3_bar,
                            powi_3,
                            minus_1,
                            2,
                        );
                    }
                    if ::autodiff::__private::reached(&minus_1_bar) {
                        ::autodiff::__private::ops::minus_adj1(
                            &mut index_2_bar,
                            &minus_1_bar,
                            minus_1,
                            &1.0,
                            index_2,
                        );
                    }
                    if ::autodiff::__private::reached(&index_2_bar) {
                        ::autodiff::__private::ops::index_adj(
                            &mut x_bar,
                            &index_2_bar,
                            index_2,
                            x,
                            ::autodiff::__private::again(&i),
                        );
                    }
                    if ::autodiff::__private::reached(&plus_bar) {
                        ::autodiff::__private::ops::plus_adj0(
                            &mut f_bar,
                            &plus_bar,
                            plus,
                            &f_rev,
                            times,
                        );
                        ::autodiff::__private::ops::plus_adj1(
                            &mut times_bar,
                            &plus_bar,
                            plus,
                            &f_rev,
                            times,
                        );
                    }
                    if ::autodiff::__private::reached(&times_bar) {
                        ::autodiff::__private::ops::times_adj1(
                            &mut powi_2_bar,
                            &times_bar,
                            times,
                            &100.0,
                            powi_2,
                        );
                    }
                    if ::autodiff::__private::reached(&powi_2_bar) {
                        ::autodiff::__private::ops::powi_adj(
                            &mut minus_bar,
                            &powi_2_bar,
                            powi_2,
                            minus,
                            2,
                        );
                    }
                    if ::autodiff::__private::reached(&minus_bar) {
                        ::autodiff::__private::ops::minus_adj0(
                            &mut index_bar,
                            &minus_bar,
                            minus,
                            index,
                            powi_1,
                        );
                        ::autodiff::__private::ops::minus_adj1(
                            &mut powi_1_bar,
                            &minus_bar,
                            minus,
                            index,
                            powi_1,
                        );
                    }
                    if ::autodiff::__private::reached(&powi_1_bar) {
                        ::autodiff::__private::ops::powi_adj(
                            &mut index_1_bar,
                            &powi_1_bar,
                            powi_1,
                            index_1,
                            2,
                        );
                    }
                    if ::autodiff::__private::reached(&index_1_bar) {
                        ::autodiff::__private::ops::index_adj(
                            &mut x_bar,
                            &index_1_bar,
                            index_1,
                            x,
                            ::autodiff::__private::again(&i),
                        );
                    }
                    if ::autodiff::__private::reached(&index_bar) {
                        ::autodiff::__private::ops::index_adj(
                            &mut x_bar,
                            &index_bar,
                            index,
                            x,
                            i + 1,
                        );
                    }
                }
            }
            (x_bar,)
        };
        ::core::result::Result::Ok((value, pullback))
    }
}
