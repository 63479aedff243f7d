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
    vectoriser_tfidf: "TF-IDF (øjeblikkelig, ord)",    labels_heading: "Etiketter",
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
    vectoriser_tfidf: "TF-IDF (instant, words)",    labels_heading: "Labels",
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
