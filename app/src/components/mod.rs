// The card and its forms are rendered only on the server (the live status receives them as
// HTML), so the browser build does not use them.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
pub mod appeal;
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
pub mod details_form;
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
pub mod document_upload;
pub mod form;
pub mod layout;
pub mod live_status;
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
pub mod status_card;
