#!/bin/sh
# Installs a released territoryctl: downloads the archive for this OS and architecture from the
# GitHub release, checks it against the release's SHA256SUMS, unpacks territoryctl (and
# zoho-crm-sim) into "$TERRITORYCTL_INSTALL_ROOT/bin" and prints `territoryctl --version`.
# When the release has no archive for this platform, it builds the tag with
# `cargo install --locked --git ... --tag ...` instead. Used by action.yml (the setup action)
# and the GitLab template; documented in README.md ("Install").
#
# Environment:
#   TERRITORYCTL_VERSION       the release tag, e.g. v0.1.0 (or 0.1.0). Required.
#   TERRITORYCTL_REPOSITORY    OWNER/NAME on GitHub. In the setup action, taken from the
#                              action's own path when not set.
#   TERRITORYCTL_INSTALL_ROOT  where to install; binaries go to its bin/.
#                              Default: $HOME/.territoryctl/<tag>.
#   TERRITORYCTL_BASE_URL      where releases are served from. Default:
#                              https://github.com/$TERRITORYCTL_REPOSITORY/releases/download
#                              (assets are fetched from $TERRITORYCTL_BASE_URL/<tag>/<asset>).
#   TERRITORYCTL_GIT_URL       the repository cargo builds from when no asset fits. Default:
#                              https://github.com/$TERRITORYCTL_REPOSITORY
#   TERRITORYCTL_TARGET        the Rust target triple to install; detected with uname.
#   TERRITORYCTL_CARGO         the cargo command of the fallback. Default: cargo.
#
# Exit status: 0 installed; 1 a download failed (network, HTTP error) or the installed binary
# is not the version asked for; 2 the archive does not match SHA256SUMS (nothing installed;
# never falls back to building: a release that fails its checksum is not papered over);
# 3 bad usage; 4 the cargo fallback failed. The last line of output says what happened.
set -eu

say() { printf 'territoryctl install: %s\n' "$*" >&2; }
fail() {
  code=$1
  shift
  say "error: $*"
  exit "$code"
}

version=${TERRITORYCTL_VERSION:-}
[ -n "$version" ] || fail 3 "TERRITORYCTL_VERSION is not set: name a release tag, e.g. v0.1.0"
case "$version" in
  v[0-9]*) tag=$version ;;
  [0-9]*) tag=v$version ;;
  *) fail 3 "TERRITORYCTL_VERSION must be a release tag such as v0.1.0, not '$version'" ;;
esac
case "$tag" in
  *[!A-Za-z0-9._+-]*) fail 3 "TERRITORYCTL_VERSION '$version' has characters a tag cannot have" ;;
esac

repository=${TERRITORYCTL_REPOSITORY:-}
if [ -z "$repository" ] && [ -n "${GITHUB_ACTION_PATH:-}" ]; then
  # The runner checks an action out to .../_actions/OWNER/NAME/REF (github.action_repository
  # is empty inside composite actions); on Windows the path has backslashes.
  ref_dir=$(dirname "$(printf '%s' "$GITHUB_ACTION_PATH" | tr '\\' '/')")
  repository="$(basename "$(dirname "$ref_dir")")/$(basename "$ref_dir")"
