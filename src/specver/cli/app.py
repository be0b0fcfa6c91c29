"""The command line: typer commands that parse options, call the API and pick a renderer.

No logic lives here, and every command and option goes through this one typer app (only
`specver --version` alone is answered before it loads, in `__main__`). The API and the
renderers are imported inside the commands that use them, so start-up stays low. Output,
colour and the stderr console are in `cli.io`. Exit statuses are decided in one place,
`run`: 0 no differences or clean, 1 differences or findings, 2 usage or input errors (as
diff(1) does), each error one line on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, MutableMapping
from copy import copy
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from typer._click import Command
from typer.core import TyperGroup
from typer.models import CommandInfo

from specver import __version__
from specver.cli.io import (
    emit,
    error_line,
    input_paths,
    note,
    note_config,
    quiet_stdout,
    render_options,
    stderr_console,
)
from specver.cli.merging import fork_command, merge_command
from specver.cli.options import (
    ColorOption,
    ConfigOption,
    FailOnOption,
    NewLabelOption,
    OldLabelOption,
    OutputOption,
    RepoOption,
    SpecArg,
    choice_option,
    config_for,
    format_option,
    repo_config,
)
from specver.errors import SpecverError, UsageError
from specver.render import (
    AUDITED_IMPACT_RENDERERS,
    CHANGELOG_RENDERERS,
    CHECK_RENDERERS,
    DIFF_RENDERERS,
    DIFF_STAT_RENDERERS,
    HISTORY_RENDERERS,
    IMPACT_RENDERERS,
    LOG_RENDERERS,
    SHOW_RENDERERS,
    render,
)

if TYPE_CHECKING:
    from specver.api import Spec, Timeline, Window
    from specver.config import Config


class OnDemandGroup(TyperGroup):
    """specver's click group: lists its commands by name without building them (see
    `CommandsOnDemand`)."""

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        """The commands' names in the order they were registered."""
        return list(self.commands)


app = typer.Typer(
    cls=OnDemandGroup,
    name="specver",
    help="Semantic diffs, changelogs, version bumps and fork reports for AI behaviour specs.",
    add_completion=True,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main_options(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", "-V", help="Print specver's version and exit.")
    ] = False,
) -> None:
    """Semantic diffs, changelogs, version bumps and fork reports for AI behaviour specs."""
    if version:  # `specver --version` alone is answered before typer loads (__main__.py)
        emit(f"specver {__version__}\n")
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:  # bare `specver`: the help, as `specver --help`
        emit(ctx.get_help() + "\n")
        raise typer.Exit(0)


def load_spec(arg: str, repo: Path | None) -> Spec:
    """Load one SPEC argument (file or REV:PATH)."""
    from specver.api import load

    return load(arg, repo=repo)


def finish(code: int) -> NoReturn:
    """End a command with the exit status its outcome decides (0 or 1)."""
    raise typer.Exit(code)


@app.command()
def show(
    spec: SpecArg,
    fmt: Annotated[str, format_option(SHOW_RENDERERS)] = "text",
    repo: RepoOption = None,
    output: OutputOption = None,
    color: ColorOption = "auto",
) -> None:
    """Show a spec's outline with authority levels, examples and eval files."""
    parsed = load_spec(spec, repo)
    emit(
        render(SHOW_RENDERERS, fmt, parsed, render_options(output, color=color)),
        output,
        input_paths(spec),
    )


@app.command()
def check(
    spec: SpecArg,
    fmt: Annotated[str, format_option(CHECK_RENDERERS)] = "text",
    repo: RepoOption = None,
    config: ConfigOption = None,
    color: ColorOption = "auto",
) -> None:
    """Lint a spec: duplicate ids, unknown levels, broken references, missing eval files."""
    from specver.api import CheckReport
    from specver.api import check as check_spec

    parsed = load_spec(spec, repo)
    report = CheckReport(parsed, check_spec(parsed, config_for(config)))
    emit(render(CHECK_RENDERERS, fmt, report, render_options(color=color)))
    finish(1 if report.errors else 0)


