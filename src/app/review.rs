//! `review`: the postmortems a branch adds or changes since it left its
//! base, rendered for the people reviewing the pull request. Each one gets
//! its lint findings, what changed since the base version (from
//! [`diff::diff`]), who still has to sign off, how long the cool-off has
//! left, and the rendered document.
//!
//! [`render_review`] returns the Markdown and the findings and prints
//! nothing; [`review`] runs the whole command: it renders, reads approvals
//! from GitHub, hands the report to the command to print, then keeps it as
//! the pull request's sticky comment. The report can take in who approved
//! the pull request on GitHub ([`ReviewReport::add_github_approvals`]) and
//! shorten itself to fit a comment ([`ReviewReport::comment_body`]).

use std::path::Path;

use serde::Serialize;

use crate::clock::Clock;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Level, Report};
use crate::error::{Error, Result};
use crate::github::api::{ApiError, GitHubApi};
use crate::github::comments::{edit_sticky, upsert_sticky, Upserted};
use crate::github::marker::REVIEW_MARKER;
use crate::github::pull_request::{self, Approvals};
use crate::history::{ChangedFile, FileChange, Repo};
use crate::lint::{self, workflow};
use crate::model::{self, Postmortem, Status};
use crate::output::{self, Output};
use crate::render::{show, view, Markup, Renderer, REVIEW};
use crate::review::diff::{self, Change, Entry};
use crate::review::{cut_at_line, COMMENT_LIMIT, CUT_NOTE};
use crate::schema;
use crate::source::Source;

use super::github::{GitHubHints, Session};
use super::{Ctx, Outcome};

/// What a review needs to know besides the base.
struct ReviewContext<'a> {
    repo: &'a Repo,
    templates: &'a Renderer,
    config: &'a Config,
    clock: &'a Clock,
    /// `owner/name`, for links to safeguard issues.
    github_repo: Option<&'a str>,
}

/// What `review` found: the Markdown for reviewers, every lint finding of
/// the changed postmortems, and which files those were.
#[derive(Debug)]
pub(crate) struct ReviewReport {
    pub(crate) markdown: String,
    pub(crate) findings: Vec<Diagnostic>,
    pub(crate) files: Vec<ChangedFile>,
    /// The work tree has changes to postmortems that HEAD lacks.
    pub(crate) uncommitted: bool,
    /// What the Markdown was rendered from, to render it again.
    view: ReviewView,
}

/// The text of the review's pull request comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CommentBody {
    pub(crate) text: String,
    /// Parts of the review were left out to fit [`COMMENT_LIMIT`].
    pub(crate) shortened: bool,
}

/// The base to compare against when `--base` is not given: in a GitHub
/// Actions pull request, `origin/$GITHUB_BASE_REF`; else the config's
/// `default_branch`; else what `origin/HEAD` points at; else `main`, else
/// `master` (each also as `origin/<name>`, since CI clones often have no
/// local branches). `check --format github` orders its annotations by it.
pub(crate) fn resolve_base(
    repo: &Repo,
    flag: Option<&str>,
    github_base_ref: Option<&str>,
    configured: Option<&str>,
) -> Result<String> {
    if let Some(rev) = flag {
        return Ok(rev.to_string());
    }
    let resolves = |rev: &str| repo.resolve_commit(rev).is_ok();
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
    repo.resolve_branch(None, configured)
        .map(|branch| branch.name)
}

