//! Choices the browser remembers between visits (in `localStorage`, which never leaves the browser).
//!
//! Only settings live here, never data: how texts become vectors is remembered because the language model is
//! a large download that a user on a slow line may prefer to skip every time.

use vejkort_engine::pipeline::Vectoriser;

const VECTORISER_KEY: &str = "vejkort.vectoriser";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The vectoriser chosen on an earlier visit; the language model when none was chosen.
pub fn vectoriser() -> Vectoriser {
    match storage().and_then(|s| s.get_item(VECTORISER_KEY).ok().flatten()).as_deref() {
        Some("tfidf") => Vectoriser::TfIdf,
        Some("instant") => Vectoriser::Instant,
        _ => Vectoriser::Model,
    }
}

pub fn remember_vectoriser(vectoriser: Vectoriser) {
    let value = match vectoriser {
        // The own model's files are not kept between visits, so the next visit starts with the built-in model.
        Vectoriser::Model | Vectoriser::OwnModel => "model",
        Vectoriser::TfIdf => "tfidf",
        Vectoriser::Instant => "instant",
    };
    if let Some(storage) = storage() {
        // Storage may be full or disabled (private windows); the choice then lasts this visit only.
        let _ = storage.set_item(VECTORISER_KEY, value);
    }
}
