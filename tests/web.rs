//! Browser tests of the UI components, mounted in headless Chromium with real state (no worker involved).
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "wasm_bindgen_test functions are tests clippy does not know: a failed unwrap fails the test"
)]

use leptos::prelude::*;
use vejkort::components::legend::ClusterLegend;
use vejkort::components::notices::Notices;
use vejkort::components::ways::WaysPanel;
use vejkort::i18n::Lang;
use vejkort::state::{AppState, Inputs, UiError};
use vejkort_engine::dataset::Dataset;
use vejkort_engine::pipeline::{analyze_dataset, AnalysisOptions};
use vejkort_engine::progress::Silent;
use vejkort_protocol::{AnalysisError, InputError, JobId};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn host() -> HtmlElement {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let host: HtmlElement = document.create_element("div").expect("a div").unchecked_into();
    document.body().expect("a body").append_child(&host).expect("attached");
    host
}

fn small_analysis() -> vejkort_protocol::Analysis {
    let texts = [
        "ældre pleje hjem",
        "ældre pleje",
        "ældre hjemmepleje",
        "skole lærere",
        "skole klasser",
        "skole lærere klasser",
    ];
    let data = Dataset {
        columns: vec!["tekst".into()],
        rows: texts.iter().map(|t| vec![(*t).to_owned()]).collect(),
        ..Dataset::default()
    };
    let options =
        AnalysisOptions { clusters: vejkort_engine::cluster::ClusterCount::Fixed(2), ..AnalysisOptions::default() };
    analyze_dataset(data, &options, &mut Silent).expect("an analysis")
}

#[wasm_bindgen_test]
async fn legend_lists_clusters_and_ticks_ways() {
    let host = host();
    let state = AppState::new(Lang::En);
    // A map arrives as the answer to a job, which also starts the curation that way ticks are edits of.
    state.job.set(Some((JobId(1), Inputs::default())));
    state.finish(JobId(1), small_analysis());
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        provide_context(state);
        view! { <ClusterLegend/><WaysPanel/> }
    });
    leptos::task::tick().await;

    let items = host.query_selector_all("[data-testid=cluster-list] li[data-cluster-id]").expect("query");
    assert_eq!(items.length(), 2);
    let sizes: usize = (0..items.length())
        .map(|i| {
            items
                .item(i)
                .unwrap()
                .unchecked_into::<HtmlElement>()
                .get_attribute("data-size")
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(sizes, 6);

    // Clicking an entry highlights its cluster.
    let entry: HtmlElement =
        host.query_selector("li[data-cluster-id='1'] .cluster-entry").unwrap().unwrap().unchecked_into();
    entry.click();
    leptos::task::tick().await;
    assert_eq!(state.highlighted.get_untracked(), Some(1));
    assert_eq!(entry.get_attribute("aria-pressed").as_deref(), Some("true"));

    // Ticking way 3 for cluster 0 adds it to the way, which the way list shows.
    let tick: HtmlElement =
        host.query_selector("li[data-cluster-id='0'] input[data-way-id='3']").unwrap().unwrap().unchecked_into();
    tick.click();
    leptos::task::tick().await;
    let way = host.query_selector("[data-testid=way-list] li[data-way-id='3']").unwrap().unwrap();
    assert_eq!(way.get_attribute("data-clusters").as_deref(), Some("0"));
    assert_eq!(host.query_selector_all("[data-testid=way-list] li").unwrap().length(), 4);

    // The tick was an edit: undo takes cluster 0 out of the way again.
    assert!(state.can_undo());
    state.undo();
    leptos::task::tick().await;
    // The way list is keyed by the way's clusters, so the entry is a new element now.
    let way = host.query_selector("[data-testid=way-list] li[data-way-id='3']").unwrap().unwrap();
    assert_eq!(way.get_attribute("data-clusters").as_deref(), Some(""));
}

#[wasm_bindgen_test]
async fn errors_are_worded_in_the_chosen_language() {
    let host = host();
    let state = AppState::new(Lang::Da);
    state.error.set(Some(UiError::Analysis(AnalysisError::Input(InputError::EmptyFile { file: "svar.csv".into() }))));
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        provide_context(state);
        view! { <Notices/> }
    });
    leptos::task::tick().await;
    let message = || host.query_selector("[data-testid=error]").unwrap().unwrap().text_content().unwrap();
    assert_eq!(message(), "svar.csv: filen er tom.");
    state.lang.set(Lang::En);
    leptos::task::tick().await;
    assert_eq!(message(), "svar.csv: the file is empty");
}

