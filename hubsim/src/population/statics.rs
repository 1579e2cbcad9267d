//! Static per-model attributes: role, author, parents, popularity. Drawn from (seed, index) and
//! the prefix of earlier models only, so the model at index i is the same whatever the day.

use std::collections::{HashMap, HashSet};

use crate::authors::Authors;
use crate::hash::{Draw, fold_hash};
use crate::population::clock::DAY;

/// Draw purpose: the meta stream of a model.
const PURPOSE_META: u64 = 0x4d45_5441;

/// No parent.
pub(crate) const NONE: u32 = u32::MAX;

/// What a model is, which decides its author pool, name and parents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Role {
    /// A release by an organisation, without parents.
    Base,
    /// A quantisation of a base or fine-tune.
    Quantized,
    /// A fine-tune of a base.
    Finetune,
    /// An adapter on a base.
    Adapter,
    /// A merge of two parents.
    Merge,
    /// A user model without a recorded parent.
    Original,
}

/// Popularity class: most models are tail, a few percent mid, well under 1% hits.
pub(crate) const TIER_TAIL: u8 = 0;
pub(crate) const TIER_MID: u8 = 1;
pub(crate) const TIER_HIT: u8 = 2;

/// Flag: a new release that spikes into trending and decays.
pub(crate) const FLAG_SPIKE: u8 = 1;
/// Flag: the first parent was deleted; the tag points at an id outside the population.
pub(crate) const FLAG_GHOST_PARENT: u8 = 2;
/// Flag: a canonical checkpoint whose downloads never decline (`bert-base-uncased`).
pub(crate) const FLAG_EVERGREEN: u8 = 4;

/// The compact static record of one model (28 bytes; no strings).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Meta {
    pub author: u32,
    pub parent: u32,
    pub parent2: u32,
    /// Seconds since [`super::clock::EPOCH`].
    pub created: u32,
    /// Plateau daily downloads.
    pub rate: f32,
    /// Likes scale.
    pub likes: f32,
    pub role: Role,
    pub tier: u8,
    pub flags: u8,
}

/// Everything static materialised so far (a prefix of the model indices).
#[derive(Debug, Default)]
pub(crate) struct Statics {
    pub metas: Vec<Meta>,
    /// Indices of bases, ascending.
    pub bases: Vec<u32>,
    /// Indices of hit bases (popular parents), ascending.
    pub flagships: Vec<u32>,
    /// Indices of fine-tunes, ascending (parents of quantisations).
    pub finetunes: Vec<u32>,
    /// Indices of the labs' spiking new bases, ascending (re-published by quantisers).
    pub spikes: Vec<u32>,
    /// Case-folded hashes of every id so far, to keep ids unique.
    pub seen: HashSet<u64>,
    /// Models whose readable name collided: the version suffix they got (`-v2`).
    pub suffix: HashMap<u32, u16>,
}

/// A list's entries below `limit`.
fn below(list: &[u32], limit: u32) -> &[u32] {
    &list[..list.partition_point(|&x| x < limit)]
}

/// Picks from an ascending list, favouring recent entries (new popular bases attract derivatives).
fn pick_recent(list: &[u32], d: &mut Draw) -> Option<u32> {
    if list.is_empty() {
        return None;
    }
    let back = (list.len() as f64 * d.unit().powi(2)) as usize;
    list.get(list.len() - 1 - back.min(list.len() - 1)).copied()
}

/// Share of the models before the start date that are organisations' base releases.
const BASE_SHARE: f64 = 0.025;
/// Share of new models (after the start date) that are base releases: the labs' release pace
/// is what moves trending, and it is the fastest-growing part of the Hub.
const BASE_SHARE_NEW: f64 = 0.06;
/// Likes per download of an organisation's model that is not one of the labs' (relative to 1).
const ORG_HYPE: f64 = 2.0;
/// Likes per download of a user's model: most individual uploads are downloaded, rarely liked.
const USER_HYPE: f64 = 0.3;
/// Daily downloads approach this ceiling smoothly (no two giants tie at a hard cap).
const RATE_CEILING: f64 = 6_000_000.0;
/// Models created this many days before the start date are drawn like new ones.
const FRESH_DAYS: i64 = 45;
/// A quantiser re-publishes a hot release within this many seconds of it.
const REPUBLISH_WINDOW: u32 = 3 * DAY as u32;

