"""The `provenance` command: a thin click layer over the pipeline and the store."""
from __future__ import annotations

import atexit
import functools
import gc
import importlib.util
import json
import re
import sys

import click

from . import DEFAULT_DB, __version__
from .ingest import Problem


def _on_first_use(name: str):
    """`provenance.<name>`, loaded when a command first reaches into it: `--help`, `--version`
    and typos answer without importing the analysis stack (numpy, wordfreq, the stemmers)."""
    fullname = f"{__package__}.{name}"
    if fullname in sys.modules:
        return sys.modules[fullname]
    spec = importlib.util.find_spec(fullname)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[fullname] = module
    spec.loader.exec_module(module)
    return module


pipeline = _on_first_use("pipeline")
store = _on_first_use("store")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """Terminal-safe text: no escape sequences or bidi overrides from hostile documents."""
    return _CONTROL.sub("\ufffd", str(text))


def db_option(function):
    return click.option(
        "--db",
        "db_path",
        envvar="PROVENANCE_DB",
        default=DEFAULT_DB,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite database (env PROVENANCE_DB).",
    )(function)


def json_option(function):
    return click.option("--json", "json_", is_flag=True, help="Print one JSON value on stdout.")(function)


def emit_json(value: object) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2))


def open_store(db_path: str):
    try:
        return store.open_db(db_path)
    except Exception as error:  # sqlite3.DatabaseError and OSError both mean: not usable
        raise click.ClickException(f"{db_path}: cannot open database ({error})") from error


def open_with_document(db_path: str, document_id: str):
    """The store, after checking that it holds `document_id` (one clear line if not)."""
    db = open_store(db_path)
    if store.stored_hash(db, document_id) is None:
        raise click.ClickException(f"no document with id {document_id!r} in {db_path}")
    return db


def report_problem(problem: Problem) -> None:
    click.echo(printable(f"skipped {problem}"), err=True)


class _Progress:
    """A record counter on stderr, shown only on a terminal so JSON on stdout stays clean."""

    def __init__(self, label: str):
        from tqdm import tqdm

        self.bar = tqdm(desc=label, unit=" docs", file=sys.stderr, disable=not sys.stderr.isatty(), leave=False)

    def __call__(self) -> None:
        self.bar.update()

    def close(self) -> None:
        self.bar.close()


def run_ingest(db, paths: tuple[str, ...], command: str) -> pipeline.IngestResult:
    run_id = store.start_run(db, command, list(paths), pipeline.SETTINGS)
    progress = _Progress(command)
    try:
        result = pipeline.ingest(db, paths, run_id, on_problem=report_problem, progress=progress)
    except BaseException:
        store.finish_run(db, run_id, "failed", {})
        raise
    finally:
        progress.close()
    store.finish_run(db, run_id, "done", result.counts())
    for document_id in result.updated:
        click.echo(
            printable(f"updated {document_id}: new content; the previous version is kept in document_versions"),
            err=True,
        )
    return result