@app.command()
def diff(
    old: SpecArg,
    new: SpecArg,
    fmt: Annotated[str, format_option(DIFF_RENDERERS)] = "text",
    output: OutputOption = None,
    fail_on: FailOnOption = None,
    accept: Annotated[
        Path | None,
        typer.Option(
            "--accept",
            help="Accepted changes (YAML list under `accept:`), instead of the config's.",
        ),
    ] = None,
    write_accept: Annotated[
        Path | None,
        typer.Option(
            "--write-accept", help="Write the changes as accept entries to fill in with reasons."
        ),
    ] = None,
    stat: Annotated[
        bool, typer.Option("--stat", help="One line per changed policy, like git diff --stat.")
    ] = False,
    color: ColorOption = "auto",
    repo: RepoOption = None,
    config: ConfigOption = None,
    old_label: OldLabelOption = None,
    new_label: NewLabelOption = None,
) -> None:
    """Compare two versions of a spec: policies, authority, rule strength, examples."""
    from specver.api import IMPACT_DIFF_FORMATS, require_resolved
    from specver.api import diff as diff_specs
    from specver.cli.review import (
        accepted_diff,
        append_step_summary,
        diff_exit_status,
        write_accept_file,
    )

    cfg = config_for(config)
    before, after = (require_resolved(load_spec(arg, repo)) for arg in (old, new))
    compared = diff_specs(before, after, cfg)
    note_config(cfg)  # after the diff, which refuses an override naming no change kind
    result = accepted_diff(compared, cfg, accept, lenient=write_accept is not None)
    options = replace(render_options(output, color=color), scheme=cfg.scheme, fail_on=fail_on)
    if stat:
        text = render(DIFF_STAT_RENDERERS, fmt, result, options)
    elif fmt in IMPACT_DIFF_FORMATS:  # the impact assessors are imported only for these
        from specver.api import diff_view
        from specver.cli.reports import report_labels

        labels = report_labels(before, after, repo, (old_label, new_label))
        text = render(DIFF_RENDERERS, fmt, diff_view(result, fmt, cfg, labels), options)
    else:
        text = render(DIFF_RENDERERS, fmt, result, options)
    if write_accept is not None:
        write_accept_file(write_accept, result, cfg, accept)
    emit(text, output, input_paths(old, new, cfg.path))
    if fmt == "github" and not stat:
        append_step_summary(result, options)
    finish(diff_exit_status(result, fail_on))


# --- release commands (bump, changelog, release) -----------------------------------------


SchemeOption = Annotated[
    str | None,
    choice_option(
        "--scheme",
        choices=("semver", "calver"),
        help="semver (v1.4.0) or calver (v2025.09.12); default: inferred.",
    ),
]
DateOption = Annotated[
    str | None, typer.Option("--date", help="Release date as YYYY-MM-DD (default: today).")
]
SourceDateOption = Annotated[
    str | None,
    typer.Option(
        "--date", help="Release date as YYYY-MM-DD (default: NEW's tag date, else today)."
    ),
]
AllOption = Annotated[
    bool, typer.Option("--all", help="List copy edits one by one instead of counting them.")
]
SummaryOption = Annotated[
    Path | None,
    typer.Option(
        "--summary",
        help="A hand-written summary put above the generated bullets (default: the "
        "fragments in `changelog: summary:` of .specver.yaml).",
    ),
]


@app.command()
def bump(
    old: SpecArg,
    new: SpecArg,
    current: Annotated[
        str | None,
        typer.Option(
            "--current",
            help="The current version (default: OLD's version tag, else `version:` in config).",
        ),
    ] = None,
    scheme: SchemeOption = None,
    day: SourceDateOption = None,
    repo: RepoOption = None,
    config: ConfigOption = None,
) -> None:
    """Print the next version; on stderr, the changes that decided it (exit 1: no changes)."""
    from specver.api import bump as decide
    from specver.api import parse_date, source_version, tag_date
    from specver.render.fmt_changelog import bump_explanation

    release_day = parse_date(day) if day is not None else tag_date(new, repo=repo)
    old_spec = load_spec(old, repo)
    decision = decide(
        old_spec,
        load_spec(new, repo),
        current,
        scheme=scheme,
        day=release_day,
        config=config_for(config),
    )
    emit(decision.version + "\n")
    if current is None and decision.current == source_version(old_spec):
        note(f"current version {decision.current}, read from {old}")
    note(bump_explanation(decision.level, decision.deciding, decision.counts))
    if decision.scheme == "calver":
        note(f"calver: the changes amount to a {decision.level} bump in semver terms")
    finish(0)


