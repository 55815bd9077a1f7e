//! `review`: the postmortems a branch adds or changes since it left its
//! base, rendered for the people reviewing the pull request. Each one gets
//! its lint findings, what changed since the base version (from
//! [`diff::diff`]), who still has to sign off, how long the cool-off has
//! left, and the rendered document.
//!
//! [`render_review`] returns the Markdown and the findings and prints
//! nothing, so the command can print it, append it to the Actions step
//! summary, or post it as a pull request comment. The report can take in
//! who approved the pull request on GitHub
//! ([`ReviewReport::add_github_approvals`]) and shorten itself to fit a
//! comment ([`ReviewReport::comment_body`]).

pub mod diff;

use std::path::{Path, PathBuf};

use git2::{Delta, DiffFindOptions, DiffOptions, Oid, Repository, Tree};
use serde::Serialize;

use crate::clock::Clock;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Level, Report};
use crate::error::{Error, Result};
use crate::github::marker::REVIEW_MARKER;
use crate::github::pull_request::Approvals;
use crate::history;
use crate::lint::{self, schema, workflow};
use crate::model::{self, Postmortem, Status};
use crate::render::{self, show, view, REVIEW};
use crate::source::Source;

use diff::{Change, Entry};

/// What a review needs to know besides the base.
pub struct ReviewContext<'a> {
    pub repo: &'a Repository,
    /// The work tree's top: where `templates/` overrides are read.
    pub root: &'a Path,
    pub config: &'a Config,
    pub clock: &'a Clock,
    /// `owner/name`, for links to safeguard issues.
    pub github_repo: Option<&'a str>,
}

/// What `review` found: the Markdown for reviewers, every lint finding of
/// the changed postmortems, and which files those were.
#[derive(Debug)]
pub struct ReviewReport {
    pub markdown: String,
    pub findings: Vec<Diagnostic>,
    pub files: Vec<ChangedFile>,
    /// The base as named (`main`, `origin/main`) and the commits compared.
    pub base: String,
    pub merge_base: Oid,
    pub head: Oid,
    /// What the Markdown was rendered from, to render it again.
    view: ReviewView,
    root: PathBuf,
}

/// The text of the review's pull request comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentBody {
    pub text: String,
    /// Parts of the review were left out to fit [`COMMENT_LIMIT`].
    pub shortened: bool,
}

/// The most a GitHub comment body may hold: 65,536 characters. Counted
/// here in bytes, which are never fewer than characters however GitHub
/// counts them, so a body within it is never refused.
pub const COMMENT_LIMIT: usize = 65_536;

/// A postmortem file the branch touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    pub change: FileChange,
    /// Path from the repository root, with `/`: at HEAD, or at the merge
    /// base for a removed file.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    Added,
    Modified,
    Renamed { from: String },
    Removed,
}

/// The base to compare against when `--base` is not given: in a GitHub
/// Actions pull request, `origin/$GITHUB_BASE_REF`; else the config's
/// `default_branch`; else what `origin/HEAD` points at; else `main`, else
/// `master` (each also as `origin/<name>`, since CI clones often have no
/// local branches).
pub fn resolve_base(
    repo: &Repository,
    flag: Option<&str>,
    github_base_ref: Option<&str>,
    configured: Option<&str>,
) -> Result<String> {
    if let Some(rev) = flag {
        return Ok(rev.to_string());
    }
    let resolves = |rev: &str| history::resolve_commit(repo, rev).is_ok();
    if let Some(branch) = github_base_ref.map(str::trim).filter(|b| !b.is_empty()) {
        let rev = format!("origin/{branch}");
        if resolves(&rev) {
            return Ok(rev);
        }
        return Err(Error::BadArgument {
            what: "GITHUB_BASE_REF".into(),
            message: format!(
                "the pull request's base `{rev}` is not in this clone; fetch it (actions/checkout with `fetch-depth: 0`) or pass --base"
            ),
        });
    }
    // The rest is the default branch, as `status` resolves it.
    history::resolve_branch(repo, None, configured).map(|branch| branch.name)
}

