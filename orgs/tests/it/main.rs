//! Checks on the shipped registry `data/orgs.csv` and its coverage of real Hub data.

mod fixtures;
mod shipped;
