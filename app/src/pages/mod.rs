pub mod account;
pub mod landing;
pub mod login;
pub mod not_found;
pub mod signup;
pub mod status;
pub mod verification_return;
pub mod your_account;
