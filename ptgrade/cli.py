"""The `ptgrade` command line: parse, call the engine, render with rich (`ptgrade`, `python -m ptgrade`).

Exit codes: 0 all good; 1 a check failed (or verify found a violation); 2 bad input (an unknown
item, a malformed manifest, an impossible option).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from pathlib import Path

from ptgrade import manifest as manifest_module
from ptgrade import runner
from ptgrade.manifest import ManifestError, UnknownItem
from ptgrade.results import ItemResult

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageProblem(Exception):
    """Bad input from the user: printed as one sentence, exit code 2."""


def _warm_render() -> None:
    # rich takes a moment to import; do it while the grading child starts.
    threading.Thread(target=lambda: __import__("ptgrade.render"), daemon=True).start()


def _lang(args) -> str:
    return args.lang or os.environ.get("PTGRADE_LANG", "en")


def _source_path(manifest, source: str, item) -> Path:
    if source == "exercises":
        return manifest.exercises_dir / item.file_name
    if source == "solutions":
        return manifest.solutions_dir / item.file_name
    folder = Path(source)
    if not folder.is_dir():
        raise UsageProblem(f"--source {source}: no such folder (give exercises, solutions, or a folder "
                           "laid out like exercises/).")
    return folder.resolve() / item.file_name


def cmd_list(args, manifest) -> int:
    from ptgrade import render
    from ptgrade.progress import Progress
    progress = Progress(manifest.root)
    results = {item.id: progress.last_result(item.id) for item in manifest.items}
    render.console().print(render.list_view(manifest, results, _lang(args)))
    return EXIT_OK


def _selected(args, manifest):
    if args.all:
        return [item for item in manifest.items if item.available]
    if not args.ids:
        raise UsageProblem("Name an item (ptgrade check 1.2), a section (ptgrade check 1) or use --all.")
    return manifest.select(args.ids)


def grade_items(args, manifest, items) -> list[ItemResult]:
    from ptgrade import sandbox
    missing = sandbox.missing_protections()
    if missing:  # said once, on stderr, so --json stays JSON
        print(f"ptgrade: {missing}", file=sys.stderr)
    results = []
    for item in items:
        path = _source_path(manifest, args.source, item)
        result = runner.grade(manifest, item, path, device=args.device)
        result.title = item.title_in(_lang(args))
        results.append(result)
        if not args.json:
            from ptgrade import render
            render.console().print(render.item_view(result, result.title))
    return results


def cmd_check(args, manifest) -> int:
    _warm_render()
    items = _selected(args, manifest)
    results = grade_items(args, manifest, items)
    if args.source == "exercises":
        from ptgrade.progress import Progress
        progress = Progress(manifest.root)
        for result in results:
            progress.record(result)
        progress.save()
    if args.json:
        print(json.dumps({"items": [r.to_json() for r in results]}, ensure_ascii=False, indent=1))
    if args.gradescope:
        from ptgrade import gradescope
        gradescope.write(results, Path(args.gradescope))
    built = [r for r in results if not r.problem or "not built yet" not in r.problem]
    return EXIT_OK if built and all(r.passed for r in built) else EXIT_FAILED


def cmd_hint(args, manifest) -> int:
    from ptgrade import render
    from ptgrade.progress import Progress
    item = manifest.item(args.id)
    out = render.console()
    if not item.hints:
        raise UsageProblem(f"Item {item.id} has no hints yet (it is not built).")
    if args.all:
        for number, hint in enumerate(item.hints, 1):
            out.print(f"[bold]{item.id} hint {number}/{len(item.hints)}[/bold]  {hint}")
        return EXIT_OK
    progress = Progress(manifest.root)
    index = progress.next_hint(item.id, len(item.hints))
    progress.save()
    out.print(f"[bold]{item.id} hint {index + 1}/{len(item.hints)}[/bold]  {item.hints[index]}")
    if index + 1 < len(item.hints):
        out.print("[dim]Run it again for the next hint.[/dim]")
    return EXIT_OK


def cmd_verify(args, manifest) -> int:
    from ptgrade import render, verify
    items = manifest.select(args.ids) if args.ids else list(manifest.items)
    err = render.console(stderr=True)
    with err.status("verifying ...") as status:
        def done(finding):
            status.update(f"verifying ... {finding.item} {finding.subject}: {'ok' if finding.ok else 'VIOLATION'}")
        findings = verify.run(manifest, items, jobs_count=args.jobs, on_done=done)
    bad = [f for f in findings if not f.ok]
    if args.json:  # JSON only: the summary is in the data
        print(json.dumps([vars(f) for f in findings], indent=1))
    else:
        render.console().print(render.verify_view(findings))
        render.console().print(f"{len(findings) - len(bad)} ok, {len(bad)} violations")
    return EXIT_FAILED if bad else EXIT_OK


def cmd_watch(args, manifest) -> int:
    from watchfiles import watch
    item = manifest.item(args.id)
    path = _source_path(manifest, args.source, item)
    args.json, args.gradescope, args.ids, args.all = False, None, [item.id], False
    cmd_check(args, manifest)
    print(f"Watching {path}; Ctrl+C to stop.")
    try:
        for _ in watch(path):
            cmd_check(args, manifest)
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def cmd_release(args, manifest) -> int:
    from ptgrade import release
    try:
        out = release.write(manifest, Path(args.out))
    except FileExistsError as error:
        raise UsageProblem(str(error)) from None
    print(f"Student edition written to {out}")
    return EXIT_OK


def cmd_grade(args, manifest) -> int:
    from rich.progress import Progress as Bar

    from ptgrade import batch
    folder = Path(args.submissions)
    if not folder.is_dir():
        raise UsageProblem(f"{folder} is not a folder of submissions.")
    items = manifest.select(args.items) if args.items else None
    with Bar(transient=True) as bar:
        task = bar.add_task("grading", total=len(batch.students(folder)))
        grades = batch.run(manifest, folder, Path(args.out), jobs=args.jobs, items=items,
                           on_done=lambda name: bar.advance(task))
    print(f"{len(grades)} students graded: {args.out}")
    return EXIT_OK


def cmd_gradescope_build(args, manifest) -> int:
    from ptgrade import gradescope
    print(f"Gradescope autograder written to {gradescope.build_bundle(manifest, Path(args.out))}")
    return EXIT_OK


def cmd_nbgrader_build(args, manifest) -> int:
    from ptgrade import nbgrader
    items = manifest.select(args.items) if args.items else [i for i in manifest.items if i.available]
    missing = [i.id for i in items if not i.available or not (manifest.solutions_dir / i.file_name).is_file()]
    if missing:
        raise UsageProblem(f"No reference solution to build from for {', '.join(missing)} "
                           "(not built yet, or this is a student edition without solutions/).")
    try:
        paths = nbgrader.build(manifest, Path(args.course_dir), items)
    except nbgrader.BuildError as problem:
        raise UsageProblem(str(problem)) from None
    for path in paths:
        print(path)
    return EXIT_OK


def cmd_mutate(args, manifest) -> int:
    from rich.table import Table

    from ptgrade import mutate, render
    out = render.console()
    survivors = 0
    for item in manifest.select(args.ids):
        with render.console(stderr=True).status(f"mutating {item.id} ..."):
            outcomes = mutate.run(manifest, item, limit=args.limit, seed=args.seed, jobs=args.jobs)
        table = Table(title=f"{item.id} automatic mutants", title_justify="left")
        for column in ("line", "mutation", "result", "caught by"):
            table.add_column(column)
        for outcome in sorted(outcomes, key=lambda o: o.mutation.line):
            table.add_row(str(outcome.mutation.line), outcome.mutation.description,
                          "killed" if outcome.killed else "[bold red]survived[/]", outcome.by)
        killed = sum(o.killed for o in outcomes)
        survivors += len(outcomes) - killed
        out.print(table)
        out.print(f"{item.id}: {killed} of {len(outcomes)} mutants killed")
    return EXIT_FAILED if survivors else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=("en", "ko"), help="titles in English or Korean (or PTGRADE_LANG)")
    parser = argparse.ArgumentParser(prog="ptgrade", description="Auto-graded PyTorch exercises.")
    commands = parser.add_subparsers(dest="command", required=True)
    add = lambda name, **kw: commands.add_parser(name, parents=[common], **kw)  # noqa: E731

    listing = add("list", help="the curriculum and your progress")
    listing.set_defaults(run=cmd_list)

    check = add("check", help="grade items: ptgrade check 2.4 | ptgrade check 1 | --all")
    check.add_argument("ids", nargs="*", help="item ids (1.2) or section numbers (1)")
    check.add_argument("--all", action="store_true", help="every item that is built")
    check.add_argument("--source", default="exercises",
                       help="exercises (default), solutions, or a folder laid out like exercises/")
    check.add_argument("--device", default="auto", choices=("cpu", "cuda", "auto"))
    check.add_argument("--json", action="store_true", help="print results as JSON")
    check.add_argument("--gradescope", metavar="FILE", help="also write Gradescope's results.json to FILE")
    check.set_defaults(run=cmd_check)

    hint = add("hint", help="the next hint for an item")
    hint.add_argument("id")
    hint.add_argument("--all", action="store_true", help="every hint at once")
    hint.set_defaults(run=cmd_hint)

    verify = add("verify", help="instructors: solutions pass, stubs score 0, mutants are caught")
    verify.add_argument("ids", nargs="*", help="items or sections (default: all built items)")
    verify.add_argument("--jobs", type=int, default=2, help="gradings run at once")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(run=cmd_verify)

    watch = add("watch", help="re-grade an item each time its file is saved")
    watch.add_argument("id")
    watch.add_argument("--source", default="exercises")
    watch.add_argument("--device", default="auto", choices=("cpu", "cuda", "auto"))
    watch.set_defaults(run=cmd_watch)

    mutate = add("mutate", help="instructors: grade small automatic mutations of the reference solutions")
    mutate.add_argument("ids", nargs="+", help="items or sections")
    mutate.add_argument("--limit", type=int, default=20, help="mutants per item (a seeded sample)")
    mutate.add_argument("--seed", type=int, default=0)
    mutate.add_argument("--jobs", type=int, default=2)
    mutate.set_defaults(run=cmd_mutate)

    release = add("release", help="instructors: write the student edition (no solutions, no hidden checks)")
    release.add_argument("out", help="an empty or new folder")
    release.set_defaults(run=cmd_release)

    grade = add("grade", help="instructors: grade a folder of submissions into a CSV")
    grade.add_argument("submissions", help="one folder (laid out like exercises/) or zip per student")
    grade.add_argument("--out", default="grades.csv", help="the CSV to write (feedback goes beside it)")
    grade.add_argument("--jobs", type=int, default=2, help="students graded at once")
    grade.add_argument("--items", nargs="*", help="items or sections (default: all built items)")
    grade.set_defaults(run=cmd_grade)

    gradescope = add("gradescope", help="instructors: Gradescope autograder bundle")
    gradescope_commands = gradescope.add_subparsers(dest="gradescope_command", required=True)
    bundle = gradescope_commands.add_parser("build", help="write the autograder zip")
    bundle.add_argument("out", help="the zip to write, e.g. autograder.zip")
    bundle.set_defaults(run=cmd_gradescope_build)

    classroom = add("nbgrader", help="instructors: an nbgrader course built from the items")
    nb_build = classroom.add_subparsers(dest="nbgrader_command", required=True).add_parser(
        "build", help="write nbgrader_config.py and one source notebook per item")
    nb_build.add_argument("course_dir", help="the nbgrader course folder to write")
    nb_build.add_argument("--items", nargs="+", help="items or sections (default: all built items)")
    nb_build.set_defaults(run=cmd_nbgrader_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        manifest = manifest_module.load()
        return args.run(args, manifest)
    except (ManifestError, UnknownItem, UsageProblem) as problem:
        print(f"ptgrade: {problem}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
