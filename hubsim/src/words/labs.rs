//! The labs that shape the Hub: how often they release, how much their releases are
//! downloaded and liked, and the families of those without one in [`super::FAMILIES`].
//!
//! The numbers are relative, read off the real Hub of 2025-26: downloads are led by Qwen, Meta,
//! Google and the canonical encoders (BERT, RoBERTa, MiniLM, BGE, Whisper, CLIP); trending by
//! fresh releases, where the Chinese labs (Qwen, DeepSeek, Moonshot, Z.ai, MiniMax, ...) take
//! much of the top next to the US labs.

use super::Family;
use crate::population::Gated;

/// A lab with its own release pattern (every other organisation releases with weight 1, plain
/// downloads and likes).
#[derive(Debug)]
pub(crate) struct Lab {
    /// Hub namespace.
    pub ns: &'static str,
    /// Release weight: the chance a new base model is this lab's, relative to 1.
    pub releases: f64,
    /// Download pull: multiplies the downloads of its releases (brand, integrations).
    pub downloads: f64,
    /// Hype: multiplies the likes of its releases (what puts them in trending).
    pub hype: f64,
    /// A Chinese lab: its share of new releases grows over the simulated weeks.
    pub rising: bool,
    /// How many of its flagships are placed in the history for sure (its canonical checkpoints),
    /// so even a small population has its steady downloads: a lab's total then depends on
    /// its pull more than on the luck of a few draws.
    pub anchors: u8,
    /// Where in the history (share of the initial models, 0 = oldest) its anchors start.
    pub since: f64,
}

const fn lab(ns: &'static str, releases: f64, downloads: f64, hype: f64) -> Lab {
    Lab {
        ns,
        releases,
        downloads,
        hype,
        rising: false,
        anchors: 0,
        since: 0.0,
    }
}

const fn rising(l: Lab) -> Lab {
    Lab { rising: true, ..l }
}

const fn anchor(anchors: u8, since: f64, l: Lab) -> Lab {
    Lab {
        anchors,
        since,
        ..l
    }
}

/// The labs, most downloaded first.
pub(crate) const LABS: &[Lab] = &[
    anchor(4, 0.6, rising(lab("Qwen", 36.0, 2.0, 2.5))),
    anchor(3, 0.45, lab("meta-llama", 12.0, 3.0, 1.0)),
    anchor(3, 0.3, lab("google", 26.0, 2.0, 2.0)),
    anchor(2, 0.05, lab("sentence-transformers", 1.0, 3.5, 0.4)),
    anchor(1, 0.0, lab("google-bert", 0.5, 2.6, 0.3)),
    anchor(1, 0.0, lab("FacebookAI", 0.5, 2.0, 0.3)),
    anchor(2, 0.15, lab("openai", 3.0, 1.8, 2.5)),
    anchor(2, 0.2, lab("microsoft", 18.0, 1.0, 1.0)),
    anchor(1, 0.35, lab("BAAI", 3.0, 1.4, 0.6)),
    anchor(2, 0.5, lab("nvidia", 22.0, 0.8, 1.2)),
    anchor(1, 0.8, rising(lab("deepseek-ai", 8.0, 1.0, 4.0))),
    anchor(1, 0.4, lab("mistralai", 10.0, 0.9, 1.5)),
    anchor(1, 0.02, lab("google-t5", 0.5, 1.2, 0.3)),
    lab("ibm-granite", 6.0, 0.4, 1.0),
    lab("allenai", 6.0, 0.3, 1.0),
    lab("HuggingFaceTB", 5.0, 0.4, 1.5),
    lab("black-forest-labs", 3.0, 0.8, 3.0),
    lab("LiquidAI", 4.0, 0.3, 1.5),
    lab("CohereLabs", 3.0, 0.3, 1.5),
    rising(lab("moonshotai", 5.0, 0.12, 5.0)),
    rising(lab("zai-org", 7.0, 0.25, 3.5)),
    rising(lab("MiniMaxAI", 4.0, 0.15, 3.5)),
    rising(lab("tencent", 9.0, 0.25, 2.0)),
    rising(lab("baidu", 5.0, 0.25, 2.0)),
    rising(lab("stepfun-ai", 3.0, 0.15, 2.0)),
    rising(lab("ByteDance-Seed", 4.0, 0.25, 2.5)),
    rising(lab("XiaomiMiMo", 2.0, 0.1, 2.5)),
    rising(lab("openbmb", 3.0, 0.25, 2.0)),
    rising(lab("meituan-longcat", 2.0, 0.08, 2.0)),
];

/// The lab record of a namespace, if it is one of [`LABS`].
pub(crate) fn lab_of(ns: &str) -> Option<&'static Lab> {
    LABS.iter().find(|l| l.ns.eq_ignore_ascii_case(ns))
}