@app.command()
def changelog(
    old: SpecArg,
    new: SpecArg,
    version: Annotated[
        str | None, typer.Option("--version", help="The version the entry describes.")
    ] = None,
    day: SourceDateOption = None,
    fmt: Annotated[str, format_option(CHANGELOG_RENDERERS)] = "markdown",
    write: Annotated[
        Path | None,
        typer.Option("--write", help="Insert the entry into this CHANGELOG.md (atomically)."),
    ] = None,
    show_all: AllOption = False,
    summary: SummaryOption = None,
    repo: RepoOption = None,
    config: ConfigOption = None,
) -> None:
    """Write a changelog entry for the changes between two versions (exit 1: no changes)."""
    from specver.api import changelog_entry, parse_date, read_summary, tag_date, write_entry

    if write is not None and fmt != "markdown":
        raise UsageError(f"--write writes Markdown; drop --format {fmt} or --write")
    release_day = parse_date(day) if day is not None else tag_date(new, repo=repo)
    cfg = config_for(config)
    notes = read_summary(summary, cfg.summary_folder)
    result = changelog_entry(
        load_spec(old, repo),
        load_spec(new, repo),
        version=version,
        day=release_day,
        config=cfg,
        show_all=show_all,
        notes=notes.text if notes else None,
    )
    for warning in result.warnings:
        note(f"warning: {warning}")
    if write is None:
        emit(render(CHANGELOG_RENDERERS, fmt, result.entry, render_options()))
        finish(0)
    done = write_entry(write, result.entry, inputs=input_paths(old, new, config, summary))
    how = "created" if done.created else "replaced its entry in" if done.replaced else "updated"
    note(f"{result.entry.version}: {how} {write}")
    finish(0)


@app.command()
def release(
    repo: Annotated[
        Path | None, typer.Option("--repo", help="The git repository (default: the current one).")
    ] = None,
    path: Annotated[
        str | None,
        typer.Option(
            "--path", help="The spec in the repository (default: `spec:` or model_spec.md)."
        ),
    ] = None,
    scheme: SchemeOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would happen; change nothing.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    day: DateOption = None,
    version: Annotated[
        str | None, typer.Option("--version", help="Release this version instead of the next.")
    ] = None,
    show_all: AllOption = False,
    summary: SummaryOption = None,
    config: ConfigOption = None,
    detached: Annotated[
        bool, typer.Option("--detached", help="Release even though HEAD is on no branch.")
    ] = False,
) -> None:
    """Changelog entry, commit and annotated tag for the spec's changes since the last tag."""
    from specver.api import ReleaseRequest, apply_release, describe_plan, parse_date, plan_release

    request = ReleaseRequest(
        repo=repo,
        path=path,
        scheme=scheme,
        day=parse_date(day),
        version=version,
        show_all=show_all,
        detached=detached,
        summary=summary,
    )
    plan = plan_release(request, config_for(config) if config else None)
    if plan.deciding:
        from specver.render.fmt_changelog import bump_explanation

        note(bump_explanation(plan.level, plan.deciding, plan.counts))
    if dry_run:
        emit(describe_plan(plan))
        finish(0)
    if not yes:
        confirm_release(describe_plan(plan), plan.version)
    outcome = apply_release(plan)
    note(f"wrote {plan.changelog_path}; committed {outcome.commit[:12]}; tagged {outcome.tag}")
    emit(outcome.tag + "\n")
    finish(0)


def confirm_release(plan_text: str, version: str) -> None:
    """Ask on the terminal before releasing; refuse when no one can answer."""
    from specver.errors import ReleaseRefused

    if not sys.stdin.isatty():
        raise ReleaseRefused("stdin is not a terminal; pass --yes to release without confirmation")
    note(plan_text)
    if not typer.confirm(f"Release {version}?", default=False, err=True):
        raise ReleaseRefused("release cancelled; nothing was changed")


# --- impact and reports ------------------------------------------------------------------


AUDIENCES = ("all", "developers", "users", "regulators")
"""Readers `specver impact --audience` can address."""


