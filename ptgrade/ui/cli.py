"""The `ptgrade` command line: parse, call the engine, render with rich (`ptgrade`, `python -m ptgrade`).

Exit codes: 0 all good; 1 a check failed (or verify found a violation); 2 bad input (an unknown
item, a malformed manifest, an impossible option).
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ptgrade import i18n
from ptgrade.course import manifest as manifest_module
from ptgrade.course.manifest import ManifestError, UnknownItem
from ptgrade.host import runner
from ptgrade.i18n import _
from ptgrade.protocol.results import ItemResult

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageProblem(Exception):
    """Bad input from the user: printed as one sentence, exit code 2."""


def _warm_render() -> None:
    # rich takes a moment to import; do it while the grading child starts.
    threading.Thread(target=lambda: __import__("ptgrade.ui.render"), daemon=True).start()


def _lang(args) -> str:
    return i18n.current()


def _early_lang(argv: list[str]) -> str:
    """The language, chosen before the parser is built (its help is translated too)."""
    explicit = None
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            explicit = argv[index + 1]
        elif arg.startswith("--lang="):
            explicit = arg.split("=", 1)[1]
    stored = None
    try:
        from ptgrade.course.progress import Progress
        stored = Progress(manifest_module.find_root(), repair=False).lang
    except Exception:  # noqa: BLE001 - no kit here yet: the parser still works
        pass
    return i18n.choose(explicit, stored)


def _source_path(manifest, source: str, item) -> Path:
    if source == "exercises":  # a Korean learner's stubs are exercises/ko/
        return manifest.stubs_dir(i18n.current()) / item.file_name
    if source == "solutions":
        return manifest.solutions_dir / item.file_name
    folder = Path(source)
    if not folder.is_dir():
        raise UsageProblem(_("--source {source}: no such folder (give exercises, solutions, or a folder "
                             "laid out like exercises/).").format(source=source))
    return folder.resolve() / item.file_name


def _progress(manifest):
    from ptgrade.course.progress import Progress
    progress = Progress(manifest.root)
    if progress.problem:
        print(f"ptgrade: {progress.problem}", file=sys.stderr)
    return progress


def cmd_list(args, manifest) -> int:
    from ptgrade.ui import render
    progress = _progress(manifest)
    results = {item.id: progress.last_result(item.id, args.source) for item in manifest.items}
    bests = {item.id: progress.best(item.id, args.source) for item in manifest.items}
    render.console().print(render.list_view(manifest, results, _lang(args), bests))
    return EXIT_OK


def _selected(args, manifest):
    if args.all:
        return [item for item in manifest.items if item.available]
    if not args.ids:
        raise UsageProblem(_("Name an item (ptgrade check 1.2), a section (ptgrade check 1) or use --all."))
    return manifest.select(args.ids)


def grade_items(args, manifest, items, standby=None) -> list[ItemResult]:
    """Grade and show each item; `standby` is a judge already loaded for the one item (watch)."""
    from ptgrade import sandbox
    missing = sandbox.missing_protections()
    if missing:  # said once, on stderr, so --json stays JSON
        print(f"ptgrade: {missing}", file=sys.stderr)
    def grade(item):
        if standby is not None and standby.item == item:
            return standby.grade()
        return runner.grade(manifest, item, _source_path(manifest, args.source, item), device=args.device)

    results = []
    # Several items are graded `--jobs` at a time (each in its own judge and sandbox) and shown in curriculum order.
    with ThreadPoolExecutor(max_workers=max(1, min(getattr(args, "jobs", 1), len(items)))) as pool:
        for item, result in zip(items, pool.map(grade, items)):
            result.title = item.title_in(_lang(args))
            results.append(result)
            if not args.json:
                from ptgrade.ui import render
                render.console().print(render.item_view(result, result.title))
    return results


def grade_and_record(args, manifest, items, standby=None) -> list[ItemResult]:
    results = grade_items(args, manifest, items, standby)
    progress = _progress(manifest)
    for result in results:
        progress.record(result, args.source)
    progress.save()
    return results


def cmd_check(args, manifest) -> int:
    _warm_render()
    items = _selected(args, manifest)
    results = grade_and_record(args, manifest, items)
    if args.json:
        print(json.dumps({"items": [r.to_json() for r in results]}, ensure_ascii=False, indent=1))
    if args.gradescope:
        from ptgrade.integrations import gradescope
        gradescope.write(results, Path(args.gradescope))
    built = [r for r in results if r.built]
    return EXIT_OK if built and all(r.passed for r in built) else EXIT_FAILED


def cmd_hint(args, manifest) -> int:
    """The ladder, one rung per call: the concept, the step, the docs to read. The answer's code only with --all."""
    from rich.markup import escape

    from ptgrade.ui import render
    item = manifest.item(args.id)
    out = render.console()
    hints, answer = item.hints_in(_lang(args)), item.answer_in(_lang(args))
    if not hints:
        raise UsageProblem(_("Item {id} has no hints yet (it is not built).").format(id=item.id))

    def show(label: str, text: str) -> None:
        out.print(f"[bold]{label}[/bold]  {escape(text)}")  # hints hold code: [mean] is not markup

    if args.all:
        for number, hint in enumerate(hints, 1):
            show(_("{id} hint {n}/{total}").format(id=item.id, n=number, total=len(hints)), hint)
        for line in answer:
            show(_("{id} answer").format(id=item.id), line)
        return EXIT_OK
    progress = _progress(manifest)
    index = progress.next_hint(item.id, len(hints))
    progress.save()
    show(_("{id} hint {n}/{total}").format(id=item.id, n=index + 1, total=len(hints)), hints[index])
    if index + 1 < len(hints):
        out.print("[dim]" + _("Run it again for the next hint.") + "[/dim]")
    elif answer:
        out.print("[dim]" + _("That was the last hint. The answer's code is shown by `ptgrade hint {id} --all`.")
                  .format(id=item.id) + "[/dim]")
    return EXIT_OK