/// Review the postmortems changed between the merge base of `base` and
/// `HEAD`, and `HEAD`.
fn render_review(cx: &ReviewContext, base: &str) -> Result<ReviewReport> {
    let repo = cx.repo;
    let base_oid = repo.resolve_commit(base)?;
    let head_oid = repo.resolve_commit("HEAD")?;
    let merge_base = repo
        .merge_base(&base_oid, &head_oid)
        .map_err(|message| Error::BadRevision {
            rev: base.into(),
            message: format!(
                "no common ancestor with HEAD ({message}); in a shallow clone, fetch more history (actions/checkout with `fetch-depth: 0`)"
            ),
        })?;
    let files = repo.changed_files(&cx.config.dir, &merge_base, &head_oid)?;

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
        let Some(bytes) = repo.read_file_at(&head_oid, &file.path)? else {
            continue;
        };
        let old_bytes = match old_path {
            Some(p) => repo.read_file_at(&merge_base, p)?,
            None => None,
        };
        let reviewed = review_file(cx, base, file, bytes, old_bytes)?;
        findings.extend(reviewed.1);
        postmortems.push(reviewed.0);
    }

    let report = Report::new(&findings);
    let view = ReviewView {
        base: base.to_string(),
        merge_base: repo.short_oid(&merge_base),
        head: repo.short_oid(&head_oid),
        count: postmortems.len() + removed.len(),
        plural: postmortems.len() + removed.len() != 1,
        summary: report.summary(),
        errors: report.errors,
        postmortems,
        removed,
    };
    let markdown = render_view(cx.templates, &view)?;
    Ok(ReviewReport {
        markdown,
        findings,
        files,
        uncommitted: repo.has_uncommitted_changes(&cx.config.dir),
        view,
    })
}

fn render_view(templates: &Renderer, view: &ReviewView) -> Result<String> {
    Ok(show::tidy(&templates.render(REVIEW, view)?))
}

impl ReviewReport {
    /// Whether some changed postmortem still waits for a reviewer's
    /// sign-off, so approvals on GitHub have something to add.
    pub(crate) fn waiting_for_sign_off(&self) -> bool {
        self.view
            .postmortems
            .iter()
            .filter_map(|pm| pm.sign_off.as_ref())
            .any(|s| !s.waiting.is_empty())
    }

    /// Note, in each sign-off section, the reviewers who approved the pull
    /// request on GitHub but are not yet in `approved_by`, and render the
    /// Markdown again.
    fn add_github_approvals(&mut self, templates: &Renderer, approvals: &Approvals) -> Result<()> {
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
        self.markdown = render_view(templates, &self.view)?;
        Ok(())
    }

    /// The body of the sticky pull request comment: the Markdown and the
    /// hidden [`REVIEW_MARKER`], within [`COMMENT_LIMIT`].
    fn comment_body(&self, templates: &Renderer) -> Result<CommentBody> {
        let budget = COMMENT_LIMIT - REVIEW_MARKER.len() - 2;
        let markdown = self.markdown_within(templates, budget)?;
        Ok(CommentBody {
            shortened: markdown != self.markdown,
            text: format!("{markdown}\n{REVIEW_MARKER}\n"),
        })
    }

    /// The Markdown in at most `budget` bytes. Rendered documents go first,
    /// the longest first, each replaced by a note saying how to see it;
    /// the summary, changes, sign-off and lint findings stay. Should that
    /// still be too long, the text is cut at a line with a note.
    fn markdown_within(&self, templates: &Renderer, budget: usize) -> Result<String> {
        if self.markdown.len() <= budget {
            return Ok(self.markdown.clone());
        }
        let mut view = self.view.clone();
        let mut by_length: Vec<(usize, usize)> = view
            .postmortems
            .iter()
            .enumerate()
            .filter_map(|(i, pm)| pm.document.as_ref().map(|d| (d.0.len(), i)))
            .collect();
        by_length.sort_by(|a, b| b.cmp(a));
        let mut markdown = self.markdown.clone();
        for (_, i) in by_length {
            view.postmortems[i].document = None;
            view.postmortems[i].document_omitted = true;
            markdown = render_view(templates, &view)?;
            if markdown.len() <= budget {
                return Ok(markdown);
            }
        }
        Ok(cut_at_line(&markdown, budget, CUT_NOTE))
    }
}