@app.command()
def impact(
    old: Annotated[
        str, typer.Argument(help="A spec file or REV:PATH; or a range FROM..TO of revisions.")
    ],
    new: Annotated[
        str | None,
        typer.Argument(help="A spec file or REV:PATH (omit for a range FROM..TO)."),
    ] = None,
    audience: Annotated[
        str,
        choice_option(
            "--audience",
            "-a",
            choices=AUDIENCES,
            help="Whose view: all, developers, users or regulators.",
        ),
    ] = "all",
    fmt: Annotated[str, format_option(IMPACT_RENDERERS)] = "text",
    output: OutputOption = None,
    repo: RepoOption = None,
    path: Annotated[
        str | None,
        typer.Option(
            "--path", help="For FROM..TO: the spec's path (default: `spec:` or model_spec.md)."
        ),
    ] = None,
    old_label: OldLabelOption = None,
    new_label: NewLabelOption = None,
    config: ConfigOption = None,
    color: ColorOption = "auto",
    notes: Annotated[
        str | None,
        typer.Option("--notes", help="Release notes (file or REV:PATH): adds the audit."),
    ] = None,
) -> None:
    """What a change does to developers, users and regulators; --format html for a report.

    With one range FROM..TO instead of OLD and NEW: every release tag between the two
    revisions, each release against the one before, and each policy's cumulative verdict.
    """
    from specver.api import IMPACT_DIFF_FORMATS
    from specver.api import diff as diff_specs
    from specver.api import impact as assess
    from specver.cli.reports import report_labels, run_range

    if new is None:
        if old_label or new_label:
            raise UsageError("--old-label/--new-label name OLD and NEW; a range names its tags")
        if notes is not None:
            raise UsageError("--notes audits one release: give OLD and NEW, not a range")
        cfg = repo_config(config, repo)
        finish(
            run_range(
                old,
                repo=repo,
                path=path,
                audience=audience,
                fmt=fmt,
                output=output,
                config=cfg,
                color=color,
            )
        )
    if path is not None:
        raise UsageError("--path belongs to a range FROM..TO; give OLD and NEW as REV:PATH")
    cfg = config_for(config)
    before, after = load_spec(old, repo), load_spec(new, repo)
    result = assess(diff_specs(before, after, cfg), cfg, audience)
    options = replace(render_options(output, color=color), scheme=cfg.scheme)
    inputs = input_paths(old, new, cfg.path, notes)
    view: object = result
    if fmt in IMPACT_DIFF_FORMATS:  # the HTML page: a view model, with the audit's section
        from specver.api import impact_view

        labels = report_labels(before, after, repo, (old_label, new_label))
        extra = ("audit",) if notes is not None else ()
        view = impact_view(result, fmt, cfg.scheme, labels, extra)
    if notes is not None:  # the audit of the release notes, as a section of the report
        from specver.cli.audit import audited_impact

        audited = audited_impact(result, notes, cfg, view, repo)
        emit(render(AUDITED_IMPACT_RENDERERS, fmt, audited, options), output, inputs)
    else:
        emit(render(IMPACT_RENDERERS, fmt, view, options), output, inputs)
    finish(1 if result.diff.changes else 0)


# --- git history and forks (history, log, fork, merge) -----------------------------------

PathOption = Annotated[
    str | None,
    typer.Option(
        "--path",
        help="The spec's path in the repository (default: .specver.yaml "
        "`spec:`, else model_spec.md).",
    ),
]
TagsOption = Annotated[
    bool, typer.Option("--tags", help="Walk only tagged releases, not every commit.")
]
RevOption = Annotated[
    str, typer.Option("--rev", help="Walk back from this revision (first parents only).")
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Neither read nor write the history cache.")
]
SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="Start from the spec as it stood at this revision or date (YYYY-MM-DD, UTC).",
    ),
]
UntilOption = Annotated[
    str | None,
    typer.Option(
        "--until", help="End with the spec as it stood at this revision or date (YYYY-MM-DD)."
    ),
]
MaxCountOption = Annotated[
    int | None,
    typer.Option("--max-count", "-n", min=1, help="Walk only the newest N revisions."),
]


