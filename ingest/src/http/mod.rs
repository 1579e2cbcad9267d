//! HTTP: the paced, retrying client, its rate-limit pacer and `Link` parsing.

pub(crate) mod client;
pub(crate) mod link;
pub(crate) mod ratelimit;
