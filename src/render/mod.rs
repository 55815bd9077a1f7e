//! Handlebars rendering. Built-in templates are embedded in the binary so
//! every command works with nothing on disk; a repository can override any
//! of them with `templates/<name>.hbs` at its top level. Registries run in
//! strict mode, so a misspelt field in a template is an error, not a blank.
//!
//! A repository's template is code from whoever last changed it, so it is
//! read only as a regular file inside the work tree (never through a
//! symbolic link), or from text the caller read elsewhere (`review` and
//! commands run on a pull request pass the base revision's templates, read
//! from git). Whatever a template does, user text stays escaped: every
//! string in the data is escaped for the template's format *before* the
//! template sees it, so `{{{title}}}` is as safe as `{{title}}`; only text
//! the tool wrote itself ([`Markup`]) goes through as it is.

pub(crate) mod annotations;
pub(crate) mod codequality;
pub(crate) mod escape;
pub(crate) mod junit;
pub(crate) mod rdjson;
pub(crate) mod show;
pub(crate) mod site;
pub(crate) mod slack;
pub(crate) mod svg;
pub(crate) mod view;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::error::{Error, Result};

/// A template known to the tool, with its embedded default.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Template {
    pub(crate) name: &'static str,
    pub(crate) builtin: &'static str,
    pub(crate) escape: Escape,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Escape {
    /// Values go inside TOML basic strings.
    TomlString,
    /// Values are Markdown text that must not inject HTML or markup.
    Markdown,
    /// Values are HTML text (the site's pages).
    Html,
}

impl Escape {
    fn function(self) -> fn(&str) -> String {
        match self {
            Escape::TomlString => escape::toml_string,
            Escape::Markdown => escape::markdown,
            // The site's registry escapes as it renders (its pages embed
            // the SVG and HTML they are built from).
            Escape::Html => str::to_string,
        }
    }
}

impl Template {
    /// Where a repository keeps its version: `templates/<name>.hbs`.
    pub(crate) fn repository_path(&self) -> String {
        format!("templates/{}.hbs", self.name)
    }

    /// The name of its `variant`: `postmortem.sev1.toml` for `sev1` of
    /// `postmortem.toml`; `None` for a variant that is not a plain name
    /// (letters, digits, `-`, `_`), which could lead out of `templates/`.
    pub(crate) fn variant_name(&self, variant: &str) -> Option<String> {
        let plain = !variant.is_empty()
            && variant
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let (stem, extension) = self.name.split_once('.')?;
        plain.then(|| format!("{stem}.{variant}.{extension}"))
    }
}

pub(crate) const NEW_POSTMORTEM: Template = Template {
    name: "postmortem.toml",
    builtin: include_str!("../../templates/postmortem.toml.hbs"),
    escape: Escape::TomlString,
};

pub(crate) const SHOW: Template = Template {
    name: "show.md",
    builtin: include_str!("../../templates/show.md.hbs"),
    escape: Escape::Markdown,
};

pub(crate) const ISSUE: Template = Template {
    name: "issue.md",
    builtin: include_str!("../../templates/issue.md.hbs"),
    escape: Escape::Markdown,
};

pub(crate) const REMINDER: Template = Template {
    name: "reminder.md",
    builtin: include_str!("../../templates/reminder.md.hbs"),
    escape: Escape::Markdown,
};

pub(crate) const REVIEW: Template = Template {
    name: "review.md",
    builtin: include_str!("../../templates/review.md.hbs"),
    escape: Escape::Markdown,
};

pub(crate) const CHECK_SUMMARY: Template = Template {
    name: "check-summary.md",
    builtin: include_str!("../../templates/check-summary.md.hbs"),
    escape: Escape::Markdown,
};

pub(crate) const DIGEST: Template = Template {
    name: "digest.md",
    builtin: include_str!("../../templates/digest.md.hbs"),
    escape: Escape::Markdown,
};

