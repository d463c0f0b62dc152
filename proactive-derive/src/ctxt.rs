//! Collects errors so a build reports every problem, then combines them into one.

use proc_macro2::{Span, TokenStream};

#[derive(Default)]
pub(crate) struct Ctxt {
    errors: Option<syn::Error>,
}

impl Ctxt {
    pub(crate) fn syn_error(&mut self, e: syn::Error) {
        match &mut self.errors {
            Some(all) => all.combine(e),
            None => self.errors = Some(e),
        }
    }

    pub(crate) fn error(&mut self, span: Span, message: impl std::fmt::Display) {
        self.syn_error(syn::Error::new(span, message));
    }

    /// An error with a `help:` line, rustc style.
    pub(crate) fn error_help(&mut self, span: Span, message: impl std::fmt::Display, help: impl std::fmt::Display) {
        self.error(span, format!("{message}\n= help: {help}"));
    }

    /// How many errors so far.
    pub(crate) fn count(&self) -> usize {
        self.errors.as_ref().map_or(0, |e| e.into_iter().count())
    }

    pub(crate) fn into_compile_errors(self) -> Option<TokenStream> {
        self.errors.map(|e| e.to_compile_error())
    }
}
