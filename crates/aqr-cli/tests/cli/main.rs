//! End-to-end tests of the `aqr` binary, run as a user would run it, against mock
//! servers started by the tests themselves on 127.0.0.1.

mod common;

mod crash;
mod create_delete;
mod demo;
mod exit_codes;
mod import;
mod interrupt;
mod local;
mod mock_command;
mod secrets;