/// Every template a repository can override.
pub(crate) const OVERRIDABLE: [Template; 7] = [
    NEW_POSTMORTEM,
    SHOW,
    ISSUE,
    REMINDER,
    REVIEW,
    CHECK_SUMMARY,
    DIGEST,
];

/// Text the tool wrote itself, already in the template's format: Markdown
/// it rendered, a hidden marker, a mention it means to make, a TOML
/// datetime. It reaches the template as it is; every other string in a
/// template's data is escaped first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Markup(pub(crate) String);

/// The one key of the object a [`Markup`] serialises to, which
/// [`escape_data`] replaces by the text. No view has keys from user text,
/// so nothing else makes an object with this key.
const MARKUP_KEY: &str = "\u{0}git-postmortem:markup";

impl Serialize for Markup {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(MARKUP_KEY, &self.0)?;
        map.end()
    }
}

/// Where a repository's versions of the templates come from.
enum Overrides {
    /// None: only the built-in templates.
    BuiltIn,
    /// `<root>/templates/<name>.hbs` in the work tree, when it is a regular
    /// file there.
    WorkTree(PathBuf),
    /// Read by the caller from `revision` (a pull request's base): each
    /// template's text, or why it cannot be used. Templates missing there
    /// are the built-in ones.
    Revision {
        revision: String,
        files: HashMap<String, std::result::Result<String, String>>,
    },
}

/// Renders templates for one run: one Handlebars registry per escaping
/// kind, each template compiled once, on first use, from the repository's
/// `templates/<name>.hbs` when there is one, else from the built-in text.
pub(crate) struct Renderer {
    overrides: Overrides,
    toml: RefCell<Handlebars<'static>>,
    markdown: RefCell<Handlebars<'static>>,
    html: RefCell<Handlebars<'static>>,
    /// Where each registered template came from, for error messages.
    origins: RefCell<HashMap<String, String>>,
}

impl Renderer {
    /// Templates from `<root>/templates/` override the built-in ones.
    pub(crate) fn new(root: Option<&Path>) -> Self {
        Renderer::with(match root {
            Some(root) => Overrides::WorkTree(root.to_path_buf()),
            None => Overrides::BuiltIn,
        })
    }

    /// The templates of `revision`, as the caller read them: for each
    /// template name, its text or why it cannot be used (a symbolic link,
    /// not UTF-8). The others are the built-in ones.
    pub(crate) fn from_revision(
        revision: &str,
        files: HashMap<String, std::result::Result<String, String>>,
    ) -> Self {
        Renderer::with(Overrides::Revision {
            revision: revision.to_string(),
            files,
        })
    }

    fn with(overrides: Overrides) -> Self {
        Renderer {
            overrides,
            toml: RefCell::new(registry(Escape::TomlString)),
            markdown: RefCell::new(registry(Escape::Markdown)),
            html: RefCell::new(site::registry()),
            origins: RefCell::new(HashMap::new()),
        }
    }

    /// Render `template` with `data`, every string in `data` escaped for
    /// the template's format first (but [`Markup`]).
    pub(crate) fn render<T: Serialize>(&self, template: Template, data: &T) -> Result<String> {
        self.render_as(template, template.name, || self.load(template), data)
    }

    /// Render the repository's `variant` of `template` when it has one
    /// (`templates/postmortem.sev1.toml.hbs` for the variant `sev1` of
    /// `postmortem.toml`), else `template` itself. A variant is a name of
    /// letters, digits, `-` and `_`; any other has no template of its own.
    pub(crate) fn render_variant<T: Serialize>(
        &self,
        template: Template,
        variant: &str,
        data: &T,
    ) -> Result<String> {
        if let Some(name) = template.variant_name(variant) {
            if let Some(found) = self.load_variant(&name)? {
                return self.render_as(template, &name, || Ok(found), data);
            }
        }
        self.render(template, data)
    }

