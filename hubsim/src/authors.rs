//! The simulated Hub's namespaces: organisations from the registry, the quantisers, and
//! thousands of generated individual users with realistic handles (all unique, case-insensitively).

use std::collections::HashSet;

use hubtrends_orgs::{Kind, Registry};

use crate::hash::{Draw, fold_hash};
use crate::words::{FIRST, LABS, LAST, Lab, NICK, NICK_TAIL, QUANTISERS, lab_of};

/// Draw purpose: user handles.
const PURPOSE_HANDLE: u64 = 0x4841_4e44;
/// Weeks over which the rising (Chinese) labs' share of new releases keeps growing.
pub(crate) const RISE_WEEKS: usize = 16;
/// Release weight multiplier of the rising labs in the first simulated week ...
const RISE_FROM: f64 = 2.0;
/// ... growing by this much every week until [`RISE_WEEKS`].
const RISE_PER_WEEK: f64 = 0.25;

/// One namespace of the simulated Hub.
#[derive(Debug, Clone)]
pub(crate) struct Author {
    /// The namespace, as shown in ids.
    pub handle: String,
    /// `authorData.type == "org"`.
    pub is_org: bool,
    /// Display name (`authorData.fullname`).
    pub fullname: String,
    /// Follower count shown in `authorData`.
    pub followers: u32,
}

/// Every namespace plus the weighted pools the generators draw from.
#[derive(Debug)]
pub(crate) struct Authors {
    /// All namespaces; indices are stable for a given (registry, seed, size).
    pub list: Vec<Author>,
    /// Base-releasing organisations (indices into `list`).
    pub orgs: Vec<u32>,
    /// Cumulative release weights of `orgs`.
    pub org_weights: Vec<f64>,
    /// Cumulative release weights of `orgs` in each week after the start date (the rising labs'
    /// weight grows week by week; the last entry holds for every later week).
    pub org_weights_weekly: Vec<Vec<f64>>,
    /// The lab record of each of `orgs`, if it is one of the labs.
    pub org_lab: Vec<Option<&'static Lab>>,
    /// The anchor labs' canonical flagships: (model index, position in `orgs`), by index.
    pub anchors: Vec<(u32, usize)>,
    /// Quantiser namespaces (indices into `list`).
    pub quantisers: Vec<u32>,
    /// Cumulative weights of `quantisers`.
    pub quantiser_weights: Vec<f64>,
    /// Likes per download of each of `quantisers`, relative to an original release.
    pub quantiser_hype: Vec<f64>,
    /// First index of the generated users in `list`.
    pub users_start: u32,
    /// Number of users who upload models.
    pub users: u32,
    /// Users past `users_start + users` exist only as authors of deleted parents.
    pub ghosts: u32,
}

fn cumulative(weights: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut total = 0.0;
    weights
        .map(|w| {
            total += w;
            total
        })
        .collect()
}

/// A realistic user handle for the n-th draw (not yet deduplicated).
fn handle(seed: u64, n: u64) -> String {
    let mut d = Draw::new(seed, PURPOSE_HANDLE, n);
    let first = d.pick(FIRST);
    let last = d.pick(LAST);
    let nick = d.pick(NICK);
    match d.below(9) {
        0 => format!("{first}{last}"),
        1 => format!("{first}-{last}"),
        2 => format!("{first}{}", 1 + d.below(2025)),
        3 => format!("{nick}-{}", d.pick(NICK_TAIL)),
        4 => format!("{}{}", first.chars().next().unwrap_or('x'), last),
        5 => format!("{first}_{last}{}", d.below(100)),
        6 => {
            let mut s = capitalise(nick);
            s.push_str(&capitalise(d.pick::<&str>(NICK)));
            s
        }
        7 => format!("{nick}{}", d.pick(NICK_TAIL)),
        _ => format!("{}{last}", capitalise(first)),
    }
}

