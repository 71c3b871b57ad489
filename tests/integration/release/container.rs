//! The Dockerfile, read as text (no container engine runs in the tests): a static build on
//! musl, a final image of nothing but the binary, a non-root user, and the layout the release
//! workflow's prebuilt binaries replace the builder stage with.

fn instructions() -> Vec<String> {
    let text = std::fs::read_to_string("Dockerfile").expect("read the Dockerfile");
    let mut found = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(continued) => current.push_str(continued),
            None => {
                current.push_str(line);
                found.push(current.split_whitespace().collect::<Vec<_>>().join(" "));
                current.clear();
            }
        }
    }
    found
}

#[test]
fn the_image_is_the_static_binary_on_an_empty_base_as_a_non_root_user() {
    let instructions = instructions();
    let stages: Vec<&String> = instructions
        .iter()
        .filter(|line| line.starts_with("FROM "))
        .collect();
    assert_eq!(stages, ["FROM rust:1-alpine AS builder", "FROM scratch"]);
    let final_stage: Vec<&str> = instructions
        .iter()
        .skip_while(|line| line.as_str() != "FROM scratch")
        .map(String::as_str)
        .collect();
    assert_eq!(
        final_stage,
        [
            "FROM scratch",
            "ARG TARGETPLATFORM",
            "COPY --from=builder /out/${TARGETPLATFORM}/territoryctl /usr/local/bin/territoryctl",
            "USER 65532:65532",
            "WORKDIR /work",
            "ENTRYPOINT [\"/usr/local/bin/territoryctl\"]",
            "CMD [\"--help\"]",
        ]
    );
    // The builder writes the binary where the final stage takes it, for the platform built.
    assert!(
        instructions.iter().any(
            |line| line.starts_with("RUN cargo build --release --locked")
                && line.contains(
                    "cp target/release/territoryctl \"/out/${TARGETPLATFORM}/territoryctl\""
                )
        ),
        "{instructions:#?}"
    );
    assert!(instructions.contains(&"ARG TERRITORYCTL_BUILD_COMMIT=\"\"".to_owned()));
}

#[test]
fn the_release_replaces_the_builder_with_its_own_binaries_in_the_same_layout() {
    let workflow = std::fs::read_to_string(".github/workflows/release.yml").expect("read");
    assert!(workflow.contains("mkdir -p \"binaries/out/linux/$platform\""));
    assert!(workflow.contains("cp \"dist/territoryctl-$GITHUB_REF_NAME-$target/territoryctl\" \"binaries/out/linux/$platform/\""));
    assert!(
        workflow.contains("--build-context builder=binaries --platform linux/amd64,linux/arm64")
    );
    // The image is tried before it is pushed.
    let tried = workflow
        .find("docker run --rm territoryctl:candidate --version")
        .expect("tried");
    let pushed = workflow.find("--push .").expect("pushed");
    assert!(tried < pushed);
}

#[test]
fn the_build_context_leaves_out_what_is_built_installed_or_secret() {
    let ignored = std::fs::read_to_string(".dockerignore").expect("read .dockerignore");
    let patterns: Vec<&str> = ignored
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .collect();
    for pattern in ["target/", "**/node_modules/", ".git/", ".env"] {
        assert!(patterns.contains(&pattern), "{pattern} is not ignored");
    }
    // What the build needs is not.
    for needed in [
        "Cargo.lock",
        "src/",
        "simulator/",
        "build/",
        "build.rs",
        "examples/",
    ] {
        assert!(
            !patterns.contains(&needed),
            "{needed} must stay in the context"
        );
    }
}
