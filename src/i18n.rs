//! Every word the interface says, in Danish and English.
//!
//! One [`Strings`] value per language, so a string missing in one language is a compile error, not a blank in
//! the UI. Messages with values (errors, counts) are functions of the language. The default language follows
//! the browser's; the user can switch.

use vejkort_engine::curation::{EditError, Outcome};
use vejkort_engine::error::{Unit, Warning};
use vejkort_engine::pipeline::ClusterSummary;
use vejkort_protocol::{AnalysisError, InputError, Stage};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Da,
    En,
}

impl Lang {
    /// Danish for browsers set to Danish (or Norwegian, which reads it), English otherwise.
    pub fn from_browser_language(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        if matches!(primary.as_str(), "da" | "nb" | "nn" | "no") {
            Lang::Da
        } else {
            Lang::En
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Da => Lang::En,
            Lang::En => Lang::Da,
        }
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Da => &DA,
            Lang::En => &EN,
        }
    }
}

pub struct Strings {
    pub tagline: &'static str,
    pub load_files: &'static str,
    pub load_example: &'static str,
    pub export_csv: &'static str,
    pub switch_language: &'static str,
    pub drop_here: &'static str,
    pub formats: &'static str,
    pub privacy: &'static str,
    pub cancel: &'static str,
    pub clusters: &'static str,
    pub ways: &'static str,
    pub columns: &'static str,
    pub text_column: &'static str,
    pub kind_column: &'static str,
    pub respondent_column: &'static str,
    pub group_column: &'static str,
    pub sheet: &'static str,
    pub none: &'static str,
    pub cluster_count: &'static str,
    pub automatic: &'static str,
    pub rerun: &'static str,
    pub zoom_in: &'static str,
    pub zoom_out: &'static str,
    pub reset_view: &'static str,
    pub map_label: &'static str,
    pub map_help: &'static str,
    pub present: &'static str,
    pub present_exit: &'static str,
    pub presenter_keys: &'static str,
    pub hide_statements: &'static str,
    pub show_statements: &'static str,
    pub tour_heading: &'static str,
    pub tour_empty: &'static str,
    pub tour_add: &'static str,
    pub tour_caption: &'static str,
    pub tour_update: &'static str,
    pub tour_up: &'static str,
    pub tour_down: &'static str,
    pub tour_delete: &'static str,
    pub tour_undo: &'static str,
    pub tour_previous: &'static str,
    pub tour_next: &'static str,
    pub share_view: &'static str,
    pub copy_link: &'static str,
    pub link_copied: &'static str,
    pub link_copy_refused: &'static str,
    pub share_needs_project: &'static str,
    pub explorer_heading: &'static str,
    pub show_way: &'static str,
    pub in_way: &'static str,
    pub error_title: &'static str,
    pub dismiss: &'static str,
    pub warnings: &'static str,
    pub empty_title: &'static str,
    pub empty_body: &'static str,
    pub vectors_from_tfidf: &'static str,
    pub vectors_provided: &'static str,
    pub worker_crashed: &'static str,
    pub method: &'static str,
    pub layout_method: &'static str,
    pub layout_umap: &'static str,
    pub layout_pca_option: &'static str,
    pub cluster_method: &'static str,
    pub cluster_hdbscan: &'static str,
    pub cluster_kmeans: &'static str,
    pub min_cluster_size: &'static str,
    pub neighbours: &'static str,
    pub vectors_from_model: &'static str,
    pub layout_umap_summary: &'static str,
    pub vectoriser: &'static str,
    pub vectoriser_model: &'static str,
    pub vectoriser_tfidf: &'static str,
    pub vectoriser_instant: &'static str,
    pub rename_cluster: &'static str,
    pub cluster_name: &'static str,
    pub select_cluster: &'static str,
    pub merge_selected: &'static str,
    pub split_cluster: &'static str,
    pub reset_label: &'static str,
    pub named_by_person: &'static str,
    pub named_by_machine: &'static str,
    pub curation_help: &'static str,
    pub cluster_card: &'static str,
    pub size: &'static str,
    pub share_of_respondents: &'static str,
    pub top_terms: &'static str,
    pub description: &'static str,
    pub description_placeholder: &'static str,
    pub representatives: &'static str,
    pub undo: &'static str,
    pub redo: &'static str,
    pub undo_shortcut: &'static str,
    pub redo_shortcut: &'static str,
    pub change_log: &'static str,
    pub no_changes: &'static str,
    pub undone: &'static str,
    pub edit_refused: &'static str,
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub search_help: &'static str,
    pub lasso: &'static str,
    pub lasso_help: &'static str,
    pub show_table: &'static str,
    pub table_label: &'static str,
    pub statement: &'static str,
    pub cluster: &'static str,
    pub noise: &'static str,
    pub show_more: &'static str,
    pub select_row: &'static str,
    pub selection: &'static str,
    pub selection_empty: &'static str,
    pub export_selection: &'static str,
    pub move_to_cluster: &'static str,
    pub move_button: &'static str,
    pub mark_noise: &'static str,
    pub clear_selection: &'static str,
    pub point_card: &'static str,
    pub close: &'static str,
    pub neighbours_heading: &'static str,
    pub filters: &'static str,
    pub filter_column: &'static str,
    pub filter_reset: &'static str,
    pub filter_help: &'static str,
    pub view_choice: &'static str,
    pub view_one_map: &'static str,
    pub view_corners: &'static str,
    pub corners_need_kind: &'static str,
    pub corners_no_respondent: &'static str,
    pub corners_help: &'static str,
    pub clear_brush: &'static str,
    pub corner_label: &'static str,
    pub labels_heading: &'static str,
    pub label_language: &'static str,
    pub label_language_auto: &'static str,
    pub language_danish: &'static str,
    pub language_english: &'static str,
    pub language_mixed: &'static str,
    pub stop_word_add: &'static str,
    pub stop_word_placeholder: &'static str,
    pub stop_word_not_a_word: &'static str,
    pub stop_word_several_words: &'static str,
    pub stop_words_yours: &'static str,
    pub stop_words_none_yet: &'static str,
    pub stop_words_allowed: &'static str,
    pub stop_words_builtin: &'static str,
    pub stop_word_allow: &'static str,
    pub stop_word_restore: &'static str,
    pub stop_words_help: &'static str,
    pub new_way: &'static str,
    pub way_name: &'static str,
    pub add_way: &'static str,
    pub rename: &'static str,
    pub colour: &'static str,
    pub delete_way: &'static str,
    pub confirm_delete_way: &'static str,
    pub move_earlier: &'static str,
    pub move_later: &'static str,
    pub focus_way: &'static str,
    pub unfocus_way: &'static str,
    pub axis_ends: &'static str,
    pub axis_start: &'static str,
    pub axis_end: &'static str,
    pub save: &'static str,
    pub edit_way: &'static str,
    pub export_svg: &'static str,
    pub export_png: &'static str,
    pub export_png_4x: &'static str,
    pub export_project: &'static str,
    pub ways_key: &'static str,
    pub project_error: &'static str,
    pub export_failed: &'static str,
    pub axis_label: &'static str,
    pub lenses: &'static str,
    pub lens_scale: &'static str,
    pub lens_conflict: &'static str,
    pub size_by_scale: &'static str,
    pub colour_by_conflict: &'static str,
    pub most_divisive: &'static str,
    pub most_shared: &'static str,
    pub lens_nothing_to_compare: &'static str,
    pub scale_help: &'static str,
    pub conflict_key_shared: &'static str,
    pub conflict_key_divisive: &'static str,
    pub vectoriser_own: &'static str,
    pub own_model_folder: &'static str,
    pub own_model_hint: &'static str,
    pub own_model_loading: &'static str,
    pub own_model_dimensions: &'static str,
    pub own_model_none: &'static str,
    pub own_model_unusable: &'static str,
    pub own_model_missing: &'static str,
    pub own_model_malformed: &'static str,
    pub own_model_unsupported: &'static str,
    pub live_heading: &'static str,
    pub live_input_label: &'static str,
    pub live_help: &'static str,
    pub live_place: &'static str,
    pub live_placing: &'static str,
    pub live_remove: &'static str,
    pub rerun_layout: &'static str,
    pub rerun_layout_help: &'static str,
    pub live_show: &'static str,
    pub live_no_placer: &'static str,
    pub live_no_model: &'static str,
    pub live_failed: &'static str,
    pub live_no_text: &'static str,
    pub live_edits_since: &'static str,
    pub live_unknown_words: &'static str,
    // Local projects, autosave, wiping and publishing (src/autosave.rs, src/storage.rs, src/publish.rs).
    pub projects_heading: &'static str,
    pub autosave_label: &'static str,
    pub untitled_project: &'static str,
    pub no_saved_projects: &'static str,
    pub open_saved: &'static str,
    pub delete_saved: &'static str,
    pub confirm_delete_saved: &'static str,
    pub delete_all_data: &'static str,
    pub delete_all_warning: &'static str,
    pub confirm_delete_all: &'static str,
    pub keep_my_data: &'static str,
    pub wiping: &'static str,
    pub publish: &'static str,
    pub publish_hint: &'static str,
    pub publishing: &'static str,
    pub saved_here_note: &'static str,
}

