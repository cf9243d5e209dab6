"""The pipeline on Apache Spark, for corpora one machine cannot hold: the same stages, the
same rules, the same results as `provenance audit` in a fresh database.

Every document is analysed by the project's own functions inside Spark tasks
(`pipeline.analyse`, `terms.units`, `fingerprint.fingerprints`, `pipeline.anchors_of`).
What the single-machine run asks of the whole store becomes a Spark aggregation with the
store's rule: lines recurring across one source (`store.recurring_changes`), formula k-grams
(`store.formula_prints`), same-URL pairs (`store.same_url_pairs`), and candidate pairs as a
shuffle over the postings of each anchor term under the document-frequency cap of
`candidates.AnchorIndex`, ranked by the same `candidates.best_candidates`. Pairs are judged by
`derivation.compare_profiles` over `pipeline.profile`; the verdicts are reconciled into a graph
on the driver (`derivation.reconcile`); claims are checked with `pipeline.claim_checks` and
linked along the chains with `claims.link_claims`, sources before derivatives, as
`pipeline.analyse_claims` does.

The result is one Parquet table per SQLite table, with the same columns; `import_parquet`
loads them into a database so reports and Datasette work unchanged. pyspark (and pyarrow,
for the import) come with the optional extra: `pip install 'provenance[spark]'`.
"""
from __future__ import annotations

import dataclasses
import json
import math
import os
import shutil
import sys
import time
import uuid
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

from . import __version__, candidates, claims, credibility, derivation, fingerprint, pipeline, store, terms
from .document import Document
from .ingest import MAX_DOCUMENT_BYTES, Problem, RawRecord, record_from_json

INPUT_SUFFIXES = (".jsonl", ".jsonl.gz", ".parquet")
# What `spark run` writes and `import-parquet` reads, in the order their rows may be inserted.
TABLES = (
    "runs", "documents", "paragraphs", "segments", "fingerprints", "anchors",
    "comparisons", "derivations", "passages", "related", "claims", "claim_links", "problems",
)
PARTITIONS = 8


class SparkError(Exception):
    """A problem with the input, the output or the Spark installation, said in one line."""


# --- the session ----------------------------------------------------------------------------------


def require_spark() -> None:
    """One clear line when the optional extra or a Java runtime is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkError("pyspark is not installed: pip install 'provenance[spark]'") from None
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise SparkError("Spark needs a Java runtime (17 or later) and none is on PATH: e.g. apt-get install openjdk-17-jre-headless")


def session(master: str = "local[2]", partitions: int = PARTITIONS):
    """A SparkSession; for `local[...]` masters bound to 127.0.0.1, with small shuffles."""
    require_spark()
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master)
        .appName("provenance")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.default.parallelism", str(partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if master.startswith("local"):
        # workers run this same Python (a cluster's executors name theirs in PYSPARK_PYTHON)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (
            builder.config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            # one local JVM doing light work: a quick compiler starts faster on a busy machine
            .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# --- reading ------------------------------------------------------------------------------------


def input_files(spark, location: str) -> list[tuple[str, str]]:
    """(URI Spark reads, origin as the user named it) of every JSONL/Parquet file at `location`."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path(location)
    fs = path.getFileSystem(conf)
    if not fs.exists(path):
        raise SparkError(f"{location}: no such file or directory")
    status = fs.getFileStatus(path)
    if not status.isDirectory():
        if not _readable(status.getPath().getName()):
            raise SparkError(f"{location}: unsupported file type (expected one of {', '.join(INPUT_SUFFIXES)})")
        return [(status.getPath().toString(), location)]
    base = status.getPath().toString().rstrip("/")
    found = []
    listing = fs.listFiles(path, True)
    while listing.hasNext():
        uri = listing.next().getPath().toString()
        relative = uri[len(base):].lstrip("/")
        if any(part.startswith((".", "_")) for part in relative.split("/")) or not _readable(relative):
            continue
        origin = str(PurePosixPath(location) / relative) if "://" not in location else uri
        found.append((uri, origin))
    return sorted(found, key=lambda item: item[1])


def _readable(name: str) -> bool:
    return name.lower().endswith(INPUT_SUFFIXES)


