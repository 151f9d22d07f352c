pub mod appeal;
pub mod details_form;
pub mod document_upload;
pub mod form;
pub mod layout;
pub mod live_status;
pub mod status_card;