/// Model indices of the anchor labs' flagships, spread over the history from each lab's
/// `since`; sorted by index, one flagship per index.
fn place_anchors(org_lab: &[Option<&'static Lab>], models: usize) -> Vec<(u32, usize)> {
    let mut anchors: Vec<(u32, usize)> = Vec::new();
    let mut taken: HashSet<u32> = HashSet::new();
    for lab in LABS.iter().filter(|l| l.anchors > 0) {
        let Some(k) = org_lab
            .iter()
            .position(|o| o.is_some_and(|o| o.ns == lab.ns))
        else {
            continue;
        };
        let n = f64::from(lab.anchors);
        for j in 0..lab.anchors {
            let frac = lab.since + (0.95 - lab.since) * f64::from(j) / n;
            let mut index = (frac * models as f64) as u32;
            while !taken.insert(index) {
                index += 1;
            }
            anchors.push((index, k));
        }
    }
    anchors.sort_unstable();
    anchors
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Authors {
    /// Builds the namespaces for a population of `models` models.
    pub(crate) fn build(registry: &Registry, seed: u64, models: usize) -> Authors {
        let mut seen: HashSet<u64> = HashSet::new();
        let mut list = Vec::new();
        let mut orgs = Vec::new();
        let mut org_w = Vec::new();
        let mut org_lab: Vec<Option<&'static Lab>> = Vec::new();
        let mut quantisers = Vec::new();
        let mut quant_w = Vec::new();
        let mut quant_hype = Vec::new();
        let mut registry_users: Vec<Author> = Vec::new();

        for record in registry.records() {
            if !seen.insert(fold_hash(&record.namespace)) {
                continue;
            }
            let ns = record.namespace.as_str();
            let quantiser = QUANTISERS
                .iter()
                .find(|(q, _, _, _)| q.eq_ignore_ascii_case(ns));
            let is_org = record.kind != Kind::Individual;
            let lab = lab_of(ns);
            let big = lab.map(|l| l.releases.max(l.downloads * 8.0));
            let idx = list.len() as u32;
            let author = Author {
                handle: record.namespace.clone(),
                is_org,
                fullname: record.org.clone(),
                followers: (big.unwrap_or(0.3) * 2_500.0) as u32 + (idx % 97) * 13,
            };
            // Registry individuals (not quantisers) upload like any other user: listed later.
            if quantiser.is_none() && !is_org {
                registry_users.push(author);
                continue;
            }
            list.push(author);
            if let Some((_, w, _, hype)) = quantiser {
                quantisers.push(idx);
                quant_w.push(*w);
                quant_hype.push(*hype);
            } else {
                orgs.push(idx);
                org_w.push(lab.map_or(1.0, |l| l.releases));
                org_lab.push(lab);
            }
        }
        for (q, w, is_org, hype) in QUANTISERS {
            if seen.insert(fold_hash(q)) {
                quantisers.push(list.len() as u32);
                quant_w.push(*w);
                quant_hype.push(*hype);
                list.push(Author {
                    handle: (*q).to_owned(),
                    is_org: *is_org,
                    fullname: (*q).to_owned(),
                    followers: (*w * 400.0) as u32,
                });
            }
        }
        // A registry without any organisation would leave bases without an author.
        if orgs.is_empty() {
            orgs.push(list.len() as u32);
            org_w.push(1.0);
            org_lab.push(None);
            list.push(Author {
                handle: "simlab".into(),
                is_org: true,
                fullname: "Sim Lab".into(),
                followers: 10,
            });
        }

        let users_start = list.len() as u32;
        // Registry individuals upload like any other user.
        list.extend(registry_users);
        let users_wanted = (models / 20).clamp(2_000, 250_000);
        let ghosts = 200u32;
        let mut n = 0u64;
        while list.len() < users_start as usize + users_wanted + ghosts as usize {
            let mut h = handle(seed, n);
            n += 1;
            if !seen.insert(fold_hash(&h)) {
                h.push_str(&(n % 1000).to_string());
                if !seen.insert(fold_hash(&h)) {
                    continue;
                }
            }
            let followers =
                (Draw::new(seed, PURPOSE_HANDLE ^ 1, n).unit().powi(6) * 3_000.0) as u32;
            list.push(Author {
                fullname: h.clone(),
                handle: h,
                is_org: false,
                followers,
            });
        }
        let users = list.len() as u32 - users_start - ghosts;
        let org_weights_weekly = (0..=RISE_WEEKS)
            .map(|week| {
                let rise = RISE_FROM + RISE_PER_WEEK * week as f64;
                cumulative(org_w.iter().zip(&org_lab).map(|(w, lab)| {
                    if lab.is_some_and(|l| l.rising) {
                        w * rise
                    } else {
                        *w
                    }
                }))
            })
            .collect();
        let anchors = place_anchors(&org_lab, models);
        Authors {
            list,
            orgs,
            org_weights: cumulative(org_w.into_iter()),
            org_weights_weekly,
            org_lab,
            anchors,
            quantisers,
            quantiser_weights: cumulative(quant_w.into_iter()),
            quantiser_hype: quant_hype,
            users_start,
            users,
            ghosts,
        }
    }

    /// The position in `orgs` of the lab whose canonical flagship model `i` is, if any.
    pub(crate) fn anchor_at(&self, i: u32) -> Option<usize> {
        self.anchors
            .binary_search_by_key(&i, |&(index, _)| index)
            .ok()
            .map(|p| self.anchors[p].1)
    }

    /// Cumulative release weights of the organisations for a model created `week` weeks after
    /// the start date.
    pub(crate) fn new_release_weights(&self, week: usize) -> &[f64] {
        let last = self.org_weights_weekly.len().saturating_sub(1);
        self.org_weights_weekly
            .get(week.min(last))
            .map_or(&self.org_weights[..], |w| &w[..])
    }

    /// A user with a heavy head: a few users upload most user models.
    pub(crate) fn user(&self, d: &mut Draw) -> u32 {
        let u = d.unit().powi(3);
        self.users_start + ((u * f64::from(self.users)) as u32).min(self.users - 1)
    }

    /// A user that exists only as the author of deleted parents.
    pub(crate) fn ghost(&self, d: &mut Draw) -> u32 {
        self.users_start + self.users + d.below(self.ghosts as usize) as u32
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_unique_case_insensitively_and_orgs_come_from_the_registry() {
        let registry = Registry::builtin();
        let a = Authors::build(&registry, 42, 5_000);
        let mut seen = HashSet::new();
        for author in &a.list {
            assert!(
                seen.insert(author.handle.to_ascii_lowercase()),
                "duplicate {}",
                author.handle
            );
            assert!(!author.handle.is_empty());
        }
        assert!(a.users >= 2_000);
        for &o in &a.orgs {
            assert!(registry.lookup(&a.list[o as usize].handle).is_some());
        }
        let names: Vec<&str> = a
            .quantisers
            .iter()
            .map(|&q| a.list[q as usize].handle.as_str())
            .collect();
        assert!(names.iter().any(|n| n.eq_ignore_ascii_case("bartowski")));
        assert!(names.iter().any(|n| n.eq_ignore_ascii_case("unsloth")));
        // Every anchor lab of the built-in registry gets its flagships, at distinct indices.
        let wanted: usize = LABS.iter().map(|l| usize::from(l.anchors)).sum();
        assert_eq!(a.anchors.len(), wanted);
        assert!(a.anchors.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(a.anchors.iter().all(|&(i, _)| (i as usize) < 5_000));
        let (index, k) = a.anchors[0];
        assert_eq!(a.anchor_at(index), Some(k));
        assert_eq!(a.anchor_at(index + 1_000_000), None);
    }
}
