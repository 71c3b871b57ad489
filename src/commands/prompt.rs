//! The one confirmation prompt of the commands that write (`apply`, `records assign|remove`):
//! only `yes` goes on, as Terraform asks before an apply. A change to an org is not undone by
//! a second keystroke, so `y`, `Y` or `YES` typed by habit do not count.

use std::io::{BufRead, IsTerminal, Write};

/// The one answer that goes on.
pub const YES: &str = "yes";

/// Why a prompt did not go on.
#[derive(Debug)]
pub enum Refusal {
    /// stdin is not a terminal: there is no one to ask (`--yes` confirms without one).
    NoTerminal,
    /// The answer was not `yes` (or there was none: end of input).
    Declined,
    /// The answer could not be read.
    Unreadable(std::io::Error),
}

/// Asks `question` on `prompt` and reads one line of `answers`: [`YES`] alone (surrounding
/// whitespace aside) goes on, anything else, and end of input, declines. The prompt is best
/// effort: the answer is what counts.
///
/// # Errors
/// [`Refusal::Declined`], or [`Refusal::Unreadable`] when reading fails.
pub fn ask(
    question: &str,
    answers: &mut dyn BufRead,
    prompt: &mut dyn Write,
) -> Result<(), Refusal> {
    let _ = write!(prompt, "{question} Only `{YES}` is accepted: ");
    let _ = prompt.flush();
    let mut answer = String::new();
    answers
        .read_line(&mut answer)
        .map_err(Refusal::Unreadable)?;
    if answer.trim() == YES {
        Ok(())
    } else {
        Err(Refusal::Declined)
    }
}

/// [`ask`] on the terminal: the answer comes from stdin, so stdin is the terminal that counts,
/// while the prompt goes to `prompt` (stderr, which may be a pipe, as in
/// `apply 2>&1 | tee apply.log`).
///
/// # Errors
/// [`Refusal::NoTerminal`] when stdin is not a terminal, else as [`ask`].
pub fn ask_terminal(question: &str, prompt: &mut dyn Write) -> Result<(), Refusal> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(Refusal::NoTerminal);
    }
    ask(question, &mut stdin.lock(), prompt)
}

#[cfg(test)]
mod tests {
    use super::{Refusal, ask};

    fn answer(typed: &str) -> (Result<(), Refusal>, String) {
        let mut prompt = Vec::new();
        let result = ask("Apply?", &mut typed.as_bytes(), &mut prompt);
        (result, String::from_utf8(prompt).unwrap())
    }

    #[test]
    fn only_yes_goes_on() {
        for typed in ["yes\n", "yes", "  yes \r\n", "yes\nno\n"] {
            assert!(answer(typed).0.is_ok(), "{typed:?}");
        }
    }

    #[test]
    fn every_other_answer_declines() {
        for typed in [
            "y\n",
            "Y\n",
            "YES\n",
            "Yes\n",
            "yes please\n",
            "no\n",
            "\n",
            "",
            "ye\n",
            "\nyes\n",
        ] {
            assert!(
                matches!(answer(typed).0, Err(Refusal::Declined)),
                "{typed:?}"
            );
        }
    }

    #[test]
    fn the_prompt_asks_the_question_and_names_the_answer() {
        let (_, prompt) = answer("no\n");
        assert_eq!(prompt, "Apply? Only `yes` is accepted: ");
    }

    #[test]
    fn an_unreadable_answer_is_not_a_yes() {
        struct Broken;
        impl std::io::Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("gone"))
            }
        }
        let mut answers = std::io::BufReader::new(Broken);
        let result = ask("Apply?", &mut answers, &mut Vec::new());
        assert!(matches!(result, Err(Refusal::Unreadable(_))));
    }
}
