//! The ways: create, name, describe, colour, order along the axis, delete, show or focus each one.
//!
//! Every change is an [`Edit`] through [`AppState::edit`], so it lands in the change log and undo brings it
//! back; showing, hiding and focusing are view choices and are not. Focusing a way dims the rest of the map,
//! which is how a facilitator walks a room through one way at a time.

use std::borrow::Cow;

use leptos::prelude::*;
use vejkort_engine::curation::Edit;
use vejkort_engine::ways::Ways;

use crate::state::AppState;

/// Opacity of points outside the focused way: still there to orient by, but clearly not the subject.
const UNFOCUSED_OPACITY: f32 = 0.15;
/// Colours for new ways, from the Okabe–Ito palette the default ways use, so they stay told apart.
const NEW_WAY_COLOURS: [&str; 8] =
    ["#56B4E9", "#D55E00", "#F0E442", "#000000", "#E69F00", "#0072B2", "#009E73", "#CC79A7"];

/// The ways whose outlines are drawn: with a way in focus, only it (whether or not it is ticked visible).
pub(crate) fn shown_ways(ways: &Ways, focused: Option<u32>) -> Cow<'_, Ways> {
    match focused {
        Some(id) if ways.ways.iter().any(|w| w.id == id) => {
            let mut only = ways.clone();
            only.ways.retain(|w| w.id == id);
            for way in &mut only.ways {
                way.visible = true;
            }
            Cow::Owned(only)
        }
        _ => Cow::Borrowed(ways),
    }
}

/// Per-point opacity for the focused way: its clusters' points full, the rest dimmed; empty without a focus.
pub(crate) fn focus_opacity(assignments: &[i32], ways: &Ways, focused: Option<u32>) -> Vec<f32> {
    let Some(way) = focused.and_then(|id| ways.ways.iter().find(|w| w.id == id)) else { return Vec::new() };
    assignments.iter().map(|id| if way.clusters.contains(id) { 1.0 } else { UNFOCUSED_OPACITY }).collect()
}

/// A colour no way has yet, if the palette has one left.
fn unused_colour(ways: &Ways) -> String {
    NEW_WAY_COLOURS
        .iter()
        .find(|c| !ways.ways.iter().any(|w| w.colour.eq_ignore_ascii_case(c)))
        .unwrap_or(&NEW_WAY_COLOURS[0])
        .to_string()
}

#[component]
pub fn WaysPanel() -> impl IntoView {
    let state = AppState::use_context();
    let text = move || state.lang.get().strings();
    let ids = move || state.ways.with(|w| w.ways.iter().map(|w| w.id).collect::<Vec<_>>());
    let axis = move || state.ways.with(|w| (w.axis_start.clone(), w.axis_end.clone()));
    // The last refused edit of this panel, worded when shown so it follows the language.
    let problem = RwSignal::new(None::<vejkort_engine::curation::EditError>);
    let edit = move |edit: Edit| match state.edit(edit) {
        Ok(()) => {
            problem.set(None);
            true
        }
        Err(error) => {
            problem.set(Some(error));
            false
        }
    };
    let new_name = RwSignal::new(String::new());
    let create = move || {
        let name = new_name.get_untracked().trim().to_owned();
        let colour = state.ways.with_untracked(unused_colour);
        if edit(Edit::CreateWay { name, description: String::new(), colour }) {
            new_name.set(String::new());
        }
    };
    let axis_start = RwSignal::new(String::new());
    let axis_end = RwSignal::new(String::new());
    Effect::new(move |_| {
        let (start, end) = axis();
        axis_start.set(start);
        axis_end.set(end);
    });
    let has_map = move || state.analysis.with(Option::is_some);

    view! {
        <section class="panel ways" aria-labelledby="ways-heading">
            <h2 id="ways-heading">{move || text().ways}</h2>
            <div class="axis" aria-hidden="true">
                <span>{move || axis().0}</span>
                <span class="axis-line"></span>
                <span>{move || axis().1}</span>
            </div>
            <ol class="way-list" data-testid="way-list">
                <For each=ids key=|id| *id let:id>
                    <WayItem id=id edit=edit/>
                </For>
            </ol>
            {move || {
                problem
                    .get()
                    .map(|error| {
                        view! {
                            <p class="way-error" role="alert" data-testid="way-error">
                                {state.lang.get().way_edit_error(&error)}
                            </p>
                        }
                    })
            }}
            <form
                class="way-create"
                on:submit=move |event: web_sys::SubmitEvent| {
                    event.prevent_default();
                    create();
                }
            >
                <label class="visually-hidden" for="new-way-name">{move || text().way_name}</label>
                <input
                    id="new-way-name"
                    type="text"
                    data-testid="way-name-input"
                    placeholder=move || text().new_way
                    prop:value=move || new_name.get()
                    on:input=move |event| new_name.set(event_target_value(&event))
                    disabled=move || !has_map()
                />
                <button class="button" type="submit" data-testid="create-way" disabled=move || !has_map()>
                    {move || text().add_way}
                </button>
            </form>
            <details class="axis-ends">
                <summary>{move || text().axis_ends}</summary>
                <form on:submit=move |event: web_sys::SubmitEvent| {
                    event.prevent_default();
                    let (start, end) = (axis_start.get_untracked(), axis_end.get_untracked());
                    if (start.clone(), end.clone()) != axis() {
                        edit(Edit::NameAxis { start: start.trim().to_owned(), end: end.trim().to_owned() });
                    }
                }>
                    <label>
                        {move || text().axis_start}
                        <input
                            type="text"
                            data-testid="axis-start-input"
                            prop:value=move || axis_start.get()
                            on:input=move |event| axis_start.set(event_target_value(&event))
                        />
                    </label>
                    <label>
                        {move || text().axis_end}
                        <input
                            type="text"
                            data-testid="axis-end-input"
                            prop:value=move || axis_end.get()
                            on:input=move |event| axis_end.set(event_target_value(&event))
                        />
                    </label>
                    <button class="button" type="submit" data-testid="name-axis" disabled=move || !has_map()>
                        {move || text().save}
                    </button>
                </form>
            </details>
        </section>
    }
}