/// One changed postmortem: its view for the template and its findings.
fn review_file(
    cx: &ReviewContext,
    base: &str,
    file: &ChangedFile,
    bytes: Vec<u8>,
    old_bytes: Option<Vec<u8>>,
) -> Result<(PostmortemView, Vec<Diagnostic>)> {
    let id = Path::new(&file.path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = Source::from_bytes(file.path.clone(), bytes);
    let linted = lint::lint_file_counted(&id, &source, cx.config, cx.clock, cx.repo);
    let findings = linted.diagnostics;
    let head = schema::parse_checked(&id, &source, &cx.config.severities).ok();
    // The base version: `None` when new, `Some(None)` when unreadable.
    let old = old_bytes.map(|bytes| {
        std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| model::parse(text).ok())
    });
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
        base_unreadable: matches!(old, Some(None)),
        parses: head.is_some(),
        status: head.as_ref().map(|pm| pm.status.as_str()),
        severity: head.as_ref().map(|pm| pm.severity.clone()),
        changes: Vec::new(),
        findings: findings.iter().map(FindingView::new).collect(),
        // What `[lints]` or `lint_allow` silenced is said, never lost.
        summary: match crate::diagnostic::suppressed_summary(&linted.suppressed) {
            Some(suppressed) => format!("{}, {suppressed}", report.summary()),
            None => report.summary(),
        },
        errors: report.errors,
        sign_off: None,
        cool_off: None,
        document: None,
        document_omitted: false,
        show_command: format!("git postmortem show {id}"),
    };
    if let Some(pm) = &head {
        if let Some(Some(old)) = &old {
            view.changes = diff::diff(old, pm).iter().map(ChangeView::new).collect();
        }
        view.sign_off = Some(SignOffView::new(pm));
        view.cool_off = CoolOffView::new(pm, cx.config, cx.clock);
        let show = super::show::show_view(cx.repo, cx.github_repo, &id, &file.path, pm);
        let document = show::show_markdown(cx.templates, &show)?;
        view.document = Some(Markup(show::demote_headings(document.trim_end(), 3)));
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
    document: Option<Markup>,
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
            lint: d.lint.as_str(),
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
            period: workflow::human_duration(config.policy_for(&pm.severity).cool_off),
            too_early: !draft && left.is_some(),
            left,
        })
    }
}

const REVIEW_HINTS: GitHubHints = GitHubHints {
    permission: "`pull-requests: write`",
    refused: "the token may not comment on the pull request: it needs `pull-requests: write` (in a workflow's `permissions:`); a pull request from a fork only gets a read-only token",
    not_found: "check the pull request number (--pr or GITHUB_EVENT_PATH), the repository ([github] repo, GITHUB_REPOSITORY or origin), and that the token can see it",
    again: "run `git postmortem review` again: it finds its comment by a hidden marker and edits it, so nothing is duplicated",
};

/// The options of a `review` run.
pub(crate) struct ReviewOptions<'a> {
    pub(crate) base: Option<&'a str>,
    /// The pull request to comment on; else the one of the Actions event.
    pub(crate) pr: Option<u64>,
}