def cmd_reset(args, manifest) -> int:
    from ptgrade.course import stubs
    item = manifest.item(args.id)
    if not item.available:
        raise UsageProblem(_("Item {id} is not built yet; there is nothing to reset.").format(id=item.id))
    stub = _source_path(manifest, "exercises", item)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageProblem(_("Resetting replaces {file} with the untouched stub; add --yes to do it without "
                                 "being asked.").format(file=stub))
        answer = input(_("Replace {file} with the untouched stub? Your file is kept in .ptgrade/backup/. "
                         "[y/N] ").format(file=stub))
        if answer.strip().lower() not in ("y", "yes", "예", "네", "ㅇ"):
            print(_("Nothing changed."))
            return EXIT_OK
    try:
        backup = stubs.restore(manifest, item, stub)
    except stubs.NoOriginal as problem:
        raise UsageProblem(str(problem)) from None
    progress = _progress(manifest)
    progress.forget(item.id)
    progress.save()
    if backup is None:
        print(_("{file} is the untouched stub.").format(file=stub))
    else:
        print(_("{file} is the untouched stub again; your version is in {backup}.").format(file=stub, backup=backup))
    return EXIT_OK


def cmd_verify(args, manifest) -> int:
    from ptgrade.instructor import verify
    from ptgrade.ui import progress_bars, render
    items = manifest.select(args.ids) if args.ids else list(manifest.items)
    with progress_bars.bar() as bar:
        shown = progress_bars.VerifyProgress(bar, total=sum(1 for item in items if item.available))
        findings = verify.run(manifest, items, jobs_count=args.jobs, on_start=shown.started, on_item=shown.finished,
                              record_seconds=args.record_seconds)
    bad = [f for f in findings if not f.ok]
    if args.json:  # JSON only: the summary is in the data
        print(json.dumps([vars(f) for f in findings], indent=1))
    else:
        render.console().print(render.verify_view(findings))
        render.console().print(_("{ok} ok, {bad} violations").format(ok=len(findings) - len(bad), bad=len(bad)))
    return EXIT_FAILED if bad else EXIT_OK


