//! Stopping an apply half-way on Ctrl-C: no new batch is launched, the ones in flight finish
//! (a write cut off mid-air is exactly the unclear outcome we avoid), and the report says what
//! was not sent.

use std::sync::Arc;

use tokio::sync::watch;

/// A cancellation flag shared by whoever asks to stop and the executor.
#[derive(Clone, Debug)]
pub struct Cancel {
    sender: Arc<watch::Sender<bool>>,
}

impl Default for Cancel {
    fn default() -> Self {
        Self {
            sender: Arc::new(watch::channel(false).0),
        }
    }
}

impl Cancel {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the executor to stop launching batches.
    pub fn cancel(&self) {
        self.sender.send_replace(true);
    }

    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        *self.sender.borrow()
    }

    /// Resolves once [`Cancel::cancel`] was called.
    pub async fn cancelled(&self) {
        let mut receiver = self.sender.subscribe();
        // `wait_for` fails only when the sender is gone, and `self` holds it.
        let _ = receiver.wait_for(|cancelled| *cancelled).await;
    }

    /// Cancels on the first Ctrl-C (SIGINT). The returned task ends with the runtime.
    pub fn on_ctrl_c(&self) -> tokio::task::JoinHandle<()> {
        let cancel = self.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.cancel();
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Cancel;

    #[tokio::test]
    async fn cancelled_resolves_after_cancel() {
        let cancel = Cancel::new();
        assert!(!cancel.is_cancelled());
        let waiter = tokio::spawn({
            let cancel = cancel.clone();
            async move { cancel.cancelled().await }
        });
        cancel.cancel();
        waiter.await.unwrap();
        assert!(cancel.is_cancelled());
        // Once cancelled, waiting returns at once.
        cancel.cancelled().await;
    }
}
