//! Building the tour: saved views with captions that presenter mode steps through, in the order of this list.
//!
//! A stop is the view on screen when it was added (camera, focused way or cluster, filters, search). Tour edits
//! are not cluster or way edits, so they have their own small undo here rather than a place in the curation's
//! change log; the tour itself travels in the project file.

use leptos::prelude::*;
use vejkort_engine::project::TourStop;

use crate::components::present::{capture, go_to_stop};
use crate::state::AppState;

/// How many earlier tours the undo button can bring back.
const UNDO_DEPTH: usize = 50;

/// Moves the stop at `from` by `delta` places; false (and no change) at either end.
pub fn move_stop(tour: &mut [TourStop], from: usize, delta: isize) -> bool {
    let Some(to) = from.checked_add_signed(delta).filter(|&to| to < tour.len()) else { return false };
    if from >= tour.len() {
        return false;
    }
    tour.swap(from, to);
    true
}

/// One change to the tour; it says whether it changed anything (moving the first stop up does not).
type TourEdit = Box<dyn FnOnce(&mut Vec<TourStop>) -> bool>;

#[component]
pub fn TourPanel() -> impl IntoView {
    let state = AppState::use_context();
    let text = move || state.lang.get().strings();
    let has_map = move || state.analysis.with(Option::is_some);
    let undo_stack = StoredValue::new(Vec::<Vec<TourStop>>::new());
    let can_undo = RwSignal::new(false);
    // Every change goes through here, so it can be undone.
    let change = move |edit: TourEdit| {
        let before = state.tour.get_untracked();
        let mut after = before.clone();
        if !edit(&mut after) || after == before {
            return;
        }
        undo_stack.update_value(|stack| {
            stack.push(before);
            if stack.len() > UNDO_DEPTH {
                stack.remove(0);
            }
        });
        can_undo.set(true);
        state.tour.set(after);
    };
    let undo = move || {
        if let Some(previous) = undo_stack.try_update_value(Vec::pop).flatten() {
            let len = previous.len();
            state.tour.set(previous);
            state.tour_at.update(|at| *at = at.filter(|&i| i < len));
        }
        can_undo.set(undo_stack.with_value(|s| !s.is_empty()));
    };
    let add = move || {
        let stop = TourStop { caption: String::new(), view: capture(state) };
        change(Box::new(move |tour| {
            tour.push(stop);
            true
        }));
        state.tour_at.set(Some(state.tour.with_untracked(Vec::len) - 1));
    };
    let indices = move || state.tour.with(|tour| (0..tour.len()).collect::<Vec<_>>());

    view! {
        <section class="panel tour" data-testid="tour" aria-labelledby="tour-heading">
            <h2 id="tour-heading">{move || text().tour_heading}</h2>
            <Show when=move || state.tour.with(Vec::is_empty)>
                <p class="hint">{move || text().tour_empty}</p>
            </Show>
            <ol class="tour-list" data-testid="tour-list">
                <For each=indices key=|&i| i let:index>
                    {
                        let caption = move || state.tour.with(|t| t.get(index).map(|s| s.caption.clone()).unwrap_or_default());
                        let current = move || state.tour_at.get() == Some(index);
                        let label = move || state.lang.get().tour_stop_name(index + 1);
                        view! {
                            <li class="tour-stop" data-testid="tour-stop" data-index=index class:current=current>
                                <button
                                    class="button subtle tour-go"
                                    data-testid="tour-go"
                                    aria-current=move || current().then_some("step")
                                    on:click=move |_| go_to_stop(state, index)
                                >
                                    {label}
                                </button>
                                <input
                                    type="text"
                                    class="tour-caption-input"
                                    data-testid="tour-caption-input"
                                    aria-label=move || format!("{} – {}", text().tour_caption, label())
                                    placeholder=move || text().tour_caption
                                    prop:value=caption
                                    on:change=move |event| {
                                        let value = event_target_value(&event);
                                        change(Box::new(move |tour| {
                                            tour.get_mut(index).map(|stop| stop.caption = value).is_some()
                                        }));
                                    }
                                />
                                <span class="tour-stop-actions">
                                    <button
                                        class="button icon"
                                        data-testid="tour-update"
                                        title=move || text().tour_update
                                        aria-label=move || text().tour_update
                                        on:click=move |_| {
                                            let view = capture(state);
                                            change(Box::new(move |tour| tour.get_mut(index).map(|stop| stop.view = view).is_some()));
                                        }
                                    >"⌖"</button>
                                    <button
                                        class="button icon"
                                        data-testid="tour-up"
                                        title=move || text().tour_up
                                        aria-label=move || text().tour_up
                                        disabled=move || index == 0
                                        on:click=move |_| change(Box::new(move |tour| move_stop(tour, index, -1)))
                                    >"↑"</button>
                                    <button
                                        class="button icon"
                                        data-testid="tour-down"
                                        title=move || text().tour_down
                                        aria-label=move || text().tour_down
                                        disabled=move || { index + 1 >= state.tour.with(Vec::len) }
                                        on:click=move |_| change(Box::new(move |tour| move_stop(tour, index, 1)))
                                    >"↓"</button>
                                    <button
                                        class="button icon"
                                        data-testid="tour-delete"
                                        title=move || text().tour_delete
                                        aria-label=move || text().tour_delete
                                        on:click=move |_| {
                                            change(Box::new(move |tour| {
                                                if index < tour.len() {
                                                    tour.remove(index);
                                                    true
                                                } else {
                                                    false
                                                }
                                            }));
                                            state.tour_at.set(None);
                                        }
                                    >"×"</button>
                                </span>
                            </li>
                        }
                    }
                </For>
            </ol>
            <div class="tour-actions">
                <button class="button" data-testid="tour-add" disabled=move || !has_map() on:click=move |_| add()>
                    {move || text().tour_add}
                </button>
                <button class="button subtle" data-testid="tour-undo" disabled=move || !can_undo.get() on:click=move |_| undo()>
                    {move || text().tour_undo}
                </button>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stops(captions: &[&str]) -> Vec<TourStop> {
        captions.iter().map(|c| TourStop { caption: (*c).into(), ..TourStop::default() }).collect()
    }

    fn captions(tour: &[TourStop]) -> Vec<&str> {
        tour.iter().map(|s| s.caption.as_str()).collect()
    }

    #[test]
    fn stops_move_within_the_tour_only() {
        let mut tour = stops(&["a", "b", "c"]);
        assert!(move_stop(&mut tour, 2, -1));
        assert_eq!(captions(&tour), ["a", "c", "b"]);
        assert!(move_stop(&mut tour, 0, 1));
        assert_eq!(captions(&tour), ["c", "a", "b"]);
        assert!(!move_stop(&mut tour, 0, -1));
        assert!(!move_stop(&mut tour, 2, 1));
        assert!(!move_stop(&mut tour, 7, -1));
        assert_eq!(captions(&tour), ["c", "a", "b"]);
    }
}
