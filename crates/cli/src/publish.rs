//! `vejkort publish`: the same static folder as the app's "Publish", written from the command line, for people
//! who publish from a build server or keep their projects in a repository.
//!
//! The app's files come from a built `dist/` folder and its `precache.json` (so the folder holds exactly what the
//! browser's "Publish" would pack); the project is checked by loading it first, so a broken file is refused with
//! the engine's message instead of being published.

use std::fs;
use std::path::{Path, PathBuf};

use vejkort_engine::publish::{index_html, manifest_files, readme, APP_FOLDER, MANIFEST, PROJECT_FILE};

/// Writes the published folder at `out` from `project` and the built app in `app`; returns the files written.
pub fn publish(project: &Path, out: &Path, app: &Path) -> Result<usize, String> {
    let shown = |path: &Path| path.display().to_string();
    let text = fs::read_to_string(project).map_err(|error| format!("{}: {error}", shown(project)))?;
    vejkort_engine::project::load(&text).map_err(|error| format!("{}: {error}", shown(project)))?;
    let manifest_path = app.join(MANIFEST);
    let manifest = fs::read_to_string(&manifest_path).map_err(|error| {
        format!(
            "{}: {error} (build the app with `trunk build --release` first; --app names its folder)",
            shown(&manifest_path)
        )
    })?;
    let files = manifest_files(&manifest).map_err(|error| format!("{}: {error}", shown(&manifest_path)))?;
    if out.exists() && fs::read_dir(out).map_err(|error| format!("{}: {error}", shown(out)))?.next().is_some() {
        return Err(format!("{}: the folder exists and is not empty; choose a new one", shown(out)));
    }
    let title = project.file_stem().map_or_else(|| "Vejkort".into(), |stem| stem.to_string_lossy().into_owned());
    let write = |relative: &str, bytes: &[u8]| -> Result<(), String> {
        let path: PathBuf = out.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|error| format!("{}: {error}", shown(parent)))?;
        }
        fs::write(&path, bytes).map_err(|error| format!("{}: {error}", shown(&path)))
    };
    write("index.html", index_html(&title).as_bytes())?;
    write("README.txt", readme(&title).as_bytes())?;
    write(PROJECT_FILE, text.as_bytes())?;
    // The list is what the service worker keeps; the published app also needs the worker and the list themselves.
    for file in files.iter().map(String::as_str).chain(["sw.js", MANIFEST]) {
        let source = app.join(file);
        let bytes = fs::read(&source).map_err(|error| format!("{}: {error}", shown(&source)))?;
        write(&format!("{APP_FOLDER}/{file}"), &bytes)?;
    }
    Ok(files.len() + 5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vejkort_engine::curation::Curator;
    use vejkort_engine::pipeline::{analyze_dataset, AnalysisOptions};
    use vejkort_engine::project::{save, Project, ViewState};

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("vejkort-publish-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    }

    fn project_text() -> String {
        let data = vejkort_engine::Dataset {
            columns: vec!["tekst".into()],
            rows: ["ældre pleje", "ældre hjem", "skole lærer", "skole klasse"]
                .iter()
                .map(|t| vec![(*t).into()])
                .collect(),
            ..Default::default()
        };
        let options = AnalysisOptions::default();
        let analysis = analyze_dataset(data, &options, &mut vejkort_engine::progress::Silent).expect("a tiny analysis");
        let curator = Curator::new(&analysis, Default::default(), 0);
        save(&Project::new(&analysis, &options, &curator, ViewState::default()))
    }

    #[test]
    fn writes_the_app_as_listed_the_project_and_an_index() {
        let dir = scratch("ok");
        let app = dir.join("dist");
        fs::create_dir_all(app.join("example")).expect("dist");
        fs::write(app.join("index.html"), "<html>app</html>").expect("index");
        fs::write(app.join("example/a.csv"), "a\n1\n").expect("example");
        fs::write(app.join("unlisted.bin"), "not listed").expect("unlisted");
        fs::write(app.join(MANIFEST), r#"{"files":["index.html","example/a.csv"]}"#).expect("manifest");
        fs::write(app.join("sw.js"), "// worker").expect("service worker");
        let project = dir.join("Velfærd.json");
        let text = project_text();
        fs::write(&project, &text).expect("project");

        let out = dir.join("out");
        assert_eq!(publish(&project, &out, &app), Ok(7));
        assert!(out.join("app/sw.js").exists() && out.join("app/precache.json").exists());
        assert_eq!(fs::read_to_string(out.join("app/index.html")).expect("app index"), "<html>app</html>");
        assert_eq!(fs::read_to_string(out.join("app/example/a.csv")).expect("example"), "a\n1\n");
        assert!(!out.join("app/unlisted.bin").exists(), "only what the build lists");
        assert_eq!(fs::read_to_string(out.join(PROJECT_FILE)).expect("project"), text);
        let index = fs::read_to_string(out.join("index.html")).expect("index");
        assert!(index.contains("<title>Velfærd · Vejkort</title>"), "{index}");
        assert!(out.join("README.txt").exists());

        // A second run would mix two publications: refused.
        assert!(publish(&project, &out, &app).unwrap_err().contains("not empty"));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn refuses_a_broken_project_and_a_missing_build_by_name() {
        let dir = scratch("bad");
        let project = dir.join("broken.json");
        fs::write(&project, "{\"format\": \"vejkort-project\", ").expect("project");
        let error = publish(&project, &dir.join("out"), &dir.join("dist")).unwrap_err();
        assert!(error.starts_with(&project.display().to_string()), "{error}");

        fs::write(&project, project_text()).expect("project");
        let error = publish(&project, &dir.join("out"), &dir.join("dist")).unwrap_err();
        assert!(error.contains("precache.json") && error.contains("trunk build"), "{error}");
        assert!(!dir.join("out").exists(), "nothing written");
        let _ = fs::remove_dir_all(&dir);
    }
}