def cmd_run(args, manifest) -> int:
    from ptgrade import runs
    from ptgrade.ui import render
    item = manifest.item(args.id)
    driver = runs.driver_for(item)
    if driver is None or not item.available:
        raise UsageProblem(_("Item {id} has no training run; `ptgrade run` trains the projects (section 5).").format(
            id=item.id))
    if args.epochs is not None and args.epochs < 1:
        raise UsageProblem(_("--epochs must be 1 or more."))
    source = _source_path(manifest, args.source, item)
    out = Path(args.out) if args.out else manifest.root / "runs" / item.module_name
    try:
        options = runs.RunOptions(item_id=item.id, source=source, out=out.resolve(),
                                      data=Path(args.data).resolve() if args.data else None, epochs=args.epochs,
                                      smoke=args.smoke, device=runs.resolve_device(args.device), seed=args.seed)
        student = runs.load_student(source, manifest.root)
        report = runs.Report(options.out, render.console())
        report.say(_("{id} {title}: training {file} on {device}; results go to {out}").format(
            id=item.id, title=item.title_in(_lang(args)), file=source, device=options.device, out=options.out))
        try:
            figures = driver.run(student, options, report)
        except runs.RunProblem:
            raise
        except KeyboardInterrupt:
            report.say(_("Stopped; run the same command again to resume from {path}.").format(path=report.checkpoint))
            return EXIT_FAILED
        except Exception as error:  # noqa: BLE001 - the student's code failed mid-run: one sentence
            raise runs.RunProblem(runs.student_problem(error, source)) from None
    except runs.RunProblem as problem:
        print(f"ptgrade: {problem}", file=sys.stderr)
        return EXIT_USAGE
    report.write_summary(figures)
    render.console().print(render.figures_view(figures))
    return EXIT_OK


def cmd_watch(args, manifest) -> int:
    from ptgrade.ui import render, watching
    if args.id:
        item = manifest.item(args.id)
    else:  # the first built item not done yet
        progress = _progress(manifest)
        built = [i for i in manifest.items if i.available]
        item = next((i for i in built if (r := progress.last_result(i.id, args.source)) is None or not r.passed),
                    built[-1])
    _source_path(manifest, args.source, item)  # a bad --source is said before watching starts

    ready = {}  # a judge loaded ahead of the next save: a re-grade skips starting Python, torch and pytest

    def grade(chosen):
        args.json, args.gradescope, args.ids, args.all = False, None, [chosen.id], False
        standby = ready.pop("judge", None)
        if standby is not None and standby.item != chosen:
            standby.cancel()
            standby = None
        result = grade_and_record(args, manifest, [chosen], standby)[0]
        ready["judge"] = runner.Standby(manifest, chosen, _source_path(manifest, args.source, chosen),
                                        device=args.device)
        return result

    def show_hint(chosen):
        hint_args = argparse.Namespace(id=chosen.id, all=False, lang=args.lang)
        try:
            cmd_hint(hint_args, manifest)
        except UsageProblem as problem:
            print(problem)

    out = render.console()
    try:
        watching.run(manifest, item, lambda chosen: _source_path(manifest, args.source, chosen), grade, show_hint,
                     lambda text: out.print(f"[dim]{text}[/dim]"))
    except KeyboardInterrupt:
        pass
    finally:
        if "judge" in ready:
            ready.pop("judge").cancel()
    return EXIT_OK