    /// Where the text `render_variant(template, variant, …)` last rendered
    /// came from, as errors name it (`templates/postmortem.sev1.toml.hbs`).
    pub(crate) fn variant_origin(&self, template: Template, variant: &str) -> String {
        let origins = self.origins.borrow();
        template
            .variant_name(variant)
            .and_then(|name| origins.get(&name))
            .or_else(|| origins.get(template.name))
            .cloned()
            .unwrap_or_else(|| template.name.to_string())
    }

    /// Render the template registered as `name`, registering it with the
    /// text and origin `load` gives on first use.
    fn render_as<T: Serialize>(
        &self,
        template: Template,
        name: &str,
        load: impl FnOnce() -> Result<(String, String)>,
        data: &T,
    ) -> Result<String> {
        let cell = match template.escape {
            Escape::TomlString => &self.toml,
            Escape::Markdown => &self.markdown,
            Escape::Html => &self.html,
        };
        if !cell.borrow().has_template(name) {
            let (text, origin) = load()?;
            let registered = cell.borrow_mut().register_template_string(name, text);
            registered.map_err(|e| Error::Template {
                name: origin.clone(),
                message: e.to_string(),
            })?;
            self.origins.borrow_mut().insert(name.to_string(), origin);
        }
        let failed = |message: String| Error::Template {
            name: self
                .origins
                .borrow()
                .get(name)
                .cloned()
                .unwrap_or_else(|| name.to_string()),
            message,
        };
        let mut data = serde_json::to_value(data).map_err(|e| failed(e.to_string()))?;
        escape_data(&mut data, template.escape.function());
        cell.borrow()
            .render(name, &data)
            .map_err(|e| failed(e.to_string()))
    }

    /// The repository's template `name` (a variant), and where it came
    /// from; `None` when it has none.
    fn load_variant(&self, name: &str) -> Result<Option<(String, String)>> {
        let path = format!("templates/{name}.hbs");
        match &self.overrides {
            Overrides::BuiltIn => Ok(None),
            Overrides::Revision { revision, files } => {
                let origin = format!("{path} (from {revision})");
                match files.get(name) {
                    None => Ok(None),
                    Some(Ok(text)) => Ok(Some((text.clone(), origin))),
                    Some(Err(why)) => Err(Error::Template {
                        name: origin,
                        message: why.clone(),
                    }),
                }
            }
            Overrides::WorkTree(root) => match work_tree_file(root, &path) {
                Ok(None) => Ok(None),
                Ok(Some(text)) => Ok(Some((text, path))),
                Err(why) => Err(Error::Template {
                    name: path,
                    message: why,
                }),
            },
        }
    }

    /// The template's text, from the repository when it has its own, and
    /// where it came from, as errors name it.
    fn load(&self, template: Template) -> Result<(String, String)> {
        let path = template.repository_path();
        let refused = |name: String, message: String| Error::Template { name, message };
        let builtin = || Ok((template.builtin.to_string(), template.name.to_string()));
        match &self.overrides {
            Overrides::BuiltIn => builtin(),
            Overrides::Revision { revision, files } => {
                let name = format!("{path} (from {revision})");
                match files.get(template.name) {
                    None => builtin(),
                    Some(Ok(text)) => Ok((text.clone(), name)),
                    Some(Err(why)) => Err(refused(name, why.clone())),
                }
            }
            Overrides::WorkTree(root) => match work_tree_file(root, &path) {
                Ok(None) => builtin(),
                Ok(Some(text)) => Ok((text, path)),
                Err(why) => Err(refused(path, why)),
            },
        }
    }
}

/// Why a repository template is refused.
pub(crate) const REGULAR_FILES: &str =
    "a repository's templates must be regular files inside its work tree";