def summary_line(result: pipeline.IngestResult) -> str:
    counts = result.counts()
    total = counts["new"] + counts["updated"] + counts["unchanged"]
    return (
        f"{total} documents: {counts['new']} new, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged; {counts['skipped']} skipped"
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="provenance")
def cli():
    """Trace which news article repackages which, and what changed on the way."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@json_option
def ingest(paths, db_path, json_):
    """Read files and directories (txt, md, html, jsonl, jsonl.gz) into the database."""
    db = open_store(db_path)
    result = run_ingest(db, paths, "ingest")
    if json_:
        emit_json({**result.counts(), "run": result.run_id, "problems": [str(p) for p in result.problems]})
    else:
        click.echo(summary_line(result))
    sys.exit(1 if result.problems else 0)


@cli.command()
@db_option
@json_option
def documents(db_path, json_):
    """List the stored documents."""
    rows = store.list_documents(open_store(db_path))
    if json_:
        emit_json(rows)
        return
    for row in rows:
        click.echo(
            printable(
                f"{row['id']}\t{row['language'] or '-'}\t{row['date'] or '-'}\t{row['source'] or '-'}\t"
                f"{row['segments']} segments\t{(row['title'] or '')[:80]}"
            )
        )
    click.echo(f"{len(rows)} documents", err=True)


@cli.command()
@click.argument("document_id")
@db_option
@json_option
def show(document_id, db_path, json_):
    """Show one document: metadata, how it was found, and its segments."""
    doc = store.load_document(open_with_document(db_path, document_id), document_id)
    if json_:
        emit_json(doc)
        return
    for key in ("id", "title", "source", "url", "date", "language", "dateline", "wire_credit", "author"):
        how = doc["found"].get(key)
        click.echo(printable(f"{key:12} {doc[key] if doc[key] is not None else '-'}" + (f"  ({how})" if how and doc[key] else "")))
    click.echo(printable(f"{'origin':12} {doc['origin']}  (version {doc['version']}, sha256 {doc['content_hash'][:12]}…)"))
    click.echo()
    for seg in doc["segment_list"]:
        flag = f"[{seg['reason']}]" if seg["boilerplate"] else ""
        text = " ".join(seg["text"].split())
        click.echo(printable(f"{seg['n']:>4} {seg['start']:>6}-{seg['end']:<6} {seg['kind']:9}{flag:16} {text}"))


def report_dir_option(function):
    return click.option(
        "--report-dir", default="reports", show_default=True, type=click.Path(file_okay=False),
        help="Folder for the Markdown reports (index.md and documents/).",
    )(function)


def publish(db, report: dict, report_dir: str) -> list:
    """Validate the report object, then write the Markdown reports; a bad object is a reported problem."""
    from pathlib import Path

    from . import report as reports

    errors = reports.validate_report(report)
    if errors:
        for line in errors:
            click.echo(printable(f"report: {line}"), err=True)
        raise click.ClickException(f"the report object does not match schemas/report.schema.json ({len(errors)} problem(s))")
    texts = dict(db.execute("select id, text from documents").fetchall())
    return reports.write_reports(report, texts, Path(report_dir))


@cli.command()
@db_option
@json_option
@report_dir_option
def report(db_path, json_, report_dir):
    """Write the Markdown reports from the database; --json prints the report object."""
    db = open_store(db_path)
    corpus = pipeline.report_object(db)
    written = publish(db, corpus, report_dir)
    if json_:
        emit_json(corpus)
    else:
        click.echo(f"{len(written)} report files in {report_dir}/ (start with {report_dir}/index.md)")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@json_option
@report_dir_option
def audit(paths, db_path, json_, report_dir):
    """Ingest PATHs and analyse the corpus; prints a summary (or the report object with --json)."""
    db = open_store(db_path)
    pages = store.pages_in_use(db)
    result = run_ingest(db, paths, "audit")
    progress = _Progress("compare")
    try:
        analysis = pipeline.analyse_corpus(db, result.read(), result.run_id, progress=progress)
    finally:
        progress.close()
    checked = pipeline.analyse_claims(db, result.run_id)
    store.finish_run(db, result.run_id, "done", {**result.counts(), "comparisons": analysis, "claims_documents": checked})
    report = pipeline.report_object(db, result)
    written = publish(db, report, report_dir)
    store.compact_after(db, pages)
    if json_:
        emit_json(report)
    else:
        click.echo(summary_line(result))
        touched = set(result.new) | set(result.updated)
        shown = [doc for doc in report["documents"] if doc["id"] in touched]
        for doc in shown[:20]:
            details = ", ".join(
                f"{key} {doc[key]}" for key in ("language", "date", "dateline", "wire_credit", "url") if doc[key]
            )
            click.echo(printable(f"  {doc['id']}: {doc['title'] or '(no title)'}  [{details}]"))
        if len(shown) > 20:
            click.echo(f"  … and {len(shown) - 20} more (provenance documents)")
        from . import report as reports

        for line in reports.terminal_summary(report, written):
            click.echo(printable(line))
        click.echo(f"({analysis['pairs']} pairs compared in this run; start reading at {report_dir}/index.md)")
        if report["derivations"]:
            first = report["derivations"][0]
            click.echo(printable(f"passages side by side: provenance compare {first['derivative']} {first['source']}"))
    sys.exit(1 if result.problems else 0)


def _compare_input(item: str, db_path: str, state: dict):
    """A file to read, or else the id of a stored document."""
    from pathlib import Path

    from .ingest import Problem, read_file

    path = Path(item)
    if path.is_file():
        records = [r for r in read_file(path)]
        problems = [r for r in records if isinstance(r, Problem)]
        if problems:
            raise click.ClickException(printable(str(problems[0])))
        if len(records) != 1:
            raise click.ClickException(printable(f"{item}: holds {len(records)} documents; compare takes one document per file"))
        return records[0]
    if "db" not in state:
        if not Path(db_path).exists():
            raise click.ClickException(printable(f"{item}: no such file, and no database at {db_path} to look up an id"))
        state["db"] = open_store(db_path)
    if store.stored_hash(state["db"], item) is None:
        raise click.ClickException(printable(f"{item}: no such file, and no document with that id in {db_path}"))
    return item


def _wrap(text: str, width: int = 100, indent: str = "      ") -> str:
    import textwrap

    return textwrap.fill(" ".join(text.split()), width=width, initial_indent=indent, subsequent_indent=indent)


@cli.command()
@click.argument("a")
@click.argument("b")
@db_option
@json_option
def compare(a, b, db_path, json_):
    """Compare two files or two stored ids: relation, direction and aligned passages."""
    state: dict = {}
    first, second = _compare_input(a, db_path, state), _compare_input(b, db_path, state)
    if isinstance(first, str) != isinstance(second, str):
        raise click.ClickException("compare takes two files or two stored ids, not one of each")
    if isinstance(first, str):
        if first == second:
            raise click.ClickException(printable(f"{a}: compare takes two different documents, and this id names one twice"))
        verdict = pipeline.compare_stored(state["db"], first, second)
    else:
        if first.id == second.id:
            first.id, second.id = f"{first.id} (A)", f"{second.id} (B)"
        verdict = pipeline.compare_records(first, second)
    if json_:
        emit_json(verdict)
        return
    if verdict["kind"] == "none":
        click.echo(printable(f"{a} and {b}: nothing in common worth reporting"))
        return
    if verdict["kind"] == "related":
        click.echo(printable(f"related ({verdict['reason']}): {verdict['documents'][0]} ~ {verdict['documents'][1]}"))
        click.echo(printable(f"  {verdict['explanation']}"))
        if verdict.get("pairwise"):
            click.echo()
            click.echo("the two texts alone, without the rest of the database:")
            _echo_derivation(verdict["pairwise"])
        return
    _echo_derivation(verdict)


def _echo_derivation(verdict: dict) -> None:
    """A derivation verdict as `compare` prints it: measures, basis, direction, passages side by side."""
    click.echo(printable(
        f"{verdict['derivative']} is a {verdict['relation']} of {verdict['source']}  (score {verdict['score']:.2f}; "
        f"{verdict['coverage']:.0%} of it traced to the source, {verdict['source_coverage']:.0%} of the source reused, "
        f"{verdict['verbatim_share']:.0%} verbatim)"
    ))
    from .report import basis

    why = basis(verdict)
    if why:
        click.echo(printable(f"why derived: {why}"))
    confidence = verdict["direction"]["confidence"]
    click.echo(f"direction confidence {confidence:.2f}" + ("" if confidence else " (order unknown)"))
    for reason in verdict["direction"]["reasons"]:
        click.echo(printable(f"  - {reason}"))
    click.echo()
    for p in verdict["passages"]:
        click.echo(printable(
            f"[{p['kind']} {p['similarity']:.2f}]  {verdict['derivative']} {p['derivative_start']}-{p['derivative_end']}"
            f"  <-  {verdict['source']} {p['source_start']}-{p['source_end']}"
        ))
        click.echo(printable(_wrap("D: " + p["derivative_text"])))
        click.echo(printable(_wrap("S: " + p["source_text"])))


@cli.group(invoke_without_command=True)
@db_option
@json_option
@click.option("--role", help="Only outlets with this role (e.g. 'news agency').")
@click.option("--search", help="Only outlets whose name, alias, domain or feed contains this text.")
@click.pass_context
def outlets(ctx, db_path, json_, role, search):
    """List the outlet registry; `outlets import FILE` adds or overrides outlets."""
    if ctx.invoked_subcommand is not None:
        return
    db = open_store(db_path)
    records = pipeline.registry(db).records
    if role:
        records = [r for r in records if r.get("role") == role]
    if search:
        needle = search.casefold()
        records = [
            r for r in records
            if needle in " ".join([r["name"], *r.get("aliases", []), *r.get("domains", []), *r.get("feeds", [])]).casefold()
        ]
    if json_:
        emit_json(records)
        return
    for r in records:
        click.echo(printable(
            f"{r['name']}\t{r.get('role') or '-'}\t{r.get('state_affiliation') or '-'}\t{r.get('country') or '-'}\t"
            f"{', '.join(r.get('domains', [])[:3])}"
        ))
    click.echo(f"{len(records)} outlets", err=True)


@outlets.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
@json_option
def outlets_import(file, db_path, json_):
    """Add or override outlets from a JSON or CSV file (validated against schemas/outlet.schema.json)."""
    from .credibility import OutletFileError

    db = open_store(db_path)
    try:
        count = pipeline.import_outlets(db, file)
    except OutletFileError as error:
        for line in error.errors:
            click.echo(printable(line), err=True)
        raise click.ClickException(f"{file}: not imported ({len(error.errors)} problem(s)); the registry is unchanged")
    except OSError as error:
        raise click.ClickException(f"{file}: cannot read ({error.strerror or error})")
    if json_:
        emit_json({"imported": count, "file": file})
    else:
        click.echo(f"{count} outlets imported from {file}")


@cli.command("search-index")
@click.argument("state", required=False, type=click.Choice(["on", "off"]))
@db_option
@json_option
def search_index(state, db_path, json_):
    """Full-text search over segment text (Datasette's search box): show it, or turn it on or off."""
    db = open_store(db_path)
    if state is not None:
        with store.write_transaction(db):
            changed = store.set_search(db, state == "on")
        if changed and state == "off":
            try:
                db.execute("vacuum")  # give the index's pages back to the file system
            except Exception as error:  # another process holds the database: the space is reused later
                click.echo(printable(f"note: not vacuumed ({error}); the free pages are reused by later writes"), err=True)
    found = {"search_index": store.search_enabled(db), "database_bytes": store.database_bytes(db)}
    if json_:
        emit_json(found)
    else:
        click.echo(f"search index {'on' if found['search_index'] else 'off'}; database {found['database_bytes'] / 1e6:.1f} MB")


@cli.command()
@click.argument("derivative")
@click.argument("source")
@click.option("--verdict", required=True, type=click.Choice(["confirmed", "rejected"]), help="The reviewer's verdict.")
@click.option("--note", help="Why, in a sentence.")
@db_option
@json_option
def review(derivative, source, verdict, note, db_path, json_):
    """Record a reviewer's verdict on a derivation; it is kept across re-runs and shown in reports."""
    db = open_with_document(db_path, derivative)
    if store.stored_hash(db, source) is None:
        raise click.ClickException(f"no document with id {source!r} in {db_path}")
    known = {(d["derivative"], d["source"]) for d in store.load_derivations(db)}
    if (derivative, source) not in known:
        click.echo(printable(f"note: {derivative} <- {source} is not a stored derivation; the verdict is kept for it anyway"), err=True)
    saved = store.save_review(db, derivative, source, verdict, note)
    if json_:
        emit_json(saved)
    else:
        click.echo(printable(f"{verdict}: {derivative} <- {source}" + (f" ({note})" if note else "")))


@cli.command("claims")
@click.argument("document_id")
@db_option
@json_option
def claims_command(document_id, db_path, json_):
    """Claims of one document: status, the source passage they come from, and any drift."""
    db = open_with_document(db_path, document_id)
    found = store.load_claims(db, [document_id]) or pipeline.document_claims(db, document_id, [])
    if json_:
        emit_json(found)
        return
    for claim in found:
        click.echo(printable(f"[{claim['status']}] {claim['start']}-{claim['end']} {claim['kind']}: {' '.join(claim['text'].split())}"))
        if claim.get("source"):
            source = claim["source"]
            click.echo(printable(f"      from {source['document']} {source['start']}-{source['end']}: {' '.join(source['text'].split())}"))
        for drift in claim.get("drift", []):
            click.echo(printable(f"      drift ({drift['type']}): {drift['value']!r} here, {drift['source_value']!r} in the source"))
            if drift.get("changes"):
                from .report import changes_text

                click.echo(printable(f"        changed: {changes_text(drift['changes'])}"))


@cli.command("credibility")
@click.argument("document_id")
@db_option
@json_option
def credibility_command(document_id, db_path, json_):
    """Outlet, distributor, signals and score of one document, with the reasons."""
    db = open_with_document(db_path, document_id)
    kept, _, origins = pipeline.derivation_graph(db)
    _, (entry,) = pipeline.credibility_view(db, kept, origins, only={document_id})
    if json_:
        emit_json(entry)
        return
    outlet = entry["outlet"]
    click.echo(printable(
        f"{document_id}: outlet {outlet['name'] + ' (' + outlet['role'] + ', ' + outlet['state_affiliation'] + ')' if outlet else 'unknown'}"
        + (f", distributed by {entry['distributor']}" if entry["distributor"] else "")
    ))
    click.echo(f"score {entry['score']}/100")
    for signal in entry["signals"]:
        click.echo(printable(f"  [{signal['severity']}] {signal['name']}: {signal['explanation']}"))


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
@json_option
def check(file, db_path, json_):
    """Check one new article (a file) against a stored corpus without storing it: what it
    derives from, its claims against those sources, its signals. Fast: no corpus re-analysis."""
    import time
    from pathlib import Path

    from .ingest import Problem, read_file

    _no_final_collection()
    if not Path(db_path).exists():
        raise click.ClickException(printable(f"{db_path}: no such database; run 'provenance audit' first"))
    if not Path(file).is_file():
        raise click.ClickException(printable(f"{file}: no such file"))
    records = list(read_file(Path(file)))
    problems = [r for r in records if isinstance(r, Problem)]
    if problems:
        raise click.ClickException(printable(str(problems[0])))
    if not records:
        raise click.ClickException(printable(f"{file}: holds no document"))
    db = open_store(db_path)
    results = []
    for record in records:
        started = time.perf_counter()
        result = pipeline.check(db, record)
        result["elapsed_ms"] = round(1000 * (time.perf_counter() - started), 1)
        results.append(result)
    if json_:
        emit_json(results[0] if len(results) == 1 else results)
        return
    for result in results:
        _print_check(result)


@functools.cache
def _no_final_collection() -> None:
    """A check is one short process that writes nothing: at its exit the cycle collector would
    walk every module and table it loaded (~0.15 s of CPU, a sixth of the command) to free memory
    the process hands back anyway. Frozen objects are left to the exit."""
    atexit.register(gc.freeze)


def _print_check(result: dict) -> None:
    doc = result["document"]
    click.echo(printable(f"{doc['id']}: {doc.get('title') or '(untitled)'}"))
    click.echo(f"  {len(result['candidates'])} candidate(s) checked in {result['elapsed_ms']} ms")
    for d in result["derivations"]:
        click.echo(printable(
            f"  {d['derivative']} <- {d['source']}: {d['relation']}, coverage {d['coverage']:.0%}, "
            f"direction confidence {d['direction']['confidence']}, attributed {'yes' if d.get('attributed') else 'no'}"
        ))
    for r in result["related"]:
        click.echo(printable(f"  {r['documents'][0]} ~ {r['documents'][1]}: {r['reason']}"))
    if not result["derivations"] and not result["related"]:
        click.echo("  no derivation or related document found")
    origin = result["origins"].get(doc["id"], [doc["id"]])
    if origin != [doc["id"]]:
        click.echo(printable(f"  origin: {', '.join(origin)}"))
    statuses: dict[str, int] = {}
    for claim in result["claims"]:
        statuses[claim["status"]] = statuses.get(claim["status"], 0) + 1
    if statuses:
        click.echo("  claims: " + ", ".join(f"{n} {status}" for status, n in sorted(statuses.items())))
    for claim in result["claims"]:
        if claim["status"] == "drifted":
            click.echo(printable(f"    drifted: {claim['text'][:100]}"))
    entry = result["credibility"][0]
    click.echo(f"  credibility score {entry['score']}/100")
    for signal in entry["signals"]:
        click.echo(printable(f"    [{signal['severity']}] {signal['name']}: {signal['explanation']}"))


def datasette_metadata(db_path: str) -> dict:
    """db/metadata.yml with its database section named after the file Datasette will serve."""
    from pathlib import Path

    import yaml

    local = Path("db/metadata.yml")
    path = local if local.is_file() else Path(__file__).with_name("data") / "metadata.yml"
    metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if "provenance" in databases:
        metadata["databases"] = {Path(db_path).stem: databases["provenance"]}
    return metadata


@cli.command()
@db_option
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535), help="Port on 127.0.0.1.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind; keep the default unless you mean to publish.")
def serve(db_path, port, host):
    """Browse the database in Datasette, read-only, on 127.0.0.1."""
    import os
    import tempfile
    from pathlib import Path

    if not Path(db_path).is_file():
        raise click.ClickException(f"{db_path}: no database yet (run provenance audit or ingest first)")
    open_store(db_path).close()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as out:
        json.dump(datasette_metadata(db_path), out)
    click.echo(f"Datasette on http://{host}:{port}/ (read-only; Ctrl-C stops it)", err=True)
    os.execv(sys.executable, [
        sys.executable, "-m", "datasette", "serve", db_path, "--metadata", out.name,
        "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "5000",
    ])