def cmd_release(args, manifest) -> int:
    from ptgrade.course import release
    try:
        out = release.write(manifest, Path(args.out), lang=_lang(args))
    except FileExistsError as error:
        raise UsageProblem(str(error)) from None
    print(_("Student edition written to {out}").format(out=out))
    return EXIT_OK


def cmd_grade(args, manifest) -> int:
    from ptgrade.instructor import batch
    from ptgrade.ui import progress_bars
    folder = Path(args.submissions)
    if not folder.is_dir():
        raise UsageProblem(_("{folder} is not a folder of submissions.").format(folder=folder))
    items = manifest.select(args.items) if args.items else [item for item in manifest.items if item.available]
    with progress_bars.bar() as bar:  # one step per student and item
        shown = progress_bars.GradeProgress(bar, total=len(batch.students(folder)) * len(items))
        try:
            grades = batch.run(manifest, folder, Path(args.out), jobs=args.jobs, items=items, progress=shown,
                               cluster=args.cluster, per_task=args.per_task)
        except batch.ClusterProblem as problem:
            raise UsageProblem(str(problem)) from None
    print(_("{count} students graded: {out}").format(count=len(grades), out=args.out))
    if args.report:
        from ptgrade.instructor import report
        titles = {item.id: item.title_in(_lang(args)) for item in items}
        Path(args.report).write_text(report.build(grades, _lang(args), titles), encoding="utf-8")
        print(_("Class report: {path}").format(path=args.report))
    return EXIT_OK


def cmd_gradescope_build(args, manifest) -> int:
    from ptgrade.integrations import gradescope
    bundle = gradescope.build_bundle(manifest, Path(args.out), lang=_lang(args))
    print(_("Gradescope autograder written to {path}").format(path=bundle))
    return EXIT_OK


def cmd_nbgrader_build(args, manifest) -> int:
    from ptgrade.integrations import nbgrader
    items = manifest.select(args.items) if args.items else [i for i in manifest.items if i.available]
    missing = [i.id for i in items if not i.available or not (manifest.solutions_dir / i.file_name).is_file()]
    if missing:
        raise UsageProblem(_("No reference solution to build from for {items} (not built yet, or this is a "
                             "student edition without solutions/).").format(items=", ".join(missing)))
    try:
        paths = nbgrader.build(manifest, Path(args.course_dir), items, lang=_lang(args))
    except nbgrader.BuildError as problem:
        raise UsageProblem(str(problem)) from None
    for path in paths:
        print(path)
    return EXIT_OK


def cmd_notebooks(args, manifest) -> int:
    from ptgrade.integrations import selfstudy
    items = manifest.select(args.items) if args.items else [i for i in manifest.items if i.available]
    for path in selfstudy.build(manifest, Path(args.out_dir), [i for i in items if i.available], lang=_lang(args)):
        print(path)
    return EXIT_OK


