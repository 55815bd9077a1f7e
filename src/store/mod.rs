//! Finding, loading and writing postmortem files. Writes take git's kind
//! of lock (`<file>.lock`, created exclusively) across read, edit and
//! write, so concurrent edits all land; they are atomic (the new text goes
//! into the lock, then a rename), so a crash or a full disk never leaves a
//! half-written postmortem; and they stay inside the work tree. Edits go
//! through [`edit`] and [`layout`] and keep the user's comments, layout,
//! line endings and byte order mark.

pub(crate) mod edit;
pub(crate) mod layout;

use std::fs;
use std::path::{Path, PathBuf};

use crate::atomic;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::schema;
use crate::source::{Loaded, Source};

pub(crate) struct Store<'c> {
    root: PathBuf,
    config: &'c Config,
}

impl<'c> Store<'c> {
    pub(crate) fn new(root: &Path, config: &'c Config) -> Self {
        Store {
            // Resolved, so that paths resolved through symlinks can be
            // checked against it and shown relative to it.
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
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
    /// a file (absolute, or relative to the current directory). Anything
    /// with a `/` or ending in `.toml` is a path and must name a file in the
    /// postmortem directory: it is never read as a prefix of another id.
    pub(crate) fn resolve(&self, query: &str, cwd: &Path) -> Result<String> {
        if query.trim().is_empty() {
            return Err(Error::BadArgument {
                what: "ID".into(),
                message: "the postmortem id is empty; give an id, a unique prefix of one, or the path to its file".into(),
            });
        }
        let is_path = query.ends_with(".toml")
            || query.contains('/')
            || query.contains(std::path::MAIN_SEPARATOR);
        if is_path {
            return self.resolve_path(query, cwd);
        }
        let ids = self.ids()?;
        if ids.iter().any(|id| id == query) {
            return Ok(query.to_string());
        }
        let matches: Vec<&String> = ids.iter().filter(|id| id.starts_with(query)).collect();
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

    /// The id of the postmortem file at `query`, a path.
    fn resolve_path(&self, query: &str, cwd: &Path) -> Result<String> {
        let expected = format!(
            "give the path to a `.toml` file in the postmortem directory `{}`, an id, or a unique prefix of one",
            self.config.dir
        );
        let not_a_postmortem = |why: &str| Error::BadArgument {
            what: query.into(),
            message: format!("{why}; {expected}"),
        };
        let as_path = cwd.join(query);
        if !as_path.is_file() {
            return Err(not_a_postmortem("no such file"));
        }
        // The directory it is in, resolved; the file itself may be a
        // symlink, as `ids` lists those too.
        let parent = as_path
            .parent()
            .map(Path::canonicalize)
            .transpose()
            .map_err(|e| Error::io(query, e))?;
        let dir = self.dir().canonicalize().unwrap_or_else(|_| self.dir());
        let id = match (parent, as_path.file_stem()) {
            (Some(parent), Some(stem))
                if parent == dir && as_path.extension().is_some_and(|e| e == "toml") =>
            {
                stem.to_string_lossy().into_owned()
            }
            _ => return Err(not_a_postmortem("not a postmortem file")),
        };
        if !self.ids()?.contains(&id) {
            return Err(not_a_postmortem("not a postmortem file"));
        }
        Ok(id)
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

    /// The postmortem directory, created when missing, after checking
    /// that it is inside the work tree (not a symlink out of it).
    pub(crate) fn writable_dir(&self) -> Result<PathBuf> {
        let dir = self.dir();
        // Whatever of it exists must be inside; `create_dir_all` then only
        // adds plain directories below that.
        let existing = dir.ancestors().find(|d| d.exists()).unwrap_or(&self.root);
        self.confined(existing, &self.display_path(&dir))?;
        fs::create_dir_all(&dir).map_err(|e| Error::io(self.display_path(&dir), e))?;
        self.confined(&dir, &self.display_path(&dir))
    }

    /// `path`, resolved through symlinks, when that is inside the work tree
    /// and not in its `.git`; [`Error::OutsideWorkTree`] otherwise.
    fn confined(&self, path: &Path, shown: &str) -> Result<PathBuf> {
        let resolved = path
            .canonicalize()
            .map_err(|e| Error::io(shown.to_string(), e))?;
        if !resolved.starts_with(&self.root) || resolved.starts_with(self.root.join(".git")) {
            return Err(Error::OutsideWorkTree {
                path: shown.to_string(),
                resolved,
            });
        }
        Ok(resolved)
    }

    /// Where the file of postmortem `id` really is, resolved through
    /// symlinks, after checking that it may be replaced: inside the work
    /// tree ([`Error::OutsideWorkTree`]) and not read-only
    /// ([`Error::ReadOnly`]: a file someone made read-only is not silently
    /// replaced, which a rename would do).
    pub(crate) fn writable_file(&self, id: &str) -> Result<PathBuf> {
        let path = self.path_of(id);
        let shown = self.display_path(&path);
        let real = self.confined(&path, &shown)?;
        let meta = fs::metadata(&real).map_err(|e| Error::io(shown.clone(), e))?;
        if meta.permissions().readonly() {
            return Err(Error::ReadOnly { path: shown });
        }
        Ok(real)
    }

    /// Write a new postmortem without overwriting anything: `base`, then
    /// `base-2`, `base-3`… until a name is free. `render` gives the text
    /// for an id, as the id appears in it.
    pub(crate) fn create(
        &self,
        base: &str,
        render: impl Fn(&str) -> Result<String>,
    ) -> Result<(String, PathBuf)> {
        let dir = self.writable_dir()?;
        atomic::remove_stale_temporaries(&dir);
        for n in 1.. {
            let id = if n == 1 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            };
            let path = dir.join(format!("{id}.toml"));
            let shown = self.display_path(&path);
            if path.exists() {
                continue;
            }
            let lock = self.lock(&path)?;
            if path.exists() {
                continue;
            }
            match lock.commit_new(&render(&id)?) {
                Ok(()) => return Ok((id, path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(Error::io(shown, e)),
            }
        }
        unreachable!("the loop above returns")
    }

    /// Take the lock on the file at `path` (see [`atomic::LockFile`]).
    fn lock(&self, path: &Path) -> Result<atomic::LockFile> {
        atomic::LockFile::acquire(path).map_err(|e| match e {
            atomic::LockError::Held { lock } => Error::Locked {
                lock: self.display_path(&lock),
                path: self.display_path(path),
            },
            atomic::LockError::Io(e) => Error::io(self.display_path(&atomic::lock_path(path)), e),
        })
    }

    /// Edit one postmortem, git's way: under its lock (`<file>.lock`), so
    /// concurrent edits take turns and none is lost, read it, let `change`
    /// compute the new text from what was read, check that the new text is
    /// a valid postmortem (a command must never write a file the next one
    /// could not read), and write it atomically. `change` gets the file as
    /// loaded and its text without BOM and with `\n` line endings; the
    /// BOM, the line endings and every line it did not touch are put back
    /// ([`layout`]). It returns the new text (`None`: nothing to write)
    /// and what to hand back. On any error nothing is written.
    pub(crate) fn update<T>(
        &self,
        id: &str,
        change: impl FnOnce(&Loaded, &str) -> Result<(Option<String>, T)>,
    ) -> Result<T> {
        let real = self.writable_file(id)?;
        let shown = self.display_path(&self.path_of(id));
        let lock = self.lock(&real)?;
        if let Some(dir) = real.parent() {
            atomic::remove_stale_temporaries(dir);
        }
        let loaded = self.load(id)?;
        let (edited, value) = change(&loaded, &layout::for_editing(&loaded.source.text))?;
        let Some(edited) = edited else {
            return Ok(value);
        };
        let text = layout::restore(&loaded.source.text, &edited);
        let check = Source::new(loaded.source.path.clone(), text);
        schema::parse_checked(&loaded.id, &check, &self.config.severities).map_err(first_error)?;
        lock.commit(&check.text).map_err(|e| Error::io(shown, e))?;
        Ok(value)
    }

    /// [`Store::update`] with a text edit (see [`edit`]) and nothing
    /// handed back.
    pub(crate) fn edit(
        &self,
        id: &str,
        change: impl FnOnce(&str) -> Result<String, edit::EditError>,
    ) -> Result<()> {
        self.update(id, |loaded, text| {
            let edited = change(text).map_err(|e| Error::BadArgument {
                what: loaded.source.path.clone(),
                message: e.to_string(),
            })?;
            Ok((Some(edited), ()))
        })
    }
}

/// The first schema error of a file, as the error that stops a command.
fn first_error(diagnostics: Vec<Diagnostic>) -> Error {
    match diagnostics.into_iter().next() {
        Some(first) => Error::Invalid(Box::new(first)),
        None => unreachable!("parse_checked fails with at least one diagnostic"),
    }
}
