//! Vocabulary of the simulated Hub: model families of the big labs, quantisers, handle parts,
//! fine-tune tasks, datasets. Kept apart so the generators read as logic, not data.

mod families;
mod labs;

pub(crate) use families::{FAMILIES, Family};
pub(crate) use labs::{LAB_FAMILIES, LABS, Lab, lab_of};

/// Heavy uploaders of quantisations: (namespace, share of the quantiser uploads, is an org on
/// the Hub when the registry does not say, likes per download relative to the original's).
/// Quantisations are downloaded far more than liked; unsloth's fresh re-releases of hot models
/// are the exception that reaches trending.
pub(crate) const QUANTISERS: &[(&str, f64, bool, f64)] = &[
    ("mradermacher", 30.0, false, 0.04),
    ("bartowski", 15.0, false, 0.15),
    ("unsloth", 12.0, true, 0.9),
    ("TheBloke", 8.0, false, 0.08),
    ("lmstudio-community", 6.0, true, 0.25),
    ("QuantFactory", 5.0, true, 0.06),
    ("MaziyarPanahi", 4.0, false, 0.06),
    ("DevQuasar", 3.0, true, 0.05),
    ("second-state", 3.0, true, 0.05),
    ("NikolayKozloff", 2.0, false, 0.05),
    ("mlx-community", 8.0, true, 0.1),
    ("RedHatAI", 3.0, true, 0.3),
];

/// Quantisation suffixes with their library (`None` = no library_name, as GGUF repos) and
/// whether the repository ships safetensors.
pub(crate) const QUANT_FORMATS: &[(&str, Option<&str>, bool)] = &[
    ("-GGUF", None, false),
    ("-GGUF", None, false),
    ("-i1-GGUF", None, false),
    ("-AWQ", Some("transformers"), true),
    ("-GPTQ-Int4", Some("transformers"), true),
    ("-bnb-4bit", Some("transformers"), true),
    ("-FP8-Dynamic", Some("transformers"), true),
    ("-4bit", Some("mlx"), true),
    ("-8bit", Some("mlx"), true),
    ("-exl2", None, false),
];

/// Fine-tune tasks (also adapter purposes).
pub(crate) const TASKS: &[&str] = &[
    "sql",
    "chat",
    "medical",
    "legal",
    "math",
    "code",
    "roleplay",
    "summarization",
    "ner",
    "sentiment",
    "translation",
    "finance",
    "tool-calling",
    "reasoning",
    "uncensored",
    "rag",
    "customer-support",
    "json",
    "storywriter",
    "tr",
    "ko",
    "ja",
    "vi",
    "ar",
    "hindi",
    "german",
];

/// Training-method tokens of fine-tune names.
pub(crate) const METHODS: &[&str] = &[
    "sft",
    "dpo",
    "orpo",
    "grpo",
    "lora",
    "qlora",
    "ft",
    "finetuned",
    "instruct",
    "merged",
];

/// Dataset names used in fine-tune and original model names.
pub(crate) const DATASETS: &[&str] = &[
    "alpaca",
    "gsm8k",
    "imdb",
    "squad",
    "sst2",
    "conll2003",
    "wikitext",
    "dolly",
    "ultrachat",
    "openhermes",
    "codealpaca",
    "mnli",
    "xsum",
    "cnn-dailymail",
    "emotion",
    "common-voice",
    "food101",
    "cifar10",
    "beans",
    "librispeech",
];

/// Merge-style words (`Nous-Hermes`, `slerp`).
pub(crate) const MERGE_WORDS: &[&str] = &[
    "Hermes",
    "Dolphin",
    "Nous",
    "Stheno",
    "Lumimaid",
    "Magnum",
    "Rocinante",
    "Cydonia",
    "Starling",
    "Neural",
    "Daybreak",
    "Aurora",
    "Nemo",
    "Umbral",
    "Velvet",
    "Chronos",
    "Midnight",
];