const TG: &str = "text-generation";
const TF: &str = "transformers";
const ST: &str = "sentence-transformers";

const fn family(
    ns: &'static str,
    stems: &'static [&'static str],
    sizes: &'static [&'static str],
    variants: &'static [&'static str],
    pipeline: &'static str,
    library: &'static str,
    arch: &'static str,
) -> Family {
    Family {
        ns: Some(ns),
        stems,
        sizes,
        variants,
        pipeline,
        library,
        arch,
        license: "apache-2.0",
        gated: Gated::False,
    }
}

/// Families of the labs that have none in [`super::FAMILIES`].
pub(crate) const LAB_FAMILIES: &[Family] = &[
    family(
        "sentence-transformers",
        &[
            "all-mpnet",
            "all-MiniLM-L6",
            "all-MiniLM-L12",
            "paraphrase-multilingual-mpnet",
        ],
        &["base"],
        &["-v2", "-v1"],
        "sentence-similarity",
        ST,
        "bert",
    ),
    family(
        "google-bert",
        &["bert", "bert-base-multilingual"],
        &["base", "large"],
        &["-uncased", "-cased"],
        "fill-mask",
        TF,
        "bert",
    ),
    family(
        "FacebookAI",
        &["roberta", "xlm-roberta"],
        &["base", "large"],
        &["", "-mnli"],
        "fill-mask",
        TF,
        "roberta",
    ),
    family(
        "google-t5",
        &["t5", "flan-t5"],
        &["small", "base", "large"],
        &[""],
        "translation",
        TF,
        "t5",
    ),
    family(
        "BAAI",
        &["bge", "bge-reranker"],
        &["small", "base", "large", "m3"],
        &["-en-v1.5", "-zh-v1.5", "-v2", ""],
        "feature-extraction",
        ST,
        "xlm-roberta",
    ),
    family(
        "ibm-granite",
        &["granite-3.3", "granite-4.0"],
        &["2b", "8b", "tiny", "small"],
        &["-instruct", "-base", "-h"],
        TG,
        TF,
        "granite",
    ),
    family(
        "allenai",
        &["OLMo-2", "Olmo-3", "olmOCR"],
        &["1B", "7B", "13B", "32B"],
        &["-Instruct", "-Think", ""],
        TG,
        TF,
        "olmo2",
    ),
    family(
        "HuggingFaceTB",
        &["SmolLM2", "SmolLM3", "SmolVLM2"],
        &["135M", "360M", "1.7B", "3B"],
        &["-Instruct", "-Base", ""],
        TG,
        TF,
        "llama",
    ),
    family(
        "black-forest-labs",
        &["FLUX.1", "FLUX.1-Kontext", "FLUX.2"],
        &["dev", "schnell", "pro"],
        &[""],
        "text-to-image",
        "diffusers",
        "diffusers",
    ),
    family(
        "LiquidAI",
        &["LFM2", "LFM2-VL"],
        &["350M", "700M", "1.2B", "8B-A1B"],
        &["", "-Extract", "-RAG"],
        TG,
        TF,
        "lfm2",
    ),
    family(
        "CohereLabs",
        &["aya-expanse", "command-a", "aya-vision"],
        &["8b", "32b", "111b"],
        &["", "-reasoning-08-2025"],
        TG,
        TF,
        "cohere2",
    ),
    family(
        "stepfun-ai",
        &["Step-Audio-2", "Step3", "step3-vl"],
        &["mini", "10B", "321B"],
        &["", "-Base", "-FP8"],
        TG,
        TF,
        "step3",
    ),
    family(
        "ByteDance-Seed",
        &["Seed-OSS", "Seed-Coder", "UI-TARS"],
        &["7B", "36B"],
        &["-Instruct", "-Base", "-Reasoning"],
        TG,
        TF,
        "seed_oss",
    ),
    family(
        "XiaomiMiMo",
        &["MiMo", "MiMo-VL", "MiMo-Audio"],
        &["7B", "7B-RL", "309B-A15B"],
        &["", "-2508", "-Instruct"],
        TG,
        TF,
        "mimo",
    ),
    family(
        "openbmb",
        &["MiniCPM4", "MiniCPM-V-4_5", "VoxCPM"],
        &["0.5B", "8B", "1.5B"],
        &["", "-int4"],
        TG,
        TF,
        "minicpm",
    ),
    family(
        "meituan-longcat",
        &["LongCat-Flash", "LongCat-Video"],
        &["Chat", "Thinking", "Omni"],
        &["", "-FP8"],
        TG,
        TF,
        "longcat_flash",
    ),
];
