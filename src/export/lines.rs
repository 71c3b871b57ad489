//! The indented line writer the YAML documents are built with.

/// A YAML document under construction, one line at a time.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    text: String,
}

impl Lines {
    /// Writes `content` at `indent` spaces.
    pub(crate) fn line(&mut self, indent: usize, content: &str) {
        self.text.extend(std::iter::repeat_n(' ', indent));
        self.text.push_str(content);
        self.text.push('\n');
    }

    /// Writes a line with nothing on it (not even indentation, so that block scalars around
    /// it are not changed).
    pub(crate) fn blank(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }

    /// Writes `text` as a comment at `indent`; every line of it gets its own `#`, and characters
    /// that would end or corrupt a comment line are replaced by spaces.
    pub(crate) fn comment(&mut self, indent: usize, text: &str) {
        for line in text.split('\n') {
            let clean: String = line
                .chars()
                .map(|c| {
                    if super::quote::needs_escape(c) {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            let clean = clean.trim_end();
            if clean.is_empty() {
                self.line(indent, "#");
            } else {
                self.line(indent, &format!("# {clean}"));
            }
        }
    }

    /// Appends `other`'s lines, each turned into a comment: `# ` is inserted at `indent` so that
    /// deleting it gives back the YAML (the lines of `other` must be indented at least `indent`).
    pub(crate) fn commented(&mut self, indent: usize, other: &Self) {
        for line in other.text.lines() {
            // Split after the leading spaces (never inside a character), at most `indent`.
            let spaces = line.len() - line.trim_start_matches(' ').len();
            let (lead, rest) = line.split_at(indent.min(spaces));
            let rest: String = rest
                .chars()
                .map(|c| {
                    if super::quote::needs_escape(c) {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            self.text.push_str(lead);
            self.text.push_str("# ");
            self.text.push_str(&rest);
            self.text.push('\n');
        }
    }

    /// Appends `other`'s lines as they are.
    pub(crate) fn append(&mut self, other: Self) {
        self.text.push_str(&other.text);
    }

    pub(crate) fn into_text(self) -> String {
        self.text
    }
}
