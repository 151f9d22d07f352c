use leptos::prelude::*;
use onboarding::documents::{ACCEPT, DocumentType};

use onboarding::details::DetailField;

use crate::components::details_form::DetailsForm;
use crate::copy::upload_error_field;
use crate::i18n::{Arg, msg, tr, tr_with, use_lang};
use crate::views::Flash;

/// One upload form per document LedgerOS asked for (`needsInformation`). Plain multipart forms
/// that post to `/documents`, so they work without JavaScript; the server answers back to
/// `/status` with a notice. Personal details LedgerOS asks for get a form of their own
/// ([`DetailsForm`]); anything else is named in plain words, with a way to provide it on
/// LedgerOS's page. A raw field name is never shown.
#[component]
pub fn DocumentUpload(required_fields: Vec<String>, #[prop(optional)] flash: Flash) -> impl IntoView {
    let (documents, others): (Vec<_>, Vec<_>) = required_fields
        .iter()
        .map(|field| DocumentType::parse(field).ok_or_else(|| field.clone()))
        .partition(Result::is_ok);
    let documents: Vec<DocumentType> = documents.into_iter().filter_map(Result::ok).collect();
    let others: Vec<String> = others.into_iter().filter_map(Result::err).collect();
    let details = DetailField::requested(&others);
    let unknown = others.iter().any(|f| DetailField::parse(f).is_none());
    let details_form =
        (!details.is_empty()).then(|| view! { <DetailsForm details=details flash=flash.clone() /> });
    let nothing_to_upload = documents.is_empty() && details_form.is_none();
    let cards = (!documents.is_empty()).then(|| {
        view! {
            <ul class="document-list" aria-labelledby="documents">
                {documents
                    .into_iter()
                    .map(|kind| {
                        let error = flash.errors.get(&upload_error_field(kind)).map(str::to_owned);
                        view! { <li><DocumentCard kind=kind error=error /></li> }
                    })
                    .collect_view()}
            </ul>
        }
    });
    // Nothing we can upload here (LedgerOS asked for something else, or did not say what):
    // LedgerOS's own page can take it.
    let elsewhere = (nothing_to_upload || unknown).then(|| {
        view! {
            {unknown.then(|| view! {
                <p>{tr(msg::UPLOAD_OTHER_INFORMATION)}</p>
            })}
            <form method="post" action="/verification/start">
                <button type="submit" class="button button-secondary">{tr(msg::UPLOAD_CONTINUE_ON_LEDGEROS)}</button>
            </form>
        }
    });
    view! {
        <h3 id="documents">{tr(msg::STATUS_WHAT_LEDGEROS_NEEDS)}</h3>
        {cards}
        {details_form}
        {elsewhere}
    }
}

/// The form for one document: its name, what it is, a labelled file input and its button.
#[component]
fn DocumentCard(kind: DocumentType, error: Option<String>) -> impl IntoView {
    let wire = kind.as_str();
    let lang = use_lang();
    let label = kind.label_in(lang);
    let for_label = tr_with(msg::UPLOAD_FOR, &[("document", Arg::from(&label))]);
    let title_id = format!("document-{wire}-title");
    let description_id = format!("document-{wire}-description");
    let input_id = format!("document-{wire}-file");
    let hint_id = format!("{input_id}-hint");
    let error_id = format!("{input_id}-error");
    let invalid = error.is_some();
    let described = if invalid {
        format!("{description_id} {hint_id} {error_id}")
    } else {
        format!("{description_id} {hint_id}")
    };
    view! {
        <section class="document-card" aria-labelledby=title_id.clone() data-document=wire>
            <h4 id=title_id.clone()>{label.clone()}</h4>
            <p id=description_id>{kind.description_in(lang)}</p>
            <form method="post" action="/documents" enctype="multipart/form-data" class="document-form">
                <input type="hidden" name="documentType" value=wire />
                <div class="field" class:field-invalid=invalid>
                    <label for=input_id.clone()>
                        {tr(msg::UPLOAD_CHOOSE_FILE)}<span class="visually-hidden">{for_label}</span>
                    </label>
                    <p class="field-hint" id=hint_id>{tr(msg::UPLOAD_HINT)}</p>
                    {error.map(|e| view! {
                        <p class="field-error" id=error_id><span class="visually-hidden">{tr(msg::FORM_ERROR_PREFIX)}</span>{e}</p>
                    })}
                    <input
                        id=input_id
                        type="file"
                        name="file"
                        accept=ACCEPT
                        required=true
                        aria-invalid=if invalid { "true" } else { "false" }
                        aria-describedby=described
                    />
                </div>
                <button type="submit" class="button">
                    {tr(msg::UPLOAD_SUBMIT)}<span class="visually-hidden">{format!(" {label}")}</span>
                </button>
            </form>
        </section>
    }
}