fi
if [ -z "${TERRITORYCTL_BASE_URL:-}" ] || [ -z "${TERRITORYCTL_GIT_URL:-}" ]; then
  case "$repository" in
    */*) ;;
    *) fail 3 "TERRITORYCTL_REPOSITORY is not set: name the repository territoryctl is released from, OWNER/NAME" ;;
  esac
fi
base_url=${TERRITORYCTL_BASE_URL:-https://github.com/$repository/releases/download}
git_url=${TERRITORYCTL_GIT_URL:-https://github.com/$repository}
root=${TERRITORYCTL_INSTALL_ROOT:-$HOME/.territoryctl/$tag}
cargo=${TERRITORYCTL_CARGO:-cargo}

# The release's target triple for this machine, or nothing when the release has none.
detect_target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$arch" in
    x86_64 | amd64 | AMD64) arch=x86_64 ;;
    aarch64 | arm64 | ARM64) arch=aarch64 ;;
    *) return 0 ;;
  esac
  case "$os" in
    Linux) echo "$arch-unknown-linux-musl" ;;
    Darwin) echo "$arch-apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      if [ "$arch" = x86_64 ]; then echo "x86_64-pc-windows-msvc"; fi
      ;;
  esac
}

target=${TERRITORYCTL_TARGET:-$(detect_target)}
case "$target" in
  *-windows-*) archive_ext=zip exe=.exe ;;
  *) archive_ext=tar.gz exe= ;;
esac
bin="$root/bin"

# Says which version got installed, and refuses a binary that is not the version asked for.
finish() {
  how=$1
  shown=$("$bin/territoryctl$exe" --version) || fail 1 "the installed $bin/territoryctl$exe does not run"
  case "$shown" in
    "territoryctl ${tag#v} "* | "territoryctl ${tag#v}") ;;
    *) fail 1 "the installed binary says '$shown', not version ${tag#v}" ;;
  esac
  printf '%s\n' "$shown"
  say "installed $tag ($how) into $bin"
  exit 0
}

# No release asset for this platform: build the tag from source (about ten minutes cold).
fallback() {
  say "$1; building $tag from source with $cargo install (this takes minutes)"
  mkdir -p "$root"
  $cargo install --locked --root "$root" --git "$git_url" --tag "$tag" territoryctl ||
    fail 4 "$cargo install --locked --git $git_url --tag $tag failed"
  finish "built from source with cargo"
}

[ -n "$target" ] || fallback "no release asset for $(uname -s) $(uname -m)"

# GET $1 into $2; prints the HTTP status, 000 when there was no answer.
fetch() {
  curl --silent --show-error --location --retry 3 --connect-timeout 20 \
    --output "$2" --write-out '%{http_code}' "$1" || {
    status=$?
    echo 000
    return "$status"
  }
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

sums_url="$base_url/$tag/SHA256SUMS"
status=$(fetch "$sums_url" "$work/SHA256SUMS" 2> "$work/curl.err") ||
  fail 1 "cannot download $sums_url: $(cat "$work/curl.err")"
case "$status" in
  200) ;;
  404) fallback "release $tag has no SHA256SUMS (no binaries were published for it)" ;;
  *) fail 1 "cannot download $sums_url: HTTP $status" ;;
esac

asset="territoryctl-$tag-$target.$archive_ext"
# `<sha256>  <name>` (sha256sum's format; `*<name>` in binary mode).
expected=$(awk -v name="$asset" '$2 == name || $2 == "*" name { print $1; exit }' "$work/SHA256SUMS")
[ -n "$expected" ] || fallback "release $tag has no $asset"

asset_url="$base_url/$tag/$asset"
status=$(fetch "$asset_url" "$work/$asset" 2> "$work/curl.err") ||
  fail 1 "cannot download $asset_url: $(cat "$work/curl.err")"
[ "$status" = 200 ] || fail 1 "cannot download $asset_url: HTTP $status (SHA256SUMS lists it)"

if command -v sha256sum > /dev/null 2>&1; then
  actual=$(sha256sum "$work/$asset" | awk '{ print $1 }')
elif command -v shasum > /dev/null 2>&1; then
  actual=$(shasum -a 256 "$work/$asset" | awk '{ print $1 }')
else
  fail 1 "neither sha256sum nor shasum is installed: cannot check $asset"
fi
[ "$actual" = "$expected" ] ||
  fail 2 "$asset does not match SHA256SUMS (expected $expected, got $actual): not installed"

mkdir -p "$work/unpacked"
case "$archive_ext" in
  tar.gz) tar -xzf "$work/$asset" -C "$work/unpacked" ;;
  zip)
    if command -v unzip > /dev/null 2>&1; then
      unzip -q "$work/$asset" -d "$work/unpacked"
    else
      powershell -NoProfile -Command "Expand-Archive -LiteralPath '$work/$asset' -DestinationPath '$work/unpacked'"
    fi
    ;;
esac
unpacked="$work/unpacked/territoryctl-$tag-$target"
[ -f "$unpacked/territoryctl$exe" ] || fail 1 "$asset holds no territoryctl-$tag-$target/territoryctl$exe"

mkdir -p "$bin"
for program in territoryctl zoho-crm-sim; do
  if [ -f "$unpacked/$program$exe" ]; then
    cp "$unpacked/$program$exe" "$bin/$program$exe"
    chmod 755 "$bin/$program$exe"
  fi
done
finish "release asset $asset, SHA-256 checked"
