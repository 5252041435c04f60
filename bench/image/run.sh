#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark of `gantry analyze` on a big image archive, against the baseline of
# decompressing and listing the same layers with tar/gzip, in one run.
#   scripts/dev bench/image/run.sh [GIB=1] [FILES=100000] [LAYERS=10]
# Needs the `gantry` target built (build/dev/bin/gantry or $GANTRY). Writes to /tmp and
# deletes what it wrote.
set -eu
GIB=${1:-1}
FILES=${2:-100000}
LAYERS=${3:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
GANTRY=${GANTRY:-$ROOT/build/dev/bin/gantry}
WORK=$(mktemp -d /tmp/gantry-bench-image.XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM
ARCHIVE=$WORK/image.tar
calc() { python3 -c "print($1)"; }

echo "Generating $GIB GiB, $FILES files, $LAYERS gzip layers in $ARCHIVE ..."
start=$(date +%s.%N)
python3 "$HERE/generate.py" "$ARCHIVE" "$GIB" "$FILES" "$LAYERS"
echo "  generated in $(calc "round($(date +%s.%N) - $start, 1)") s: $(du -h "$ARCHIVE" | cut -f1) on disk"

measure() { # NAME COMMAND... → prints "seconds maxrss_kb"
  name=$1; shift
  /usr/bin/time -v -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" || { echo "$name failed:"; cat "$WORK/$name.err"; exit 1; }
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/$name.time")
  echo "$secs $rss"
}

# Baseline: every layer decompressed and listed (tar -tzvf style), streamed from the archive.
cat > "$WORK/baseline.sh" <<EOS
#!/bin/sh
set -e
for layer in \$(tar -tf "$ARCHIVE" | grep '\.tar\.gz\$'); do
  tar -xOf "$ARCHIVE" "\$layer" | gzip -dc | tar -tvf - > /dev/null
done
EOS
chmod +x "$WORK/baseline.sh"

sync
cat "$ARCHIVE" > /dev/null # same page cache for both
set -- $(measure baseline "$WORK/baseline.sh"); base_s=$1; base_rss=$2
set -- $(measure gantry "$GANTRY" analyze "$ARCHIVE" --json); gantry_s=$1; gantry_rss=$2
entries=$(python3 -c "import json;d=json.load(open('$WORK/gantry.out'));print(d['fileEntries'])")
files=$(python3 -c "import json;d=json.load(open('$WORK/gantry.out'));print(d['finalFiles'])")
size=$(python3 -c "import json;d=json.load(open('$WORK/gantry.out'));print(d['sizeBytes'])")

echo
printf '%-34s %10s %8s %12s %16s\n' "run" "seconds" "ratio" "peak RSS MB" "bytes/entry"
printf '%-34s %10.2f %8s %12.1f %16s\n' "baseline (tar | gzip -dc | tar -tv)" "$base_s" "1.00" "$(calc "$base_rss/1024")" "-"
printf '%-34s %10.2f %8.2f %12.1f %16.0f\n' "gantry analyze --json" "$gantry_s" "$(calc "$gantry_s/$base_s")" \
  "$(calc "$gantry_rss/1024")" "$(calc "$gantry_rss*1024/$entries")"
echo
echo "image: $size bytes of files, $files files, $entries tree entries (dive's count), $LAYERS layers"
echo "goals: ratio <= 1.5, peak RSS < 200 MB"