pub static DA: Strings = Strings {
    tagline: "Et semantisk kort over udsagn – beregnet i din browser",
    load_files: "Indlæs filer",
    load_example: "Indlæs eksempel",
    export_csv: "Eksportér CSV",
    switch_language: "English",
    drop_here: "Slip filer her",
    formats: "Tekster: CSV, TSV, XLSX, JSON, JSON Lines · Vektorer: vectors.tsv + metadata.tsv, .npy, CSV med tal",
    privacy: "Dine data forlader aldrig browseren.",
    cancel: "Annullér",
    clusters: "Klynger",
    ways: "Veje",
    columns: "Kolonner",
    text_column: "Tekst",
    kind_column: "Type",
    respondent_column: "Respondent",
    group_column: "Gruppe",
    sheet: "Ark",
    none: "(ingen)",
    cluster_count: "Antal klynger",
    automatic: "automatisk",
    rerun: "Kør igen",
    zoom_in: "Zoom ind",
    zoom_out: "Zoom ud",
    reset_view: "Nulstil visning",
    map_label: "Kort over udsagn. Piletaster flytter, + og − zoomer, 0 nulstiller, Escape fjerner fremhævning.",
    map_help: "Træk for at flytte · rul for at zoome · peg på et punkt for at læse udsagnet",
    present: "Præsentér",
    present_exit: "Afslut præsentation",
    presenter_keys: "→, mellemrum eller PageDown: næste · ← eller PageUp: forrige · H: skjul udsagn · Esc: afslut",
    hide_statements: "Skjul udsagn",
    show_statements: "Vis udsagn",
    tour_heading: "Rundvisning",
    tour_empty: "Ingen stop endnu: vælg udsnit af kortet, fokusér en vej eller klynge, filtrér, og tilføj så visningen.",
    tour_add: "Tilføj denne visning",
    tour_caption: "Billedtekst",
    tour_update: "Brug den nuværende visning",
    tour_up: "Flyt op",
    tour_down: "Flyt ned",
    tour_delete: "Slet stop",
    tour_undo: "Fortryd",
    tour_previous: "Forrige stop",
    tour_next: "Næste stop",
    share_view: "Link til denne visning",
    copy_link: "Kopiér link",
    link_copied: "Kopieret",
    link_copy_refused: "Browseren tillod ikke kopiering: markér linket og kopiér det selv",
    share_needs_project: "Linket genskaber visningen for alle, der åbner det samme offentliggjorte projekt (?project=…); dine egne filer følger ikke med.",
    explorer_heading: "Datagrundlag",
    show_way: "Vis vejen på kortet",
    in_way: "i vejen",
    error_title: "Noget gik galt",
    dismiss: "Luk",
    warnings: "Bemærk",
    empty_title: "Ingen data endnu",
    empty_body:
        "Indlæs dine egne filer, træk dem hertil, eller prøv eksemplet: en tænkt workshop om fremtidens velfærd.",
    vectors_from_tfidf: "Vektorer: TF-IDF af teksten",
    vectors_provided: "Vektorer: fra dine data",
    worker_crashed: "Analysen stoppede uventet. Det forrige kort er bevaret; prøv igen.",
    method: "Metode",
    layout_method: "Kort",
    layout_umap: "UMAP (naboer bevares)",
    layout_pca_option: "PCA (hurtig, lineær)",
    cluster_method: "Klynger",
    cluster_hdbscan: "HDBSCAN (finder selv antallet)",
    cluster_kmeans: "k-means (fast antal)",
    min_cluster_size: "Mindste klyngestørrelse",
    neighbours: "Naboer pr. punkt",
    vectors_from_model: "Vektorer: sprogmodel",
    layout_umap_summary: "Kort: UMAP",
    vectoriser: "Tekst til vektorer",
    vectoriser_model: "Sprogmodel (forstår betydning)",
    vectoriser_tfidf: "TF-IDF (øjeblikkelig, ord)",
    vectoriser_instant: "Lynhurtig (statiske ordvektorer fra sprogmodellen)",
    rename_cluster: "Omdøb klyngen",
    cluster_name: "Klyngens navn (Enter gemmer, Escape fortryder)",
    select_cluster: "Vælg klyngen",
    merge_selected: "Slå valgte sammen",
    split_cluster: "Del i to",
    reset_label: "Nulstil navn",
    named_by_person: "Navngivet af en person",
    named_by_machine: "Navngivet af maskinen",
    curation_help: "Vælg to eller flere klynger for at slå dem sammen; fremhæv eller vælg én for at dele den eller nulstille dens navn.",
    cluster_card: "Klyngen",
    size: "Størrelse",
    share_of_respondents: "Andel af respondenter",
    top_terms: "Vigtigste ord",
    description: "Beskrivelse",
    description_placeholder: "Hvad handler klyngen om? (gemmes, når du forlader feltet)",
    representatives: "Typiske udsagn, ordret",
    undo: "Fortryd",
    redo: "Gentag",
    undo_shortcut: "Fortryd (Ctrl+Z)",
    redo_shortcut: "Gentag (Ctrl+Shift+Z eller Ctrl+Y)",
    change_log: "Ændringer",
    no_changes: "Ingen ændringer endnu. Omdøb, slå sammen eller del klynger; alt kan fortrydes.",
    undone: "fortrudt",
    edit_refused: "Ændringen blev ikke udført",    search: "Søg",
    search_placeholder: "Søg i udsagn og kolonner  ( / )",
    search_help: "Enter flyver til fundene",
    lasso: "Lasso",
    lasso_help: "Træk på kortet for at vælge udsagn (L)",
    show_table: "Tabel",
    table_label: "Alle udsagn",
    statement: "Udsagn",
    cluster: "Klynge",
    noise: "Uden for en klynge",
    show_more: "Vis flere",
    select_row: "Vælg udsagnet",
    selection: "Udvalg",
    selection_empty: "Intet valgt. Brug lassoen på kortet eller afkryds rækker i tabellen.",
    export_selection: "Eksportér udvalg (CSV)",
    move_to_cluster: "Flyt til klynge …",
    move_button: "Flyt",
    mark_noise: "Markér som støj",
    clear_selection: "Ryd udvalg",
    point_card: "Udsagn",
    close: "Luk",
    neighbours_heading: "Nærmeste udsagn",
    filters: "Filtre",
    filter_column: "Filtrér efter kolonne",
    filter_reset: "Nulstil filtre",
    filter_help: "Fravalgte punkter tones ned, de skjules ikke.",
    view_choice: "Visning",
    view_one_map: "Ét kort",
    view_corners: "Hjørner: ét kort pr. type",
    corners_need_kind: "Hjørnerne kræver en typekolonne (fx årsag/løsning). Vælg en under Kolonner.",
    corners_no_respondent:
        "Ingen respondentkolonne: derfor kan udsagn ikke kobles på tværs af hjørnerne. Vælg en under Kolonner.",
    corners_help:
        "Peg på eller klik et udsagn (eller tryk Enter på et kort) for at se samme respondenters udsagn i alle hjørner · Escape rydder",
    clear_brush: "Ryd markering",
    corner_label: "Kort over udsagn af typen",
    labels_heading: "Etiketter",
    label_language: "Sprog i etiketterne",
    label_language_auto: "Automatisk",
    language_danish: "dansk",
    language_english: "engelsk",
    language_mixed: "blandet",
    stop_word_add: "Tilføj et stopord",
    stop_word_placeholder: "fx kommune – tryk Enter",
    stop_word_not_a_word: "Skriv et ord med mindst to bogstaver.",
    stop_word_several_words: "Skriv ét ord ad gangen: etiketter består af enkelte ord.",
    stop_words_yours: "Dine stopord",
    stop_words_none_yet: "Ingen endnu.",
    stop_words_allowed: "Tilladt igen",
    stop_words_builtin: "Indbyggede stopord",
    stop_word_allow: "Tillad i etiketter",
    stop_word_restore: "Gør til stopord igen",
    stop_words_help: "Stopord bliver aldrig til etiketter, heller ikke i bøjet form. En ændring kører analysen igen: kortet er det samme, etiketterne nye.",
    new_way: "Ny vej",
    way_name: "Vejens navn",
    add_way: "Tilføj vej",
    rename: "Navn",
    colour: "Farve",
    delete_way: "Slet vej",
    confirm_delete_way: "Slet vejen? Dens klynger bliver på kortet; fortryd kan hente den tilbage.",
    move_earlier: "Flyt mod aksens start",
    move_later: "Flyt mod aksens slutning",
    focus_way: "Fokusér på vejen",
    unfocus_way: "Vis alle veje",
    axis_ends: "Aksens ender",
    axis_start: "Start",
    axis_end: "Slutning",
    save: "Gem",
    edit_way: "Redigér",
    export_svg: "Eksportér SVG",
    export_png: "PNG 2×",
    export_png_4x: "PNG 4×",
    export_project: "Gem projekt",
    ways_key: "Veje",
    project_error: "Projektfilen kunne ikke åbnes",
    export_failed: "Eksporten mislykkedes",
    axis_label: "Vejene langs aksen",
    lenses: "Linser",
    lens_scale: "Omfang",
    lens_conflict: "Konflikt",
    size_by_scale: "Punkternes størrelse efter omfang",
    colour_by_conflict: "Farv kortet efter konflikt",
    most_divisive: "Mest splittende",
    most_shared: "Mest fælles",
    lens_nothing_to_compare: "Der er hverken stemmer eller en gruppekolonne. Indlæs Polis' comments.csv sammen med participants-votes.csv, eller vælg en gruppekolonne (fx parti), så ses det, hvor skævt klyngerne fordeler sig.",
    scale_help: "Udsagn pr. klynge; andel af respondenter og grupper, der har bidraget",
    conflict_key_shared: "fælles",
    conflict_key_divisive: "splittende",
    vectoriser_own: "Din egen model …",
    own_model_folder: "Modelmappe (sentence-transformers)",
    own_model_hint: "Vælg mappen med config.json, model.safetensors og tokenizer.json, eller slip dens filer her. \
        Filerne læses i din browser og sendes ingen steder hen.",
    own_model_loading: "Indlæser",
    own_model_dimensions: "dimensioner",
    own_model_none: "Ingen mappe valgt",
    own_model_unusable: "Modelmappen kan ikke bruges",
    own_model_missing: "mangler i mappen",
    own_model_malformed: "er ugyldig",
    own_model_unsupported: "bruger noget, Vejkort ikke understøtter",
    live_heading: "Udsagn live",
    live_input_label: "Nye udsagn, ét pr. linje",
    live_help: "Skriv eller indsæt udsagn. Start en linje med en type og kolon (fx \"løsning: …\") for at angive typen. Ctrl+Enter placerer dem på kortet uden at flytte de andre punkter.",
    live_place: "Placér på kortet",
    live_placing: "Placerer …",
    live_remove: "Fjern de senest placerede",
    rerun_layout: "Beregn kortet igen",
    rerun_layout_help: "Analysér alle udsagn igen, også de nye: kortet lægges om og klyngerne findes på ny",
    live_show: "Vis udsagnet på kortet",
    live_no_placer: "Nye udsagn kan ikke placeres på dette kort: det er lavet af datasættets egne vektorer, eller projektet blev gemt uden det, der placerer nye udsagn. Beregn kortet igen først.",
    live_no_model: "Sprogmodellen kunne ikke indlæses, så nye udsagn kan ikke placeres på dette kort, der er lavet med den. Prøv igen, eller beregn kortet igen med TF-IDF.",
    live_failed: "Udsagnene kunne ikke placeres",
    live_no_text: "Kortet har ingen tekstkolonne at lægge nye udsagn i.",
    live_edits_since: "Der er lavet ændringer efter de seneste udsagn blev placeret. Fortryd dem først, eller behold udsagnene.",
    live_unknown_words: " · ingen af ordene findes på kortet: placeret uden holdepunkt",
    projects_heading: "Projekter i denne browser",
    autosave_label: "Gem automatisk i denne browser",
    untitled_project: "Projekt uden navn",
    no_saved_projects: "Ingen gemte projekter endnu.",
    open_saved: "Åbn",
    delete_saved: "Slet",
    confirm_delete_saved: "Slet for altid",
    delete_all_data: "Slet alle mine data",
    delete_all_warning: "Alt, Vejkort har gemt i denne browser, slettes: gemte projekter, indstillinger, den hentede sprogmodel og app'ens offline-kopi. Det kan ikke fortrydes. Kortet på skærmen bliver, til du lukker fanen.",
    confirm_delete_all: "Ja, slet alt",
    keep_my_data: "Behold mine data",
    wiping: "Sletter …",
    publish: "Udgiv",
    publish_hint: "Hent en mappe (zip) med app'en og dette projekt, der åbner det til læsning. Læg den på en statisk webserver eller en USB-nøgle.",
    publishing: "Pakker …",
    saved_here_note: "Gemmes kun i denne browser: intet sendes nogen steder hen.",

};

