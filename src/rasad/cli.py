"""The command line: parse, call, print. Errors are one line on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator

from . import __version__
from .api import check_date, run
from .doc import Document
from .errors import InputError, RasadError


def _iter_input(path: str, text_field: str) -> Iterator[Document | InputError]:
    from .sources import decode_bytes, iter_documents

    if path == "-":
        data = sys.stdin.buffer.read()
        yield Document(text=decode_bytes(data, "standard input"), meta={"origin": "-"})
        return
    yield from iter_documents(path, text_field)


def cmd_analyze(args: argparse.Namespace) -> int:
    from .render import print_table

    published = check_date(args.published)
    failures = 0
    count = 0
    single = args.format == "json"
    docs: Iterable[Document | InputError] = _iter_input(args.path, args.text_field)
    if single:
        docs = list(docs)
        single = len(docs) <= 1  # several documents: one JSON a line
    for item in docs:
        if isinstance(item, InputError):
            if count == 0 and failures == 0 and not _is_multi(args.path):
                raise item
            print(f"rasad: {item}", file=sys.stderr)
            failures += 1
            continue
        doc = item
        if published:
            doc.published = published
        if args.lang:
            doc.lang = args.lang
        try:
            doc = run(doc)
        except RasadError as exc:
            if not _is_multi(args.path):
                raise
            print(f"rasad: {doc.meta.get('origin', doc.id)}: {exc}", file=sys.stderr)
            failures += 1
            continue
        count += 1
        if args.format == "table":
            print_table(doc)
        elif single:
            print(doc.dumps(indent=2))
        else:
            print(doc.dumps())
    if count == 0:
        return 1
    return 0


def _is_multi(path: str) -> bool:
    from pathlib import Path

    from .sources.feeds import FEED_SUFFIXES
    from .sources.text import JSONL_SUFFIXES
    from .sources.warc import is_warc

    # sources of many records: a bad record is reported and skipped, the rest go on
    p = Path(path)
    return path != "-" and (p.is_dir() or p.suffix.lower() in JSONL_SUFFIXES + FEED_SUFFIXES or is_warc(p))


def cmd_eval(args: argparse.Namespace) -> int:
    if args.what == "golden":
        from .eval.golden import main as golden_main

        return golden_main(args.paths, verbose=args.verbose, as_json=args.json)
    if args.what == "gsr":
        from .eval.gsr import main as gsr_main

        return max(gsr_main(p, limit=args.limit, as_json=args.json, verbose=args.verbose,
                            split=args.split) for p in args.paths)
    if args.what == "plover":
        from .eval.plover import main as plover_main

        return plover_main(args.paths, limit=args.limit, as_json=args.json, verbose=args.verbose,
                           split=args.split)
    if args.what == "ner":
        from .eval.conll import main as ner_main

        return ner_main(args.paths, as_json=args.json)
    raise InputError(f"unknown evaluation '{args.what}'; choose golden, gsr, plover or ner")


def cmd_tag(args: argparse.Namespace) -> int:
    from .ner import main_tag

    return main_tag(args.path)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rasad", description="Political event data from Arabic and English news.")
    p.add_argument("--version", action="version", version=f"rasad {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="analyze an article (file, folder, JSONL or - for stdin)")
    a.add_argument("path", metavar="PATH|-")
    a.add_argument("--lang", choices=("ar", "en"), help="the language (detected when not given)")
    a.add_argument("--published", help="publication date, YYYY-MM-DD (inferred when not given)")
    a.add_argument("-f", "--format", choices=("json", "jsonl", "table"), default="table")
    a.add_argument("--text-field", default="text", help="JSONL field holding the text (default: text)")
    a.set_defaults(func=cmd_analyze)

    e = sub.add_parser("eval", help="measure rasad against labelled data")
    e.add_argument("what", choices=("golden", "gsr", "plover", "ner"))
    e.add_argument("paths", nargs="+", metavar="PATH")
    e.add_argument("-v", "--verbose", action="store_true")
    e.add_argument("--json", action="store_true", help="print a machine-readable summary")
    e.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N sentences (gsr, plover)")
    e.add_argument("--split", choices=("all", "dev", "test"), default="all",
                   help="gsr, plover: dev = even rows (sentences) of each file, test = odd rows (held out)")
    e.set_defaults(func=cmd_eval)

    t = sub.add_parser("tag", help="tag Arabic names in a CoNLL file (token first, one a line)")
    t.add_argument("path", metavar="FILE|-")
    t.set_defaults(func=cmd_tag)

    from .store.cli_cmds import add_store_commands  # ingest, events, articles, export

    add_store_commands(sub)
    from .web.serve import add_serve_command  # serve: the HTTP API and the page

    add_serve_command(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except RasadError as exc:
        print(f"rasad: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rasad: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
