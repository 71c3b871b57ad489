#!/bin/sh
# Prints the notes of one release from CHANGELOG.md (Keep a Changelog form): the lines between
# its heading, `## [0.1.0] - 2026-12-01`, and the next `## ` heading, without the link
# definitions at the end of the file and without leading or trailing blank lines. The release
# workflow uses it for the GitHub release's notes.
#
# Usage: scripts/changelog-section.sh VERSION [CHANGELOG]   (VERSION: 0.1.0 or v0.1.0)
# Exit status: 0 printed; 1 no section for VERSION, or the section is empty; 2 bad usage.
set -eu

[ $# -ge 1 ] && [ $# -le 2 ] || {
  echo "usage: $0 VERSION [CHANGELOG]" >&2
  exit 2
}
version=${1#v}
file=${2:-CHANGELOG.md}
[ -f "$file" ] || {
  echo "$file does not exist" >&2
  exit 2
}

notes=$(awk -v version="$version" '
  /^## / {
    if (found) exit
    heading = $0
    sub(/^## \[?/, "", heading)
    sub(/\]?( +-.*)?$/, "", heading)
    if (heading == version) found = 1
    next
  }
  found && !/^\[[^]]+\]: / { print }
' "$file" | awk 'NF { for (; blank > 0; blank--) print ""; print; seen = 1; next } seen { blank++ }')

if [ -z "$notes" ]; then
  echo "$file has no notes for $version: add a \`## [$version] - YYYY-MM-DD\` section" >&2
  exit 1
fi
printf '%s\n' "$notes"