def _stem(origin: str) -> str:
    name = PurePosixPath(origin).name
    for suffix in (".jsonl.gz", ".jsonl", ".parquet"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def record_from_line(line: str, origin: str, number: int, stem: str) -> RawRecord | Problem | None:
    if len(line) > MAX_DOCUMENT_BYTES:
        return Problem(origin, f"line longer than {MAX_DOCUMENT_BYTES // 2**20} MiB, skipped", number)
    if number == 1:
        line = line.removeprefix("\ufeff")
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return Problem(origin, f"malformed JSON ({error.msg} at column {error.colno})", number)
    return record_from_json(record, origin, number, stem)


def _parquet_record(row: dict) -> dict:
    """A Parquet row as a JSON record would be: dates as ISO text, empty columns left out."""
    return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in row.items() if value is not None}


def read_records(spark, location: str):
    """RDD of `((file, line), RawRecord | Problem)`; the key keeps the input order."""
    files = input_files(spark, location)
    if not files:
        raise SparkError(f"{location}: no {', '.join(INPUT_SUFFIXES)} files found")
    sc = spark.sparkContext
    parts = []
    for index, (uri, origin) in enumerate(files):
        stem = _stem(origin)
        if uri.lower().endswith(".parquet"):
            rows = spark.read.parquet(uri).rdd.map(lambda row: _parquet_record(row.asDict(recursive=True)))
            read = lambda item, o=origin, s=stem: record_from_json(item[0], o, item[1] + 1, s)  # noqa: E731
        else:
            rows = sc.textFile(uri)
            read = lambda item, o=origin, s=stem: record_from_line(item[0], o, item[1] + 1, s)  # noqa: E731
        parts.append(
            rows.zipWithIndex()
            .map(lambda item, i=index, read=read: ((i, item[1] + 1), read(item)))
            .filter(lambda item: item[1] is not None)
        )
    return sc.union(parts)


# --- one document -------------------------------------------------------------------------------


def analyse_record(raw: RawRecord, records: int = 1) -> dict:
    """What `pipeline.ingest` computes and stores for one record (`records`: how many had its id)."""
    doc, paragraphs = pipeline.analyse(raw, fingerprint.content_hash(raw.text))
    units = terms.units(doc)
    words = [word for unit in units for word in unit.words]
    prints = fingerprint.fingerprints(doc, words)
    return {
        "doc": doc,
        "paragraphs": paragraphs,
        "prints": prints,
        "anchors": pipeline.anchors_of(units, prints),
        "segment_hashes": [row["text_hash"] for row in store.segment_rows(doc)],
        "records": records,
    }


def recurring_keys(item: dict) -> Iterator[tuple[tuple[str, str], str]]:
    """`((source, line hash), document)` for the lines that may be outlet boilerplate."""
    doc = item["doc"]
    if doc.source is None:
        return
    for seg, text_hash in zip(doc.segments, item["segment_hashes"]):
        if seg.kind in ("sentence", "title") and (not seg.boilerplate or seg.reason == "recurring"):
            yield (doc.source, text_hash), doc.id


def flag_recurring(item: dict, recurring: Iterable[str] | None) -> dict:
    """Flag the document's recurring lines and re-fingerprint it, as `refresh_recurring_boilerplate` does."""
    recurring = set(recurring or ())
    if not recurring:
        return item
    doc = item["doc"]
    segments = [
        dataclasses.replace(seg, boilerplate=True, reason="recurring")
        if text_hash in recurring and seg.kind in ("sentence", "title") and not seg.boilerplate
        else seg
        for seg, text_hash in zip(doc.segments, item["segment_hashes"])
    ]
    if segments == doc.segments:
        return item
    doc = dataclasses.replace(doc, segments=segments)
    return {**item, "doc": doc, "prints": fingerprint.fingerprints(doc)}


def stored_view(doc: Document) -> Document:
    """The document as `pipeline.document_from_store` reads it back: what verdicts and claims see."""
    return Document(
        id=doc.id, text=doc.text, language=doc.language, date=doc.date, wire_credit=doc.wire_credit,
        source=doc.source, title=doc.title, content_hash=doc.content_hash, url=doc.url, segments=doc.segments,
        metadata=doc.metadata,
    )


def winnowed_value(item: dict) -> bytes:
    return next(p["value"] for p in item["prints"] if p["kind"] == "winnow")