/// A lognormal draw of daily downloads for a tier; `sigma_scale` narrows the spread (the labs'
/// releases are less of a lottery than a user's upload).
fn rate_for(tier: u8, sigma_scale: f64, d: &mut Draw) -> f64 {
    // No freak outliers among the hits: one draw must not outweigh a lab's whole catalogue.
    let z = match tier {
        TIER_HIT => d.normal().clamp(-2.5, 2.0),
        _ => d.normal(),
    };
    let (median, sigma) = match tier {
        TIER_HIT => (6_000.0_f64, 1.5),
        TIER_MID => (40.0, 1.2),
        _ => (0.1, 1.3),
    };
    (median.ln() + sigma * sigma_scale * z).exp()
}

/// A smooth ceiling: monotone, so distinct rates stay distinct.
fn soft_cap(rate: f64) -> f64 {
    rate / (1.0 + rate / RATE_CEILING)
}

fn tier_for(p_hit: f64, p_mid: f64, d: &mut Draw) -> u8 {
    let u = d.unit();
    if u < p_hit {
        TIER_HIT
    } else if u < p_hit + p_mid {
        TIER_MID
    } else {
        TIER_TAIL
    }
}

/// The context the static draws need: seed, authors, where "new" models start.
pub(crate) struct Ctx<'a> {
    pub seed: u64,
    pub authors: &'a Authors,
    pub initial: usize,
    /// Day number of the start date (the rising labs' weeks count from it).
    pub start_day: i64,
}