pub static EN: Strings = Strings {
    tagline: "A semantic map of statements – computed in your browser",
    load_files: "Load files",
    load_example: "Load example",
    export_csv: "Export CSV",
    switch_language: "Dansk",
    drop_here: "Drop files here",
    formats: "Texts: CSV, TSV, XLSX, JSON, JSON Lines · Vectors: vectors.tsv + metadata.tsv, .npy, CSV of numbers",
    privacy: "Your data never leaves the browser.",
    cancel: "Cancel",
    clusters: "Clusters",
    ways: "Ways",
    columns: "Columns",
    text_column: "Text",
    kind_column: "Kind",
    respondent_column: "Respondent",
    group_column: "Group",
    sheet: "Sheet",
    none: "(none)",
    cluster_count: "Number of clusters",
    automatic: "automatic",
    rerun: "Run again",
    zoom_in: "Zoom in",
    zoom_out: "Zoom out",
    reset_view: "Reset view",
    map_label: "Map of statements. Arrow keys pan, + and − zoom, 0 resets, Escape clears the highlight.",
    map_help: "Drag to pan · scroll to zoom · point at a dot to read the statement",
    present: "Present",
    present_exit: "Exit presenter mode",
    presenter_keys: "→, Space or PageDown: next · ← or PageUp: previous · H: hide statements · Esc: exit",
    hide_statements: "Hide statements",
    show_statements: "Show statements",
    tour_heading: "Tour",
    tour_empty: "No stops yet: frame the map, focus a way or cluster, filter, then add the view.",
    tour_add: "Add this view",
    tour_caption: "Caption",
    tour_update: "Use the current view",
    tour_up: "Move up",
    tour_down: "Move down",
    tour_delete: "Delete stop",
    tour_undo: "Undo",
    tour_previous: "Previous stop",
    tour_next: "Next stop",
    share_view: "Link to this view",
    copy_link: "Copy link",
    link_copied: "Copied",
    link_copy_refused: "The browser did not allow copying: select the link and copy it yourself",
    share_needs_project: "The link reopens this view for anyone who opens the same published project (?project=…); your own files do not travel with it.",
    explorer_heading: "About the data",
    show_way: "Show the way on the map",
    in_way: "in way",
    error_title: "Something went wrong",
    dismiss: "Dismiss",
    warnings: "Note",
    empty_title: "No data yet",
    empty_body:
        "Load your own files, drop them here, or try the example: an imagined workshop on the future of welfare.",
    vectors_from_tfidf: "Vectors: TF-IDF of the text",
    vectors_provided: "Vectors: from your data",
    worker_crashed: "The analysis stopped unexpectedly. The previous map is kept; please try again.",
    method: "Method",
    layout_method: "Map",
    layout_umap: "UMAP (keeps neighbours)",
    layout_pca_option: "PCA (instant, linear)",
    cluster_method: "Clusters",
    cluster_hdbscan: "HDBSCAN (finds the number itself)",
    cluster_kmeans: "k-means (set number)",
    min_cluster_size: "Smallest cluster",
    neighbours: "Neighbours per point",
    vectors_from_model: "Vectors: language model",
    layout_umap_summary: "Map: UMAP",
    vectoriser: "Text to vectors",
    vectoriser_model: "Language model (reads meaning)",
    vectoriser_tfidf: "TF-IDF (instant, words)",
    vectoriser_instant: "Instant (static word vectors from the language model)",
    rename_cluster: "Rename the cluster",
    cluster_name: "Cluster name (Enter saves, Escape cancels)",
    select_cluster: "Select the cluster",
    merge_selected: "Merge selected",
    split_cluster: "Split",
    reset_label: "Reset label",
    named_by_person: "Named by a person",
    named_by_machine: "Named by the machine",
    curation_help: "Select two or more clusters to merge them; highlight or select one to split it or reset its label.",
    cluster_card: "The cluster",
    size: "Size",
    share_of_respondents: "Share of respondents",
    top_terms: "Top terms",
    description: "Description",
    description_placeholder: "What is this cluster about? (saved when you leave the field)",
    representatives: "Typical statements, verbatim",
    undo: "Undo",
    redo: "Redo",
    undo_shortcut: "Undo (Ctrl+Z)",
    redo_shortcut: "Redo (Ctrl+Shift+Z or Ctrl+Y)",
    change_log: "Changes",
    no_changes: "No changes yet. Rename, merge or split clusters; everything can be undone.",
    undone: "undone",
    edit_refused: "The change was not made",    search: "Search",
    search_placeholder: "Search statements and columns  ( / )",
    search_help: "Enter flies to the matches",
    lasso: "Lasso",
    lasso_help: "Drag on the map to select statements (L)",
    show_table: "Table",
    table_label: "All statements",
    statement: "Statement",
    cluster: "Cluster",
    noise: "Outside any cluster",
    show_more: "Show more",
    select_row: "Select the statement",
    selection: "Selection",
    selection_empty: "Nothing selected. Use the lasso on the map or tick rows in the table.",
    export_selection: "Export selection (CSV)",
    move_to_cluster: "Move to cluster…",
    move_button: "Move",
    mark_noise: "Mark as noise",
    clear_selection: "Clear selection",
    point_card: "Statement",
    close: "Close",
    neighbours_heading: "Nearest statements",
    filters: "Filters",
    filter_column: "Filter by column",
    filter_reset: "Reset filters",
    filter_help: "Points left out are dimmed, not hidden.",
    view_choice: "View",
    view_one_map: "One map",
    view_corners: "Corners: one map per kind",
    corners_need_kind: "Corners need a kind column (e.g. cause/solution). Choose one under Columns.",
    corners_no_respondent:
        "No respondent column, so statements cannot be linked across the corners. Choose one under Columns.",
    corners_help:
        "Point at or click a statement (or press Enter on a map) to see the same respondents' statements in every corner · Escape clears",
    clear_brush: "Clear selection",
    corner_label: "Map of statements of the kind",
    labels_heading: "Labels",
    label_language: "Label language",
    label_language_auto: "Automatic",
    language_danish: "Danish",
    language_english: "English",
    language_mixed: "mixed",
    stop_word_add: "Add a stop word",
    stop_word_placeholder: "e.g. council – press Enter",
    stop_word_not_a_word: "Type a word with at least two letters.",
    stop_word_several_words: "Type one word at a time: labels are single words.",
    stop_words_yours: "Your stop words",
    stop_words_none_yet: "None yet.",
    stop_words_allowed: "Allowed again",
    stop_words_builtin: "Built-in stop words",
    stop_word_allow: "Allow in labels",
    stop_word_restore: "Make a stop word again",
    stop_words_help: "Stop words never become labels, nor do their inflections. A change runs the analysis again: the same map, new labels.",
    new_way: "New way",
    way_name: "Name of the way",
    add_way: "Add way",
    rename: "Name",
    colour: "Colour",
    delete_way: "Delete way",
    confirm_delete_way: "Delete the way? Its clusters stay on the map; undo brings it back.",
    move_earlier: "Move towards the start of the axis",
    move_later: "Move towards the end of the axis",
    focus_way: "Focus on the way",
    unfocus_way: "Show all ways",
    axis_ends: "Ends of the axis",
    axis_start: "Start",
    axis_end: "End",
    save: "Save",
    edit_way: "Edit",
    export_svg: "Export SVG",
    export_png: "PNG 2×",
    export_png_4x: "PNG 4×",
    export_project: "Save project",
    ways_key: "Ways",
    project_error: "The project file could not be opened",
    export_failed: "The export failed",
    axis_label: "The ways along the axis",
    lenses: "Lenses",
    lens_scale: "Scale",
    lens_conflict: "Conflict",
    size_by_scale: "Size points by scale",
    colour_by_conflict: "Colour map by conflict",
    most_divisive: "Most divisive",
    most_shared: "Most shared",
    lens_nothing_to_compare: "There are neither votes nor a group column. Load Polis's comments.csv together with participants-votes.csv, or choose a group column (e.g. party) to see how unevenly the clusters are spread.",
    scale_help: "Statements per cluster; share of respondents and groups who contributed",
    conflict_key_shared: "shared",
    conflict_key_divisive: "divisive",
    vectoriser_own: "Your own model …",
    own_model_folder: "Model folder (sentence-transformers)",
    own_model_hint: "Choose the folder with config.json, model.safetensors and tokenizer.json, or drop its files \
        here. The files are read in your browser and sent nowhere.",
    own_model_loading: "Loading",
    own_model_dimensions: "dimensions",
    own_model_none: "No folder chosen",
    own_model_unusable: "The model folder cannot be used",
    own_model_missing: "is missing from the folder",
    own_model_malformed: "is malformed",
    own_model_unsupported: "uses something Vejkort does not support",
    live_heading: "Live statements",
    live_input_label: "New statements, one per line",
    live_help: "Type or paste statements. Start a line with one of the map's kinds and a colon (e.g. \"løsning: …\") to give its kind. Ctrl+Enter places them on the map without moving the other points.",
    live_place: "Place on the map",
    live_placing: "Placing …",
    live_remove: "Remove the last placed",
    rerun_layout: "Re-run layout",
    rerun_layout_help: "Analyse all statements again, the new ones included: the map is laid out and clustered anew",
    live_show: "Show the statement on the map",
    live_no_placer: "New statements cannot be placed on this map: it was made from the data's own vectors, or the project was saved without what places new statements. Re-run the layout first.",
    live_no_model: "The language model could not be loaded, so new statements cannot be placed on this map, which was made with it. Try again, or re-run the layout with TF-IDF.",
    live_failed: "The statements could not be placed",
    live_no_text: "The map has no text column to put new statements in.",
    live_edits_since: "Edits were made after the last statements were placed. Undo them first, or keep the statements.",
    live_unknown_words: " · none of its words occur in the map: placed without a clue",
    projects_heading: "Projects in this browser",
    autosave_label: "Save automatically in this browser",
    untitled_project: "Untitled project",
    no_saved_projects: "No saved projects yet.",
    open_saved: "Open",
    delete_saved: "Delete",
    confirm_delete_saved: "Delete for good",
    delete_all_data: "Delete all my data",
    delete_all_warning: "Everything Vejkort stored in this browser will be deleted: saved projects, settings, the downloaded language model and the app's offline copy. This cannot be undone. The map on screen stays until you close the tab.",
    confirm_delete_all: "Yes, delete everything",
    keep_my_data: "Keep my data",
    wiping: "Deleting …",
    publish: "Publish",
    publish_hint: "Download a folder (zip) with the app and this project, which opens it for reading. Put it on any static web server or a USB stick.",
    publishing: "Packing …",
    saved_here_note: "Kept in this browser only: nothing is sent anywhere.",

};

