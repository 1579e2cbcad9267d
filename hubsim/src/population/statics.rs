//! Static per-model attributes: role, author, parents, popularity. Drawn from (seed, index) and
//! the prefix of earlier models only, so the model at index i is the same whatever the day.

use std::collections::{HashMap, HashSet};

use crate::authors::Authors;
use crate::hash::{Draw, fold_hash};

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

/// A lognormal draw of daily downloads for a tier.
fn rate_for(tier: u8, d: &mut Draw) -> f64 {
    let z = d.normal();
    let (median, sigma) = match tier {
        TIER_HIT => (6_000.0_f64, 1.5),
        TIER_MID => (40.0, 1.2),
        _ => (0.1, 1.3),
    };
    (median.ln() + sigma * z).exp().min(4_000_000.0)
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
}

/// Draws the meta record of model `i` given the statics of every model below it.
pub(crate) fn draw_meta(ctx: &Ctx<'_>, st: &Statics, i: u32, created: u32) -> Meta {
    let a = ctx.authors;
    let mut d = Draw::new(ctx.seed, PURPOSE_META, u64::from(i));
    let is_new = i as usize >= ctx.initial;
    let u = d.unit();
    let mut role = match u {
        x if x < 0.025 => Role::Base,
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
    match role {
        Role::Base => {
            let weights = if is_new {
                &a.org_weights_new
            } else {
                &a.org_weights
            };
            let k = d.weighted(weights);
            meta.author = a.orgs[k];
            let big = a.org_is_big[k];
            meta.tier = match (big, is_new) {
                (true, true) => tier_for(0.55, 0.35, &mut d),
                (true, false) => tier_for(0.30, 0.50, &mut d),
                (false, _) => tier_for(0.05, 0.45, &mut d),
            };
            if is_new && big && meta.tier == TIER_HIT {
                meta.flags |= FLAG_SPIKE;
            }
        }
        Role::Quantized => {
            let finetunes = below(&st.finetunes, i);
            meta.parent = if !finetunes.is_empty() && d.chance(0.25) {
                *d.pick(finetunes)
            } else {
                parent_pick(&mut d)
            };
            let by_quantiser = d.chance(0.75);
            meta.author = if by_quantiser {
                a.quantisers[d.weighted(&a.quantiser_weights)]
            } else {
                a.user(&mut d)
            };
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
            let by_org = meta.role == Role::Finetune && d.chance(0.08);
            meta.author = if by_org {
                a.orgs[d.below(a.orgs.len())]
            } else {
                a.user(&mut d)
            };
            meta.tier = if by_org {
                tier_for(0.05, 0.40, &mut d)
            } else {
                tier_for(0.002, 0.025, &mut d)
            };
            if meta.role != Role::Merge && d.chance(0.03) {
                meta.flags |= FLAG_GHOST_PARENT;
            }
        }
        Role::Original => {
            meta.author = a.user(&mut d);
            meta.tier = tier_for(0.002, 0.02, &mut d);
        }
    }
    let mut rate = rate_for(meta.tier, &mut d);
    // The most downloaded repositories are the labs' own releases, not their derivatives.
    if meta.role == Role::Base && meta.tier == TIER_HIT {
        rate = (rate * 3.0).min(4_000_000.0);
    }
    // Likes follow downloads sub-linearly; most tail models never get one.
    let mut likes = 0.35 * rate.powf(0.75) * (0.6 * d.normal()).exp();
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
