//! Names and descriptive attributes of a model (id, pipeline, library, license, parameters),
//! derived from its meta record and its parents'. Nothing here is stored: ids are rebuilt on
//! demand from the index.

use std::cell::RefCell;

use crate::authors::Authors;
use crate::hash::Draw;
use crate::population::statics::{FLAG_GHOST_PARENT, Meta, NONE, Role, Statics};
use crate::population::types::{Gated, Relation};
use crate::words::{
    DATASETS, FAMILIES, Family, LAB_FAMILIES, LANGS, MERGE_METHODS, MERGE_WORDS, METHODS,
    ORIGINALS, QUANT_FORMATS, TASKS,
};

/// Draw purpose: a model's naming stream.
const PURPOSE_NAME: u64 = 0x4e41_4d45;
/// Draw purpose: the deleted parent of a model.
const PURPOSE_GHOST: u64 = 0x4748_4f53;

/// Descriptive attributes of one model.
#[derive(Debug, Clone)]
pub(crate) struct Desc {
    /// The repository name (after the namespace), including any `-vN` uniqueness suffix.
    pub name: String,
    pub pipeline: Option<&'static str>,
    pub library: Option<&'static str>,
    pub license: Option<&'static str>,
    pub gated: Gated,
    pub params: Option<i64>,
    pub arch: Option<&'static str>,
    pub gguf: bool,
    pub chat: bool,
}

/// Read access to what the describer needs.
pub(crate) struct Gen<'a> {
    pub seed: u64,
    pub authors: &'a Authors,
    pub st: &'a Statics,
    /// Descriptions already made by this `Gen` (a model's lineage is described once for its
    /// own name and again for its parents' ids; rendering a page spent ~20% of the
    /// simulator's CPU redoing it). A short list: a lineage is a few models deep.
    pub memo: RefCell<Vec<(u32, Desc)>>,
}

/// Parameter count of a size token (`8B`, `270m`, `30B-A3B`, `base`), jittered like real counts.
fn params_of(size: &str, d: &mut Draw) -> i64 {
    let head: String = size
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let unit = size[head.len()..].chars().next();
    let scale = match unit {
        Some('B' | 'b') => 1e9,
        Some('M' | 'm') => 1e6,
        _ => 0.0,
    };
    let value = head
        .parse::<f64>()
        .ok()
        .filter(|_| scale > 0.0)
        .map(|v| v * scale)
        .unwrap_or_else(|| match size {
            "tiny" => 39e6,
            "small" => 125e6,
            "base" => 220e6,
            "medium" => 770e6,
            "large" => 1.5e9,
            "mini" => 3.8e9,
            _ => 7.2e9,
        });
    (value * (0.97 + 0.08 * d.unit())) as i64
}

fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