impl Lang {
    /// "12 udsagn fra 5 respondenter": what a brush across the corners holds.
    pub fn brush_note(self, statements: usize, respondents: usize) -> String {
        let (s, r) = (self.number(statements), self.number(respondents));
        match self {
            Lang::Da => {
                let who = if respondents == 1 { "respondent" } else { "respondenter" };
                format!("{s} udsagn fra {r} {who}")
            }
            Lang::En => {
                let what = if statements == 1 { "statement" } else { "statements" };
                let who = if respondents == 1 { "respondent" } else { "respondents" };
                format!("{s} {what} by {r} {who}")
            }
        }
    }

    /// A corner's title: the kind and how many statements it holds.
    pub fn corner_title(self, kind: &str, statements: usize) -> String {
        match self {
            Lang::Da => format!("{kind} · {} udsagn", self.number(statements)),
            Lang::En => {
                let what = if statements == 1 { "statement" } else { "statements" };
                format!("{kind} · {} {what}", self.number(statements))
            }
        }
    }

    /// A count with the language's thousands separator: 2.427 in Danish, 2,427 in English.
    pub fn stage(self, stage: Stage) -> &'static str {
        match (self, stage) {
            (Lang::Da, Stage::Reading) => "Læser filer",
            (Lang::Da, Stage::Downloading) => "Henter sprogmodellen",
            (Lang::Da, Stage::LoadingModel) => "Indlæser sprogmodellen",
            (Lang::Da, Stage::Embedding) => "Forstår udsagnene",
            (Lang::Da, Stage::Vectorising) => "Laver vektorer",
            (Lang::Da, Stage::Reducing) => "Reducerer dimensioner",
            (Lang::Da, Stage::Neighbours) => "Finder naboer",
            (Lang::Da, Stage::Layout) => "Tegner kortet",
            (Lang::Da, Stage::Clustering) => "Finder klynger",
            (Lang::Da, Stage::Labelling) => "Navngiver klynger",
            (Lang::En, Stage::Reading) => "Reading files",
            (Lang::En, Stage::Downloading) => "Downloading the language model",
            (Lang::En, Stage::LoadingModel) => "Loading the language model",
            (Lang::En, Stage::Embedding) => "Reading the statements' meaning",
            (Lang::En, Stage::Vectorising) => "Making vectors",
            (Lang::En, Stage::Reducing) => "Reducing dimensions",
            (Lang::En, Stage::Neighbours) => "Finding neighbours",
            (Lang::En, Stage::Layout) => "Drawing the map",
            (Lang::En, Stage::Clustering) => "Finding clusters",
            (Lang::En, Stage::Labelling) => "Naming clusters",
        }
    }

    /// "Stop 2 af 3", where presenter mode is in the tour.
    pub fn tour_position(self, at: usize, total: usize) -> String {
        match self {
            Lang::Da => format!("Stop {at} af {total}"),
            Lang::En => format!("Stop {at} of {total}"),
        }
    }

    pub fn tour_stop_name(self, number: usize) -> String {
        match self {
            Lang::Da | Lang::En => format!("Stop {number}"),
        }
    }

    /// The explorer's account of the data, as the seed study gives it: a number and what it counts, per line.
    pub fn data_summary(self, s: &crate::components::explorer::DataSummary) -> Vec<(String, String)> {
        let n = |value: usize| self.number(value);
        let mut lines = Vec::new();
        if let Some(respondents) = s.respondents {
            lines.push((n(respondents), if self == Lang::Da { "respondenter" } else { "respondents" }.to_owned()));
        }
        if let Some((groups, column)) = &s.groups {
            let word = if self == Lang::Da { "grupper" } else { "groups" };
            lines.push((n(*groups), format!("{word} ({column})")));
        }
        lines.push((n(s.words), if self == Lang::Da { "ord" } else { "words" }.to_owned()));
        lines.push((n(s.statements), if self == Lang::Da { "udsagn" } else { "statements" }.to_owned()));
        for (kind, count) in &s.kinds {
            lines.push((n(*count), format!("× {kind}")));
        }
        lines.push((n(s.clusters), if self == Lang::Da { "klynger" } else { "clusters" }.to_owned()));
        lines
    }

    /// Why a `?project=` link did not open, naming the link and what to do.
    pub fn link_error(self, target: &str, problem: &crate::share::LinkProblem) -> String {
        use crate::share::LinkProblem as P;
        match (self, problem) {
            (Lang::Da, P::CrossOrigin { origin }) => format!(
                "{target}: projektet ligger på et andet websted ({origin}). Siden må kun hente filer fra sit eget \
                 websted (dens sikkerhedspolitik, connect-src 'self', holder dine data inde), så browseren afviser \
                 det. Læg projektfilen ved siden af appen, eller åbn den med Indlæs filer."
            ),
            (Lang::En, P::CrossOrigin { origin }) => format!(
                "{target}: the project is on another site ({origin}). This page may only fetch files from its own \
                 site (its security policy, connect-src 'self', keeps your data in), so the browser refuses it. Put \
                 the project file next to the app, or open it with Load files."
            ),
            (Lang::Da, P::Scheme { scheme }) => format!(
                "{target}: et link til et projekt skal være en sti på dette websted (http eller https), ikke \"{scheme}:\"."
            ),
            (Lang::En, P::Scheme { scheme }) => {
                format!("{target}: a project link must be a path on this site (http or https), not \"{scheme}:\".")
            }
            (Lang::Da, P::Empty) => {
                "?project= nævner ingen fil: skriv stien til en projektfil, fx ?project=projekter/workshop.json".to_owned()
            }
            (Lang::En, P::Empty) => {
                "?project= names no file: give the path of a project file, e.g. ?project=projects/workshop.json".to_owned()
            }
            (Lang::Da, P::Fetch { detail }) => format!(
                "{target}: projektfilen kunne ikke hentes ({detail}). Tjek stien; den regnes fra denne side."
            ),
            (Lang::En, P::Fetch { detail }) => {
                format!("{target}: the project file could not be fetched ({detail}). Check the path; it is relative to this page.")
            }
            (Lang::Da, P::NotAProject) => format!(
                "{target}: filen blev hentet, men er ikke en Vejkort-projektfil (der står ikke \"format\": \"vejkort-project\")."
            ),
            (Lang::En, P::NotAProject) => format!(
                "{target}: the file arrived but is not a Vejkort project file (it has no \"format\": \"vejkort-project\")."
            ),
        }
    }

    /// A count with the language's thousands separator: 2.427 in Danish, 2,427 in English.
    pub fn number(self, value: usize) -> String {
        self.big_number(value as u64)
    }

    /// "1.200 af 2.427 · 26 pr. s · 47 s tilbage": items done, the rate and the time left once it can be told.
    pub fn counted(self, done: u32, total: u32, rate: Option<(f64, f64)>) -> String {
        let (of, per_second, left) = match self {
            Lang::Da => ("af", "pr. s", "tilbage"),
            Lang::En => ("of", "per s", "left"),
        };
        let mut text = format!("{} {of} {}", self.number(done as usize), self.number(total as usize));
        if let Some((rate, seconds)) = rate {
            let time = if seconds >= 90.0 {
                format!("{} min", (seconds / 60.0).round())
            } else {
                format!("{} s", seconds.round())
            };
            text.push_str(&format!(" · {rate:.0} {per_second} · {time} {left}"));
        }
        text
    }

    pub fn summary(self, points: usize, clusters: usize) -> String {
        match self {
            Lang::Da => format!("{points} udsagn i {clusters} klynger"),
            Lang::En => format!("{points} statements in {clusters} clusters"),
        }
    }

    /// A cluster's label, or its number when the data had no text to name it by.
    pub fn cluster_label(self, cluster: &ClusterSummary) -> String {
        if cluster.id < 0 {
            return match self {
                Lang::Da => "Uden for klynger".to_owned(),
                Lang::En => "Outside any cluster".to_owned(),
            };
        }
        if !cluster.label.is_empty() {
            return cluster.label.clone();
        }
        match self {
            Lang::Da => format!("Klynge {}", cluster.id + 1),
            Lang::En => format!("Cluster {}", cluster.id + 1),
        }
    }

    /// How the map was laid out and how much of the data's variance its two axes show.
    pub fn layout_pca(self, percent_shown: f64) -> String {
        match self {
            Lang::Da => format!("Kort: PCA, viser {percent_shown:.0} % af variansen"),
            Lang::En => format!("Map: PCA, showing {percent_shown:.0} % of the variance"),
        }
    }

    /// "2.427 udsagn i 14 klynger, 310 uden for en klynge".
    pub fn summary_with_noise(self, points: usize, clusters: usize, noise: usize) -> String {
        let base = self.summary(points, clusters);
        match (self, noise) {
            (_, 0) => base,
            (Lang::Da, _) => format!("{base}, {} uden for en klynge", self.number(noise)),
            (Lang::En, _) => format!("{base}, {} outside any cluster", self.number(noise)),
        }
    }

    pub fn cluster_size(self, size: usize) -> String {
        match self {
            Lang::Da => format!("{size} udsagn"),
            Lang::En => format!("{size} statements"),
        }
    }

    /// A warning about the data, in this language.
    pub fn warning(self, warning: &Warning) -> String {
        match self {
            Lang::En => warning.to_string(),
            Lang::Da => match warning {
                Warning::SkippedEmpty { file, count, unit } => {
                    let what = match (unit, *count == 1) {
                        (Unit::Line, true) => "tom linje",
                        (Unit::Line, false) => "tomme linjer",
                        (Unit::Row, true) => "tom række",
                        (Unit::Row, false) => "tomme rækker",
                    };
                    format!("{file}: sprang {count} {what} over")
                }
                Warning::RenamedHeaders { file, count } => {
                    format!("{file}: gav {count} tomme eller gentagne kolonneoverskrifter et navn")
                }
                Warning::HeaderReadAsData { file } => format!(
                    "{file}: én kolonne og én række færre end vektorerne; første linje er læst som data, ikke som overskrift"
                ),
                Warning::RowsWithoutText { count } => format!("{count} rækker uden tekst er udeladt"),
                Warning::RejectedComments { file, count } => {
                    format!("{file}: {count} kommentarer, som moderatorerne afviste (moderated = -1), er udeladt")
                }
                Warning::NoModel => {
                    "Der er ingen sprogmodel til rådighed; udsagnene er i stedet lavet til vektorer med TF-IDF".to_owned()
                }
                Warning::NoStaticTable => {
                    "De statiske ordvektorer til lynhurtig tilstand er ikke til rådighed; udsagnene er i stedet lavet til vektorer med TF-IDF".to_owned()
                }
                Warning::Decoded { file, encoding } => format!(
                    "{file}: ikke UTF-8; læst som {encoding}. Hvis bogstaver som æ, ø og å ser forkerte ud, så gem filen som UTF-8"
                ),
            },
        }
    }

    /// The user-facing text of an error: which file, which row, what was expected.
    pub fn error(self, error: &AnalysisError) -> String {
        let input = match error {
            AnalysisError::Cancelled => {
                return match self {
                    Lang::Da => "Analysen blev annulleret.".to_owned(),
                    Lang::En => "The analysis was cancelled.".to_owned(),
                };
            }
            AnalysisError::Input(input) => input,
        };
        match self {
            Lang::En => input.to_string(),
            Lang::Da => danish_input_error(input),
        }
    }
}

