#!/bin/sh
# Build the Lambda package: the project and its runtime dependencies at exactly the versions
# of uv.lock (hashes checked), installed as wheels for the function's platform (python3.13,
# arm64), whatever the host OS/CPU/Python is.
#
#   UV=.tools/bin/uv sh scripts/build_lambda.sh ARTIFACTS_DIR
#
# Run from the repository root (`sam build` does so through `make build-PaperfeedFunction`,
# which installs the pinned uv first). Needs access to the package index.
set -eu

ARTIFACTS_DIR=${1:?usage: sh scripts/build_lambda.sh ARTIFACTS_DIR}
UV=${UV:-uv}
# The Lambda python3.13 runtime is Amazon Linux 2023 (glibc 2.34) on arm64.
TARGET_PYTHON=3.13
TARGET_PLATFORM=aarch64-manylinux_2_34
export UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy

if ! command -v "$UV" >/dev/null 2>&1; then
    echo "build_lambda.sh: uv not found (UV=$UV): run 'make build-PaperfeedFunction'" >&2
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/paperfeed-build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# 1. The locked runtime dependencies, as a hashed requirements list. --locked fails if
#    uv.lock no longer matches pyproject.toml. The s3 extra brings boto3 at its locked
#    version (deleted in step 3) so that what the package shares with the runtime's botocore
#    (python-dateutil, urllib3, jmespath) is what the suite tested with botocore.
"$UV" export --locked --quiet --format requirements-txt --no-dev --no-emit-project \
    --extra s3 --output-file "$tmp/requirements.txt"

# 2. The project as a wheel (pure Python), built from a copy of what the wheel is made of:
#    setuptools builds in the source tree and would leave build/ and *.egg-info behind there
#    (a stale build/lib can even put deleted modules back into the wheel).
mkdir "$tmp/source"
cp -R pyproject.toml uv.lock src "$tmp/source/"
for extra in README* LICENSE* MANIFEST.in setup.cfg setup.py; do
    if [ -e "$extra" ]; then cp -R "$extra" "$tmp/source/"; fi
