#!/usr/bin/env bash
# build-lambdas.sh [OUTDIR] — build every Lambda under functions/ (all but
# functions/local, the laptop binary) for provided.al2023 on arm64 and zip
# each as OUTDIR/<name>.zip (default dist/lambda). Fails if a function does
# not build, or if the api zip reaches 10 MB.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-dist/lambda}"
case "$out" in /*) ;; *) out="$root/$out" ;; esac
mkdir -p "$out"
max_api_bytes=$((10 * 1024 * 1024))

# zipone DIR ZIP: a zip holding DIR/bootstrap, executable.
zipone() {
	rm -f "$2"
	if command -v zip >/dev/null 2>&1; then
		(cd "$1" && zip -q -X "$2" bootstrap)
	else
		python3 - "$1/bootstrap" "$2" <<'PY'
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
info = zipfile.ZipInfo("bootstrap", date_time=(1980, 1, 1, 0, 0, 0))
info.external_attr = 0o100755 << 16
info.compress_type = zipfile.ZIP_DEFLATED
with open(src, "rb") as f, zipfile.ZipFile(dst, "w") as z:
    z.writestr(info, f.read())
PY
	fi
}

built=0
for dir in "$root"/functions/*/; do
	name="$(basename "$dir")"
	[ "$name" = local ] && continue
	if ! ls "$dir"*.go >/dev/null 2>&1; then
		echo "build-lambdas: functions/$name has no Go files" >&2
		exit 1
	fi
	work="$(mktemp -d)"
	(cd "$root" && GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -trimpath -tags lambda.norpc \
		-ldflags "-s -w" -o "$work/bootstrap" "./functions/$name")
	zipone "$work" "$out/$name.zip"
	rm -rf "$work"
	size=$(wc -c <"$out/$name.zip")
	printf '%-14s %9d bytes  %s\n' "$name" "$size" "${out#"$root"/}/$name.zip"
	if [ "$name" = api ] && [ "$size" -ge "$max_api_bytes" ]; then
		echo "build-lambdas: api.zip is $size bytes, the limit is $max_api_bytes" >&2
		exit 1
	fi
	built=$((built + 1))
done
echo "build-lambdas: $built function(s) in ${out#"$root"/}"