fn danish_input_error(error: &InputError) -> String {
    use InputError::*;
    match error {
        NoFiles => "Der blev ikke valgt nogen filer.".to_owned(),
        EmptyFile { file } => format!("{file}: filen er tom."),
        UnknownFormat { file } => {
            format!("{file}: ukendt format; forventede CSV, TSV, XLSX, JSON, JSON Lines eller .npy.")
        }
        NotUtf8 { file, byte_offset } => {
            format!("{file}: filen er ikke gyldig UTF-8-tekst (byte {byte_offset}); gem den som UTF-8.")
        }
        RaggedRow { file, row, expected, found } => {
            format!("{file}, række {row}: forventede {expected} felter som i overskriften, fandt {found}.")
        }
        NotANumber { file, row, column, value } if value.trim().is_empty() => {
            format!("{file}, række {row}, kolonne {column}: forventede et tal, fandt en tom celle.")
        }
        NotANumber { file, row, column, value } => {
            format!("{file}, række {row}, kolonne {column}: forventede et tal, fandt \"{value}\".")
        }
        NotFinite { file, row, column, value } => {
            format!("{file}, række {row}, kolonne {column}: forventede et endeligt tal, fandt {value}.")
        }
        CountMismatch { file, vectors, metadata_file, rows } => format!(
            "{file}: {vectors} vektorer, men {metadata_file} har {rows} rækker; forventede én metadatarække pr. vektor."
        ),
        Malformed { file, detail } => format!("{file}: {detail}"),
        NoSuchSheet { file, sheet, available } => {
            format!("{file}: intet ark med navnet \"{sheet}\"; projektmappen har {available}.")
        }
        NoSuchColumn { column, available } => {
            format!("Ingen kolonne med navnet \"{column}\"; data har {available}.")
        }
        NoText { column } => format!("Ingen rækker med tekst i kolonnen \"{column}\"."),
        NothingToAnalyse => {
            "Data har hverken en tekstkolonne eller vektorer; forventede en kolonne med udsagn eller talvektorer."
                .to_owned()
        }
        DimensionMismatch { file, first_file, expected, found } => {
            format!("{file}: vektorerne har {found} dimensioner, men {first_file} har {expected}.")
        }
        TooFewPoints { count: 1, minimum } => {
            format!("1 punkt er for lidt til en analyse; der skal mindst {minimum} til.")
        }
        TooFewPoints { count, minimum } => {
            format!("{count} punkter er for få til en analyse; der skal mindst {minimum} til.")
        }
        ClusteringFailed { detail } => format!("Klyngeinddelingen mislykkedes: {detail}"),
        InvalidK { k, points, max } => {
            format!("k = {k} er ikke muligt med {points} punkter; vælg k mellem 2 og {max}.")
        }
        InvalidParameter { detail } => format!("Ugyldig indstilling: {detail}"),
        BadVote { file, row, column, value } => format!(
            "{file}, række {row}, kolonne {column}: forventede en stemme 1 (enig), -1 (uenig), 0 (spring over) eller \
             intet, fandt \"{value}\"."
        ),
        NoRows { file } => format!(
            "{file}: kun en overskrift og ingen rækker under den; forventede én række pr. udsagn under overskriften."
        ),
        MixedDelimiter { file, row, found, header } => format!(
            "{file}, række {row}: felterne er adskilt af \"{found}\" her, men af \"{header}\" i overskriften; forventede \
             samme skilletegn hele vejen."
        ),
        UnterminatedQuote { file, row } => format!(
            "{file}, række {row}: et felt i anførselstegn begynder her og slutter aldrig; forventede et afsluttende \" \
             (anførselstegn inde i et felt skrives dobbelt: \"\")."
        ),
        RaggedVector { file, row, first_row, expected, found } => {
            format!("{file}, række {row}: forventede {expected} tal som i række {first_row}, fandt {found}.")
        }
        NotText { file, byte_offset } => format!(
            "{file}: det er ikke tekst (binære data ved byte {byte_offset}); forventede CSV, TSV, XLSX, JSON, JSON Lines \
             eller .npy."
        ),
        Pdf { file } => format!(
            "{file}: et PDF-dokument, ikke data; forventede CSV, TSV, XLSX, JSON, JSON Lines eller .npy (eksportér \
             tabellen fra det program, der lavede PDF'en)."
        ),
        LegacyExcel { file } => format!(
            "{file}: en Excel 97-2003-projektmappe (.xls), som Vejkort ikke kan læse; forventede .xlsx: åbn den i Excel \
             eller LibreOffice og gem den som .xlsx eller CSV UTF-8."
        ),
        EmptySheet { file, sheet } => {
            format!("{file}: arket \"{sheet}\" er tomt; forventede en overskriftsrække og én række pr. udsagn.")
        }
    }
}

/// Curation in words: what an edit did (the change log) and why one was refused. Worded here from the structured
/// values rather than taken from the engine's English sentences, so the log follows the language switch and names
/// clusters the way the legend does (numbered from 1).
impl Lang {
    /// A cluster as a log line names it: its label in quotes, or its number when it has none.
    fn named_cluster(self, id: i32, label: &str) -> String {
        let word = match self {
            Lang::Da => "klynge",
            Lang::En => "cluster",
        };
        if label.is_empty() {
            format!("{word} {}", id + 1)
        } else {
            format!("“{label}”")
        }
    }

