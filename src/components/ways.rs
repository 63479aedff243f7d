//! The ways: their order along the axis, their descriptions, and whether each is drawn on the map.

use leptos::prelude::*;

use crate::state::AppState;

#[component]
pub fn WaysPanel() -> impl IntoView {
    let state = AppState::use_context();
    let ways = move || state.ways.get().ways;
    let axis = move || state.ways.with(|w| (w.axis_start.clone(), w.axis_end.clone()));

    view! {
        <section class="panel ways" aria-labelledby="ways-heading">
            <h2 id="ways-heading">{move || state.lang.get().strings().ways}</h2>
            <div class="axis" aria-hidden="true">
                <span>{move || axis().0}</span>
                <span class="axis-line"></span>
                <span>{move || axis().1}</span>
            </div>
            <ol class="way-list" data-testid="way-list">
                <For each=ways key=|w| (w.id, w.clusters.clone(), w.visible) let:way>
                    {
                        let id = way.id;
                        let clusters = way.clusters.iter().map(i32::to_string).collect::<Vec<_>>().join(",");
                        view! {
                            <li data-way-id=id data-clusters=clusters>
                                <label class="way-toggle">
                                    <input
                                        type="checkbox"
                                        prop:checked=way.visible
                                        style:accent-color=way.colour.clone()
                                        title=move || state.lang.get().strings().show_way
                                        on:change=move |event| {
                                            let visible = event_target_checked(&event);
                                            state.set_way_visible(id, visible);
                                        }
                                    />
                                    <span class="swatch" style:background-color=way.colour.clone()></span>
                                    <strong>{way.name.clone()}</strong>
                                </label>
                                <p class="way-description">{way.description.clone()}</p>
                            </li>
                        }
                    }
                </For>
            </ol>
        </section>
    }
}
