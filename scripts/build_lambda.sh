#!/bin/sh
# Build the Lambda package: the project and its runtime dependencies, installed as wheels
# for the function's platform (python3.13, arm64), whatever the host OS/CPU/Python is.
#
#   sh scripts/build_lambda.sh ARTIFACTS_DIR
#
# Run from the repository root (`sam build` does so through `make build-PaperfeedFunction`).
# Needs python3 >= 3.11 with pip on the host and access to the package index.
set -eu

ARTIFACTS_DIR=${1:?usage: sh scripts/build_lambda.sh ARTIFACTS_DIR}
PYTHON=${PYTHON:-python3}
# The Lambda python3.13 runtime is Amazon Linux 2023 (glibc 2.34) on arm64.
TARGET_PYTHON=3.13
TARGET_ARCH=aarch64
TARGET_GLIBC_MINOR=34

pip() {
    "$PYTHON" -m pip --disable-pip-version-check --no-input "$@"
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/paperfeed-build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# 1. The project as a wheel (pure Python), then a wheelhouse of its dependencies built on
#    this host. The wheelhouse only matters for dependencies published as sdists alone
#    (feedgen 1.x has no wheel on PyPI): they are pure Python, so a host-built wheel runs
#    on Lambda too. Host-specific binary wheels in there are ignored by step 2.
#    Built from a copy of what the wheel is made of: setuptools builds in the source tree and
#    would leave build/ and *.egg-info behind there (a stale build/lib can even put deleted
#    modules back into the wheel).
mkdir "$tmp/source"
cp -R pyproject.toml src "$tmp/source/"
for extra in README* LICENSE* MANIFEST.in setup.cfg setup.py; do
    if [ -e "$extra" ]; then cp -R "$extra" "$tmp/source/"; fi
done
rm -rf "$tmp"/source/src/*.egg-info
find "$tmp/source" -type d -name __pycache__ -prune -exec rm -rf {} +
pip wheel --no-deps --wheel-dir "$tmp/project" "$tmp/source"
set -- "$tmp"/project/*.whl
if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then
    echo "build_lambda.sh: expected one project wheel in $tmp/project" >&2
    exit 1
fi
project_wheel=$1
pip wheel --wheel-dir "$tmp/wheelhouse" "$project_wheel"

# 2. Install for the target platform, binary wheels only: every manylinux tag glibc 2.34
#    can run, newest first, plus the legacy manylinux2014/2010/1 aliases.
#    boto3 is resolved together with the project (then deleted in step 3) so that the
#    libraries the package shares with the runtime's botocore (python-dateutil, urllib3,
#    jmespath) stay within botocore's bounds: /var/task comes first on sys.path, so our
#    copies are the ones botocore imports (e.g. it requires python-dateutil < 3).
#    pip may print "ERROR: pip's dependency resolver ... conflicts" about packages of the
#    *host* environment (e.g. an installed awscli): harmless, the exit status is what counts.
platforms=""
minor=$TARGET_GLIBC_MINOR
while [ "$minor" -ge 17 ]; do
    platforms="$platforms --platform manylinux_2_${minor}_${TARGET_ARCH}"
    minor=$((minor - 1))
done
platforms="$platforms --platform manylinux2014_${TARGET_ARCH}"

mkdir -p "$ARTIFACTS_DIR"
# shellcheck disable=SC2086  # $platforms is a list of options, split on purpose
pip install \
    --target "$ARTIFACTS_DIR" \
    --upgrade \
    --no-compile \
    --implementation cp \
    --python-version "$TARGET_PYTHON" \
    $platforms \
    --only-binary=:all: \
    --find-links "$tmp/wheelhouse" \
    "$project_wheel" boto3

# 3. Trim: the runtime provides boto3/botocore/s3transfer; bytecode compiled by the host's
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

# The handler must be there, or the function would fail only at its first invocation.
if [ ! -f "$ARTIFACTS_DIR/paperfeed/handler.py" ]; then
    echo "build_lambda.sh: $ARTIFACTS_DIR/paperfeed/handler.py is missing" >&2
    exit 1
fi
echo "build_lambda.sh: Lambda package in $ARTIFACTS_DIR ($(du -sk "$ARTIFACTS_DIR" | cut -f1) KiB)"