    fn cluster_numbers(self, ids: &[i32]) -> String {
        let numbers: Vec<String> = ids.iter().map(|id| (id + 1).to_string()).collect();
        let and = match self {
            Lang::Da => " og ",
            Lang::En => " and ",
        };
        match numbers.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(", ")),
            _ => numbers.join(""),
        }
    }

    fn statement_count(self, count: usize) -> String {
        match (self, count) {
            (Lang::Da, _) => format!("{} udsagn", self.number(count)),
            (Lang::En, 1) => "1 statement".to_owned(),
            (Lang::En, _) => format!("{} statements", self.number(count)),
        }
    }

    fn emptied(self, emptied: &[i32]) -> String {
        if emptied.is_empty() {
            return String::new();
        }
        match self {
            Lang::Da => format!("; klynge {} blev tom og forsvandt", self.cluster_numbers(emptied)),
            Lang::En => format!("; cluster {} was left empty and removed", self.cluster_numbers(emptied)),
        }
    }

    /// One line of the change log.
    pub fn outcome(self, outcome: &Outcome) -> String {
        use Outcome::*;
        let c = |id: i32, label: &str| self.named_cluster(id, label);
        match (self, outcome) {
            (Lang::Da, ClusterRenamed { cluster, before, after }) => {
                format!("Omdøbte {} til “{after}”", c(*cluster, before))
            }
            (Lang::En, ClusterRenamed { cluster, before, after }) => {
                format!("Renamed {} to “{after}”", c(*cluster, before))
            }
            (Lang::Da, ClusterLabelReset { cluster, before, after }) => {
                format!("Gav {} maskinens navn “{after}” tilbage", c(*cluster, before))
            }
            (Lang::En, ClusterLabelReset { cluster, before, after }) => {
                format!("Gave {} back the machine's label “{after}”", c(*cluster, before))
            }
            (Lang::Da, ClusterDescribed { cluster, label, description: Some(_) }) => {
                format!("Beskrev {}", c(*cluster, label))
            }
            (Lang::En, ClusterDescribed { cluster, label, description: Some(_) }) => {
                format!("Described {}", c(*cluster, label))
            }
            (Lang::Da, ClusterDescribed { cluster, label, description: None }) => {
                format!("Fjernede beskrivelsen af {}", c(*cluster, label))
            }
            (Lang::En, ClusterDescribed { cluster, label, description: None }) => {
                format!("Removed the description of {}", c(*cluster, label))
            }
            (Lang::Da, ClustersMerged { into, merged, label, size }) => format!(
                "Slog klynge {} sammen med {} ({})",
                self.cluster_numbers(merged),
                c(*into, label),
                self.statement_count(*size)
            ),
            (Lang::En, ClustersMerged { into, merged, label, size }) => format!(
                "Merged cluster {} into {} ({})",
                self.cluster_numbers(merged),
                c(*into, label),
                self.statement_count(*size)
            ),
            (_, ClusterSplit { cluster, label, parts }) => {
                let parts: Vec<String> =
                    parts.iter().map(|p| format!("{} ({})", c(p.cluster, &p.label), self.number(p.size))).collect();
                let and = if self == Lang::Da { " og " } else { " and " };
                let parts = match parts.split_last() {
                    Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(", ")),
                    _ => parts.join(""),
                };
                match self {
                    Lang::Da => format!("Delte {} i {parts}", c(*cluster, label)),
                    Lang::En => format!("Split {} into {parts}", c(*cluster, label)),
                }
            }
            (Lang::Da, StatementsMoved { count, to, label, emptied }) => {
                format!("Flyttede {} til {}{}", self.statement_count(*count), c(*to, label), self.emptied(emptied))
            }
            (Lang::En, StatementsMoved { count, to, label, emptied }) => {
                format!("Moved {} to {}{}", self.statement_count(*count), c(*to, label), self.emptied(emptied))
            }
            (Lang::Da, StatementsMarkedNoise { count, emptied }) => {
                format!("Tog {} ud af klyngerne{}", self.statement_count(*count), self.emptied(emptied))
            }
            (Lang::En, StatementsMarkedNoise { count, emptied }) => {
                format!("Took {} out of the clusters{}", self.statement_count(*count), self.emptied(emptied))
            }
            (Lang::Da, WayCreated { name, .. }) => format!("Oprettede vejen “{name}”"),
            (Lang::En, WayCreated { name, .. }) => format!("Created the way “{name}”"),
            (Lang::Da, WayRenamed { before, after, .. }) => format!("Omdøbte vejen “{before}” til “{after}”"),
            (Lang::En, WayRenamed { before, after, .. }) => format!("Renamed the way “{before}” to “{after}”"),
            (Lang::Da, WayDescribed { name, .. }) => format!("Beskrev vejen “{name}”"),
            (Lang::En, WayDescribed { name, .. }) => format!("Described the way “{name}”"),
            (Lang::Da, WayRecoloured { name, colour, .. }) => format!("Gav vejen “{name}” farven {colour}"),
            (Lang::En, WayRecoloured { name, colour, .. }) => format!("Coloured the way “{name}” {colour}"),
            (Lang::Da, WayDeleted { name, .. }) => format!("Slettede vejen “{name}”"),
            (Lang::En, WayDeleted { name, .. }) => format!("Deleted the way “{name}”"),
            (Lang::Da, WayMoved { name, from, to, .. }) => {
                format!("Flyttede vejen “{name}” fra plads {} til {}", from + 1, to + 1)
            }
            (Lang::En, WayMoved { name, from, to, .. }) => {
                format!("Moved the way “{name}” from position {} to {}", from + 1, to + 1)
            }
            (Lang::Da, ClusterAddedToWay { name, cluster, label, .. }) => {
                format!("Føjede {} til vejen “{name}”", c(*cluster, label))
            }
            (Lang::En, ClusterAddedToWay { name, cluster, label, .. }) => {
                format!("Added {} to the way “{name}”", c(*cluster, label))
            }
            (Lang::Da, ClusterRemovedFromWay { name, cluster, label, .. }) => {
                format!("Tog {} ud af vejen “{name}”", c(*cluster, label))
            }
            (Lang::En, ClusterRemovedFromWay { name, cluster, label, .. }) => {
                format!("Removed {} from the way “{name}”", c(*cluster, label))
            }
            (Lang::Da, AxisNamed { start, end }) => format!("Navngav aksen “{start}” → “{end}”"),
            (Lang::En, AxisNamed { start, end }) => format!("Named the axis “{start}” → “{end}”"),
        }
    }

    /// Why an edit was refused, saying what would work instead where there is something to say.
    pub fn edit_error(self, error: &EditError) -> String {
        use EditError::*;
        let n = |id: &i32| id + 1;
        match (self, error) {
            (Lang::Da, UnknownCluster { cluster }) => format!("Der er ingen klynge {}.", n(cluster)),
            (Lang::En, UnknownCluster { cluster }) => format!("There is no cluster {}.", n(cluster)),
            (Lang::Da, UnknownWay { way }) => format!("Der er ingen vej nummer {way}."),
            (Lang::En, UnknownWay { way }) => format!("There is no way number {way}."),
            (Lang::Da, UnknownPoint { point, count }) => {
                format!("Der er intet udsagn nummer {}; kortet har {}.", point + 1, self.number(*count))
            }
            (Lang::En, UnknownPoint { point, count }) => {
                format!("There is no statement number {}; the map has {}.", point + 1, self.number(*count))
            }
            (Lang::Da, EmptyName) => "Et navn kan ikke være tomt; skriv mindst ét tegn.".to_owned(),
            (Lang::En, EmptyName) => "A name cannot be empty; type at least one character.".to_owned(),
            (Lang::Da, MergeNeedsTwo { given }) => {
                format!("Sammenlægning kræver mindst to forskellige klynger; {given} er valgt.")
            }
            (Lang::En, MergeNeedsTwo { given }) => {
                format!("Merging needs at least two different clusters; {given} selected.")
            }
            (Lang::Da, TooFewParts { parts }) => format!("En klynge deles i mindst to dele, ikke {parts}."),
            (Lang::En, TooFewParts { parts }) => format!("A cluster splits into at least two parts, not {parts}."),
            (Lang::Da, TooSmallToSplit { cluster, size, parts }) => {
                format!("Klynge {} har {size} udsagn, for få til at dele i {parts}.", n(cluster))
            }
            (Lang::En, TooSmallToSplit { cluster, size, parts }) => {
                format!("Cluster {} has {size} statements, too few to split into {parts}.", n(cluster))
            }
            (Lang::Da, NothingToSplit { cluster }) => {
                format!("Klynge {} kan ikke deles: dens udsagn ligner hinanden helt i analysen.", n(cluster))
            }
            (Lang::En, NothingToSplit { cluster }) => {
                format!("Cluster {} cannot be split: its statements are all alike in the analysis.", n(cluster))
            }
            (Lang::Da, SplitFailed { cluster, detail }) => {
                format!("Delingen af klynge {} mislykkedes: {detail}", n(cluster))
            }
            (Lang::En, SplitFailed { cluster, detail }) => format!("Splitting cluster {} failed: {detail}", n(cluster)),
            (Lang::Da, NoAnalysisSpace) => {
                "Kortet mangler analyserummet, som deling kræver; kør analysen igen.".to_owned()
            }
            (Lang::En, NoAnalysisSpace) => {
                "This map lacks the analysis space splitting needs; run the analysis again.".to_owned()
            }
            (Lang::Da, NoStatements) => "Der er ingen udsagn at ændre endnu; indlæs data først.".to_owned(),
            (Lang::En, NoStatements) => "There are no statements to change yet; load data first.".to_owned(),
            (Lang::Da, AlreadyThere) => "Udsagnene er der allerede.".to_owned(),
            (Lang::En, AlreadyThere) => "The statements are already there.".to_owned(),
            (Lang::Da, InvalidColour { colour }) => format!("“{colour}” er ikke en farve på formen #rrggbb."),
            (Lang::En, InvalidColour { colour }) => format!("“{colour}” is not a colour of the form #rrggbb."),
            (Lang::Da, DuplicateWayName { name }) => format!("Der er allerede en vej, der hedder “{name}”."),
            (Lang::En, DuplicateWayName { name }) => format!("There is already a way named “{name}”."),
            (Lang::Da, WayPositionOutOfRange { index, count }) => {
                format!("Plads {} findes ikke blandt de {count} veje.", index + 1)
            }
            (Lang::En, WayPositionOutOfRange { index, count }) => {
                format!("Position {} is outside the {count} ways.", index + 1)
            }
            (Lang::Da, AlreadyInWay { way, cluster }) => format!("Klynge {} er allerede i vej {way}.", n(cluster)),
            (Lang::En, AlreadyInWay { way, cluster }) => format!("Cluster {} is already in way {way}.", n(cluster)),
            (Lang::Da, NotInWay { way, cluster }) => format!("Klynge {} er ikke i vej {way}.", n(cluster)),
            (Lang::En, NotInWay { way, cluster }) => format!("Cluster {} is not in way {way}.", n(cluster)),
        }
    }
}

/// Counts and phrases of reading the map (search, selection, filters, table).
impl Lang {
    pub fn search_count(self, matches: usize, total: usize) -> String {
        match self {
            Lang::Da => format!("{} af {} udsagn", self.number(matches), self.number(total)),
            Lang::En => format!("{} of {} statements", self.number(matches), self.number(total)),
        }
    }

    pub fn selected_count(self, count: usize) -> String {
        match self {
            Lang::Da => format!("{} udsagn valgt", self.number(count)),
            Lang::En => format!("{} statements selected", self.number(count)),
        }
    }

    pub fn and_more(self, count: usize) -> String {
        match self {
            Lang::Da => format!("… og {} mere", self.number(count)),
            Lang::En => format!("… and {} more", self.number(count)),
        }
    }

    pub fn rows_shown(self, shown: usize, total: usize) -> String {
        match self {
            Lang::Da => format!("Viser {} af {} rækker", self.number(shown), self.number(total)),
            Lang::En => format!("Showing {} of {} rows", self.number(shown), self.number(total)),
        }
    }

    pub fn similarity(self, similarity: f32) -> String {
        let percent = (similarity.clamp(-1.0, 1.0) * 100.0).round() as i32;
        match self {
            Lang::Da => format!("{percent} % ens"),
            Lang::En => format!("{percent}% similar"),
        }
    }

    pub fn values_capped(self, shown: usize, total: usize) -> String {
        match self {
            Lang::Da => format!("De {shown} hyppigste af {} værdier", self.number(total)),
            Lang::En => format!("The {shown} most frequent of {} values", self.number(total)),
        }
    }
}

/// Messages of the ways editor and of opening a project file.
impl Lang {
    /// Why a project file did not open, naming the file and what is wrong with it.
    pub fn project_error(self, file: &str, error: &vejkort_engine::project::ProjectError) -> String {
        use vejkort_engine::project::{ProjectError as E, VERSION};
        let detail = match (self, error) {
            (Lang::Da, E::NotJson { line, column, message }) => {
                format!("det er ikke gyldig JSON: {message} (linje {line}, kolonne {column})")
            }
            (Lang::Da, E::Truncated { line, column }) => format!(
                "filen slutter for tidligt ved linje {line}, kolonne {column}: den blev afbrudt under gemning eller kopiering"
            ),
            (Lang::Da, E::NotAProject { found: Some(format) }) => {
                format!("det er ikke et Vejkort-projekt: dets format er \"{format}\"")
            }
            (Lang::Da, E::NotAProject { found: None }) => {
                "det er ikke et Vejkort-projekt: der står ikke \"format\": \"vejkort-project\"".to_owned()
            }
            (Lang::Da, E::FromTheFuture { version }) => format!(
                "projektet er lavet af en nyere Vejkort (version {version}); denne app læser op til version {VERSION}. Opdatér appen"
            ),
            (Lang::Da, E::UnknownOldVersion { version }) => {
                format!("version {version} er ældre end noget Vejkort-projekt, denne app kender (den læser version {VERSION})")
            }
            (Lang::Da, E::MissingField { path }) => format!("projektet mangler \"{path}\""),
            (Lang::Da, E::Malformed { path, message }) => format!("\"{path}\" er ugyldig: {message}"),
            (Lang::Da, E::SizeMismatch { field, expected, found }) => {
                format!("\"{field}\" har {found} elementer, men data har {expected} udsagn")
            }
            (Lang::Da, E::UnknownCluster { field, cluster }) => {
                format!("\"{field}\" henviser til klynge {cluster}, som projektet ikke har")
            }
            (Lang::Da, E::Inconsistent { field, message }) => {
                format!("\"{field}\" passer ikke med resten af projektet: {message}")
            }
            (Lang::En, E::FromTheFuture { .. }) => format!("{error}. Update the app"),
            (Lang::En, error) => error.to_string(),
        };
        format!("{file}: {}: {detail}.", self.strings().project_error)
    }

    /// Why an edit of the ways was refused.
    pub fn way_edit_error(self, error: &vejkort_engine::curation::EditError) -> String {
        use vejkort_engine::curation::EditError as E;
        match (self, error) {
            (Lang::Da, E::EmptyName) => "Et navn kan ikke være tomt.".to_owned(),
            (Lang::Da, E::DuplicateWayName { name }) => format!("Der er allerede en vej, der hedder \"{name}\"."),
            (Lang::Da, E::InvalidColour { colour }) => format!("\"{colour}\" er ikke en farve på formen #rrggbb."),
            (Lang::Da, E::UnknownWay { way }) => format!("Der er ingen vej {way}."),
            (Lang::Da, E::WayPositionOutOfRange { index, count }) => {
                format!("Plads {index} ligger uden for de {count} veje.")
            }
            (Lang::Da, E::NoStatements) => "Der er intet kort endnu: indlæs data først.".to_owned(),
            (Lang::Da, error) => format!("Ændringen blev afvist: {error}."),
            (Lang::En, E::NoStatements) => "There is no map yet: load data first.".to_owned(),
            (Lang::En, error) => {
                let text = error.to_string();
                let mut chars = text.chars();
                chars.next().map_or(text.clone(), |first| format!("{}{}.", first.to_uppercase(), chars.as_str()))
            }
        }
    }
}

