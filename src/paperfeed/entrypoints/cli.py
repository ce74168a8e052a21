"""`paperfeed run ...`: the same job as the Lambda, writing to a folder (default) or S3;
`serve` previews a folder; `restore` puts a versioned bucket's site back as it was."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from datetime import UTC, datetime

from ..config import (
    ConfigError,
    load_config,
    parse_date,
    parse_days,
    parse_org_min_papers,
    parse_top,
)
from ..models import RunStatus

# Exit codes (documented in the README).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def _arg(parse):  # argparse shows ConfigError's message as a one-line usage error
    def wrapped(value: str):
        try:
            return parse(value)
        except ConfigError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return wrapped


def parse_port(value: str) -> int:
    from ..text import whole_number

    return whole_number(value, "port", 0, 65_535, ConfigError)


def parse_restore_time(value: str) -> datetime:
    from ..publish.restore import parse_time  # pure, and imports nothing heavy

    return parse_time(value, datetime.now(UTC))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paperfeed", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="scrape HF Daily Papers and write the site")
    r.add_argument(
        "--date", type=_arg(parse_date), help="last day of the window (default: today, UTC)"
    )
    r.add_argument(
        "--days", type=_arg(parse_days), help="days to re-scrape, 1-90 (env WINDOW_DAYS, default 3)"
    )
    where = r.add_mutually_exclusive_group()
    where.add_argument("--out", help="site folder (default ./public)")
    where.add_argument("--bucket", help="S3 bucket instead of a folder (env BUCKET_NAME)")
    r.add_argument("--hf-url", help="Hugging Face origin (env HF_BASE_URL)")
    r.add_argument("--site-url", help="public base URL of the site (env SITE_URL)")
    r.add_argument("--lang", help="language of feeds, page and posts: en, ko (env PAPERFEED_LANG)")
    r.add_argument("--translate-to", help="also show each paper's summary, abstract and key "
                   "points in this language, via Amazon Bedrock (env TRANSLATE_TO; off)")
    posts = r.add_argument_group("daily posts for static blogs")
    posts.add_argument("--posts-dir", help="also write the posts here, e.g. a Jekyll _posts/ "
                       "or Hugo content/posts/ (env POSTS_DIR)")
    posts.add_argument("--tz", help="time zone of post dates, e.g. Asia/Seoul (env PAPERFEED_TZ)")
    posts.add_argument("--post-top", type=_arg(parse_top),
                       help="papers per daily post, 0 = all (env POST_TOP, default 10)")
    posts.add_argument("--post-slug", help="file name slug (env POST_SLUG, default "
                       "hf-daily-papers)")
    posts.add_argument("--post-permalink", help="URL pattern with {slug} and {date} "
                       "(env POST_PERMALINK, default /posts/{slug}-{date}/)")
    posts.add_argument("--post-author", help="front matter author (env POST_AUTHOR)")
    posts.add_argument("--post-layout", help="front matter layout (env POST_LAYOUT)")
    follow = r.add_argument_group("feeds to follow")
    follow.add_argument("--feeds-file", help="your own feeds, a TOML file in the feed language "
                        "(README), or store:KEY for one in the site's folder or bucket "
                        "(env FEEDS_FILE)")
    follow.add_argument("--org-min-papers", type=_arg(parse_org_min_papers),
                        help="papers in 90 days that give an organisation its feed, 0 = none "
                        "(env ORG_MIN_PAPERS, default 3)")
    r.add_argument("-q", "--quiet", action="store_true", help="log warnings and errors only")
    s = sub.add_parser("serve", help="preview the site locally with the headers S3 sends")
    s.add_argument("--dir", default="public", help="site folder (default ./public)")
    s.add_argument("--port", type=_arg(parse_port), default=8000,
                   help="port on 127.0.0.1, 0 to 65535 (default 8000)")
    b = sub.add_parser("restore", help="put the bucket's published site back as it was at TIME "
                       "from its object versions (archive/ is kept)")
    b.add_argument("--to", required=True, metavar="TIME", type=_arg(parse_restore_time),
                   help="ISO 8601 with a zone (2026-08-03T12:00:00Z, 2026-08-03T12:00+09:00), "
                   "or a date: the end of that day, UTC; at most 30 days ago")
    b.add_argument("--bucket", help="the versioned bucket (env BUCKET_NAME)")
    b.add_argument("--prefix", default="", help="only keys under this prefix, e.g. feeds/")
    b.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    b.add_argument("--delete-new", action="store_true", help="also hide the objects created "
                   "after TIME behind a delete marker (reversible; never archive/)")
    return parser


def restore(args: argparse.Namespace) -> int:
    bucket = args.bucket or os.environ.get("BUCKET_NAME", "")
    if not bucket:
        print("paperfeed: error: restore needs --bucket or BUCKET_NAME: a site folder keeps "
              "no versions to restore from", file=sys.stderr)
        return EXIT_USAGE
    from ..errors import StoreError
    from ..publish.stores.s3 import S3Store
    from .restore import NEXT_RUN, restore_bucket

    try:
        summary = restore_bucket(
            S3Store(bucket), args.to, prefix=args.prefix, dry_run=args.dry_run,
            delete_new=args.delete_new, distribution_id=os.environ.get("DISTRIBUTION_ID", ""))
    except ConfigError as exc:
        print(f"paperfeed: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"paperfeed: failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(json.dumps(summary, indent=1))
    if summary["skipped"]:
        print(f"paperfeed: {len(summary['skipped'])} archive documents changed or "
              f"created since {summary['to']} are kept as they are (never rolled back)",
              file=sys.stderr)
    if summary["written"]:
        print(f"paperfeed: {NEXT_RUN}", file=sys.stderr)
    if summary["error"]:
        print(f"paperfeed: {summary['status']}: {summary['error']}", file=sys.stderr)
    if summary["status"] == "failed":
        return EXIT_FAILED
    return EXIT_PARTIAL if summary["status"] == "partial" else EXIT_OK


def serve(directory: str, port: int) -> int:
    from .serve import make_server

    if not os.path.isdir(directory):
        print(f"paperfeed: error: no site folder {directory!r}; run 'paperfeed run' first",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        server = make_server(directory, port)
    except OSError as exc:
        print(f"paperfeed: error: cannot listen on port {port}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    print(f"paperfeed: serving {directory} on http://127.0.0.1:{port}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args.dir, args.port)
    if args.command == "restore":
        return restore(args)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    names = ("date", "days", "out", "bucket", "hf_url", "site_url", "lang", "posts_dir", "tz",
             "post_top", "post_slug", "post_permalink", "post_author", "post_layout",
             "translate_to", "feeds_file", "org_min_papers")
    overrides = {k: getattr(args, k) for k in names}
    overrides["date"] = overrides["date"].isoformat() if overrides["date"] else None
    try:
        config = load_config(os.environ, overrides)
    except ConfigError as exc:
        print(f"paperfeed: error: {exc}", file=sys.stderr)
        return EXIT_USAGE

    from ..run import run  # after argument checks: `--help` stays instant

    if config.site_url_is_default:
        print(f"paperfeed: SITE_URL not set; feeds link to {config.site_url}", file=sys.stderr)
    summary = run(config)
    print(json.dumps(summary.as_dict(), indent=1))
    if summary.status is RunStatus.FAILED:
        print(f"paperfeed: failed: {summary.error}", file=sys.stderr)
        return EXIT_USAGE if summary.error_kind == "config" else EXIT_FAILED
    return EXIT_PARTIAL if summary.status is RunStatus.PARTIAL else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