#[wasm_bindgen_test]
async fn curation_shows_who_named_clusters_the_card_and_the_change_log() {
    use vejkort::components::card::ClusterCard;
    use vejkort::components::history::HistoryPanel;
    use vejkort_engine::curation::Edit;

    let host = host();
    let state = AppState::new(Lang::En);
    state.job.set(Some((JobId(1), Inputs::default())));
    state.finish(JobId(1), small_analysis());
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        provide_context(state);
        view! { <ClusterLegend/><ClusterCard/><HistoryPanel/> }
    });
    leptos::task::tick().await;
    let find = |selector: &str| host.query_selector(selector).expect("query");
    let attr = |selector: &str, name: &str| find(selector).and_then(|e| e.get_attribute(name));
    let count = |selector: &str| host.query_selector_all(selector).expect("query").length();

    assert_eq!(attr("li[data-cluster-id='0']", "data-provenance").as_deref(), Some("machine"));
    assert!(find("[data-testid=change-log]").is_none(), "no log before any edit");
    assert_eq!(attr("[data-testid=undo]", "disabled").as_deref(), Some(""));

    // The ✎ button opens the name field in place of the entry.
    let rename: HtmlElement = find("li[data-cluster-id='0'] [data-testid=rename-cluster]").unwrap().unchecked_into();
    rename.click();
    leptos::task::tick().await;
    assert!(find("li[data-cluster-id='0'] [data-testid=cluster-name-input]").is_some());

    state.edit(Edit::RenameCluster { cluster: 0, label: "Ældreplejen".into() }).expect("a rename");
    leptos::task::tick().await;
    assert_eq!(attr("li[data-cluster-id='0']", "data-provenance").as_deref(), Some("person"));
    assert_eq!(find("li[data-cluster-id='0'] .cluster-label").unwrap().text_content().as_deref(), Some("Ældreplejen"));
    assert_eq!(count("[data-testid=change-log] li"), 1);
    assert!(attr("[data-testid=undo]", "disabled").is_none());

    // The card quotes the cluster's own statements, verbatim.
    state.highlighted.set(Some(0));
    leptos::task::tick().await;
    assert!(find("[data-testid=cluster-card]").is_some());
    let quotes = host.query_selector_all("[data-testid=representative]").unwrap();
    let analysis = state.analysis.get_untracked().unwrap();
    let members: Vec<&str> = (0..analysis.assignments.len())
        .filter(|&i| analysis.assignments[i] == 0)
        .map(|i| analysis.text_of(i).unwrap())
        .collect();
    assert_eq!(quotes.length() as usize, members.len().min(3));
    for i in 0..quotes.length() {
        let quote = quotes.item(i).unwrap().text_content().unwrap();
        assert!(members.contains(&quote.as_str()), "{quote} is a statement of cluster 0");
    }

    // A refused edit is said in words; undo marks the log line.
    assert!(state.edit(Edit::MergeClusters { clusters: vec![0] }).is_err());
    leptos::task::tick().await;
    assert!(find("[data-testid=edit-error]").unwrap().text_content().unwrap().contains("at least two"));
    state.undo();
    leptos::task::tick().await;
    assert_eq!(attr("[data-testid=change-log] li", "data-undone").as_deref(), Some("true"));
    assert_eq!(attr("li[data-cluster-id='0']", "data-provenance").as_deref(), Some("machine"));
    state.lang.set(Lang::Da);
    leptos::task::tick().await;
    assert!(find("[data-testid=change-log] li").unwrap().text_content().unwrap().starts_with("Omdøbte"));
}