/// The lenses in words: what a bar and a conflict entry say.
impl Lang {
    /// "12 udsagn · 40 % af respondenterne · 3 af 5 grupper".
    pub fn scale_line(self, statements: usize, respondents: Option<f64>, groups: Option<(usize, f64)>) -> String {
        let mut parts = vec![self.cluster_size(statements)];
        if let Some(share) = respondents {
            parts.push(match self {
                Lang::Da => format!("{:.0} % af respondenterne", share * 100.0),
                Lang::En => format!("{:.0} % of respondents", share * 100.0),
            });
        }
        if let Some((count, share)) = groups {
            parts.push(match self {
                Lang::Da => format!("{count} grupper ({:.0} %)", share * 100.0),
                Lang::En => format!("{count} groups ({:.0} %)", share * 100.0),
            });
        }
        parts.join(" · ")
    }

    /// What the conflict lens was measured from.
    pub fn conflict_basis(self, basis: &vejkort_engine::lens::conflict::Basis) -> String {
        use vejkort_engine::lens::conflict::Basis;
        match (self, basis) {
            (Lang::Da, Basis::Votes { groups }) => format!(
                "Ud fra stemmer i {} meningsgrupper: splittelse er den gennemsnitlige forskel i andelen enige mellem \
                 grupperne; fælles er Polis' gruppeinformerede konsensus.",
                groups.len()
            ),
            (Lang::En, Basis::Votes { groups }) => format!(
                "From votes in {} opinion groups: divisiveness is the mean gap between the groups' agree rates; \
                 shared is Polis's group-informed consensus.",
                groups.len()
            ),
            (Lang::Da, Basis::GroupColumn { column }) => format!(
                "Ud fra kolonnen \"{column}\": hvor meget klyngens fordeling på grupper afviger fra hele datasættets \
                 (total variationsafstand)."
            ),
            (Lang::En, Basis::GroupColumn { column }) => format!(
                "From the column \"{column}\": how far the cluster's mix of groups is from the whole data's (total \
                 variation distance)."
            ),
        }
    }

    /// One cluster in the conflict lists: its measure in words.
    pub fn conflict_measure(self, measure: &vejkort_engine::lens::conflict::ClusterMeasure) -> String {
        use vejkort_engine::lens::conflict::ClusterMeasure;
        match (self, measure) {
            (Lang::Da, ClusterMeasure::Votes { mean_gap, consensus, votes, .. }) => format!(
                "forskel {} · konsensus {} · {} stemmer",
                decimal(self, *mean_gap),
                decimal(self, *consensus),
                self.number(*votes as usize)
            ),
            (Lang::En, ClusterMeasure::Votes { mean_gap, consensus, votes, .. }) => format!(
                "gap {} · consensus {} · {} votes",
                decimal(self, *mean_gap),
                decimal(self, *consensus),
                self.number(*votes as usize)
            ),
            (_, ClusterMeasure::Spread { distance, over }) => {
                let mut line = match self {
                    Lang::Da => format!("afstand {}", decimal(self, *distance)),
                    Lang::En => format!("distance {}", decimal(self, *distance)),
                };
                if let Some((group, share, overall)) = over {
                    line.push_str(&match self {
                        Lang::Da => format!(" · {group}: {:.0} % her, {:.0} % i alt", share * 100.0, overall * 100.0),
                        Lang::En => {
                            format!(" · {group}: {:.0} % here, {:.0} % overall", share * 100.0, overall * 100.0)
                        }
                    });
                }
                line
            }
        }
    }
}

impl Lang {
    /// Why the user's own model folder cannot be used, naming the file and, where there is one, the field.
    pub fn model_folder_error(self, error: &vejkort_protocol::ModelFolderError) -> String {
        use vejkort_protocol::FolderProblem;
        let text = self.strings();
        let problem = match error.problem {
            FolderProblem::Missing => text.own_model_missing,
            FolderProblem::Malformed => text.own_model_malformed,
            FolderProblem::Unsupported => text.own_model_unsupported,
        };
        if error.detail.is_empty() {
            format!("{}: {} {problem}.", text.own_model_unusable, error.file)
        } else {
            format!("{}: {} {problem}: {}.", text.own_model_unusable, error.file, error.detail)
        }
    }
}

impl Lang {
    /// When a project was saved, as the reader's locale writes dates.
    pub fn saved_at(self, millis: f64) -> String {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis));
        let locale = match self {
            Lang::Da => "da-DK",
            Lang::En => "en-GB",
        };
        String::from(date.to_locale_string(locale, &wasm_bindgen::JsValue::UNDEFINED))
    }

    /// "896 points · 12 clusters": a saved project in the list.
    pub fn saved_project_facts(self, points: u32, clusters: u32) -> String {
        let (p, c) = (self.number(points as usize), self.number(clusters as usize));
        match self {
            Lang::Da => format!("{p} punkter · {c} {}", if clusters == 1 { "klynge" } else { "klynger" }),
            Lang::En => format!(
                "{p} {} · {c} {}",
                if points == 1 { "point" } else { "points" },
                if clusters == 1 { "cluster" } else { "clusters" }
            ),
        }
    }

    /// Why the browser would not store or read a project, and that the map on screen is safe.
    pub fn storage_error(self, error: &crate::storage::StorageError) -> String {
        let reason = match (self, error.is_quota()) {
            (Lang::Da, true) => "browseren har ikke mere plads til Vejkort".to_owned(),
            (Lang::En, true) => "the browser has no more room for Vejkort".to_owned(),
            (_, false) => format!("{}: {}", error.name, error.detail),
        };
        match self {
            Lang::Da => format!(
                "Projektet kunne ikke gemmes i browseren ({reason}). Kortet på skærmen er ikke tabt: brug \"Gem projekt\" for at beholde det som fil."
            ),
            Lang::En => format!(
                "The project could not be saved in the browser ({reason}). The map on screen is not lost: use \"Save project\" to keep it as a file."
            ),
        }
    }

    /// The list of saved projects could not be read.
    pub fn storage_list_error(self, error: &crate::storage::StorageError) -> String {
        match self {
            Lang::Da => format!("De gemte projekter kunne ikke læses ({}: {}).", error.name, error.detail),
            Lang::En => format!("The saved projects could not be read ({}: {}).", error.name, error.detail),
        }
    }

    /// Autosave's state in a few words.
    pub fn save_state(self, state: &crate::autosave::SaveState) -> String {
        use crate::autosave::SaveState as S;
        match (self, state) {
            (_, S::Idle) => String::new(),
            (Lang::Da, S::Saving) => "Gemmer …".into(),
            (Lang::En, S::Saving) => "Saving …".into(),
            (Lang::Da, S::Saved(at)) => format!("Gemt {}", self.saved_at(*at)),
            (Lang::En, S::Saved(at)) => format!("Saved {}", self.saved_at(*at)),
            (_, S::Failed(error)) => self.storage_error(error),
            (Lang::Da, S::Off) => "Gemmer ikke automatisk i dette besøg.".into(),
            (Lang::En, S::Off) => "Not saving automatically during this visit.".into(),
        }
    }

    /// What "Delete all my data" did, counted, and whether anything is left.
    pub fn wipe_report(self, report: &crate::storage::WipeReport) -> String {
        let n = |count: usize| self.number(count);
        let mut parts = Vec::new();
        let plural = |count: usize, one: &'static str, many: &'static str| if count == 1 { one } else { many };
        match self {
            Lang::Da => {
                parts.push(format!(
                    "{} {}",
                    n(report.projects),
                    plural(report.projects, "gemt projekt", "gemte projekter")
                ));
                parts.push(format!("{} {}", n(report.databases), plural(report.databases, "database", "databaser")));
                parts.push(format!(
                    "{} {}",
                    n(report.storage_items),
                    plural(report.storage_items, "indstilling", "indstillinger")
                ));
                let model = if report.model_removed { " (heriblandt sprogmodellen)" } else { "" };
                parts.push(format!("{} {}{model}", n(report.caches), plural(report.caches, "cache", "cacher")));
                parts.push(format!(
                    "{} {}",
                    n(report.service_workers),
                    plural(
                        report.service_workers,
                        "service worker (offline-kopien)",
                        "service workers (offline-kopien)"
                    )
                ));
                let mut text = format!("Slettet fra denne browser: {}.", parts.join(", "));
                if report.left.is_empty() {
                    text.push_str(" Intet fra Vejkort er tilbage i browseren. Automatisk gemning er slået fra i dette besøg; kortet på skærmen forsvinder, når du lukker fanen.");
                } else {
                    text.push_str(&format!(" Kunne ikke slettes: {}.", report.left.join(", ")));
                }
                text
            }
            Lang::En => {
                parts.push(format!(
                    "{} {}",
                    n(report.projects),
                    plural(report.projects, "saved project", "saved projects")
                ));
                parts.push(format!("{} {}", n(report.databases), plural(report.databases, "database", "databases")));
                parts.push(format!(
                    "{} {}",
                    n(report.storage_items),
                    plural(report.storage_items, "setting", "settings")
                ));
                let model = if report.model_removed { " (the language model among them)" } else { "" };
                parts.push(format!("{} {}{model}", n(report.caches), plural(report.caches, "cache", "caches")));
                parts.push(format!(
                    "{} {}",
                    n(report.service_workers),
                    plural(
                        report.service_workers,
                        "service worker (the offline copy)",
                        "service workers (the offline copy)"
                    )
                ));
                let mut text = format!("Deleted from this browser: {}.", parts.join(", "));
                if report.left.is_empty() {
                    text.push_str(" Nothing of Vejkort is left in this browser. Autosave is off for this visit; the map on screen goes when you close the tab.");
                } else {
                    text.push_str(&format!(" Could not delete: {}.", report.left.join(", ")));
                }
                text
            }
        }
    }

    /// Publishing failed: which file of the app could not be packed, and why.
    pub fn publish_error(self, file: &str, detail: &str) -> String {
        match self {
            Lang::Da => format!("Udgivelsen mislykkedes: {file} kunne ikke pakkes ({detail})."),
            Lang::En => format!("Publishing failed: {file} could not be packed ({detail})."),
        }
    }
}

