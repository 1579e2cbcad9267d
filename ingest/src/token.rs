//! The Hub access token: sent as a bearer token, shown nowhere else.

use std::path::Path;

use crate::error::IngestError;

/// A Hub access token. `Debug` prints `Token(<redacted>)`; there is no `Display`, no `Serialize`,
/// and the only way to read it is the crate-private accessor the HTTP client uses.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A token from an environment variable's value (`HF_TOKEN`); `None` when empty or blank.
    pub fn from_env_value(value: &str) -> Option<Token> {
        let t = value.trim();
        (!t.is_empty()).then(|| Token(t.to_owned()))
    }

    /// A token from a file (`--token-file`): its content, trimmed; an empty file is bad input.
    pub fn from_file(path: &Path) -> Result<Token, IngestError> {
        let text = std::fs::read_to_string(path).map_err(IngestError::io(path))?;
        Token::from_env_value(&text).ok_or_else(|| IngestError::BadInput {
            what: "token file",
            message: format!("{} is empty", path.display()),
        })
    }

    /// The secret itself, for the `Authorization` header only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let t = Token::from_env_value("hf_SECRETsecret123").unwrap();
        let shown = format!("{t:?} {t:#?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("<redacted>"));
        assert_eq!(t.expose(), "hf_SECRETsecret123");
    }

    #[test]
    fn blank_values_are_no_token() {
        assert!(Token::from_env_value("  \n").is_none());
        assert_eq!(
            Token::from_env_value(" hf_x\n").map(|t| t.expose().to_owned()),
            Some("hf_x".to_owned())
        );
    }

    #[test]
    fn from_file_trims_and_rejects_empty() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("tok");
        std::fs::write(&p, "hf_abc\n").unwrap();
        assert_eq!(Token::from_file(&p).unwrap().expose(), "hf_abc");
        std::fs::write(&p, "\n").unwrap();
        let err = Token::from_file(&p).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::BadInput);
        let missing = Token::from_file(&dir.path().join("nope")).unwrap_err();
        assert_eq!(missing.kind(), crate::ErrorKind::Io);
    }
}
