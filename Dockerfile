# syntax=docker/dockerfile:1
# territoryctl in a container: a static (musl) binary on an empty base, run as a non-root user.
#
#   docker build -t territoryctl .
#   docker run --rm -v "$PWD:/work" territoryctl plan /work/territories
#
# The release workflow replaces the `builder` stage with the release's own static binaries
# (`--build-context builder=...`, laid out as /out/<platform>/territoryctl), so the published
# image holds exactly the binaries listed in the release's SHA256SUMS.

# Alpine's Rust targets musl and links statically: no C library in the final image.
FROM rust:1-alpine AS builder
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
# .dockerignore leaves .git out: name the commit for `territoryctl --version`
# (docker build --build-arg TERRITORYCTL_BUILD_COMMIT=$(git rev-parse HEAD) .).
ARG TERRITORYCTL_BUILD_COMMIT=""
ARG TARGETPLATFORM
RUN cargo build --release --locked -p territoryctl --bin territoryctl \
    && mkdir -p "/out/${TARGETPLATFORM}" \
    && cp target/release/territoryctl "/out/${TARGETPLATFORM}/territoryctl"

# No shell, no package manager, no CA bundle: territoryctl carries its TLS roots (webpki-roots).
FROM scratch
ARG TARGETPLATFORM
COPY --from=builder /out/${TARGETPLATFORM}/territoryctl /usr/local/bin/territoryctl
# A numeric non-root user (scratch has no /etc/passwd). To let `export` write into a mounted
# directory, run with your own user: docker run --user "$(id -u):$(id -g)" ...
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/territoryctl"]
CMD ["--help"]