/// Uploads refused before reading (`vejkort_engine::io::limits`): which file, how big, and the limit.
impl Lang {
    pub fn too_large(self, refusal: &vejkort_engine::io::limits::TooLarge) -> String {
        use vejkort_engine::io::limits::{megabytes, millions, SizeClass, TooLarge};
        let mb = |bytes: u64| self.big_number(megabytes(bytes));
        match (self, refusal) {
            (Lang::Da, TooLarge::File { file, class, bytes, limit }) => {
                let kind = match class {
                    SizeClass::Npy => ".npy-filer",
                    SizeClass::Text => "CSV-, TSV- og JSON-filer",
                    SizeClass::Workbook => "XLSX-filer",
                };
                format!(
                    "{file} fylder {} MB; Vejkort læser {kind} på højst {} MB. Intet er læst; gør data mindre (færre rækker eller kolonner) og prøv igen.",
                    mb(*bytes),
                    mb(*limit)
                )
            }
            (Lang::En, TooLarge::File { file, class, bytes, limit }) => {
                let kind = match class {
                    SizeClass::Npy => ".npy files",
                    SizeClass::Text => "CSV, TSV and JSON files",
                    SizeClass::Workbook => "XLSX files",
                };
                format!(
                    "{file} is {} MB; Vejkort reads {kind} of at most {} MB. Nothing was read; make the data smaller (fewer rows or columns) and try again.",
                    mb(*bytes),
                    mb(*limit)
                )
            }
            (Lang::Da, TooLarge::Total { files, bytes, limit }) => format!(
                "De {files} filer fylder {} MB tilsammen; Vejkort læser højst {} MB ad gangen. Intet er læst.",
                mb(*bytes),
                mb(*limit)
            ),
            (Lang::En, TooLarge::Total { files, bytes, limit }) => format!(
                "The {files} files are {} MB together; Vejkort reads at most {} MB at once. Nothing was read.",
                mb(*bytes),
                mb(*limit)
            ),
            (Lang::Da, TooLarge::Matrix { file, rows, dims, limit }) => format!(
                "{file} rummer {} × {} = {} mio. tal; Vejkort læser højst {} mio. (1 GB som float32). Intet er læst; brug færre rækker eller dimensioner.",
                self.big_number(*rows),
                self.big_number(*dims),
                self.big_number(millions(rows.saturating_mul(*dims))),
                self.big_number(millions(*limit))
            ),
            (Lang::En, TooLarge::Matrix { file, rows, dims, limit }) => format!(
                "{file} holds {} × {} = {} million numbers; Vejkort reads at most {} million (1 GB as float32). Nothing was read; use fewer rows or dimensions.",
                self.big_number(*rows),
                self.big_number(*dims),
                self.big_number(millions(rows.saturating_mul(*dims))),
                self.big_number(millions(*limit))
            ),
        }
    }

    /// [`Lang::number`] for sizes and shapes that may not fit a 32-bit `usize` (a `.npy` header can claim
    /// anything); `number` widens and comes here, so there is one digit grouping.
    fn big_number(self, value: u64) -> String {
        let separator = match self {
            Lang::Da => '.',
            Lang::En => ',',
        };
        let digits = value.to_string();
        let mut out = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(digit);
        }
        out
    }

    /// The browser refused the memory for a file that passed the limits (other tabs, a small device).
    pub fn no_memory(self, file: &str, bytes: u64) -> String {
        let mb = self.big_number(vejkort_engine::io::limits::megabytes(bytes));
        match self {
            Lang::Da => format!(
                "{file}: browseren gav ikke hukommelse nok til filens {mb} MB. Luk andre faner eller brug en mindre fil."
            ),
            Lang::En => {
                format!("{file}: the browser did not give enough memory for the file's {mb} MB. Close other tabs or use a smaller file.")
            }
        }
    }
}

/// A number from 0 to 1 with two decimals and the language's decimal sign.
fn decimal(lang: Lang, value: f64) -> String {
    let text = format!("{value:.2}");
    match lang {
        Lang::Da => text.replace('.', ","),
        Lang::En => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vejkort_engine::project::ProjectError;

    #[test]
    fn counts_rates_and_time_left_read_naturally() {
        assert_eq!(Lang::Da.number(2427), "2.427");
        assert_eq!(Lang::En.number(1_234_567), "1,234,567");
        assert_eq!(Lang::En.number(999), "999");
        assert_eq!(Lang::Da.counted(1200, 2427, None), "1.200 af 2.427");
        assert_eq!(Lang::En.counted(1200, 2427, Some((26.4, 46.6))), "1,200 of 2,427 · 26 per s · 47 s left");
        assert_eq!(Lang::Da.counted(10, 5000, Some((25.0, 199.6))), "10 af 5.000 · 25 pr. s · 3 min tilbage");
    }

    #[test]
    fn a_missing_static_table_is_worded_in_both_languages() {
        let warning = Warning::NoStaticTable;
        assert!(Lang::Da.warning(&warning).contains("TF-IDF") && Lang::Da.warning(&warning).contains("ordvektorer"));
        assert!(Lang::En.warning(&warning).contains("TF-IDF") && Lang::En.warning(&warning).contains("word vectors"));
    }

    #[test]
    fn warnings_are_worded_per_language() {
        let warning = Warning::SkippedEmpty { file: "svar.csv".into(), count: 1, unit: Unit::Row };
        assert_eq!(Lang::Da.warning(&warning), "svar.csv: sprang 1 tom række over");
        assert_eq!(Lang::En.warning(&warning), "svar.csv: skipped 1 empty row");
    }

    #[test]
    fn browser_language_picks_danish_for_scandinavian_tags() {
        assert_eq!(Lang::from_browser_language("da-DK"), Lang::Da);
        assert_eq!(Lang::from_browser_language("nb"), Lang::Da);
        assert_eq!(Lang::from_browser_language("en-GB"), Lang::En);
        assert_eq!(Lang::from_browser_language(""), Lang::En);
    }

    #[test]
    fn errors_name_file_row_and_expectation_in_both_languages() {
        let error =
            AnalysisError::Input(InputError::RaggedRow { file: "svar.csv".into(), row: 7, expected: 5, found: 3 });
        assert_eq!(Lang::Da.error(&error), "svar.csv, række 7: forventede 5 felter som i overskriften, fandt 3.");
        assert_eq!(Lang::En.error(&error), "svar.csv, row 7: expected 5 fields as in the header, found 3");
    }

    #[test]
    fn the_bad_input_corpus_errors_name_the_file_and_row_in_both_languages() {
        let file = || "svar.csv".to_owned();
        let errors = [
            InputError::NoRows { file: file() },
            InputError::MixedDelimiter { file: file(), row: 4, found: ";".into(), header: ",".into() },
            InputError::UnterminatedQuote { file: file(), row: 4 },
            InputError::RaggedVector { file: file(), row: 4, first_row: 1, expected: 8, found: 7 },
            InputError::NotText { file: file(), byte_offset: 4 },
            InputError::Pdf { file: file() },
            InputError::LegacyExcel { file: file() },
            InputError::EmptySheet { file: file(), sheet: "Ark1".into() },
        ];
        for error in errors {
            let with_row = !matches!(
                error,
                InputError::NoRows { .. }
                    | InputError::NotText { .. }
                    | InputError::Pdf { .. }
                    | InputError::LegacyExcel { .. }
                    | InputError::EmptySheet { .. }
            );
            let error = AnalysisError::Input(error);
            let (da, en) = (Lang::Da.error(&error), Lang::En.error(&error));
            assert_ne!(da, en);
            assert!(da.starts_with("svar.csv") && en.starts_with("svar.csv"), "{da} / {en}");
            if with_row {
                assert!(da.contains("række 4") && en.contains("row 4"), "{da} / {en}");
            }
        }
        let decoded = Warning::Decoded { file: file(), encoding: "Windows-1252".into() };
        assert!(Lang::Da.warning(&decoded).contains("læst som Windows-1252"));
        assert!(Lang::En.warning(&decoded).contains("read as Windows-1252"));
    }

    #[test]
    fn model_folder_errors_name_the_file_in_both_languages() {
        use vejkort_protocol::{FolderProblem, ModelFolderError};
        let missing =
            ModelFolderError { file: "tokenizer.json".into(), problem: FolderProblem::Missing, detail: String::new() };
        assert_eq!(
            Lang::En.model_folder_error(&missing),
            "The model folder cannot be used: tokenizer.json is missing from the folder."
        );
        assert_eq!(
            Lang::Da.model_folder_error(&missing),
            "Modelmappen kan ikke bruges: tokenizer.json mangler i mappen."
        );
        let odd = ModelFolderError {
            file: "config.json".into(),
            problem: FolderProblem::Unsupported,
            detail: "model_type \"gpt2\"".into(),
        };
        assert_eq!(
            Lang::En.model_folder_error(&odd),
            "The model folder cannot be used: config.json uses something Vejkort does not support: model_type \"gpt2\"."
        );
    }

    #[test]
    fn change_log_and_refusals_are_worded_from_the_structured_values() {
        let merged = Outcome::ClustersMerged { into: 2, merged: vec![0, 4], label: "Pleje".into(), size: 31 };
        assert_eq!(Lang::En.outcome(&merged), "Merged cluster 1 and 5 into “Pleje” (31 statements)");
        assert_eq!(Lang::Da.outcome(&merged), "Slog klynge 1 og 5 sammen med “Pleje” (31 udsagn)");
        let renamed = Outcome::ClusterRenamed { cluster: 3, before: String::new(), after: "Skole".into() };
        assert_eq!(Lang::En.outcome(&renamed), "Renamed cluster 4 to “Skole”");
        assert_eq!(Lang::Da.outcome(&renamed), "Omdøbte klynge 4 til “Skole”");
        let error = EditError::TooSmallToSplit { cluster: 0, size: 1, parts: 2 };
        assert_eq!(Lang::Da.edit_error(&error), "Klynge 1 har 1 udsagn, for få til at dele i 2.");
        assert_eq!(Lang::En.edit_error(&EditError::EmptyName), "A name cannot be empty; type at least one character.");
    }

    #[test]
    fn project_errors_name_the_file_and_the_problem_in_both_languages() {
        let future = ProjectError::FromTheFuture { version: 7 };
        let da = Lang::Da.project_error("kort.json", &future);
        let en = Lang::En.project_error("kort.json", &future);
        assert!(da.starts_with("kort.json: Projektfilen kunne ikke åbnes"), "{da}");
        assert!(da.contains("nyere Vejkort (version 7)"), "{da}");
        assert!(en.contains("newer Vejkort: version 7, this app reads up to 1"), "{en}");
        let cut = Lang::Da.project_error("a.json", &ProjectError::Truncated { line: 3, column: 9 });
        assert!(cut.contains("linje 3, kolonne 9"), "{cut}");
    }

    #[test]
    fn way_edit_errors_are_sentences() {
        let duplicate = EditError::DuplicateWayName { name: "Ny".into() };
        assert_eq!(Lang::Da.way_edit_error(&duplicate), "Der er allerede en vej, der hedder \"Ny\".");
        assert_eq!(Lang::En.way_edit_error(&duplicate), "There is already a way named \"Ny\".");
    }
}
