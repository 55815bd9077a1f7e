//! Finding, loading and writing postmortem files. Writes are atomic (a
//! temporary file in the same directory, then a rename), so a crash or a
//! full disk never leaves a half-written postmortem; edits go through
//! [`edit`] and keep the user's comments and layout.

pub(crate) mod edit;

use std::fs;
use std::path::{Path, PathBuf};

use crate::atomic;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::model::Postmortem;
use crate::schema;
use crate::source::{Loaded, Source};

pub(crate) struct Store<'c> {
    root: PathBuf,
    config: &'c Config,
}

impl<'c> Store<'c> {
    pub(crate) fn new(root: &Path, config: &'c Config) -> Self {
        Store {
            root: root.to_path_buf(),
            config,
        }
    }

    pub(crate) fn dir(&self) -> PathBuf {
        self.root.join(&self.config.dir)
    }

    pub(crate) fn path_of(&self, id: &str) -> PathBuf {
        self.dir().join(format!("{id}.toml"))
    }

    /// A path as shown to users: relative to the repository root, with `/`.
    pub(crate) fn display_path(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        rel.to_string_lossy().replace('\\', "/")
    }

    /// Ids of every `*.toml` file in the postmortem directory, sorted.
    pub(crate) fn ids(&self) -> Result<Vec<String>> {
        let dir = self.dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(self.display_path(&dir), e)),
        };
        let mut ids = Vec::new();
        for entry in entries {
            let path = entry
                .map_err(|e| Error::io(self.display_path(&dir), e))?
                .path();
            if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
                if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                    ids.push(stem.to_string());
                }
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// Resolve what a user typed: a full id, a unique prefix, or a path to
    /// a file (absolute, or relative to the current directory).
    pub(crate) fn resolve(&self, query: &str, cwd: &Path) -> Result<String> {
        let as_path = cwd.join(query);
        if query.ends_with(".toml") && as_path.is_file() {
            let canonical = as_path.canonicalize().map_err(|e| Error::io(query, e))?;
            let dir = self.dir().canonicalize().unwrap_or_else(|_| self.dir());
            return match (canonical.parent(), canonical.file_stem()) {
                (Some(parent), Some(stem)) if parent == dir => {
                    Ok(stem.to_string_lossy().into_owned())
                }
                _ => Err(Error::BadArgument {
                    what: query.into(),
                    message: format!(
                        "not a file in the postmortem directory `{}`",
                        self.config.dir
                    ),
                }),
            };
        }
        let ids = self.ids()?;
        let wanted = query
            .trim_end_matches(".toml")
            .rsplit('/')
            .next()
            .unwrap_or(query);
        if ids.iter().any(|id| id == wanted) {
            return Ok(wanted.to_string());
        }
        let matches: Vec<&String> = ids.iter().filter(|id| id.starts_with(wanted)).collect();
        match matches.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Error::UnknownPostmortem {
                id: query.into(),
                known: ids,
            }),
            many => Err(Error::AmbiguousPostmortem {
                id: query.into(),
                candidates: many.iter().map(|s| s.to_string()).collect(),
            }),
        }
    }

    pub(crate) fn read(&self, id: &str) -> Result<Source> {
        let path = self.path_of(id);
        let display = self.display_path(&path);
        let bytes = fs::read(&path).map_err(|e| Error::io(display.clone(), e))?;
        Ok(Source::from_bytes(display, bytes))
    }

    /// Read, parse and schema-check one postmortem. A schema error becomes
    /// [`Error::Invalid`] naming file, line and column.
    pub(crate) fn load(&self, id: &str) -> Result<Loaded> {
        let source = self.read(id)?;
        let postmortem =
            schema::parse_checked(id, &source, &self.config.severities).map_err(first_error)?;
        Ok(Loaded {
            id: id.to_string(),
            source,
            postmortem,
        })
    }

    /// Every postmortem, and separately every file that failed to load.
    pub(crate) fn load_all(&self) -> Result<(Vec<Loaded>, Vec<Error>)> {
        let mut loaded = Vec::new();
        let mut failed = Vec::new();
        for id in self.ids()? {
            match self.load(&id) {
                Ok(l) => loaded.push(l),
                Err(e) => failed.push(e),
            }
        }
        Ok((loaded, failed))
    }

    /// Write a new postmortem without overwriting anything: `base`, then
    /// `base-2`, `base-3`… until a name is free.
    pub(crate) fn create(&self, base: &str, text: &str) -> Result<(String, PathBuf)> {
        let dir = self.dir();
        fs::create_dir_all(&dir).map_err(|e| Error::io(self.display_path(&dir), e))?;
        for n in 1.. {
            let id = if n == 1 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            };
            let path = self.path_of(&id);
            match atomic::create_new(&path, text) {
                Ok(()) => return Ok((id, path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(Error::io(self.display_path(&path), e)),
            }
        }
        unreachable!("the loop above returns")
    }

    /// Replace `loaded`'s file with `text` after checking that `text` is a
    /// valid postmortem: a command must never write a file the next one
    /// could not read. On a schema error nothing is written.
    pub(crate) fn rewrite(&self, loaded: &Loaded, text: String) -> Result<Postmortem> {
        let check = Source::new(loaded.source.path.clone(), text);
        let postmortem = schema::parse_checked(&loaded.id, &check, &self.config.severities)
            .map_err(first_error)?;
        self.write(&self.path_of(&loaded.id), &check.text)?;
        Ok(postmortem)
    }

    /// Edit one postmortem in place: `change` maps its text to the new
    /// text (format-preserving, see [`edit`]), then [`Store::rewrite`].
    pub(crate) fn edit(
        &self,
        id: &str,
        change: impl FnOnce(&str) -> Result<String, edit::EditError>,
    ) -> Result<()> {
        let loaded = self.load(id)?;
        let text = change(&loaded.source.text).map_err(|e| Error::BadArgument {
            what: loaded.source.path.clone(),
            message: e.to_string(),
        })?;
        self.rewrite(&loaded, text).map(|_| ())
    }

    /// Replace a file's contents atomically.
    pub(crate) fn write(&self, path: &Path, text: &str) -> Result<()> {
        atomic::write(path, text).map_err(|e| Error::io(self.display_path(path), e))
    }
}

/// The first schema error of a file, as the error that stops a command.
fn first_error(diagnostics: Vec<Diagnostic>) -> Error {
    match diagnostics.into_iter().next() {
        Some(first) => Error::Invalid(Box::new(first)),
        None => unreachable!("parse_checked fails with at least one diagnostic"),
    }
}