impl Gen<'_> {
    fn meta(&self, i: u32) -> Option<&Meta> {
        self.st.metas.get(i as usize)
    }

    /// The author's namespace.
    pub(crate) fn handle(&self, author: u32) -> &str {
        self.authors
            .list
            .get(author as usize)
            .map_or("", |a| a.handle.as_str())
    }

    /// `namespace/name` of model `i`.
    pub(crate) fn id(&self, i: u32) -> String {
        let Some(m) = self.meta(i) else {
            return String::new();
        };
        format!("{}/{}", self.handle(m.author), self.describe(i).name)
    }

    /// The parents of model `i` as (relation, id); a deleted parent gets an id no listed model has.
    pub(crate) fn parents(&self, i: u32) -> Vec<(Relation, String)> {
        let Some(m) = self.meta(i) else {
            return Vec::new();
        };
        let relation = match m.role {
            Role::Base | Role::Original => return Vec::new(),
            Role::Quantized => Relation::Quantized,
            Role::Finetune => Relation::Finetune,
            Role::Adapter => Relation::Adapter,
            Role::Merge => Relation::Merge,
        };
        let mut out = Vec::with_capacity(2);
        if m.parent != NONE {
            if m.flags & FLAG_GHOST_PARENT != 0 {
                let mut d = Draw::new(self.seed, PURPOSE_GHOST, u64::from(i));
                let ghost = self.authors.ghost(&mut d);
                let base = self.describe(m.parent).name.to_ascii_lowercase();
                let id = format!(
                    "{}/{base}-{}-{}",
                    self.handle(ghost),
                    d.pick(TASKS),
                    d.pick(METHODS)
                );
                out.push((relation, id));
            } else {
                out.push((relation, self.id(m.parent)));
            }
        }
        if m.parent2 != NONE {
            out.push((relation, self.id(m.parent2)));
        }
        out
    }

    /// The readable name without the uniqueness suffix, plus attributes.
    pub(crate) fn readable(&self, i: u32, m: &Meta) -> Desc {
        let mut d = Draw::new(self.seed, PURPOSE_NAME, u64::from(i));
        match m.role {
            Role::Base => self.base(m, &mut d),
            Role::Quantized => self.quantized(m, &mut d),
            Role::Finetune | Role::Adapter => self.finetune(m, &mut d),
            Role::Merge => self.merge(m, &mut d),
            Role::Original => self.original(&mut d),
        }
    }

    /// The full description of model `i` (final name with suffix).
    pub(crate) fn describe(&self, i: u32) -> Desc {
        if let Some((_, d)) = self.memo.borrow().iter().find(|(k, _)| *k == i) {
            return d.clone();
        }
        let desc = self.describe_uncached(i);
        self.memo.borrow_mut().push((i, desc.clone()));
        desc
    }

    fn describe_uncached(&self, i: u32) -> Desc {
        let Some(m) = self.meta(i) else {
            return self.original(&mut Draw::new(self.seed, PURPOSE_NAME, u64::from(i)));
        };
        let mut desc = self.readable(i, m);
        if let Some(k) = self.st.suffix.get(&i) {
            desc.name.push_str(&format!("-v{k}"));
        }
        desc
    }

    fn base(&self, m: &Meta, d: &mut Draw) -> Desc {
        let handle = self.handle(m.author);
        let own: Vec<&Family> = FAMILIES
            .iter()
            .chain(LAB_FAMILIES)
            .filter(|f| f.ns.is_some_and(|ns| ns.eq_ignore_ascii_case(handle)))
            .collect();
        let generic: Vec<&Family> = FAMILIES.iter().filter(|f| f.ns.is_none()).collect();
        let family = if !own.is_empty() && d.chance(0.9) {
            *d.pick(&own)
        } else {
            *d.pick(&generic)
        };
        let stem = d.pick(family.stems).replace("{ORG}", handle);
        let size = *d.pick(family.sizes);
        let variant = *d.pick(family.variants);
        let mut name = stem;
        if !size.is_empty() {
            name.push('-');
            name.push_str(size);
        }
        name.push_str(variant);
        let chat = family.pipeline == "text-generation"
            && ["Instruct", "chat", "Chat", "-it", "Thinking"]
                .iter()
                .any(|v| variant.contains(v));
        Desc {
            name,
            pipeline: Some(family.pipeline),
            library: Some(family.library),
            license: Some(family.license),
            gated: family.gated,
            params: Some(params_of(size, d)),
            arch: Some(family.arch),
            gguf: false,
            chat,
        }
    }

    fn quantized(&self, m: &Meta, d: &mut Draw) -> Desc {
        let parent = self.describe(m.parent);
        let handle = self.handle(m.author);
        let formats: Vec<&(&str, Option<&str>, bool)> = match handle {
            "mlx-community" => QUANT_FORMATS
                .iter()
                .filter(|f| f.1 == Some("mlx"))
                .collect(),
            _ => QUANT_FORMATS
                .iter()
                .filter(|f| f.1 != Some("mlx"))
                .collect(),
        };
        let &&(suffix, library, safetensors) = d.pick(&formats);
        let library = if library == Some("transformers") {
            parent.library
        } else {
            library
        };
        Desc {
            name: format!("{}{suffix}", parent.name),
            library,
            gated: Gated::False,
            params: if safetensors {
                parent.params.map(|p| p / 5)
            } else {
                None
            },
            gguf: suffix.ends_with("GGUF"),
            arch: if safetensors { parent.arch } else { None },
            ..parent
        }
    }

    fn finetune(&self, m: &Meta, d: &mut Draw) -> Desc {
        let parent = self.describe(m.parent);
        let p = parent.name.as_str();
        let lower = p.to_ascii_lowercase();
        let task = *d.pick(TASKS);
        let method = *d.pick(METHODS);
        let dataset = *d.pick(DATASETS);
        let name = if m.role == Role::Adapter {
            match d.below(4) {
                0 => format!("{lower}-lora-{task}"),
                1 => format!("{p}-{task}-qlora"),
                2 => format!("{lower}-{task}-adapter"),
                _ => format!("lora-{lower}-{dataset}"),
            }
        } else {
            match d.below(6) {
                0 => format!("{lower}-{task}"),
                1 => format!("{p}-{task}-{method}"),
                2 => format!("{lower}-{method}-{dataset}"),
                3 => format!("{p}-{}-v{}", capitalise(task), 1 + d.below(4)),
                4 => format!("{lower}-finetuned-{dataset}"),
                _ => format!("{}-{p}", d.pick(MERGE_WORDS)),
            }
        };
        let adapter = m.role == Role::Adapter;
        Desc {
            name,
            library: if adapter {
                Some("peft")
            } else {
                parent.library
            },
            gated: if parent.gated != Gated::False && d.chance(0.1) {
                parent.gated
            } else {
                Gated::False
            },
            params: if adapter {
                parent.params.map(|p| (p / 150).max(1_000_000))
            } else {
                parent.params
            },
            arch: if adapter { None } else { parent.arch },
            license: if d.chance(0.8) {
                parent.license
            } else {
                Some("apache-2.0")
            },
            ..parent
        }
    }

    fn merge(&self, m: &Meta, d: &mut Draw) -> Desc {
        let first = self.describe(m.parent);
        let stem: String = first.name.split('-').take(2).collect::<Vec<_>>().join("-");
        let method = *d.pick(MERGE_METHODS);
        let name = match d.below(3) {
            0 => format!("{}-{}{method}", d.pick(MERGE_WORDS), d.pick(MERGE_WORDS)),
            1 => format!("{stem}-{}{method}", d.pick(MERGE_WORDS)),
            _ => format!("{}-{stem}-{}{method}", d.pick(MERGE_WORDS), 1 + d.below(9)),
        };
        Desc {
            name,
            gated: Gated::False,
            license: Some("apache-2.0"),
            ..first
        }
    }

    fn original(&self, d: &mut Draw) -> Desc {
        let &(template, pipeline, library) = d.pick(ORIGINALS);
        let name = template
            .replace("{D}", d.pick::<&str>(DATASETS))
            .replace("{N}", &(1 + d.below(40)).to_string())
            .replace("{L}", d.pick::<&str>(LANGS));
        let license = match d.below(4) {
            0 => None,
            1 => Some("mit"),
            _ => Some("apache-2.0"),
        };
        let safetensors = library == "transformers" || library == "diffusers";
        Desc {
            name,
            pipeline: Some(pipeline),
            library: Some(library),
            license,
            gated: Gated::False,
            params: if safetensors {
                Some((66e6 * (0.5 + 3.0 * d.unit())) as i64)
            } else {
                None
            },
            arch: if library == "transformers" {
                Some("bert")
            } else {
                None
            },
            gguf: false,
            chat: false,
        }
    }
}
