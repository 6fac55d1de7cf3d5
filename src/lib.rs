//! The create-workspace console component.