/// Merge method suffixes.
pub(crate) const MERGE_METHODS: &[&str] = &[
    "-slerp",
    "-ties",
    "-dare-ties",
    "-merge",
    "-passthrough",
    "-della",
];

/// Original (base-model-less) user models: (name template, pipeline, library).
/// `{D}` = a dataset, `{N}` = a small number, `{L}` = a language code.
pub(crate) const ORIGINALS: &[(&str, &str, &str)] = &[
    (
        "bert-base-uncased-finetuned-{D}",
        "text-classification",
        "transformers",
    ),
    (
        "distilbert-base-uncased-{D}-{N}",
        "text-classification",
        "transformers",
    ),
    (
        "whisper-small-{L}",
        "automatic-speech-recognition",
        "transformers",
    ),
    (
        "ppo-LunarLander-v{N}",
        "reinforcement-learning",
        "stable-baselines3",
    ),
    (
        "dqn-SpaceInvadersNoFrameskip-v4",
        "reinforcement-learning",
        "stable-baselines3",
    ),
    (
        "sd-class-butterflies-{N}",
        "unconditional-image-generation",
        "diffusers",
    ),
    (
        "vit-base-patch16-224-finetuned-{D}",
        "image-classification",
        "transformers",
    ),
    ("t5-small-finetuned-{D}", "summarization", "transformers"),
    ("my_awesome_model", "text-classification", "transformers"),
    ("results", "text-classification", "transformers"),
    (
        "Reinforce-CartPole-v{N}",
        "reinforcement-learning",
        "ml-agents",
    ),
    ("roberta-base-{D}", "token-classification", "transformers"),
    ("yolov8-{D}", "object-detection", "ultralytics"),
    ("tabular-{D}-xgboost", "tabular-classification", "sklearn"),
    ("lora-style-{D}", "text-to-image", "diffusers"),
];

/// Language codes for `{L}`.
pub(crate) const LANGS: &[&str] = &[
    "hi", "ar", "de", "fr", "es", "sw", "ta", "tr", "pt", "zh", "ja", "ko", "vi", "id",
];

/// First-name parts of generated user handles.
pub(crate) const FIRST: &[&str] = &[
    "alex", "maria", "john", "wei", "li", "yuki", "ahmed", "fatima", "ivan", "olga", "raj",
    "priya", "chen", "min", "sara", "lucas", "emma", "noah", "mateo", "sofia", "omar", "lena",
    "kenji", "hana", "arjun", "diego", "nina", "tom", "anna", "paul", "jun", "hyun", "ali",
    "zeynep", "mehmet", "thanh", "an", "pedro", "julia", "david", "leo", "mia", "sam", "ravi",
    "xin", "hao", "yan", "kai", "max", "eva",
];

/// Last-name parts of generated user handles.
pub(crate) const LAST: &[&str] = &[
    "smith", "wang", "zhang", "kumar", "garcia", "mueller", "rossi", "kim", "park", "nguyen",
    "tanaka", "sato", "ivanov", "silva", "santos", "khan", "ali", "chen", "liu", "yang", "huang",
    "patel", "singh", "lopez", "martin", "dubois", "novak", "kowalski", "yilmaz", "hassan",
    "cohen", "berg", "larsen", "costa", "ferreira", "moreau", "schmidt", "weber", "ito", "zhao",
];

/// Words of nickname-style handles.
pub(crate) const NICK: &[&str] = &[
    "neural", "quant", "llama", "tensor", "deep", "byte", "pixel", "vector", "sparse", "cyber",
    "lambda", "gradient", "matrix", "token", "kernel", "cortex", "nova", "zero", "echo", "flux",
    "ghost", "wizard", "dragon", "tiger", "panda", "owl", "fox", "wolf", "raven", "lotus",
];

/// Suffixes of nickname-style handles.
pub(crate) const NICK_TAIL: &[&str] = &[
    "ai", "ml", "lab", "dev", "hf", "bot", "nlp", "x", "io", "hub",
];
