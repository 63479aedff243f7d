//! The axis strip under the map: the ways in their order from the axis's start to its end, as in the seed
//! study's figure, so a room sees where each way sits while the map shows what it holds. A chip focuses its
//! way; clicking it again shows all.

use leptos::prelude::*;

use crate::state::AppState;

#[component]
pub fn AxisStrip() -> impl IntoView {
    let state = AppState::use_context();
    let axis = move || state.ways.with(|w| (w.axis_start.clone(), w.axis_end.clone()));
    let chips = move || {
        state.ways.with(|w| w.ways.iter().map(|w| (w.id, w.name.clone(), w.colour.clone())).collect::<Vec<_>>())
    };

    view! {
        <nav class="axis-strip" data-testid="axis" aria-label=move || state.lang.get().strings().axis_label>
            <span class="axis-end" data-testid="axis-start">{move || axis().0}</span>
            <ol class="axis-chips">
                <For each=chips key=|chip| chip.clone() let:chip>
                    {
                        let (id, name, colour) = chip;
                        let focused = move || state.focused_way.get() == Some(id);
                        view! {
                            <li>
                                <button
                                    class="axis-chip"
                                    data-way-id=id
                                    class:focused=focused
                                    aria-pressed=move || focused().to_string()
                                    style:border-color=colour.clone()
                                    data-colour=colour.clone()
                                    on:click=move |_| {
                                        state.focused_way.update(|f| *f = if *f == Some(id) { None } else { Some(id) })
                                    }
                                >
                                    <span class="swatch" style:background-color=colour.clone()></span>
                                    {name}
                                </button>
                            </li>
                        }
                    }
                </For>
            </ol>
            <span class="axis-end" data-testid="axis-end">{move || axis().1}</span>
        </nav>
    }
}