done
rm -rf "$tmp"/source/src/*.egg-info
find "$tmp/source" -type d -name __pycache__ -prune -exec rm -rf {} +
"$UV" build --quiet --wheel --out-dir "$tmp/project" "$tmp/source"
set -- "$tmp"/project/*.whl
if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then
    echo "build_lambda.sh: expected one project wheel in $tmp/project" >&2
    exit 1
fi
project_wheel=$1

# 3. Install for the target platform. --require-hashes: every file must match uv.lock's
#    hash. Markers are evaluated for python3.13 on arm64 Linux, so the list holds what the
#    Lambda needs, not what this host needs. A dependency published only as an sdist
#    (feedgen 1.x) is built here: it is pure Python, so it runs on Lambda too (the ELF check
#    below catches a binary that is not).
mkdir -p "$ARTIFACTS_DIR"
"$UV" pip install --quiet --target "$ARTIFACTS_DIR" --no-compile \
    --python-version "$TARGET_PYTHON" --python-platform "$TARGET_PLATFORM" \
    --require-hashes --no-deps -r "$tmp/requirements.txt"
"$UV" pip install --quiet --target "$ARTIFACTS_DIR" --no-compile \
    --python-version "$TARGET_PYTHON" --python-platform "$TARGET_PLATFORM" \
    --no-deps "$project_wheel"

# What shipped: read from the installed dist-info folders (the markers of the export have
# chosen among forks of the lock by then), printed, and kept beside the code.
(cd "$ARTIFACTS_DIR" && for info in *.dist-info; do
    meta=$info/METADATA
    name=$(sed -n 's/^Name: //p' "$meta" | head -n 1 | tr -d '\r')
    version=$(sed -n 's/^Version: //p' "$meta" | head -n 1 | tr -d '\r')
    case $name in boto3|botocore|s3transfer|paperfeed) ;; *) echo "$name==$version" ;; esac
done) | sort -f > "$tmp/shipped.txt"
{
    echo "# Locked versions (uv.lock) in this Lambda package, python$TARGET_PYTHON $TARGET_PLATFORM"
    cat "$tmp/shipped.txt"
} > "$ARTIFACTS_DIR/paperfeed-locked-versions.txt"
echo "build_lambda.sh: locked versions shipped ($(wc -l < "$tmp/shipped.txt") packages):"
sed 's/^/  /' "$tmp/shipped.txt"

# 4. Trim: the runtime provides boto3/botocore/s3transfer; bytecode compiled by the host's
#    Python is useless to 3.13 (and /var/task is read-only); console scripts are unused.
for name in boto3 botocore s3transfer; do
    rm -rf "${ARTIFACTS_DIR:?}/$name" "${ARTIFACTS_DIR:?}/$name"-*.dist-info
done
rm -rf "${ARTIFACTS_DIR:?}/bin"
# Babel ships data for ~800 locales (most of its size); keep the languages paperfeed has
# a catalogue for (it asks for "en", "ko", never a territory variant) and root, which
# every locale inherits from.
keep=$(ls src/paperfeed/locale | grep -v '\.pot$' | tr '\n' ' ')
for dat in "$ARTIFACTS_DIR"/babel/locale-data/*.dat; do
    case " root $keep " in
        *" $(basename "$dat" .dat) "*) ;;
        *) rm -f "$dat" ;;
    esac
done
# Parts of lxml and PyYAML nothing imports at run time: lxml.objectify, lxml's C headers,
# Cython sources and schematron data; PyYAML's optional libyaml binding (yaml falls back to
# its pure-Python emitter, which is what writes our front matter anyway).
rm -rf "${ARTIFACTS_DIR:?}"/lxml/objectify.* "${ARTIFACTS_DIR:?}"/lxml/includes \
    "${ARTIFACTS_DIR:?}"/lxml/isoschematron "${ARTIFACTS_DIR:?}"/yaml/_yaml.*
find "$ARTIFACTS_DIR/lxml" -type f \( -name '*.pyx' -o -name '*.pxi' -o -name '*.pxd' \
    -o -name '*.h' \) -exec rm -f {} +
find "$ARTIFACTS_DIR" -type d -name __pycache__ -prune -exec rm -rf {} +
find "$ARTIFACTS_DIR" -type f -name '*.py[co]' -exec rm -f {} +

# Bytecode helps a cold start only when the runtime's Python (3.13) compiled it, and
# /var/task is read-only, so without it every module is compiled at every cold start.
# unchecked-hash: a zip keeps file times only to 2 s, so timestamp-checked .pyc could be
# judged stale. Without a 3.13 here, the package ships without .pyc (use
# `sam build --use-container` to build in the runtime's own image instead).
py313=${PYTHON313:-}
for candidate in python3.13 /root/.pyenv/versions/3.13*/bin/python3.13; do
    [ -n "$py313" ] && break
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then
        py313=$candidate
    fi
done
if [ -n "$py313" ]; then
    "$py313" -m compileall -q -j 0 --invalidation-mode unchecked-hash "$ARTIFACTS_DIR" >/dev/null
    echo "build_lambda.sh: compiled cpython-313 bytecode with $py313"
else
    echo "build_lambda.sh: no Python 3.13 here: shipping without bytecode" >&2
fi

# Every native library must be an arm64 one: an x86_64 .so would fail only at import time.
# So must Pagefind's binary (the archive's search index), which would fail only at the run.
pagefind="$ARTIFACTS_DIR/pagefind_bin/pagefind"
if [ ! -f "$pagefind" ] || [ ! -x "$pagefind" ]; then
    echo "build_lambda.sh: $pagefind is missing or not executable" >&2
    exit 1
fi
for so in $(find "$ARTIFACTS_DIR" -type f -name '*.so*') "$pagefind"; do
    # ELF e_machine, 2 bytes at offset 18 (little-endian): 0xb7 is AArch64.
    machine=$(od -An -tx1 -j18 -N2 "$so" | tr -d ' \n')
    if [ "$machine" != "b700" ]; then
        echo "build_lambda.sh: $so is not an arm64 library (e_machine $machine)" >&2
        exit 1
    fi
done

# The handler must be there, or the function would fail only at its first invocation.
if [ ! -f "$ARTIFACTS_DIR/paperfeed/entrypoints/lambda_handler.py" ]; then
    echo "build_lambda.sh: $ARTIFACTS_DIR/paperfeed/entrypoints/lambda_handler.py is missing" >&2
    exit 1
fi
echo "build_lambda.sh: Lambda package in $ARTIFACTS_DIR ($(du -sk "$ARTIFACTS_DIR" | cut -f1) KiB)"
