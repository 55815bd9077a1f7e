//! Handlebars rendering. Built-in templates are embedded in the binary so
//! every command works with nothing on disk; a repository can override any
//! of them with `templates/<name>.hbs` at its top level. Registries run in
//! strict mode, so a misspelt field in a template is an error, not a blank.

pub(crate) mod annotations;
pub(crate) mod codequality;
pub(crate) mod escape;
pub(crate) mod junit;
pub(crate) mod rdjson;
pub(crate) mod show;
pub(crate) mod site;
pub(crate) mod svg;
pub(crate) mod view;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde::Serialize;

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

/// Renders templates for one run: one Handlebars registry per escaping
/// kind, each template compiled once, on first use, from the repository's
/// `templates/<name>.hbs` when there is one, else from the built-in text.
pub(crate) struct Renderer {
    root: Option<PathBuf>,
    toml: RefCell<Handlebars<'static>>,
    markdown: RefCell<Handlebars<'static>>,
    html: RefCell<Handlebars<'static>>,
    /// Where each registered template came from, for error messages.
    origins: RefCell<HashMap<&'static str, String>>,
}

impl Renderer {
    /// Templates from `<root>/templates/` override the built-in ones.
    pub(crate) fn new(root: Option<&Path>) -> Self {
        Renderer {
            root: root.map(Path::to_path_buf),
            toml: RefCell::new(registry(Escape::TomlString)),
            markdown: RefCell::new(registry(Escape::Markdown)),
            html: RefCell::new(site::registry()),
            origins: RefCell::new(HashMap::new()),
        }
    }

    /// Render `template` with `data`.
    pub(crate) fn render<T: Serialize>(&self, template: Template, data: &T) -> Result<String> {
        let cell = match template.escape {
            Escape::TomlString => &self.toml,
            Escape::Markdown => &self.markdown,
            Escape::Html => &self.html,
        };
        if !cell.borrow().has_template(template.name) {
            let (text, origin) = self.load(template)?;
            let registered = cell
                .borrow_mut()
                .register_template_string(template.name, text);
            registered.map_err(|e| Error::Template {
                name: origin.clone(),
                message: e.to_string(),
            })?;
            self.origins.borrow_mut().insert(template.name, origin);
        }
        cell.borrow()
            .render(template.name, data)
            .map_err(|e| Error::Template {
                name: self.origins.borrow()[template.name].clone(),
                message: e.to_string(),
            })
    }

    /// The template's text, from `<root>/templates/<name>.hbs` when the
    /// repository has one, and where it came from, as errors name it.
    fn load(&self, template: Template) -> Result<(String, String)> {
        let user_path = self.root.as_deref().map(|root| {
            root.join("templates")
                .join(format!("{}.hbs", template.name))
        });
        match user_path.filter(|path| path.is_file()) {
            Some(path) => Ok((
                std::fs::read_to_string(&path)
                    .map_err(|e| Error::io(path.display().to_string(), e))?,
                format!("templates/{}.hbs", template.name),
            )),
            None => Ok((template.builtin.to_string(), template.name.to_string())),
        }
    }
}

fn registry(escape: Escape) -> Handlebars<'static> {
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    match escape {
        Escape::TomlString => registry.register_escape_fn(escape::toml_string),
        Escape::Markdown => registry.register_escape_fn(escape::markdown),
        Escape::Html => registry.register_escape_fn(handlebars::html_escape),
    }
    // `{{cell x}}`: Markdown text fit for one table cell.
    // `{{code x}}`: an inline code span that survives backticks in `x`.
    // `{{when t}}`: a timestamp as people read it.
    for helper in [
        TextHelper {
            name: "cell",
            map: escape::table_cell,
        },
        TextHelper {
            name: "code",
            map: escape::code_span,
        },
        TextHelper {
            name: "code_cell",
            map: escape::code_cell,
        },
        TextHelper {
            name: "when",
            map: when,
        },
    ] {
        registry.register_helper(helper.name, Box::new(helper));
    }
    registry
}

/// A helper that maps its one parameter's text to output text, already
/// escaped for the target format.
struct TextHelper {
    name: &'static str,
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
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s.clone(),
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