/// Draws the meta record of model `i` given the statics of every model below it.
pub(crate) fn draw_meta(ctx: &Ctx<'_>, st: &Statics, i: u32, created: u32) -> Meta {
    let a = ctx.authors;
    let mut d = Draw::new(ctx.seed, PURPOSE_META, u64::from(i));
    let is_new = i as usize >= ctx.initial;
    // The recent past already follows today's pattern, so the first simulated days do not
    // start from a Hub without fresh releases.
    let is_new = is_new || i64::from(created) / DAY >= ctx.start_day - FRESH_DAYS;
    let u = d.unit();
    let base_share = if is_new { BASE_SHARE_NEW } else { BASE_SHARE };
    let mut role = match u {
        x if x < base_share => Role::Base,
        x if x < 0.25 => Role::Quantized,
        x if x < 0.55 => Role::Finetune,
        x if x < 0.75 => Role::Adapter,
        x if x < 0.79 => Role::Merge,
        _ => Role::Original,
    };
    // The very first models must be bases: there is nothing to derive from yet.
    let bases = below(&st.bases, i);
    if bases.is_empty() && role != Role::Original {
        role = Role::Base;
    }
    // The anchor labs' canonical checkpoints sit at fixed places in the history.
    let anchor = a.anchor_at(i).filter(|_| (i as usize) < ctx.initial);
    if anchor.is_some() {
        role = Role::Base;
    }
    let flagships = below(&st.flagships, i);
    let parent_pick = |d: &mut Draw| -> u32 {
        let pool = if !flagships.is_empty() && d.chance(0.75) {
            flagships
        } else {
            bases
        };
        pick_recent(pool, d).unwrap_or(NONE)
    };
    let mut meta = Meta {
        author: 0,
        parent: NONE,
        parent2: NONE,
        created,
        rate: 0.0,
        likes: 0.0,
        role,
        tier: TIER_TAIL,
        flags: 0,
    };
    // Likes per download relative to a plain model; downloads multiplier of a lab's brand.
    let hype: f64;
    let mut pull = 1.0;
    let mut boost = 1.0;
    let mut sigma_scale = 1.0;
    match role {
        Role::Base => {
            let k = match anchor {
                Some(k) => k,
                None if is_new => {
                    let week = (i64::from(created) / DAY - ctx.start_day).max(0) / 7;
                    d.weighted(a.new_release_weights(week as usize))
                }
                None => d.weighted(&a.org_weights),
            };
            meta.author = a.orgs[k];
            let lab = a.org_lab[k];
            meta.tier = match (lab.is_some(), is_new) {
                _ if anchor.is_some() => TIER_HIT,
                (true, true) => tier_for(0.55, 0.35, &mut d),
                (true, false) => tier_for(0.35, 0.50, &mut d),
                (false, _) => tier_for(0.05, 0.45, &mut d),
            };
            if let Some(lab) = lab {
                hype = lab.hype;
                pull = lab.downloads;
                // The most downloaded repositories are the labs' own releases.
                if meta.tier == TIER_HIT {
                    boost = 3.0;
                }
                sigma_scale = if anchor.is_some() { 0.4 } else { 0.6 };
                if anchor.is_some() {
                    meta.flags |= FLAG_EVERGREEN;
                }
                if is_new && meta.tier != TIER_TAIL {
                    meta.flags |= FLAG_SPIKE;
                }
            } else {
                hype = ORG_HYPE;
            }
        }
        Role::Quantized => {
            let by_quantiser = d.chance(0.75);
            let finetunes = below(&st.finetunes, i);
            // Quantisers re-publish the labs' hot releases within hours.
            let hot = below(&st.spikes, i)
                .last()
                .copied()
                .filter(|&s| st.metas[s as usize].created + REPUBLISH_WINDOW >= created);
            meta.parent = match hot {
                Some(s) if by_quantiser && d.chance(0.6) => {
                    meta.flags |= FLAG_SPIKE;
                    s
                }
                _ if !finetunes.is_empty() && d.chance(0.25) => *d.pick(finetunes),
                _ => parent_pick(&mut d),
            };
            if by_quantiser {
                let q = d.weighted(&a.quantiser_weights);
                meta.author = a.quantisers[q];
                hype = a.quantiser_hype[q];
            } else {
                meta.author = a.user(&mut d);
                hype = USER_HYPE / 2.0;
            }
            let parent_hit = st
                .metas
                .get(meta.parent as usize)
                .is_some_and(|m| m.tier == TIER_HIT);
            meta.tier = match (by_quantiser, parent_hit) {
                (true, true) => tier_for(0.06, 0.60, &mut d),
                (true, false) => tier_for(0.003, 0.30, &mut d),
                (false, _) => tier_for(0.003, 0.04, &mut d),
            };
        }
        Role::Finetune | Role::Adapter | Role::Merge => {
            meta.parent = parent_pick(&mut d);
            if role == Role::Merge {
                // Popular parents repeat: draw again a few times, else it is a plain fine-tune.
                meta.parent2 = (0..4)
                    .map(|_| parent_pick(&mut d))
                    .find(|&p| p != meta.parent)
                    .unwrap_or(NONE);
                if meta.parent2 == NONE {
                    meta.role = Role::Finetune;
                }
            }
            let by_org = meta.role == Role::Finetune && d.chance(if is_new { 0.12 } else { 0.08 });
            meta.author = if by_org {
                a.orgs[d.below(a.orgs.len())]
            } else {
                a.user(&mut d)
            };
            meta.tier = if by_org {
                hype = ORG_HYPE;
                tier_for(0.05, 0.40, &mut d)
            } else {
                hype = USER_HYPE;
                tier_for(0.002, 0.025, &mut d)
            };
            if meta.role != Role::Merge && d.chance(0.03) {
                meta.flags |= FLAG_GHOST_PARENT;
            }
        }
        Role::Original => {
            meta.author = a.user(&mut d);
            meta.tier = tier_for(0.002, 0.02, &mut d);
            hype = USER_HYPE;
        }
    }
    let raw = rate_for(meta.tier, sigma_scale, &mut d);
    let rate = soft_cap(raw * boost * pull);
    // Likes follow downloads sub-linearly (before the brand's pull: a lab's fame shows in
    // likes through its hype); most tail models never get one.
    let mut likes = 0.35 * (raw * boost).powf(0.75) * (0.6 * d.normal()).exp() * hype;
    if meta.flags & FLAG_SPIKE != 0 {
        likes *= 4.0;
    }
    meta.rate = rate as f32;
    meta.likes = likes as f32;
    meta
}

impl Statics {
    /// Registers model `i` (its meta and its readable id) and returns its final id's suffix.
    pub(crate) fn push(&mut self, i: u32, meta: Meta, readable_id: &str) {
        match meta.role {
            Role::Base => {
                self.bases.push(i);
                if meta.tier == TIER_HIT {
                    self.flagships.push(i);
                }
                if meta.flags & FLAG_SPIKE != 0 {
                    self.spikes.push(i);
                }
            }
            Role::Finetune => self.finetunes.push(i),
            _ => {}
        }
        self.metas.push(meta);
        if self.seen.insert(fold_hash(readable_id)) {
            return;
        }
        let mut k: u16 = 2;
        loop {
            let candidate = format!("{readable_id}-v{k}");
            if self.seen.insert(fold_hash(&candidate)) {
                self.suffix.insert(i, k);
                return;
            }
            k = k.saturating_add(1);
        }
    }
}
