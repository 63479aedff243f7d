//! The published folder: what "Publish" in the app and `vejkort publish` on the command line both write.
//!
//! A published project is the built app, the project file, and an index page that opens the app on that project
//! for reading. Nothing is rendered to static HTML: the published map is the real app, so it zooms, searches and
//! reads like the original, and it needs nothing but a server that hands out files (a USB stick with
//! `python3 -m http.server` will do). The texts and names live here so the two writers cannot drift apart.
//!
//! ```text
//! vejkort-<name>/index.html             opens app/index.html?project=../project.vejkort.json&mode=explore
//! vejkort-<name>/project.vejkort.json   the project file, as "Save project" writes it
//! vejkort-<name>/README.txt             how to open it, in Danish and English
//! vejkort-<name>/app/…                  the built app as its precache.json lists it (no language model)
//! ```

/// Where the project file sits in the folder, the app's folder, and the page the index opens.
pub const PROJECT_FILE: &str = "project.vejkort.json";
pub const APP_FOLDER: &str = "app";
pub const OPEN_URL: &str = "app/index.html?project=../project.vejkort.json&mode=explore";
/// The build's list of its own files, written by scripts/precache-manifest.mjs after each Trunk build.
pub const MANIFEST: &str = "precache.json";

/// The index page at the top of the folder: a plain redirect (no script, so it works under any policy) with a
/// link for browsers that do not follow it, and a word on why opening it from the disk does not work.
pub fn index_html(title: &str) -> String {
    let title = escape(title);
    format!(
        r#"<!DOCTYPE html>
<html lang="da">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <meta http-equiv="Content-Security-Policy" content="default-src 'none'; base-uri 'none'; form-action 'none'" />
  <meta name="referrer" content="no-referrer" />
  <meta http-equiv="refresh" content="0; url={url}" />
  <title>{title} · Vejkort</title>
</head>
<body>
  <h1>{title}</h1>
  <p><a href="{url}">Åbn kortet · Open the map</a></p>
  <p>Vejkort skal hentes fra en webserver, ikke direkte fra disken: se README.txt.<br />
     Vejkort must be served by a web server, not opened from the disk: see README.txt.</p>
</body>
</html>
"#,
        url = OPEN_URL.replace('&', "&amp;"),
    )
}

/// How to open the folder, in both languages.
pub fn readme(title: &str) -> String {
    format!(
        "{title}\n\
         {underline}\n\n\
         DANSK\n\
         Denne mappe er et Vejkort-projekt udgivet til læsning: app'en, projektfilen ({PROJECT_FILE}) og\n\
         index.html, der åbner kortet. Læg hele mappen på en hvilken som helst statisk webserver (GitHub Pages,\n\
         Netlify, en kommunal webserver), eller start en lokal server i mappen, fx fra en USB-nøgle:\n\n\
         \x20   python3 -m http.server 8000\n\n\
         og åbn http://localhost:8000/ i browseren. Intet sendes nogen steder hen: alt kører i browseren.\n\
         Dobbeltklik på index.html virker ikke: browsere kører ikke WebAssembly-moduler og web workers fra\n\
         file://-adresser.\n\n\
         ENGLISH\n\
         This folder is a Vejkort project published for reading: the app, the project file ({PROJECT_FILE})\n\
         and index.html, which opens the map. Put the whole folder on any static web server (GitHub Pages,\n\
         Netlify, an intranet server), or start a local server in the folder, e.g. from a USB stick:\n\n\
         \x20   python3 -m http.server 8000\n\n\
         and open http://localhost:8000/ in a browser. Nothing is sent anywhere: everything runs in the browser.\n\
         Double-clicking index.html does not work: browsers do not run WebAssembly modules and web workers from\n\
         file:// addresses.\n",
        underline = "=".repeat(title.chars().count()),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A folder name from a project name: letters, digits and dashes only, so it survives every file system.
pub fn folder_name(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        "vejkort-map".into()
    } else {
        format!("vejkort-{slug}")
    }
}

/// The files of the build, from its manifest: relative paths, with nothing that could climb out of the folder.
pub fn manifest_files(json: &str) -> Result<Vec<String>, String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        files: Vec<String>,
    }
    let manifest: Manifest = serde_json::from_str(json).map_err(|error| error.to_string())?;
    let unsafe_path = |path: &str| path.starts_with('/') || path.contains('\\') || path.split('/').any(|p| p == "..");
    if let Some(bad) = manifest.files.iter().find(|path| unsafe_path(path)) {
        return Err(format!("the list names a path outside the app: {bad}"));
    }
    Ok(manifest.files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_keep_letters_and_digits_only() {
        assert_eq!(folder_name("Velfærd workshop 2025.csv"), "vejkort-velfærd-workshop-2025-csv");
        assert_eq!(folder_name("../../etc"), "vejkort-etc");
        assert_eq!(folder_name("  "), "vejkort-map");
    }

    #[test]
    fn the_manifest_may_not_reach_outside_the_app() {
        assert_eq!(
            manifest_files(r#"{"files":["index.html","example/a.csv"]}"#).unwrap(),
            ["index.html", "example/a.csv"]
        );
        assert!(manifest_files(r#"{"files":["../secret"]}"#).unwrap_err().contains("../secret"));
        assert!(manifest_files(r#"{"files":["/etc/passwd"]}"#).is_err());
        assert!(manifest_files("not json").is_err());
    }

    #[test]
    fn the_index_opens_the_project_for_reading_without_a_script() {
        let html = index_html("Kort <1>");
        assert!(html.contains("url=app/index.html?project=../project.vejkort.json&amp;mode=explore"), "{html}");
        assert!(html.contains("Kort &lt;1&gt;"));
        assert!(!html.contains("<script"));
    }
}