/// The text of `path` under `root`, if there is a regular file there
/// reached without a symbolic link; why not, if something else is there.
fn work_tree_file(root: &Path, path: &str) -> std::result::Result<Option<String>, String> {
    let mut at = root.to_path_buf();
    let parts: Vec<&str> = path.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let last = i + 1 == parts.len();
        let metadata = match std::fs::symlink_metadata(&at) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        let file_type = metadata.file_type();
        let what = if last {
            "the file".to_string()
        } else {
            format!("`{}/`", parts[..=i].join("/"))
        };
        if file_type.is_symlink() {
            return Err(format!("{what} is a symbolic link; {REGULAR_FILES}"));
        }
        if !last && !file_type.is_dir() {
            return Ok(None);
        }
        if last && !file_type.is_file() {
            return Err(format!("{what} is not a regular file; {REGULAR_FILES}"));
        }
    }
    std::fs::read_to_string(&at)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Escape every string in `value` with `escape`, and unwrap [`Markup`]
/// unescaped, so that the template gets nothing it could print raw.
fn escape_data(value: &mut Value, escape: fn(&str) -> String) {
    match value {
        Value::String(text) => *text = escape(text),
        Value::Array(items) => items.iter_mut().for_each(|v| escape_data(v, escape)),
        Value::Object(map) => {
            if map.len() == 1 && map.get(MARKUP_KEY).is_some_and(Value::is_string) {
                if let Some(markup) = map.remove(MARKUP_KEY) {
                    *value = markup;
                }
                return;
            }
            map.values_mut().for_each(|v| escape_data(v, escape));
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn registry(escape: Escape) -> Handlebars<'static> {
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    // The data is escaped before it reaches a template (`escape_data`).
    registry.register_escape_fn(handlebars::no_escape);
    if !matches!(escape, Escape::Markdown) {
        return registry;
    }
    // `{{cell x}}`: Markdown text fit for one table cell.
    // `{{code x}}`: an inline code span that survives backticks in `x`.
    // `{{when t}}`: a timestamp as people read it.
    for helper in [
        TextHelper {
            name: "cell",
            unescape: escape::unescape_markdown,
            map: escape::table_cell,
        },
        TextHelper {
            name: "code",
            unescape: escape::unescape_markdown,
            map: escape::code_span,
        },
        TextHelper {
            name: "code_cell",
            unescape: escape::unescape_markdown,
            map: escape::code_cell,
        },
        TextHelper {
            name: "when",
            unescape: escape::unescape_markdown,
            map: when,
        },
    ] {
        registry.register_helper(helper.name, Box::new(helper));
    }
    registry
}

/// A helper that maps its one parameter's text to output text, already
/// escaped for Markdown. The parameter comes escaped (the data is), so it
/// is unescaped first.
struct TextHelper {
    name: &'static str,
    /// Undoes the escaping the data got before the template saw it.
    unescape: fn(&str) -> String,
    map: fn(&str) -> String,
}

impl HelperDef for TextHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let value = h
            .param(0)
            .ok_or(RenderErrorReason::ParamNotFoundForIndex(self.name, 0))?
            .value();
        let text = match value {
            Value::Null => String::new(),
            Value::String(s) => (self.unescape)(s),
            other => other.to_string(),
        };
        out.write(&(self.map)(&text))?;
        Ok(())
    }
}

/// An RFC 3339 timestamp as people read it, fit for a table cell.
fn when(text: &str) -> String {
    match text.parse::<crate::model::Timestamp>() {
        Ok(t) => escape::table_cell(&view::format_time(&t)),
        Err(_) => escape::table_cell(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct View {
        title: &'static str,
        items: Vec<&'static str>,
        document: Markup,
        count: usize,
    }

    #[test]
    fn only_markup_reaches_a_template_unescaped() {
        let view = View {
            title: "<b>x</b>",
            items: vec!["*a*", "::error::b"],
            document: Markup("**ours**".into()),
            count: 2,
        };
        let mut data = serde_json::to_value(&view).expect("json");
        escape_data(&mut data, escape::markdown);
        assert_eq!(
            data,
            serde_json::json!({
                "title": "&lt;b&gt;x&lt;/b&gt;",
                "items": ["\\*a\\*", "\\::error::b"],
                "document": "**ours**",
                "count": 2,
            })
        );
    }
}