def print_terms(item: dict) -> list[str]:
    """The '#hex' terms of the document's current winnowed k-grams (after recurring lines)."""
    hashes = {int(value) for value in fingerprint.winnow_hashes(winnowed_value(item))}
    return [f"{candidates.PASSAGE_PRINT}{h:016x}" for h in sorted(hashes)]


# --- pairs --------------------------------------------------------------------------------------


def posting_pairs(term: str, posting: list[str], documents: int) -> Iterator[tuple[tuple[str, str], tuple]]:
    """Every ordered pair of one term's posting, with what the term adds to their match."""
    posting = sorted(set(posting))
    if len(posting) < 2 or len(posting) > candidates.df_cap(documents):
        return
    weight = candidates.idf(max(documents, 1), len(posting))
    is_print = term.startswith(candidates.PASSAGE_PRINT)
    contribution = ([weight], 0 if is_print else 1, 1 if is_print else 0)
    for a in posting:
        for b in posting:
            if a != b:
                yield (a, b), contribution


def _add_match(x: tuple, y: tuple) -> tuple:
    return x[0] + y[0], x[1] + y[1], x[2] + y[2]


def chosen_pairs(document_id: str, matches: Iterable[tuple]) -> list[tuple[str, str]]:
    """The pairs the index proposes for one document, as sorted id pairs."""
    ranked = candidates.best_candidates(
        {other: (math.fsum(weights), shared, prints) for other, (weights, shared, prints) in matches}
    )
    return [tuple(sorted((document_id, other))) for other, _ in ranked]


def url_pairs(ids: Iterable[str]) -> list[tuple[str, str]]:
    ids = sorted(set(ids))
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]


def judge(items: Iterable[tuple]) -> Iterator[dict]:
    """Verdicts on `((a, b), (view_a, spans_a), (view_b, spans_b))`, profiles cached per partition."""
    profiles = pipeline.ProfileCache()

    def cached(view: Document, spans: list) -> derivation.Profile:
        found = profiles.get(view.id)
        if found is None:
            found = pipeline.profile(view, spans, credibility.default_registry())
            profiles.put(view.id, found)
        return found

    for (a, b), side_a, side_b in items:
        verdict = derivation.compare_profiles(cached(*side_a), cached(*side_b))
        yield {
            "pair": (a, b),
            "hashes": (side_a[0].content_hash, side_b[0].content_hash),
            "verdict": verdict,
        }


def outcome(verdict: dict | None) -> str:
    return "none" if verdict is None else ("derivation" if verdict["kind"] == "derivation" else "related")