/// One way in the list, with its editor folded away until asked for.
#[component]
fn WayItem(id: u32, edit: impl Fn(Edit) -> bool + Copy + Send + Sync + 'static) -> impl IntoView {
    let state = AppState::use_context();
    let text = move || state.lang.get().strings();
    let way = move || state.ways.with(|w| w.ways.iter().find(|w| w.id == id).cloned());
    let field = move |f: fn(&vejkort_engine::ways::Way) -> String| move || way().as_ref().map(f).unwrap_or_default();
    let name = field(|w| w.name.clone());
    let colour = field(|w| w.colour.clone());
    let description = field(|w| w.description.clone());
    let clusters = field(|w| w.clusters.iter().map(i32::to_string).collect::<Vec<_>>().join(","));
    let visible = move || way().is_some_and(|w| w.visible);
    let index = move || state.ways.with(|w| w.ways.iter().position(|w| w.id == id));
    let count = move || state.ways.with(|w| w.ways.len());
    let focused = move || state.focused_way.get() == Some(id);
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let draft_name = RwSignal::new(String::new());
    let draft_description = RwSignal::new(String::new());
    let move_by = move |step: isize| {
        let Some(at) = index() else { return };
        let to = at as isize + step;
        if to >= 0 && (to as usize) < count() {
            edit(Edit::MoveWay { way: id, index: to as usize });
        }
    };
    let save = move || {
        let (new_name, new_description) = (draft_name.get_untracked(), draft_description.get_untracked());
        let mut ok = true;
        if new_name.trim() != name() {
            ok &= edit(Edit::RenameWay { way: id, name: new_name.trim().to_owned() });
        }
        if ok && new_description.trim() != description() {
            ok &= edit(Edit::DescribeWay { way: id, description: new_description.trim().to_owned() });
        }
        if ok {
            editing.set(false);
        }
    };

    view! {
        <li
            data-way-id=id
            data-clusters=clusters
            class:focused=focused
            on:keydown=move |event: web_sys::KeyboardEvent| {
                // Alt+arrows move the way along the axis from anywhere in its row.
                if event.alt_key() {
                    match event.key().as_str() {
                        "ArrowUp" => move_by(-1),
                        "ArrowDown" => move_by(1),
                        _ => return,
                    }
                    event.prevent_default();
                }
            }
        >
            <div class="way-row">
                <label class="way-toggle">
                    <input
                        type="checkbox"
                        prop:checked=visible
                        style:accent-color=colour
                        title=move || text().show_way
                        on:change=move |event| {
                            let visible = event_target_checked(&event);
                            state.set_way_visible(id, visible);
                        }
                    />
                    <span class="swatch" style:background-color=colour></span>
                    <strong data-testid="way-name">{name}</strong>
                </label>
                <span class="way-buttons">
                    <button
                        class="button icon small"
                        data-testid="focus-way"
                        aria-pressed=move || focused().to_string()
                        title=move || if focused() { text().unfocus_way } else { text().focus_way }
                        aria-label=move || if focused() { text().unfocus_way } else { text().focus_way }
                        on:click=move |_| state.focused_way.update(|f| *f = if *f == Some(id) { None } else { Some(id) })
                    >
                        "◎"
                    </button>
                    <button
                        class="button icon small"
                        data-testid="move-way-up"
                        aria-label=move || text().move_earlier
                        title=move || format!("{} (Alt+↑)", text().move_earlier)
                        disabled=move || index() == Some(0)
                        on:click=move |_| move_by(-1)
                    >
                        "↑"
                    </button>
                    <button
                        class="button icon small"
                        data-testid="move-way-down"
                        aria-label=move || text().move_later
                        title=move || format!("{} (Alt+↓)", text().move_later)
                        disabled=move || index().is_none_or(|i| i + 1 >= count())
                        on:click=move |_| move_by(1)
                    >
                        "↓"
                    </button>
                    <button
                        class="button icon small"
                        data-testid="edit-way"
                        aria-expanded=move || editing.get().to_string()
                        aria-label=move || text().edit_way
                        title=move || text().edit_way
                        on:click=move |_| {
                            draft_name.set(name());
                            draft_description.set(description());
                            confirming.set(false);
                            editing.update(|e| *e = !*e);
                        }
                    >
                        "✎"
                    </button>
                </span>
            </div>
            <p class="way-description">{description}</p>
            <Show when=move || editing.get()>
                <form
                    class="way-editor"
                    on:submit=move |event: web_sys::SubmitEvent| {
                        event.prevent_default();
                        save();
                    }
                >
                    <label>
                        {move || text().rename}
                        <input
                            type="text"
                            data-testid="way-rename-input"
                            prop:value=move || draft_name.get()
                            on:input=move |event| draft_name.set(event_target_value(&event))
                        />
                    </label>
                    <label>
                        {move || text().description}
                        <textarea
                            rows="3"
                            data-testid="way-description-input"
                            prop:value=move || draft_description.get()
                            on:input=move |event| draft_description.set(event_target_value(&event))
                        ></textarea>
                    </label>
                    <label class="way-colour">
                        {move || text().colour}
                        <input
                            type="color"
                            data-testid="way-colour-input"
                            prop:value=move || colour().to_lowercase()
                            on:change=move |event| {
                                let picked = event_target_value(&event);
                                if !picked.eq_ignore_ascii_case(&colour()) {
                                    edit(Edit::RecolourWay { way: id, colour: picked });
                                }
                            }
                        />
                    </label>
                    <div class="way-editor-actions">
                        <button class="button primary" type="submit" data-testid="save-way">{move || text().save}</button>
                        <button
                            class="button danger"
                            type="button"
                            data-testid="delete-way"
                            on:click=move |_| confirming.set(true)
                        >
                            {move || text().delete_way}
                        </button>
                    </div>
                    <Show when=move || confirming.get()>
                        <p class="way-confirm" role="alertdialog">
                            {move || text().confirm_delete_way}
                            " "
                            <button
                                class="button danger"
                                type="button"
                                data-testid="confirm-delete-way"
                                on:click=move |_| {
                                    if edit(Edit::DeleteWay { way: id }) && state.focused_way.get_untracked() == Some(id) {
                                        state.focused_way.set(None);
                                    }
                                }
                            >
                                {move || text().delete_way}
                            </button>
                            <button class="button" type="button" on:click=move |_| confirming.set(false)>
                                {move || state.lang.get().strings().cancel}
                            </button>
                        </p>
                    </Show>
                </form>
            </Show>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_keeps_one_outline_and_dims_the_rest() {
        let mut ways = Ways::default();
        ways.toggle(2, 0);
        ways.set_visible(2, false);
        let shown = shown_ways(&ways, Some(2));
        assert_eq!(shown.ways.iter().map(|w| (w.id, w.visible)).collect::<Vec<_>>(), [(2, true)]);
        assert_eq!(shown_ways(&ways, None).ways.len(), 4);
        // A focus on a way that is gone (deleted, undone) shows everything.
        assert_eq!(shown_ways(&ways, Some(99)).ways.len(), 4);

        let assignments = [0, 1, -1, 0];
        assert_eq!(focus_opacity(&assignments, &ways, Some(2)), [1.0, UNFOCUSED_OPACITY, UNFOCUSED_OPACITY, 1.0]);
        assert!(focus_opacity(&assignments, &ways, None).is_empty());
    }

    #[test]
    fn new_ways_get_a_colour_no_way_has() {
        let ways = Ways::default();
        let colour = unused_colour(&ways);
        assert!(!ways.ways.iter().any(|w| w.colour.eq_ignore_ascii_case(&colour)));
    }
}