@cli.group("spark")
def spark_group():
    """Run the pipeline on Apache Spark (needs pip install 'provenance[spark]' and Java 17+)."""


@spark_group.command("run")
@click.argument("input_location", metavar="INPUT")
@click.argument("output")
@click.option("--master", default="local[2]", show_default=True, envvar="PROVENANCE_SPARK_MASTER", help="Spark master URL (env PROVENANCE_SPARK_MASTER).")
@click.option("--partitions", default=8, show_default=True, type=click.IntRange(1), help="Partitions for the analysis and each shuffle.")
@json_option
def spark_run(input_location, output, master, partitions, json_):
    """Analyse JSONL/Parquet documents at INPUT on Spark and write Parquet tables to OUTPUT."""
    from . import spark

    try:
        spark.check_input(input_location)
        session = spark.session(master, partitions)
        counts = spark.run(
            session, input_location, output, partitions, arguments=[input_location, output],
            progress=lambda message: click.echo(message, err=True),
        )
    except spark.SparkError as error:
        raise click.ClickException(str(error)) from error
    for problem in counts["problems"]:
        click.echo(printable(f"skipped {problem}"), err=True)
    if json_:
        emit_json(counts)
    else:
        click.echo(
            f"{counts['documents']} documents, {counts['pairs']} pairs judged: {counts['derivation']} derivations, "
            f"{counts['related']} related; claims of {counts['claims_documents']} documents; "
            f"{counts['skipped']} skipped. Tables in {output} (load them with provenance import-parquet)."
        )
    sys.exit(1 if counts["problems"] else 0)


@cli.command("import-parquet")
@click.argument("output")
@db_option
@json_option
def import_parquet(output, db_path, json_):
    """Load the tables of a provenance spark run into the database (re-importing replaces them)."""
    from . import spark

    try:
        spark.check_output(output)
        db = open_store(db_path)
        counts = spark.import_parquet(db, output, arguments=[output])
    except spark.SparkError as error:
        raise click.ClickException(str(error)) from error
    if json_:
        emit_json(counts)
    else:
        click.echo(
            f"imported {counts['documents']} documents, {counts['derivations']} derivations, "
            f"{counts['related']} related pairs and {counts['claims']} claims into {db_path}"
        )


def main():
    cli()
