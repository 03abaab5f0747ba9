//! The input panel: paste box, file and folder pickers, drag-and-drop of files and folders,
//! Load example.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{dom, files, AppState};
use crate::engine::SourceFile;
use crate::example;

#[component]
pub fn InputPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dragging = RwSignal::new(false);

    let load_files = move |list: Vec<(String, web_sys::File)>| {
        if list.is_empty() {
            state
                .busy
                .set(Some("No Terraform, plan or state files found.".into()));
            return;
        }
        state.busy.set(Some(format!(
            "Reading {} file{}…",
            list.len(),
            if list.len() == 1 { "" } else { "s" }
        )));
        spawn_local(async move {
            dom::yield_to_browser().await;
            let sources = files::read_all(list).await;
            state.analyse(sources);
        });
    };

    let on_pick = move |ev: web_sys::Event| {
        let input = files::input_of(&ev);
        let list = files::from_list(input.as_ref().and_then(|i| i.files()));
        load_files(list);
        if let Some(i) = input {
            // Picking the same file again should re-read it.
            i.set_value("");
        }
    };

    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let Some(dt) = ev.data_transfer() else { return };
        // Entries must be taken now: the DataTransfer empties when the handler returns.
        match files::drop_entries(&dt) {
            Some(entries) if files::has_folder(&entries) => {
                state.busy.set(Some("Reading the folder…".into()));
                spawn_local(async move {
                    let list = files::walk(entries).await;
                    load_files(list);
                });
            }
            _ => load_files(files::from_list(dt.files())),
        }
    };

    let analyse_pasted = move |_| {
        let text = state.pasted.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        state.analyse(vec![SourceFile::new("pasted input", text.into_bytes())]);
    };

    // A baseline file (`planlens check --write-baseline`): findings it holds are marked.
    let on_baseline = move |ev: web_sys::Event| {
        let input = files::input_of(&ev);
        let list = files::from_list(input.as_ref().and_then(|i| i.files()));
        if let Some(i) = input {
            i.set_value("");
        }
        spawn_local(async move {
            let Some(file) = files::read_all(list).await.into_iter().next() else {
                return;
            };
            let text = String::from_utf8_lossy(&file.bytes).into_owned();
            state.set_baseline(Some((file.path, text)));
        });
    };

    let load_example = move |_| {
        state.analyse(vec![SourceFile::new(
            example::NAME,
            example::PLAN.as_bytes(),
        )]);
    };

    view! {
        <section
            class="input-panel"
            class:dragging=move || dragging.get()
            class:compact=move || state.analysed.with(|a| a.is_some())
            aria-label="Input"
            data-testid="dropzone"
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <label for="paste" class="visually-hidden">"Terraform plan JSON or .tf source"</label>
            <textarea
                id="paste"
                data-testid="paste"
                spellcheck="false"
                placeholder="Paste `terraform show -json tfplan` output or .tf source here, or drop files and folders anywhere on this panel."
                prop:value=move || state.pasted.get()
                on:input=move |ev| state.pasted.set(event_target_value(&ev))
            ></textarea>
            <div class="input-actions">
                <button class="primary" data-testid="analyse" on:click=analyse_pasted>
                    "Review pasted input"
                </button>
                <label class="button" data-testid="pick-label">
                    "Choose files…"
                    <input
                        type="file"
                        multiple
                        accept=".json,.tf,.tfvars,.toml"
                        data-testid="file-input"
                        class="visually-hidden"
                        on:change=on_pick
                    />
                </label>
                <label class="button" data-testid="pick-folder-label">
                    "Choose folder…"
                    <input
                        type="file"
                        multiple
                        prop:webkitdirectory=true
                        data-testid="folder-input"
                        class="visually-hidden"
                        on:change=on_pick
                    />
                </label>
                <button data-testid="load-example" on:click=load_example>
                    "Load example"
                </button>
                <label class="button" data-testid="baseline-label" title="A baseline file from `planlens check --write-baseline`: the findings it holds are marked and not counted">
                    "Baseline…"
                    <input
                        type="file"
                        accept=".json"
                        data-testid="baseline-input"
                        class="visually-hidden"
                        on:change=on_baseline
                    />
                </label>
                <span class="hint">"or drop plan.json, .tf files or a folder here"</span>
                <span class="busy" role="status" data-testid="busy">
                    {move || state.busy.get().unwrap_or_default()}
                </span>
                {move || state.baseline.get().map(|name| {
                    let summary = state.analysed.with(|a| {
                        a.as_ref()
                            .and_then(|a| a.report.baseline.as_ref())
                            .map(crate::engine::report::baseline::sentence)
                    });
                    view! {
                        <span class="baseline" data-testid="baseline-status">
                            "Baseline " <code>{crate::engine::report::shown(&name).into_owned()}</code>
                            {summary.map(|s| format!(": {s}."))}
                            " "
                            <button class="small" data-testid="baseline-clear" on:click=move |_| state.set_baseline(None)>
                                "Clear"
                            </button>
                        </span>
                    }
                })}
                {move || state.failure.get().map(|e| view! {
                    <span class="failure" role="alert" data-testid="failure">{e}</span>
                })}
            </div>
        </section>
    }
}