/// Review the branch: render the changed postmortems, read approvals on
/// GitHub, let `print` show the report, then keep it as the pull request's
/// sticky comment. A GitHub failure is returned after the report was
/// printed, so the review is never lost.
pub(crate) fn review(
    ctx: &Ctx,
    options: &ReviewOptions<'_>,
    print: &mut dyn FnMut(&Output, &str, &ReviewReport) -> Result<()>,
) -> Result<Outcome> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let base = resolve_base(
        ctx.repo(),
        options.base,
        env("GITHUB_BASE_REF").as_deref(),
        ctx.config.default_branch.as_deref(),
    )?;

    // GitHub comes after the review is printed: an error there is kept
    // until then, so the review is never lost.
    let mut failed: Option<Error> = None;
    let pull = options.pr.or_else(pull_request_from_event);
    let github = match pull {
        None => None,
        Some(number) => match Session::open(ctx, "review", &REVIEW_HINTS) {
            Ok(session) => Some((session, number)),
            Err(Error::MissingToken { .. }) => {
                output::note(format_args!(
                    "the review was not posted on #{number}: neither GITHUB_TOKEN nor GH_TOKEN is set"
                ));
                None
            }
            Err(e) => {
                failed = Some(e);
                None
            }
        },
    };

    // The pull request's own templates are its author's code: the base's
    // are used, never HEAD's.
    let base_commit = ctx.repo().resolve_commit(&base)?;
    let templates = super::templates_at(ctx.repo(), &base, &base_commit, &ctx.config.severities)?;
    let cx = ReviewContext {
        repo: ctx.repo(),
        templates: &templates,
        config: &ctx.config,
        clock: ctx.clock(),
        github_repo: ctx.config.github.repo.as_deref(),
    };
    let mut report = render_review(&cx, &base)?;
    if let Some((session, number)) = &github {
        if report.waiting_for_sign_off() {
            match session.block_on(session.client.list_reviews(*number)) {
                Ok(reviews) => {
                    report.add_github_approvals(&templates, &Approvals::from_reviews(&reviews))?
                }
                // Readable only with `pull-requests: read`; the comment
                // may still be allowed.
                Err(ApiError::Http { status: 403, .. }) => output::note(format_args!(
                    "the reviews of #{number} are not readable with this token, so approvals on GitHub are not reported"
                )),
                Err(e) => failed = Some(session.error(e)),
            }
        }
    }

    print(&ctx.out, &base, &report)?;

    if let (Some((session, number)), None) = (&github, &failed) {
        if let Err(e) = session.block_on(comment(session, &templates, *number, &report)) {
            failed = Some(e);
        }
    }
    match failed {
        Some(error) => {
            ctx.out.flush()?;
            Err(error)
        }
        None => Ok(super::lint::outcome_of(&report.findings)),
    }
}

/// Keep the review as the one sticky comment on pull request `number`,
/// and say on stderr what was done. When the branch changes no
/// postmortem, an existing comment is edited to say so, and none is
/// posted.
async fn comment(
    session: &Session,
    templates: &Renderer,
    number: u64,
    report: &ReviewReport,
) -> Result<()> {
    let client = &session.client;
    let body = report.comment_body(templates)?;
    if body.shortened {
        output::note(format_args!(
            "the review is longer than the {COMMENT_LIMIT} characters GitHub allows in a comment, so the comment on #{number} leaves some of it out"
        ));
    }
    let done = if report.files.is_empty() {
        edit_sticky(client, number, REVIEW_MARKER, &body.text)
            .await
            .map_err(|e| session.error(e))?
    } else {
        Some(
            upsert_sticky(client, number, REVIEW_MARKER, &body.text)
                .await
                .map_err(|e| session.error(e))?,
        )
    };
    match done {
        Some(Upserted::Created(_)) => {
            output::say(format_args!("posted review comment on #{number}"))
        }
        Some(Upserted::Updated(_)) => {
            output::say(format_args!("updated review comment on #{number}"))
        }
        Some(Upserted::Unchanged(_)) => {
            output::say(format_args!("review comment on #{number} unchanged"))
        }
        None => output::say(format_args!(
            "no postmortem changed, so no review comment was posted on #{number}"
        )),
    }
    Ok(())
}

/// The pull request of the GitHub Actions event in `GITHUB_EVENT_PATH`,
/// if the run is for one. An unreadable event file is reported and
/// treated as no pull request.
fn pull_request_from_event() -> Option<u64> {
    let path = std::env::var_os("GITHUB_EVENT_PATH").filter(|p| !p.is_empty())?;
    let path = std::path::Path::new(&path);
    let event = std::fs::read_to_string(path)
        .map_err(|e| e.to_string())
        .and_then(|text| {
            serde_json::from_str::<serde_json::Value>(&text).map_err(|e| e.to_string())
        });
    match event {
        Ok(event) => {
            let name = std::env::var("GITHUB_EVENT_NAME").ok();
            pull_request::number_from_event(&event, name.as_deref())
        }
        Err(e) => {
            output::warn(format_args!(
                "GITHUB_EVENT_PATH: cannot read {}: {e}; not commenting on a pull request",
                path.display()
            ));
            None
        }
    }
}
