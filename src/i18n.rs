//! Every word the interface says, in Danish and English.
//!
//! One [`Strings`] value per language, so a string missing in one language is a compile error, not a blank in
//! the UI. Messages with values (errors, counts) are functions of the language. The default language follows
//! the browser's; the user can switch.

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
    // The ways editor, the axis and the exports.
    pub new_way: &'static str,
    pub way_name: &'static str,
    pub add_way: &'static str,
    pub rename: &'static str,
    pub description: &'static str,
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
    new_way: "Ny vej",
    way_name: "Vejens navn",
    add_way: "Tilføj vej",
    rename: "Navn",
    description: "Beskrivelse",
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
    new_way: "New way",
    way_name: "Name of the way",
    add_way: "Add way",
    rename: "Name",
    description: "Description",
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
};

impl Lang {
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

    /// A count with the language's thousands separator: 2.427 in Danish, 2,427 in English.
    pub fn number(self, value: usize) -> String {
        let digits = value.to_string();
        let separator = match self {
            Lang::Da => '.',
            Lang::En => ',',
        };
        let mut out = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(separator);
            }
            out.push(digit);
        }
        out
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
                Warning::NoModel => {
                    "Der er ingen sprogmodel til rådighed; udsagnene er i stedet lavet til vektorer med TF-IDF".to_owned()
                }
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
        TooFewPoints { count, minimum } => {
            format!("{count} punkter er for få til en analyse; der skal mindst {minimum} til.")
        }
        ClusteringFailed { detail } => format!("Klyngeinddelingen mislykkedes: {detail}"),
        InvalidK { k, points, max } => {
            format!("k = {k} er ikke muligt med {points} punkter; vælg k mellem 2 og {max}.")
        }
        InvalidParameter { detail } => format!("Ugyldig indstilling: {detail}"),
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

#[cfg(test)]
mod project_message_tests {
    use super::*;
    use vejkort_engine::curation::EditError;
    use vejkort_engine::project::ProjectError;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
