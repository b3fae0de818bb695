//! Guides.

pub mod for_matlab_users {
    //! # autodiff for MATLAB users
    //!
    //! (The full guide is written in the documentation issue.)
}