def _timeline(
    repo: Path | None,
    path: str | None,
    rev: str,
    tags: bool,
    config: Config,
    use_cache: bool,
    window: Window,
) -> Timeline:
    """Walk the spec's history through the API, with a progress bar when stderr is a terminal."""
    from specver.api import timeline
    from specver.config import DEFAULT_SPEC_PATH

    walk = partial(
        timeline,
        repo,
        path,
        rev=rev,
        tags_only=tags,
        config=config,
        use_cache=use_cache,
        window=window,
    )
    if not sys.stderr.isatty():
        return walk()
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("revisions"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=stderr_console(), transient=True) as bar:
        task = bar.add_task(f"reading {path or config.spec_path or DEFAULT_SPEC_PATH}", total=None)

        def step(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return walk(progress=step)


@app.command()
def history(
    policy_id: Annotated[str, typer.Argument(help="The policy's id (current or former).")],
    repo: RepoOption = None,
    path: PathOption = None,
    tags: TagsOption = False,
    rev: RevOption = "HEAD",
    fmt: Annotated[str, format_option(HISTORY_RENDERERS)] = "text",
    config: ConfigOption = None,
    no_cache: NoCacheOption = False,
    since: SinceOption = None,
    until: UntilOption = None,
    max_count: MaxCountOption = None,
    color: ColorOption = "auto",
) -> None:
    """The life of one policy across the commits (or tagged releases) that touched the spec."""
    from specver.api import Window
    from specver.api import history as policy_history

    window = Window(since, until, max_count)
    walked = _timeline(repo, path, rev, tags, repo_config(config, repo), not no_cache, window)
    result = policy_history(policy_id, walked)
    emit(render(HISTORY_RENDERERS, fmt, result, render_options(color=color)))


@app.command("log")
def log_command(
    repo: RepoOption = None,
    path: PathOption = None,
    tags: TagsOption = False,
    rev: RevOption = "HEAD",
    fmt: Annotated[str, format_option(LOG_RENDERERS)] = "text",
    config: ConfigOption = None,
    no_cache: NoCacheOption = False,
    since: SinceOption = None,
    until: UntilOption = None,
    max_count: MaxCountOption = None,
    color: ColorOption = "auto",
) -> None:
    """One row per release (or commit): version, date, change counts, bump and subject."""
    from specver.api import Window, release_log

    window = Window(since, until, max_count)
    walked = _timeline(repo, path, rev, tags, repo_config(config, repo), not no_cache, window)
    emit(render(LOG_RENDERERS, fmt, release_log(walked), render_options(color=color)))


app.command("fork")(fork_command)
app.command("merge")(merge_command)


def run(argv: list[str]) -> int:
    """Run the CLI on `argv` and return its exit status: the one place outcomes become one.

    A command's own status (0 or 1) arrives as typer's `Exit`; a `SpecverError` becomes one
    line on stderr and its `exit_code`; a usage mistake typer finds, one line and 2.
    """
    command = command_line()
    try:
        status = command.main(args=argv, prog_name="specver", standalone_mode=False)
    except SpecverError as exc:
        error_line(exc.label, exc.message)
        return exc.exit_code
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.TyperException as exc:
        error_line("error", exc.format_message())
        return 2
    except (typer.Abort, KeyboardInterrupt):
        note("specver: interrupted")
        return 130
    except BrokenPipeError:  # the reader left early (`| head`): not an error
        quiet_stdout()
        return 0
    except SystemExit as exc:  # shell completion ends the process this way
        return exc.code if isinstance(exc.code, int) else 0
    return status if isinstance(status, int) else 0


class CommandsOnDemand(MutableMapping[str, Command]):
    """The app's commands by name, each turned into its click command (typer reads its
    signature, evaluates its annotations and builds its options) the first time it is asked
    for: a run pays for the command it runs, not for all of them. Help and completion list
    and build them all, through the same typer calls as `typer.main.get_command`."""

    def __init__(self, infos: Iterable[CommandInfo]) -> None:
        self._infos: dict[str, CommandInfo | None] = {}
        for info in infos:
            name = info.name or typer.main.get_command_name(info.callback.__name__)  # type: ignore[union-attr]
            self._infos[name] = info
        self._built: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            info = self._infos[name]  # KeyError for a name no command has
            assert info is not None
            self._built[name] = typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._infos.setdefault(name, None)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._infos[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._infos)

    def __len__(self) -> int:
        return len(self._infos)


def command_line() -> OnDemandGroup:
    """The app as the click group that runs it, its commands built on demand
    (`CommandsOnDemand`); its own options and callback are built as typer builds them."""
    bare = copy(app)
    bare.registered_commands = []
    group = typer.main.get_command(bare)
    assert isinstance(group, OnDemandGroup)
    group.commands = CommandsOnDemand(app.registered_commands)
    return group


__all__ = ["UsageError", "__version__", "app", "command_line", "run"]


# --- commands in their own modules (appended, so parallel changes merge cleanly) ---------
from specver.cli.forks import forks_command  # noqa: E402

app.command("forks")(forks_command)

from specver.cli.audit import audit_command  # noqa: E402

app.command("audit")(audit_command)