/// The postmortem files that differ between the two trees, in path order,
/// with renames detected.
pub fn changed_files(
    repo: &Repository,
    dir: &str,
    base: &Tree,
    head: &Tree,
) -> Result<Vec<ChangedFile>> {
    let mut options = DiffOptions::new();
    options.pathspec(dir);
    let mut delta_list = repo.diff_tree_to_tree(Some(base), Some(head), Some(&mut options))?;
    delta_list.find_similar(Some(DiffFindOptions::new().renames(true)))?;
    let is_postmortem = |p: Option<&Path>| {
        p.is_some_and(|p| {
            p.parent() == Some(Path::new(dir)) && p.extension().is_some_and(|e| e == "toml")
        })
    };
    let shown = |p: Option<&Path>| {
        p.map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default()
    };
    let mut files = Vec::new();
    for delta in delta_list.deltas() {
        let (old, new) = (delta.old_file().path(), delta.new_file().path());
        let change = match delta.status() {
            Delta::Added | Delta::Copied if is_postmortem(new) => FileChange::Added,
            Delta::Modified | Delta::Typechange if is_postmortem(new) => FileChange::Modified,
            Delta::Deleted if is_postmortem(old) => FileChange::Removed,
            Delta::Renamed => match (is_postmortem(old), is_postmortem(new)) {
                (true, true) => FileChange::Renamed { from: shown(old) },
                (false, true) => FileChange::Added,
                (true, false) => FileChange::Removed,
                (false, false) => continue,
            },
            _ => continue,
        };
        let path = match change {
            FileChange::Removed => shown(old),
            _ => shown(new),
        };
        files.push(ChangedFile { change, path });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The text of `path` in `tree`, if it is there.
fn read_blob(repo: &Repository, tree: &Tree, path: &str) -> Result<Option<String>> {
    let entry = match tree.get_path(Path::new(path)) {
        Ok(entry) => entry,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let blob = entry.to_object(repo)?.peel_to_blob()?;
    Ok(Some(String::from_utf8_lossy(blob.content()).into_owned()))
}

/// Review the postmortems changed between the merge base of `base` and
/// `HEAD`, and `HEAD`.
pub fn render_review(cx: &ReviewContext, base: &str) -> Result<ReviewReport> {
    let repo = cx.repo;
    let base_oid = history::resolve_commit(repo, base)?;
    let head_oid = history::resolve_commit(repo, "HEAD")?;
    let merge_base = repo
        .merge_base(base_oid, head_oid)
        .map_err(|e| Error::BadRevision {
            rev: base.into(),
            message: format!(
                "no common ancestor with HEAD ({}); in a shallow clone, fetch more history (actions/checkout with `fetch-depth: 0`)",
                e.message()
            ),
        })?;
    let base_tree = repo.find_commit(merge_base)?.tree()?;
    let head_tree = repo.find_commit(head_oid)?.tree()?;
    let files = changed_files(repo, &cx.config.dir, &base_tree, &head_tree)?;

    let mut findings = Vec::new();
    let mut postmortems = Vec::new();
    let mut removed = Vec::new();
    for file in &files {
        let old_path = match &file.change {
            FileChange::Added => None,
            FileChange::Modified => Some(file.path.as_str()),
            FileChange::Renamed { from } => Some(from.as_str()),
            FileChange::Removed => {
                removed.push(file.path.clone());
                continue;
            }
        };
        let Some(text) = read_blob(repo, &head_tree, &file.path)? else {
            continue;
        };
        let old_text = match old_path {
            Some(p) => read_blob(repo, &base_tree, p)?,
            None => None,
        };
        let reviewed = review_file(cx, base, file, text, old_text)?;
        findings.extend(reviewed.1);
        postmortems.push(reviewed.0);
    }

    let report = Report::new(&findings);
    let view = ReviewView {
        base: base.to_string(),
        merge_base: history::short_oid(repo, merge_base),
        head: history::short_oid(repo, head_oid),
        count: postmortems.len() + removed.len(),
        plural: postmortems.len() + removed.len() != 1,
        summary: report.summary(),
        errors: report.errors,
        postmortems,
        removed,
    };
    let markdown = render_view(cx.root, &view)?;
    Ok(ReviewReport {
        markdown,
        findings,
        files,
        base: base.to_string(),
        merge_base,
        head: head_oid,
        view,
        root: cx.root.to_path_buf(),
    })
}

fn render_view(root: &Path, view: &ReviewView) -> Result<String> {
    Ok(show::tidy(&render::render(Some(root), REVIEW, view)?))
}

impl ReviewReport {
    /// Whether some changed postmortem still waits for a reviewer's
    /// sign-off, so approvals on GitHub have something to add.
    pub fn waiting_for_sign_off(&self) -> bool {
        self.view
            .postmortems
            .iter()
            .filter_map(|pm| pm.sign_off.as_ref())
            .any(|s| !s.waiting.is_empty())
    }

    /// Note, in each sign-off section, the reviewers who approved the pull
    /// request on GitHub but are not yet in `approved_by`, and render the
    /// Markdown again.
    pub fn add_github_approvals(&mut self, approvals: &Approvals) -> Result<()> {
        for sign_off in self
            .view
            .postmortems
            .iter_mut()
            .filter_map(|pm| pm.sign_off.as_mut())
        {
            sign_off.approved_on_github = sign_off
                .waiting
                .iter()
                .filter(|r| approvals.approves(r))
                .cloned()
                .collect();
        }
        self.markdown = render_view(&self.root, &self.view)?;
        Ok(())
    }

    /// The body of the sticky pull request comment: the Markdown and the
    /// hidden [`REVIEW_MARKER`], within [`COMMENT_LIMIT`].
    pub fn comment_body(&self) -> Result<CommentBody> {
        let budget = COMMENT_LIMIT - REVIEW_MARKER.len() - 2;
        let markdown = self.markdown_within(budget)?;
        Ok(CommentBody {
            shortened: markdown != self.markdown,
            text: format!("{markdown}\n{REVIEW_MARKER}\n"),
        })
    }

    /// The Markdown in at most `budget` bytes. Rendered documents go first,
    /// the longest first, each replaced by a note saying how to see it;
    /// the summary, changes, sign-off and lint findings stay. Should that
    /// still be too long, the text is cut at a line with a note.
    pub fn markdown_within(&self, budget: usize) -> Result<String> {
        if self.markdown.len() <= budget {
            return Ok(self.markdown.clone());
        }
        let mut view = self.view.clone();
        let mut by_length: Vec<(usize, usize)> = view
            .postmortems
            .iter()
            .enumerate()
            .filter_map(|(i, pm)| pm.document.as_ref().map(|d| (d.len(), i)))
            .collect();
        by_length.sort_by(|a, b| b.cmp(a));
        let mut markdown = self.markdown.clone();
        for (_, i) in by_length {
            view.postmortems[i].document = None;
            view.postmortems[i].document_omitted = true;
            markdown = render_view(&self.root, &view)?;
            if markdown.len() <= budget {
                return Ok(markdown);
            }
        }
        Ok(cut_at_line(&markdown, budget, CUT_NOTE))
    }
}

/// Closes a review that had to be cut to fit in a comment.
const CUT_NOTE: &str = "**This review is cut short here**: it is longer than GitHub allows in a comment. The full review is in the workflow run's summary, or run `git postmortem review`.\n";

/// `markdown` cut after its last whole line that leaves room for `note`
/// within `budget` bytes, then the note after a blank line (so that it
/// starts a paragraph of its own, whatever block was cut).
fn cut_at_line(markdown: &str, budget: usize, note: &str) -> String {
    if markdown.len() <= budget {
        return markdown.to_string();
    }
    let room = budget.saturating_sub(note.len() + 2);
    let mut end = 0;
    for line in markdown.split_inclusive('\n') {
        if end + line.len() > room {
            break;
        }
        end += line.len();
    }
    match markdown[..end].trim_end() {
        "" => note.to_string(),
        kept => format!("{kept}\n\n{note}"),
    }
}

/// One changed postmortem: its view for the template and its findings.
fn review_file(
    cx: &ReviewContext,
    base: &str,
    file: &ChangedFile,
    text: String,
    old_text: Option<String>,
) -> Result<(PostmortemView, Vec<Diagnostic>)> {
    let id = Path::new(&file.path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = Source::new(file.path.clone(), text);
    let findings = lint::lint_file(&id, &source, cx.config, cx.clock, cx.repo);
    let head = schema::parse_checked(&id, &source, cx.config).ok();
    let old = old_text.as_deref().map(model::parse);
    let report = Report::new(&findings);
    let mut view = PostmortemView {
        title: head
            .as_ref()
            .map_or_else(|| id.clone(), |pm| pm.title.clone()),
        id: id.clone(),
        path: file.path.clone(),
        base: base.to_string(),
        is_new: old.is_none(),
        renamed_from: match &file.change {
            FileChange::Renamed { from } => Some(from.clone()),
            _ => None,
        },
        base_unreadable: matches!(old, Some(Err(_))),
        parses: head.is_some(),
        status: head.as_ref().map(|pm| pm.status.as_str()),
        severity: head.as_ref().map(|pm| pm.severity.clone()),
        changes: Vec::new(),
        findings: findings.iter().map(FindingView::new).collect(),
        summary: report.summary(),
        errors: report.errors,
        sign_off: None,
        cool_off: None,
        document: None,
        document_omitted: false,
        show_command: format!("git postmortem show {id}"),
    };
    if let Some(pm) = &head {
        if let Some(Ok(old)) = &old {
            view.changes = diff::diff(old, pm).iter().map(ChangeView::new).collect();
        }
        view.sign_off = Some(SignOffView::new(pm));
        view.cool_off = CoolOffView::new(pm, cx.config, cx.clock);
        let show = show::show_view(cx.repo, cx.github_repo, &id, &file.path, pm);
        let document = show::show_markdown(Some(cx.root), &show)?;
        view.document = Some(show::demote_headings(document.trim_end(), 3));
    }
    Ok((view, findings))
}

/// What `templates/review.md.hbs` sees.
#[derive(Debug, Clone, Serialize)]
struct ReviewView {
    /// The base as named: `main`, `origin/main`.
    base: String,
    merge_base: String,
    head: String,
    /// Changed postmortems, removed ones included.
    count: usize,
    plural: bool,
    /// `1 error, 2 warnings` over every changed postmortem.
    summary: String,
    errors: usize,
    postmortems: Vec<PostmortemView>,
    /// Paths of postmortems the branch deletes.
    removed: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
struct PostmortemView {
    id: String,
    path: String,
    /// The title, or the id when the file does not parse.
    title: String,
    base: String,
    is_new: bool,
    renamed_from: Option<String>,
    /// The base version exists but does not parse: no changes can be listed.
    base_unreadable: bool,
    /// Whether HEAD's version follows the schema (else it is not rendered).
    parses: bool,
    status: Option<&'static str>,
    severity: Option<String>,
    changes: Vec<ChangeView>,
    findings: Vec<FindingView>,
    summary: String,
    errors: usize,
    sign_off: Option<SignOffView>,
    cool_off: Option<CoolOffView>,
    /// The `show` document, headings demoted to sit under this one.
    document: Option<String>,
    /// The document was left out to fit a comment.
    document_omitted: bool,
    /// `git postmortem show <id>`, for the note that replaces it.
    show_command: String,
}

/// One change, flattened for the template: `kind` is `field`,
/// `rewritten`, `added` or `removed`; the other keys are set as they apply.
#[derive(Debug, Clone, Serialize)]
struct ChangeView {
    kind: &'static str,
    /// The action or safeguard a field belongs to: `S2`.
    subject: Option<String>,
    field: Option<&'static str>,
    from: Option<String>,
    to: Option<String>,
    /// What was added or removed: `timeline entry`, `safeguard S3`.
    what: Option<String>,
    /// The time or day of an added or removed entry.
    at: Option<String>,
    text: Option<String>,
}

impl ChangeView {
    fn new(change: &Change) -> Self {
        let blank = ChangeView {
            kind: "field",
            subject: None,
            field: None,
            from: None,
            to: None,
            what: None,
            at: None,
            text: None,
        };
        match change {
            Change::Field {
                item,
                field,
                from,
                to,
            } => ChangeView {
                subject: item.as_ref().map(|i| i.id.clone()),
                field: Some(field),
                from: from.clone(),
                to: to.clone(),
                ..blank
            },
            Change::Rewritten { field } => ChangeView {
                kind: "rewritten",
                field: Some(field),
                ..blank
            },
            Change::Added(entry) | Change::Removed(entry) => {
                let (at, text) = match entry {
                    Entry::Timeline { at, event } => (Some(view::format_time(at)), event.clone()),
                    Entry::Factor { kind, note } => (
                        None,
                        match note {
                            Some(note) => format!("{}: {note}", kind.as_str()),
                            None => kind.as_str().to_string(),
                        },
                    ),
                    Entry::Requirement { from, text } => (None, format!("{from}: {text}")),
                    Entry::Item { title, .. } => (None, title.clone()),
                    Entry::Update { at, note, .. } => (Some(at.to_string()), note.clone()),
                    Entry::Listed { value, .. } => (None, value.clone()),
                };
                ChangeView {
                    kind: if matches!(change, Change::Added(_)) {
                        "added"
                    } else {
                        "removed"
                    },
                    what: Some(entry.what()),
                    at,
                    text: Some(text),
                    ..blank
                }
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
struct FindingView {
    level: &'static str,
    is_error: bool,
    lint: &'static str,
    line: usize,
    column: usize,
    message: String,
}

impl FindingView {
    fn new(d: &Diagnostic) -> Self {
        FindingView {
            level: match d.level {
                Level::Error => "error",
                Level::Warning => "warning",
            },
            is_error: d.is_error(),
            lint: d.lint,
            line: d.line,
            column: d.column,
            message: d.message.clone(),
        }
    }
}

/// Who has yet to approve: `reviewers` minus `approved_by`.
#[derive(Debug, Clone, Serialize)]
struct SignOffView {
    no_reviewers: bool,
    waiting: Vec<String>,
    /// Those of `waiting` who approved the pull request on GitHub.
    approved_on_github: Vec<String>,
    approved: Vec<String>,
    all_approved: bool,
    approved_count: usize,
    reviewers: usize,
}

impl SignOffView {
    fn new(pm: &Postmortem) -> Self {
        let waiting = workflow::missing_sign_off(pm);
        let approved: Vec<String> = pm
            .reviewers
            .iter()
            .filter(|r| pm.approved_by.contains(r))
            .cloned()
            .collect();
        SignOffView {
            no_reviewers: pm.reviewers.is_empty(),
            all_approved: !pm.reviewers.is_empty() && waiting.is_empty(),
            approved_count: approved.len(),
            approved,
            waiting,
            approved_on_github: Vec::new(),
            reviewers: pm.reviewers.len(),
        }
    }
}

/// Where the postmortem stands with the cool-off rule.
#[derive(Debug, Clone, Serialize)]
struct CoolOffView {
    /// The configured period: `24h`.
    period: String,
    /// Time left, as `5h 12m`, when the period has not ended.
    left: Option<String>,
    /// `review`/`final` before the period ended (the `cool-off` lint).
    too_early: bool,
}

impl CoolOffView {
    /// Only for drafts (can they move on yet?) and for postmortems that
    /// moved on too early; nothing to say otherwise.
    fn new(pm: &Postmortem, config: &Config, clock: &Clock) -> Option<Self> {
        let left = workflow::cool_off_left(pm, config, clock).map(workflow::format_left);
        let draft = pm.status == Status::Draft;
        (draft || left.is_some()).then(|| CoolOffView {
            period: workflow::human_duration(config.cool_off),
            too_early: !draft && left.is_some(),
            left,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_keeps_whole_lines_and_ends_with_the_note() {
        let text = "## Review\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n";
        assert_eq!(cut_at_line(text, 100, "NOTE\n"), text);
        let cut = cut_at_line(text, 40, "NOTE\n");
        assert_eq!(cut, "## Review\n\n| a | b |\n|---|---|\n\nNOTE\n");
        assert!(cut.len() <= 40);
        // Nothing fits but the note.
        assert_eq!(cut_at_line(text, 8, "NOTE\n"), "NOTE\n");
    }
}