def loaded(derivation_rows: list[tuple[dict, list[dict]]], related_rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """The verdicts as `store.load_derivations` / `store.load_related` give them back."""
    derivations = []
    for row, passages in derivation_rows:
        derivations.append(
            {
                **{key: row[key] for key in ("derivative", "source", "relation", "score", "coverage", "source_coverage", "verbatim_share")},
                "direction": {"confidence": row["direction_confidence"], "reasons": json.loads(row["direction_reasons"] or "[]")},
                "evidence": json.loads(row["evidence"] or "{}"),
                "passages": [
                    {key: p[key] for key in ("kind", "derivative_start", "derivative_end", "source_start", "source_end", "similarity")}
                    for p in sorted(passages, key=lambda p: (p["derivative_start"], p["source_start"], p["id"]))
                ],
            }
        )
    related = [
        {
            "documents": [row["document_a"], row["document_b"]],
            "reason": row["reason"],
            "common_source": row["common_source"],
            "explanation": row["explanation"],
            "evidence": json.loads(row["evidence"] or "{}"),
        }
        for row in related_rows
    ]
    return derivations, related


# --- the run ------------------------------------------------------------------------------------


def sqlite_columns() -> dict[str, list[tuple[str, str]]]:
    """Each table's columns and SQLite types, from the project's own migrations."""
    db = store.open_db(":memory:")
    return {table: [(c.name, c.type or "TEXT") for c in db[table].columns] for table in TABLES}


def _spark_schema(columns: list[tuple[str, str]]):
    from pyspark.sql import types

    kinds = {"TEXT": types.StringType(), "INTEGER": types.LongType(), "FLOAT": types.DoubleType(), "REAL": types.DoubleType(), "BLOB": types.BinaryType()}
    return types.StructType([types.StructField(name, kinds[kind.upper()], True) for name, kind in columns])


def run(
    spark, location: str, output: str, partitions: int = PARTITIONS, arguments: list[str] | None = None,
    progress=None,
) -> dict:
    """Analyse every document at `location` and write the tables to `output`; returns the counts.

    The tables are written beside `output` first and moved into place at the end, so a run
    that fails leaves any earlier output as it was.
    """
    from pyspark import StorageLevel

    started = store.now()
    clock = time.monotonic()

    def step(message: str) -> None:
        if progress:
            progress(f"{time.monotonic() - clock:7.1f}s  {message}")

    sc = spark.sparkContext
    _check_target(spark, output)
    columns = sqlite_columns()
    records = read_records(spark, location).persist(StorageLevel.MEMORY_AND_DISK)
    latest = (
        records.filter(lambda item: isinstance(item[1], RawRecord))
        .map(lambda item: (item[1].id, (1, item)))
        .reduceByKey(lambda x, y: (x[0] + y[0], x[1] if x[1][0] > y[1][0] else y[1]), numPartitions=partitions)
    )
    analysed = latest.mapValues(lambda v: analyse_record(v[1][1], v[0])).persist(StorageLevel.MEMORY_AND_DISK)
    step("reading and analysing")
    documents, indexed, duplicated = analysed.map(
        lambda kv: (1, 1 if kv[1]["anchors"] else 0, [(kv[0], kv[1]["records"])] if kv[1]["records"] > 1 else [])
    ).fold((0, 0, []), lambda x, y: (x[0] + y[0], x[1] + y[1], x[2] + y[2]))
    # `indexed`: AnchorIndex holds only documents with anchors, and its idf counts those
    step(f"{documents} documents analysed")
    problems = [p for _, p in sorted(records.filter(lambda item: isinstance(item[1], Problem)).collect(), key=lambda item: item[0])]
    for document_id, count in sorted(duplicated):
        problems.append(Problem(location, f"id {document_id!r} is used by {count} records; the last one is kept"))
    records.unpersist()

    # Lines recurring in many documents of one source are boilerplate (store.recurring_changes).
    recurring = (
        analysed.flatMap(lambda kv: recurring_keys(kv[1]))
        .distinct()
        .groupByKey()
        .filter(lambda kv: len(kv[1]) >= store.RECURRING_MIN_DOCUMENTS)
        .flatMap(lambda kv: ((document_id, kv[0][1]) for document_id in kv[1]))
        .groupByKey()
    )
    final = (
        analysed.leftOuterJoin(recurring)
        .mapValues(lambda pair: flag_recurring(pair[0], pair[1]))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )

    # Candidate pairs: a shuffle over the postings of each anchor term (candidates.AnchorIndex).
    # Terms over the cap are dropped before grouping, so no posting larger than the cap is ever built.
    term_documents = analysed.flatMap(lambda kv: ((term, kv[0]) for term in set(kv[1]["anchors"])))
    cap = candidates.df_cap(indexed)
    common = sc.broadcast(
        set(term_documents.mapValues(lambda _: 1).reduceByKey(lambda x, y: x + y).filter(lambda kv: kv[1] > cap).keys().collect())
    )
    postings = term_documents.filter(lambda kv: kv[0] not in common.value).groupByKey()
    proposed = (
        postings.flatMap(lambda kv: posting_pairs(kv[0], list(kv[1]), indexed))
        .reduceByKey(_add_match)
        .map(lambda kv: (kv[0][0], (kv[0][1], kv[1])))
        .groupByKey()
        .flatMap(lambda kv: chosen_pairs(kv[0], kv[1]))
    )
    same_url = (
        final.filter(lambda kv: kv[1]["doc"].url is not None)
        .map(lambda kv: (kv[1]["doc"].url, kv[0]))
        .groupByKey()
        .flatMap(lambda kv: url_pairs(kv[1]))
    )
    pairs = proposed.union(same_url).distinct().persist(StorageLevel.MEMORY_AND_DISK)

    # Formula k-grams: on many days, or in many documents of one source and no other's (candidates.formula_prints).
    dated = (
        analysed.filter(lambda kv: kv[1]["doc"].date is not None)
        .flatMap(lambda kv: ((t, kv[1]["doc"].date[:10]) for t in kv[1]["anchors"] if t.startswith(candidates.PASSAGE_PRINT)))
        .distinct()
        .mapValues(lambda _: 1)
        .reduceByKey(lambda x, y: x + y)
        .filter(lambda kv: kv[1] >= candidates.FORMULA_MIN_DATES)
        .keys()
    )
    sourced = (
        analysed.filter(lambda kv: kv[1]["doc"].source is not None)
        .flatMap(lambda kv: (((t, kv[1]["doc"].source), 1) for t in set(kv[1]["anchors"]) if t.startswith(candidates.PASSAGE_PRINT)))
        .reduceByKey(lambda x, y: x + y)
        .map(lambda kv: (kv[0][0], (kv[1], 1)))
        .reduceByKey(lambda x, y: (max(x[0], y[0]), x[1] + y[1]))
        .filter(lambda kv: kv[1][0] >= candidates.FORMULA_MIN_SAME_SOURCE and kv[1][1] == 1)
        .keys()
    )
    formula = dated.union(sourced).distinct().map(lambda term: (term, None))
    formula_of = (
        final.flatMap(lambda kv: ((term, kv[0]) for term in print_terms(kv[1])))
        .join(formula)
        .map(lambda kv: (kv[1][0], kv[0]))
        .groupByKey()
    )
    sides = final.leftOuterJoin(formula_of).mapValues(
        lambda pair: (
            stored_view(pair[0]["doc"]),
            pipeline.formula_spans_of(winnowed_value(pair[0]), set(pair[1])) if pair[1] else [],
        )
    ).persist(StorageLevel.MEMORY_AND_DISK)

    judged = (
        pairs.map(lambda pair: (pair[0], pair))
        .join(sides)
        .map(lambda kv: (kv[1][0][1], (kv[1][0], kv[1][1])))
        .join(sides)
        .map(lambda kv: (kv[1][0][0], kv[1][0][1], kv[1][1]))
        .mapPartitions(judge)
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    step("judging pairs")
    found = judged.filter(lambda j: j["verdict"] is not None).map(lambda j: (j["verdict"], j["pair"], j["hashes"])).collect()
    hashes = {document_id: digest for _, pair, digests in found for document_id, digest in zip(pair, digests)}
    verdicts = sorted(
        (verdict for verdict, _, _ in found),
        key=lambda v: (v.get("derivative", ""), v.get("source", ""), v.get("documents", [""])),
    )

    step(f"{len(verdicts)} verdicts")
    derivation_rows, passage_rows, related_rows = [], [], []
    for verdict in verdicts:
        if verdict["kind"] == "derivation":
            row = {"id": len(derivation_rows) + 1, **store.derivation_row(verdict)}
            passages = []
            for p in verdict["passages"]:
                passages.append({"id": len(passage_rows) + len(passages) + 1, "derivation_id": row["id"], **p})
            derivation_rows.append((row, passages))
            passage_rows.extend(passages)
    for verdict in sorted((v for v in verdicts if v["kind"] != "derivation"), key=lambda v: v["documents"]):
        related_rows.append({"id": len(related_rows) + 1, **store.related_row(verdict)})
    derivations, related = loaded(derivation_rows, related_rows)
    involved = sc.broadcast({d[key] for d in derivations for key in ("derivative", "source")})
    sides_of = final.filter(lambda kv: kv[0] in involved.value).map(
        lambda kv: (kv[0], (pipeline.fields_of(kv[1]["doc"]), winnowed_value(kv[1])))
    ).collectAsMap()
    fields = {document_id: side[0] for document_id, side in sides_of.items()}
    # An outlet's standing text (`pipeline.standing_pairs`), from the anchors the index holds.
    inside = pipeline.standing_prints(derivations, fields, lambda document_id: sides_of[document_id][1])
    wanted = sc.broadcast({f"{candidates.PASSAGE_PRINT}{h:016x}" for hashes in inside.values() for h in hashes})
    carriers = (
        analysed.flatMap(lambda kv: (
            (int(term[1:], 16), (kv[0], kv[1]["doc"].source, kv[1]["doc"].url, kv[1]["doc"].date))
            for term in set(kv[1]["anchors"]) if term in wanted.value
        ))
        .groupByKey()
        .mapValues(lambda rows: sorted(rows))
        .collectAsMap()
    ) if inside else {}
    kept, _ = derivation.reconcile(
        derivations, related, *pipeline.outlet_evidence(derivations, fields, credibility.default_registry()),
        standing=pipeline.standing_verdicts(inside, fields, carriers),
    )

    # Claims as `pipeline.analyse_claims` makes them: every document in a derivation checked
    # against its direct sources (in parallel, the costly part), then linked to the earliest
    # ancestor stating each claim, one generation after the other (sources before derivatives).
    own_sources, generation, ancestors = pipeline.claim_chains(kept)
    order = sc.broadcast({document_id: (level,) for document_id, level in generation.items()})
    wanted = sc.parallelize(
        sorted(
            (document_id, (own, pipeline.claims_basis(document_id, ancestors[document_id], hashes, own_sources)))
            for document_id, own in own_sources.items()
        ),
        partitions,
    )
    source_sides = (
        wanted.flatMap(lambda kv: ((source, kv[0]) for source in kv[1][0]))
        .join(sides)
        .map(lambda kv: (kv[1][0], kv[1][1][0]))
        .groupByKey()
    )
    checked = (
        wanted.join(sides)
        .leftOuterJoin(source_sides)
        .mapValues(lambda v: (v[0][0][0], v[0][0][1], _claim_checks(v[0][1][0], v[0][0][0], list(v[1] or ()))))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    linked = None
    for level in range(max(generation.values(), default=-1) + 1):
        here = checked.filter(lambda kv, level=level: order.value[kv[0]] == (level,))
        if linked is None:
            held = sc.parallelize([])
        else:
            held = (
                here.flatMap(lambda kv: ((source, kv[0]) for source in kv[1][0]))
                .join(linked.mapValues(lambda v: v[1]))
                .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
                .groupByKey()
            )
        done = here.leftOuterJoin(held).mapValues(
            lambda v: (v[0][1], _linked(v[0][0], v[0][2], dict(v[1] or ()), order.value))
        ).persist(StorageLevel.MEMORY_AND_DISK)
        linked = done if linked is None else linked.union(done)
    linked = linked if linked is not None else sc.parallelize([])

    counts = {
        "documents": documents,
        "skipped": len(problems),
        "pairs": judged.count(),
        "derivation": len(derivation_rows),
        "related": len(related_rows),
        "claims_documents": len(own_sources),
    }
    counts["none"] = counts["pairs"] - counts["derivation"] - counts["related"]
    ingested_at = store.now()
    step("counted; writing tables")

    tables = {
        "documents": final.map(lambda kv: store.document_row(kv[1]["doc"], 1, None, ingested_at)),
        "paragraphs": final.flatMap(
            lambda kv: ({"document_id": kv[0], "n": n, "start": s, "end": e} for n, (s, e) in enumerate(kv[1]["paragraphs"]))
        ),
        "segments": final.flatMap(lambda kv: store.segment_rows(kv[1]["doc"])),  # ids given by SQLite on import
        "fingerprints": final.flatMap(lambda kv: ({"document_id": kv[0], **row} for row in kv[1]["prints"])),
        "anchors": analysed.flatMap(lambda kv: ({"document_id": kv[0], "term": t} for t in sorted(set(kv[1]["anchors"])))),
        "comparisons": judged.map(
            lambda j: {
                "document_a": j["pair"][0], "document_b": j["pair"][1], "hash_a": j["hashes"][0],
                "hash_b": j["hashes"][1], "outcome": outcome(j["verdict"]), "run_id": None,
            }
        ),
        "derivations": [row for row, _ in derivation_rows],
        "passages": passage_rows,
        "related": related_rows,
        "claims": linked.flatMap(lambda kv: store.claim_rows(kv[0], kv[1][1], kv[1][0])),
        "claim_links": linked.flatMap(lambda kv: store.claim_link_rows(kv[0], kv[1][1])),
        "problems": [
            {"id": n, "run_id": None, "origin": p.origin, "line": p.line, "message": p.message}
            for n, p in enumerate(problems, start=1)
        ],
    }
    tables["runs"] = [
        {
            "id": 1, "command": "spark run", "arguments": json.dumps(arguments or [location, output], ensure_ascii=False),
            "version": __version__, "settings": json.dumps({**pipeline.SETTINGS, "spark": {"master": sc.master}}, sort_keys=True),
            "started_at": started, "finished_at": store.now(), "status": "done", "counts": json.dumps(counts, sort_keys=True),
        }
    ]
    _write(spark, tables, columns, output, step)
    step("done")
    for rdd in (analysed, final, pairs, sides, judged, checked):
        rdd.unpersist()
    return {**counts, "problems": [str(p) for p in problems]}


def _claim_checks(view: Document, sources: list[str], source_views: list[Document]) -> list:
    """An origin's claims, or a derivative's `check_claims` verdicts against each direct source."""
    if not sources:
        return claims.original_claims(view)
    by_id = {v.id: v for v in source_views}
    return pipeline.claim_checks(view, [pipeline.prepared_source(by_id[s]) for s in sources])


def _linked(sources: list[str], checks: list, held: dict[str, list[dict]], earliness: dict) -> list[dict]:
    """What `pipeline.document_claims` returns, from the checks and the sources' linked claims."""
    return claims.link_claims(checks, held, earliness) if sources else checks


def check_input(location: str) -> None:
    """A missing local input is named before Spark starts (remote ones are checked by Spark)."""
    if "://" not in location and not os.path.exists(location):
        raise SparkError(f"{location}: no such file or directory")


def _check_target(spark, output: str) -> None:
    """Only an empty folder or an earlier run's output may be replaced."""
    sc = spark.sparkContext
    target = sc._jvm.org.apache.hadoop.fs.Path(output)
    fs = target.getFileSystem(sc._jsc.hadoopConfiguration())
    if not fs.exists(target):
        return
    children = {status.getPath().getName() for status in fs.listStatus(target)} if fs.getFileStatus(target).isDirectory() else None
    if children is None or (children and not set(TABLES) <= children):
        raise SparkError(f"{output}: exists and is not the output of an earlier run; give a new or empty folder")


def _cell(value, real: bool):
    """SQLite's REAL affinity: an integer in a float column is stored as a float."""
    return float(value) if real and isinstance(value, int) else value


def _write(spark, tables: dict, columns: dict, output: str, step=lambda message: None) -> None:
    """Every table under a staging folder beside `output`, then moved into place."""
    sc = spark.sparkContext
    jvm = sc._jvm
    target = jvm.org.apache.hadoop.fs.Path(output)
    fs = target.getFileSystem(sc._jsc.hadoopConfiguration())
    staging = jvm.org.apache.hadoop.fs.Path(f"{output.rstrip('/')}.staging-{uuid.uuid4().hex[:8]}")
    try:
        for table in TABLES:
            names = [(name, kind.upper() in ("FLOAT", "REAL")) for name, kind in columns[table]]
            rows = tables[table]
            as_tuples = (lambda row, names=names: tuple(_cell(row.get(name), real) for name, real in names))
            rdd = sc.parallelize([as_tuples(r) for r in rows], 1) if isinstance(rows, list) else rows.map(as_tuples)
            frame = spark.createDataFrame(rdd, _spark_schema(columns[table]))
            frame.write.mode("overwrite").parquet(f"{staging.toString()}/{table}")
            step(f"wrote {table}")
        if fs.exists(target):
            fs.delete(target, True)
        if not fs.rename(staging, target):
            raise SparkError(f"{output}: could not move the finished tables into place")
    finally:
        if fs.exists(staging):
            fs.delete(staging, True)


# --- into SQLite --------------------------------------------------------------------------------

ROW_IDS = ("derivations", "passages", "related", "problems")


def parquet_rows(folder: Path, batch: int = 2000) -> Iterator[list[dict]]:
    """Rows of one table written by `run`, in batches, part files in name order."""
    import pyarrow.parquet as pq

    for part in sorted(folder.glob("*.parquet")):
        for record_batch in pq.ParquetFile(part).iter_batches(batch_size=batch):
            yield record_batch.to_pylist()


def check_output(output: str | Path) -> Path:
    """The output folder, or a SparkError naming what is missing."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise SparkError("pyarrow is not installed: pip install 'provenance[spark]'") from None
    folder = Path(output)
    if not folder.is_dir():
        raise SparkError(f"{output}: no such folder")
    missing = [table for table in TABLES if not (folder / table).is_dir()]
    if missing:
        raise SparkError(f"{output}: not a provenance spark run output (no {', '.join(missing)} table)")
    return folder


def import_parquet(db, output: str | Path, arguments: list[str] | None = None) -> dict:
    """Load a `run` output into the database in one transaction; re-importing replaces it.

    Rows of the imported documents (segments, fingerprints, verdicts, claims …) are replaced;
    other documents and reviewers' verdicts stay. Row ids are shifted past those in use.
    """
    import pyarrow.parquet as pq

    folder = check_output(output)
    columns = sqlite_columns()
    for table in TABLES:
        for part in sorted((folder / table).glob("*.parquet")):
            found = set(pq.read_schema(part).names)
            expected = {name for name, _ in columns[table]}
            if found != expected:
                raise SparkError(f"{part}: columns {sorted(found)} differ from the {table} table's {sorted(expected)}")
    spark_run = next(iter(next(parquet_rows(folder / "runs"), [])), None)
    counts: dict[str, int] = {}
    with store.write_transaction(db):
        run_id = db["runs"].insert(
            {
                "command": "import-parquet",
                "arguments": json.dumps(arguments or [str(output)], ensure_ascii=False),
                "version": __version__,
                "settings": (spark_run or {}).get("settings"),
                "started_at": (spark_run or {}).get("started_at"),
                "status": "running",
            }
        ).last_pk
        db.execute("create temp table if not exists import_ids (id text primary key)")
        db.execute("delete from import_ids")
        for rows in parquet_rows(folder / "documents"):
            db.conn.executemany("insert or ignore into import_ids values (?)", [(row["id"],) for row in rows])
        _forget(db)
        offsets = {table: db.execute(f"select coalesce(max(id), 0) from {table}").fetchone()[0] for table in ROW_IDS}
        for table in TABLES[1:]:
            counts[table] = 0
            for rows in parquet_rows(folder / table):
                for row in rows:
                    if "run_id" in row:
                        row["run_id"] = run_id
                    if table in ROW_IDS:
                        row["id"] += offsets[table]
                    if table == "passages":
                        row["derivation_id"] += offsets["derivations"]
                if table == "documents":
                    db["documents"].upsert_all(rows, pk="id")
                    store.number_documents(db, [row["id"] for row in rows])
                elif table == "anchors":
                    store.insert_anchor_rows(db, rows)
                elif table == "segments":
                    store.insert_segment_rows(db, rows)
                elif table == "comparisons":
                    store.insert_comparison_rows(db, rows)
                else:
                    db[table].insert_all(rows)
                counts[table] += len(rows)
        db.execute("drop table import_ids")
        # outlets, attribution and origins as `report` stores them, so Datasette's queries work at once
        kept, _, origins = pipeline.derivation_graph(db)
        pipeline.store_outlets_and_attribution(db, kept, origins, run_id)
        db["runs"].update(run_id, {"finished_at": store.now(), "status": "done", "counts": json.dumps(counts, sort_keys=True)})
    return {"run": run_id, **counts}


def _forget(db) -> None:
    """Drop what the store holds about the documents about to be imported (their ids in `import_ids`)."""
    mine = "select id from import_ids"
    db.execute(
        f"delete from passages where derivation_id in "
        f"(select id from derivations where derivative in ({mine}) or source in ({mine}))"
    )
    db.execute(f"delete from derivations where derivative in ({mine}) or source in ({mine})")
    db.execute(f"delete from related where document_a in ({mine}) or document_b in ({mine})")
    numbers = f"select n from document_numbers where id in ({mine})"
    db.execute(f"delete from compared_pairs where document_a in ({numbers}) or document_b in ({numbers})")
    db.execute(f"delete from claim_links where document in ({mine})")
    db.execute(f"delete from claims where document in ({mine})")
    for table in ("anchor_index", "anchor_pending", "segment_spans"):
        db.execute(f"delete from {table} where document in (select n from document_numbers where id in ({mine}))")
    for table in ("fingerprints", "paragraphs"):
        db.execute(f"delete from {table} where document_id in ({mine})")