def cmd_mutate(args, manifest) -> int:
    from rich.table import Table

    from ptgrade.instructor import mutate
    from ptgrade.ui import render
    out = render.console()
    survivors = 0
    for item in manifest.select(args.ids):
        with render.console(stderr=True).status(_("mutating {id} ...").format(id=item.id)):
            outcomes = mutate.run(manifest, item, limit=args.limit, seed=args.seed, jobs=args.jobs,
                                  kinds=mutate.KINDS if args.kind == "all" else (args.kind,))
        table = Table(title=_("{id} automatic mutants").format(id=item.id), title_justify="left")
        for column in (_("line"), _("mutation"), _("result"), _("caught by")):
            table.add_column(column)
        for outcome in sorted(outcomes, key=lambda o: o.mutation.line):
            table.add_row(str(outcome.mutation.line), outcome.mutation.description,
                          _("killed") if outcome.killed else f"[bold red]{_('survived')}[/]", outcome.by)
        killed = sum(o.killed for o in outcomes)
        survivors += len(outcomes) - killed
        out.print(table)
        out.print(_("{id}: {killed} of {count} mutants killed").format(id=item.id, killed=killed, count=len(outcomes)))
    return EXIT_FAILED if survivors else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    from ptgrade.ui import argparse_text
    argparse_text.install()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=("en", "ko"), help=_("titles in English or Korean (or PTGRADE_LANG)"))
    # The same option on sub-commands' own sub-commands, without overwriting one given before them.
    inner = argparse.ArgumentParser(add_help=False)
    inner.add_argument("--lang", choices=("en", "ko"), default=argparse.SUPPRESS,
                       help=_("titles in English or Korean (or PTGRADE_LANG)"))
    parser = argparse.ArgumentParser(prog="ptgrade", description=_("Auto-graded PyTorch exercises."))
    commands = parser.add_subparsers(dest="command", required=True)
    add = lambda name, **kw: commands.add_parser(name, parents=[common], **kw)  # noqa: E731

    listing = add("list", help=_("the curriculum and your progress"))
    listing.add_argument("--source", default="exercises", help=_("whose progress: exercises (default), "
                                                                 "solutions, or a folder you checked"))
    listing.set_defaults(run=cmd_list)

    check = add("check", help=_("grade items: ptgrade check 2.4 | ptgrade check 1 | --all"))
    check.add_argument("ids", nargs="*", help=_("item ids (1.2) or section numbers (1)"))
    check.add_argument("--all", action="store_true", help=_("every item that is built"))
    check.add_argument("--source", default="exercises",
                       help=_("exercises (default), solutions, or a folder laid out like exercises/"))
    check.add_argument("--device", default="auto", choices=("cpu", "cuda", "auto"))
    check.add_argument("--json", action="store_true", help=_("print results as JSON"))
    check.add_argument("--jobs", type=int, default=2, help=_("items graded at once"))
    check.add_argument("--gradescope", metavar="FILE", help=_("also write Gradescope's results.json to FILE"))
    check.set_defaults(run=cmd_check)

    hint = add("hint", help=_("the next hint for an item"))
    hint.add_argument("id")
    hint.add_argument("--all", action="store_true", help=_("every hint at once, then the answer's code"))
    hint.set_defaults(run=cmd_hint)

    reset = add("reset", help=_("start an item again from its untouched stub (your file is kept)"))
    reset.add_argument("id")
    reset.add_argument("--yes", action="store_true", help=_("do not ask first"))
    reset.set_defaults(run=cmd_reset)

    verify = add("verify", help=_("instructors: solutions pass, stubs score 0, mutants are caught"))
    verify.add_argument("ids", nargs="*", help=_("items or sections (default: all built items)"))
    verify.add_argument("--jobs", type=int, default=2, help=_("gradings run at once"))
    verify.add_argument("--json", action="store_true")
    verify.add_argument("--record-seconds", action="store_true",
                        help=_("keep each item's longest check of a correct solution in graders/check_seconds.json, "
                               "from which students' time limits derive"))
    verify.set_defaults(run=cmd_verify)

    watch = add("watch", help=_("re-grade an item each time its file is saved; n: next item, h: hint, q: quit"))
    watch.add_argument("id", nargs="?", help=_("the item (default: the first one not done yet)"))
    watch.add_argument("--source", default="exercises")
    watch.add_argument("--device", default="auto", choices=("cpu", "cuda", "auto"))
    watch.set_defaults(run=cmd_watch)

    run = add("run", help=_("train a project for real: ptgrade run 5.1 [--smoke]"))
    run.add_argument("id")
    run.add_argument("--source", default="exercises",
                     help=_("exercises (default), solutions, or a folder laid out like exercises/"))
    run.add_argument("--data", help=_("a local copy of the data set (otherwise it is downloaded where the "
                                      "project can)"))
    run.add_argument("--epochs", type=int, help=_("epochs to train (the project's default otherwise)"))
    run.add_argument("--out", help=_("folder for the checkpoint, plots and summary (default runs/<item>/)"))
    run.add_argument("--smoke", action="store_true", help=_("a few steps on data the kit makes: proves the "
                                                            "pipeline in under a minute"))
    run.add_argument("--device", default="auto", choices=("cpu", "cuda", "auto"))
    run.add_argument("--seed", type=int, default=0)
    run.set_defaults(run=cmd_run)

    mutate = add("mutate", help=_("instructors: grade small automatic mutations of the reference solutions"))
    mutate.add_argument("ids", nargs="+", help=_("items or sections"))
    mutate.add_argument("--limit", type=int, default=20, help=_("mutants per item (a seeded sample)"))
    mutate.add_argument("--seed", type=int, default=0)
    mutate.add_argument("--jobs", type=int, default=2)
    mutate.add_argument("--kind", choices=("token", "learner", "all"), default="all",
                        help=_("which mutants: one token changed, learners' mistakes, or both"))
    mutate.set_defaults(run=cmd_mutate)

    release = add("release", help=_("instructors: write the student edition (no solutions, no hidden checks)"))
    release.add_argument("out", help=_("an empty or new folder"))
    release.set_defaults(run=cmd_release)

    grade = add("grade", help=_("instructors: grade a folder of submissions into a CSV"))
    grade.add_argument("submissions", help=_("one folder (laid out like exercises/) or zip per student"))
    grade.add_argument("--out", default="grades.csv", help=_("the CSV to write (feedback goes beside it)"))
    grade.add_argument("--jobs", type=int, default=2, help=_("students graded at once"))
    grade.add_argument("--items", nargs="*", help=_("items or sections (default: all built items)"))
    grade.add_argument("--report", metavar="FILE", help=_("also write the class report, one HTML page, to FILE "
                                                         "(in the --lang language)"))
    grade.add_argument("--cluster", metavar="ADDRESS", help=_("grade on the nodes of a Dask cluster, e.g. "
                                                              "tcp://host:8786 (needs .[cluster])"))
    grade.add_argument("--per-task", type=int, metavar="N", help=_("with --cluster: students per task (default: "
                                                                   "about two tasks per worker thread)"))
    grade.set_defaults(run=cmd_grade)

    gradescope = add("gradescope", help=_("instructors: Gradescope autograder bundle"))
    gradescope_commands = gradescope.add_subparsers(dest="gradescope_command", required=True)
    bundle = gradescope_commands.add_parser("build", parents=[inner], help=_("write the autograder zip"))
    bundle.add_argument("out", help=_("the zip to write, e.g. autograder.zip"))
    bundle.set_defaults(run=cmd_gradescope_build)

    classroom = add("nbgrader", help=_("instructors: an nbgrader course built from the items"))
    nb_build = classroom.add_subparsers(dest="nbgrader_command", required=True).add_parser(
        "build", parents=[inner], help=_("write nbgrader_config.py and one source notebook per item"))
    nb_build.add_argument("course_dir", help=_("the nbgrader course folder to write"))
    nb_build.add_argument("--items", nargs="+", help=_("items or sections (default: all built items)"))
    nb_build.set_defaults(run=cmd_nbgrader_build)

    notebooks = add("notebooks", help=_("self-study notebooks that check themselves (Jupyter, Colab)"))
    notebooks.add_argument("out_dir", help=_("the folder to write one notebook per item into"))
    notebooks.add_argument("--items", nargs="+", help=_("items or sections (default: all built items)"))
    notebooks.set_defaults(run=cmd_notebooks)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    i18n.use(_early_lang(argv))
    args = build_parser().parse_args(argv)
    try:
        manifest = manifest_module.load()
        if args.lang:  # chosen once, remembered
            progress = _progress(manifest)
            if progress.lang != args.lang:
                progress.lang = args.lang
                progress.save()
        return args.run(args, manifest)
    except (ManifestError, UnknownItem, UsageProblem) as problem:
        print(f"ptgrade: {problem}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
